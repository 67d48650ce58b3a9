// End to end in headless Chromium: the demo app (demo/) recorded with the
// package under examples/demo-app.scrim while the test types, clicks,
// navigates and changes the DOM. Checks that no secret leaves in any
// encoding, that allowed text does, and that masking the raw stream of the
// same session natively (`scrim mask-events`) gives the very same bytes.
//
// Needs `npm run build` (dist/ with scrim.wasm), Chromium at
// /usr/bin/chromium (or $CHROMIUM), and cargo (or $SCRIM, a built `scrim`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../demo/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..');
const repoRoot = join(packageRoot, '..', '..');
const POLICY_SOURCE = join(repoRoot, 'examples', 'demo-app.scrim');

/** Every secret the session shows or types; none may leave the browser. */
const SECRETS = {
  name: 'zqnamesecret4471',
  email: 'zq.mail.secret@example.org',
  password: 'Zq-Hunter2-pass-9931',
  passwordAsText: 'zqshown-more-2290',
  about: 'zqabout-secret-8812',
  accountText: 'zqpii-account-3390',
  inviterEmail: 'zq.inviter@example.org',
  supportEmail: 'zq.support.secret@example.org',
  shadow: 'zqshadow-secret-6620',
  frameText: 'zqframe-secret-5521',
  frameTyped: 'zqframe-typed-6034',
  chat: 'zqchat-secret-1207',
  recoveryCode: 'zqrecovery-code-7781',
  settingsTyped: 'zqsettings-typed-1199',
  urlToken: 'zqurl-secret-3141',
  title: 'zqtitle-secret-9012',
  mutation: 'zqmutation-secret-5151',
};

/** Text the policy allows: it must be there, in clear. */
// Non-ASCII text (the last) crosses the module's boundary as UTF-8 longer
// than its UTF-16 length.
const ALLOWED = ['Create your account', 'Full name', 'Show password', 'Billing frame', 'Account card', 'Questions? Write to', 'Réponse sous 24 h — 日本語 ✓ 🙂'];

/** `secret` as it could appear in an event: raw, JSON-escaped, URL-encoded, base64, HTML entities. */
function encodings(secret) {
  const forms = new Set([
    secret,
    JSON.stringify(secret).slice(1, -1),
    JSON.stringify(JSON.stringify(secret)).slice(1, -1),
    encodeURIComponent(secret),
    encodeURI(secret),
    [...secret].map((c) => `&#${c.codePointAt(0)};`).join(''),
    [...secret].map((c) => `&#x${c.codePointAt(0).toString(16)};`).join(''),
    secret.replaceAll('@', '&#64;').replaceAll('.', '&period;'),
  ]);
  // Base64 of the secret at each of the three alignments inside a longer
  // byte string: the characters that encode only the secret's bytes.
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.from('x'.repeat(shift) + secret).toString('base64');
    const start = shift === 0 ? 0 : 4;
    forms.add(encoded.slice(start, encoded.length - 4));
  }
  return [...forms].map((form) => form.toLowerCase());
}

function leaks(events) {
  const text = events.join('\n').toLowerCase();
  const found = [];
  for (const [what, secret] of Object.entries(SECRETS)) {
    for (const form of encodings(secret)) if (text.includes(form)) found.push(`${what} as \`${form}\``);
  }
  return found;
}

function scrim(args) {
  const bin = process.env.SCRIM;
  const options = { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] };
  if (bin) return execFileSync(bin, args, options);
  return execFileSync('cargo', ['run', '--quiet', '--bin', 'scrim', '--', ...args], { ...options, cwd: repoRoot });
}

let server;
let browser;
let policyFile;
const work = mkdtempSync(join(tmpdir(), 'scrim-chromium-'));

