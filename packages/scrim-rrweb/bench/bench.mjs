// Recording in Chromium, side by side in one run (docs/performance.md):
// a full snapshot of a 10k- and a 100k-element page, and a burst of 10k
// inserted elements, recorded with
//   - rrweb and no masking (the baseline),
//   - this package under a policy of 1,000 mask rules,
//   - rrweb with the same 1,000 selectors as `maskTextSelector`;
// the per-event cost of the module on a realistic stream; and the gzipped
// size of the module and of the package. Prints ratios of this run.
//
// Needs `npm run build`, Chromium and cargo, as the end-to-end test does.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';
import { chromium } from 'playwright-core';
import { serve } from '../demo/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..');
const repoRoot = join(packageRoot, '..', '..');
const RULES = 1000;
const REPEATS = Number(process.env.REPEATS ?? 5);
// `SIZES=10000` skips the 100k page (about a minute).
const SIZES = (process.env.SIZES ?? '10000,100000').split(',').map(Number);

function scrim(args, input) {
  const bin = process.env.SCRIM;
  const options = { input, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['pipe', 'pipe', 'inherit'] };
  if (bin) return execFileSync(bin, args, options);
  return execFileSync('cargo', ['run', '--quiet', '--release', '--bin', 'scrim', '--', ...args], { ...options, cwd: repoRoot });
}

/** The classes the generated pages use, and the 1,000 rules' selectors. */
const selectors = Array.from({ length: RULES }, (_, i) => (i % 10 === 0 ? `#field-${i}` : `.c${i}`));
const policyText = [
  'scrim 1',
  '',
  'default text capture',
  'default value mask',
  'detect email',
  ...selectors.map((selector) => `mask text "${selector}"`),
  '',
].join('\n');

const gz = (bytes) => gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length;

async function main() {
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const work = mkdtempSync(join(tmpdir(), 'scrim-bench-'));
  const source = join(work, 'bench.scrim');
  writeFileSync(source, policyText);
  const policy = scrim(['compile', source]);

  const server = await serve(packageRoot, { '/policy.json': ['application/json', policy] });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const results = {};
  try {
    for (const size of SIZES) {
      const page = await browser.newPage();
      await page.goto(`${server.origin}/bench/page.html`);
      await page.waitForFunction(() => window.bench !== undefined);
      results[size] = await page.evaluate(
        ([size, selectors, repeats]) => window.bench.run(size, selectors, repeats),
        [size, selectors, size === 100_000 ? Math.max(2, Math.ceil(REPEATS / 2)) : REPEATS],
      );
      await page.close();
    }
    const page = await browser.newPage();
    await page.goto(`${server.origin}/bench/page.html`);
    await page.waitForFunction(() => window.bench !== undefined);
    results.perEvent = await page.evaluate(() => window.bench.perEvent());
    await page.close();
  } finally {
    await browser.close();
    await server.close();
  }

  const wasm = readFileSync(join(packageRoot, 'dist', 'scrim.wasm'));
  const js = readdirSync(join(packageRoot, 'dist'))
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(packageRoot, 'dist', file)));
  const rrwebBundle = readFileSync(join(packageRoot, 'node_modules', 'rrweb', 'dist', 'rrweb.umd.min.cjs'));
  const sizes = {
    wasm: wasm.length,
    wasmGzip: gz(wasm),
    packageGzip: gz(wasm) + js.reduce((sum, file) => sum + gz(file), 0),
    rrwebGzip: gz(rrwebBundle),
  };

  const ms = (x) => `${x.toFixed(1)} ms`;
  const ratio = (a, b) => (a / b).toFixed(2);
  console.log(`rrweb ${results[SIZES[0]].rrwebVersion}, Chromium ${(await chromiumVersion())}, ${RULES} rules / mask selectors, median of repeats`);
  console.log('');
  console.log('case                           rrweb (none)  scrim-rrweb  rrweb (1,000 masks)  scrim/none  masks/none');
  for (const [label, key] of [
    ['full snapshot, 10k elements', [10_000, 'snapshot']],
    ['full snapshot, 100k elements', [100_000, 'snapshot']],
    ['burst of 10k inserted elements', [10_000, 'burst']],
  ]) {
    const r = results[key[0]]?.[key[1]];
    if (!r) continue;
    console.log(
      `${label.padEnd(31)}${ms(r.none).padStart(12)}${ms(r.scrim).padStart(13)}${ms(r.masks).padStart(21)}${ratio(r.scrim, r.none).padStart(12)}${ratio(r.masks, r.none).padStart(12)}`,
    );
  }
  const p = results.perEvent;
  console.log('');
  console.log(`per event (realistic stream of ${p.events} events, ${(p.bytes / 1024).toFixed(0)} KB, one at a time): ${(p.perEventMs * 1000).toFixed(1)} µs masked, ${(p.stringifyMs * 1000).toFixed(1)} µs JSON.stringify alone`);
  console.log(`module: ${(sizes.wasm / 1024).toFixed(1)} KB, ${(sizes.wasmGzip / 1024).toFixed(1)} KB gzipped (-9); package (module + JS): ${(sizes.packageGzip / 1024).toFixed(1)} KB gzipped; rrweb's own bundle (record + replay, minified): ${(sizes.rrwebGzip / 1024).toFixed(1)} KB gzipped`);
}

async function chromiumVersion() {
  try {
    return execFileSync(process.env.CHROMIUM ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().replace(/^Chromium /, '').replace(/ built on.*/, '');
  } catch {
    return 'unknown';
  }
}

await main();
