// Recording in Chromium, side by side in one run (docs/performance.md):
// a full snapshot of a 10k- and a 100k-element page, a burst of 10k
// inserted elements, and starting to record a 10k-element page on a fresh
// page, recorded with
//   - rrweb and no masking (the baseline),
//   - this package under a policy of 1,000 mask rules,
//   - rrweb with the same 1,000 selectors as `maskTextSelector`;
// the per-event cost of the module on a realistic stream; and the gzipped
// size of the module and of the package. Prints the ratios of this run:
// each round runs the three recorders one after the other, and a ratio is
// the median of the rounds' own ratios.
//
// Needs `npm run build`, Chromium and cargo, as the end-to-end test does.
// `REPEATS=n` sets the rounds (default 9), `SIZES=10000` skips the 100k
// page, `WASM=path` measures another build of the module.
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
// Rounds of the 10k page (the 100k page gets half as many), and fresh
// pages per recorder for the start.
const REPEATS = Number(process.env.REPEATS ?? 9);
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

  // `WASM=path/to/scrim.wasm` measures another build of the module.
  const wasmPath = process.env.WASM ?? join(packageRoot, 'dist', 'scrim.wasm');
  const server = await serve(packageRoot, {
    '/policy.json': ['application/json', policy],
    '/dist/scrim.wasm': ['application/wasm', readFileSync(wasmPath)],
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--js-flags=--expose-gc'],
  });
  const results = {};
  const freshPage = async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/bench/page.html`);
    await page.waitForFunction(() => window.bench !== undefined);
    return page;
  };
  try {
    // Starting to record, each on a fresh page (the module's code is not
    // optimized yet), the three recorders in turn.
    results.start = { none: [], scrim: [], masks: [] };
    for (let round = 0; round < REPEATS; round++) {
      for (const kind of Object.keys(results.start)) {
        const page = await freshPage();
        results.start[kind].push(await page.evaluate(([k, selectors]) => window.bench.start(k, 10_000, selectors), [kind, selectors]));
        await page.close();
      }
    }
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

  const wasm = readFileSync(wasmPath);
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
  const ratio = (r) => `${r.median.toFixed(2)} (${r.min.toFixed(2)}-${r.max.toFixed(2)})`;
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const pairedRatio = (a, b) => {
    const ratios = a.map((x, i) => x / b[i]).sort((x, y) => x - y);
    return { median: median(ratios), min: ratios[0], max: ratios[ratios.length - 1] };
  };
  const s = results.start;
  results.start = {
    none: median(s.none),
    scrim: median(s.scrim),
    masks: median(s.masks),
    scrimRatio: pairedRatio(s.scrim, s.none),
    masksRatio: pairedRatio(s.masks, s.none),
  };
  console.log(`rrweb ${results[SIZES[0]].rrwebVersion}, Chromium ${(await chromiumVersion())}, ${RULES} rules / mask selectors`);
  console.log('times: median of the rounds; ratios: median (least-greatest) of the ratios of the same rounds');
  console.log('');
  console.log('case                              rrweb (none)  scrim-rrweb  rrweb (1,000 masks)  scrim/none          masks/none');
  for (const [label, r] of [
    ['full snapshot, 10k elements', results[10_000]?.snapshot],
    ['full snapshot, 100k elements', results[100_000]?.snapshot],
    ['burst of 10k inserted elements', results[10_000]?.burst],
    ['start, 10k elements (fresh page)', results.start],
  ]) {
    if (!r) continue;
    console.log(
      `${label.padEnd(34)}${ms(r.none).padStart(12)}${ms(r.scrim).padStart(13)}${ms(r.masks).padStart(21)}  ${ratio(r.scrimRatio).padEnd(18)}${ratio(r.masksRatio)}`,
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