before(async () => {
  policyFile = join(work, 'policy.json');
  scrim(['compile', POLICY_SOURCE, '-o', policyFile]);
  const policy = execFileSync('cat', [policyFile]);
  server = await serve(packageRoot, {
    '/policy.json': ['application/json', policy],
    '/broken-policy.json': ['application/json', '{"format":"scrim-policy","version":1,'],
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openDemo(path = `/app/signup?token=${SECRETS.urlToken}`) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto(server.origin + path);
  await page.addScriptTag({ type: 'module', url: '/demo/harness.js' });
  await page.waitForFunction(() => window.harness !== undefined);
  await page.frameLocator('#billing').locator('#frame-card').waitFor();
  return { page, problems };
}

/** rrweb writes mutations and input in the next task: let them through. */
const settle = (page) => page.evaluate(() => new Promise((done) => setTimeout(done, 150)));

test('a recorded session leaks no secret, keeps allowed text, and equals native masking byte for byte', async () => {
  const { page, problems } = await openDemo();
  assert.equal(await page.evaluate(() => window.harness.start()), 'recording');

  await page.fill('#name', SECRETS.name);
  await page.fill('#email', SECRETS.email);
  await page.type('#password', SECRETS.password);
  await page.click('#show-password');
  await page.type('#password', SECRETS.passwordAsText);
  await page.fill('#about', SECRETS.about);
  await page.selectOption('#plan', 'team');
  await page.check('#newsletter');
  await page.frameLocator('#billing').locator('#frame-card').fill(SECRETS.frameTyped);
  await page.click('#submit');
  await page.evaluate((secrets) => {
    document.querySelector('h1').setAttribute('title', secrets.title);
    const note = document.createElement('p');
    note.className = 'note';
    note.append('Saved for ', document.createElement('b'));
    note.querySelector('b').textContent = secrets.mutation;
    document.getElementById('toasts').append(note);
  }, SECRETS);
  await settle(page);

  // To a page that is never recorded, type there, and back.
  await page.click('#to-settings');
  await page.waitForSelector('#recovery');
  assert.equal(await page.evaluate(() => window.harness.recorder.state), 'off');
  await page.fill('#recovery', SECRETS.settingsTyped);
  await settle(page);
  await page.goBack();
  await page.waitForSelector('#signup');
  await page.frameLocator('#billing').locator('#frame-card').waitFor();
  await settle(page);
  assert.equal(await page.evaluate(() => window.harness.recorder.state), 'recording');
  await page.fill('#name', `${SECRETS.name}-again`);
  await settle(page);

  const { raw, masked, errors, stats } = await page.evaluate(() => ({
    raw: window.harness.raw,
    masked: window.harness.masked,
    errors: window.harness.errors,
    stats: window.harness.recorder.stats(),
  }));
  assert.deepEqual(errors, []);
  assert.deepEqual(problems, []);

  // The raw stream holds the secrets (so the check below can fail) …
  for (const secret of [SECRETS.name, SECRETS.about, SECRETS.accountText, SECRETS.shadow, SECRETS.frameText, SECRETS.frameTyped, SECRETS.mutation, SECRETS.title]) {
    assert.ok(raw.some((event) => event.includes(secret)), `the raw stream has ${secret}`);
  }
  // … but not the page that is never recorded: rrweb did not run there.
  assert.deepEqual(
    leaks(raw).filter((leak) => /recoveryCode|settingsTyped/.test(leak)),
    [],
    'a page that is never recorded is not even serialized',
  );
  // The blocked chat was never serialized by rrweb either.
  assert.ok(!raw.some((event) => event.includes(SECRETS.chat)), 'blocked content is not serialized');

  assert.deepEqual(leaks(masked), [], 'no secret in any emitted event');
  for (const text of ALLOWED) {
    assert.ok(masked.some((event) => event.includes(text)), `allowed text \`${text}\` is emitted in clear`);
  }

  const events = masked.map((json) => JSON.parse(json));
  const metas = events.filter((event) => event.type === 4).map((event) => event.data.href);
  assert.equal(metas.length, 2, 'a page view on arrival and one on the way back');
  assert.match(metas[0], /\/app\/signup\?token=/);
  assert.ok(metas.every((href) => !href.includes('/settings/')));
  assert.equal(events.filter((event) => event.type === 2).length, 2, 'a full snapshot after each Meta event');
  // rrweb serialized the blocked chat as its size alone (its `blockSelector`
  // drops every attribute and child), and so it stays.
  const snapshot = masked.find((json) => json.startsWith('{"type":2,'));
  assert.match(snapshot, /\{"type":2,"tagName":"div","attributes":\{"rr_width":"\d+(\.\d+)?px","rr_height":"\d+(\.\d+)?px"\},"childNodes":\[\],"id":\d+\}/);
  assert.ok(stats.masked > 0 && stats.eventsOut === masked.length);

  // Native masking of the same raw stream: the same bytes.
  const rawFile = join(work, 'raw.ndjson');
  writeFileSync(rawFile, raw.join('\n') + '\n');
  const native = scrim(['mask-events', '--policy', policyFile, '--consent', 'session-replay', rawFile]);
  const nativeEvents = native.split('\n').filter((line) => line !== '');
  writeFileSync(join(work, 'browser.ndjson'), masked.join('\n') + '\n');
  assert.equal(native, masked.join('\n') + '\n', `${work}/browser.ndjson differs from scrim mask-events ${rawFile}`);
  assert.equal(nativeEvents.length, masked.length);
  await page.close();
});

test('a page that renders before its URL changes is not recorded under the page before', async () => {
  const { page } = await openDemo('/app/signup');
  assert.equal(await page.evaluate(() => window.harness.start()), 'recording');
  // The quick link renders the security page, then calls a pushState the
  // app kept from before the recorder started: no hook hears it.
  await page.click('#to-settings-quick');
  await settle(page);
  const { state, raw, masked } = await page.evaluate(() => ({
    state: window.harness.recorder.state,
    raw: window.harness.raw,
    masked: window.harness.masked,
  }));
  assert.ok(raw.some((event) => event.includes(SECRETS.recoveryCode)), 'rrweb serialized the security page');
  assert.deepEqual(leaks(masked), [], 'and none of it was emitted');
  assert.equal(state, 'off', 'the security page is decided once an event shows the new URL');
  await page.close();
});

test('consent withdrawn stops recording; given again, recording restarts with a fresh full snapshot', async () => {
  const { page } = await openDemo('/app/signup');
  assert.equal(await page.evaluate(() => window.harness.start({ consent: [] })), 'off');
  await page.fill('#name', SECRETS.name);
  await settle(page);
  assert.deepEqual(await page.evaluate(() => [window.harness.raw.length, window.harness.masked.length]), [0, 0]);

  await page.evaluate(() => window.harness.recorder.setConsent(['session-replay']));
  assert.equal(await page.evaluate(() => window.harness.recorder.state), 'recording');
  const first = await page.evaluate(() => window.harness.masked.map((json) => JSON.parse(json).type));
  assert.deepEqual(first.slice(0, 2), [4, 2], 'a Meta event and a full snapshot');

  await page.evaluate(() => window.harness.recorder.setConsent([]));
  assert.equal(await page.evaluate(() => window.harness.recorder.state), 'off');
  const before = await page.evaluate(() => window.harness.masked.length);
  await page.fill('#about', SECRETS.about);
  await page.click('#submit');
  await settle(page);
  assert.equal(await page.evaluate(() => window.harness.masked.length), before, 'nothing after consent is withdrawn');

  await page.evaluate(() => window.harness.recorder.setConsent(['session-replay']));
  const again = await page.evaluate((n) => window.harness.masked.slice(n).map((json) => JSON.parse(json).type), before);
  assert.deepEqual(again.slice(0, 2), [4, 2], 'restarted with a Meta event and a full snapshot');
  assert.deepEqual(leaks(await page.evaluate(() => window.harness.masked)), []);
  await page.close();
});

test('a policy or module that does not load records nothing, ever', async () => {
  const { page } = await openDemo('/app/signup');
  const broken = await page.evaluate(() => window.harness.start({ policyUrl: '/broken-policy.json' }));
  assert.equal(broken, 'failed');
  const missing = await page.evaluate(() => window.harness.start({ policyUrl: '/no-such-policy.json' }));
  assert.equal(missing, 'failed');
  const badModule = await page.evaluate(() => window.harness.start({ wasm: new Uint8Array([0, 97, 115, 109, 9]) }));
  assert.equal(badModule, 'failed');
  await page.fill('#name', SECRETS.name);
  await page.evaluate(() => window.harness.recorder.setConsent(['session-replay']));
  await settle(page);
  const { raw, masked, errors } = await page.evaluate(() => ({ raw: window.harness.raw, masked: window.harness.masked, errors: window.harness.errors }));
  assert.deepEqual([raw.length, masked.length], [0, 0]);
  assert.equal(errors.length, 3, 'each failure is told to onError');
  await page.close();
});

test('an event the module cannot take stops the recorder for good', async () => {
  const { page } = await openDemo('/app/signup');
  const result = await page.evaluate(async () => {
    const { record } = await import('/dist/index.js');
    const rrweb = await import('rrweb');
    const out = [];
    let emit;
    const fake = Object.assign(
      (options) => {
        emit = options.emit;
        return rrweb.record(options);
      },
      { takeFullSnapshot: rrweb.record.takeFullSnapshot },
    );
    const recorder = await record({ policyUrl: '/policy.json', consent: ['session-replay'], record: fake, emitJson: (json) => out.push(json) });
    const before = out.length;
    // JSON.stringify throws on a BigInt: the masking path fails.
    emit({ type: 3, data: { source: 0, weird: 1n }, timestamp: 1 });
    document.getElementById('name').value = 'zqnamesecret4471';
    document.getElementById('toasts').append('zqmutation-secret-5151');
    await new Promise((done) => setTimeout(done, 150));
    recorder.setConsent(['session-replay']);
    return { state: recorder.state, before, after: out.length, stats: recorder.stats() };
  });
  assert.equal(result.state, 'failed');
  assert.ok(result.before >= 2);
  assert.equal(result.after, result.before, 'nothing after the failure');
  assert.equal(result.stats, null);
  await page.close();
});
