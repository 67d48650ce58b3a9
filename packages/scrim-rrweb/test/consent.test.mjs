// Consent from the page, end to end in headless Chromium: the package
// follows stub consent platforms (demo/cmp.js: an IAB TCF v2.2 CMP, Google's
// gtag snippet with Consent Mode) through grant, withdrawal and grant
// again, under examples/demo-app.scrim (`require consent session-replay`).
// Checks that nothing is emitted, nor even serialized by rrweb, while
// consent is missing, and that every grant starts with a full snapshot.
//
// Needs `npm run build` (dist/ with scrim.wasm), Chromium at
// /usr/bin/chromium (or $CHROMIUM), and cargo (or $SCRIM, a built `scrim`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../demo/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..');
const repoRoot = join(packageRoot, '..', '..');

const SECRETS = ['zqconsent-typed-4410', 'zqconsent-typed-5521', 'zqconsent-mutation-6632'];
const SESSION_REPLAY = [1, 8, 10];
const ALL_PURPOSES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

let server;
let browser;

before(async () => {
  const policyFile = join(mkdtempSync(join(tmpdir(), 'scrim-consent-')), 'policy.json');
  const args = ['compile', join(repoRoot, 'examples', 'demo-app.scrim'), '-o', policyFile];
  if (process.env.SCRIM) execFileSync(process.env.SCRIM, args);
  else execFileSync('cargo', ['run', '--quiet', '--bin', 'scrim', '--', ...args], { cwd: repoRoot });
  server = await serve(packageRoot, { '/policy.json': ['application/json', readFileSync(policyFile)] });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The consent demo page with the platforms `query` asks for, and the harness. */
async function openPage(query) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto(`${server.origin}/demo/cmp.html?${query}`);
  await page.addScriptTag({ type: 'module', url: '/demo/harness.js' });
  await page.waitForFunction(() => window.harness !== undefined);
  return { page, problems };
}

/** rrweb writes mutations and input in the next task: let them through. */
const settle = (page) => page.evaluate(() => new Promise((done) => setTimeout(done, 150)));

const counts = (page) => page.evaluate(() => ({ raw: window.harness.raw.length, masked: window.harness.masked.length }));
const state = (page) => page.evaluate(() => window.harness.recorder.state);
/** The types of the events emitted from the `from`-th on (4 Meta, 2 full snapshot). */
const typesFrom = (page, from) => page.evaluate((n) => window.harness.masked.slice(n).map((json) => JSON.parse(json).type), from);

/** What the visitor does on the page: types and the page changes. */
async function activity(page, secret) {
  await page.fill('#name', secret);
  await page.evaluate((text) => document.getElementById('toasts').append(text), secret);
  await settle(page);
}

/** Nothing is recorded from here while `whileMissing` runs: no raw event (rrweb does not run), no masked one. */
async function assertNothingWhile(page, whileMissing) {
  const before = await counts(page);
  await whileMissing();
  await activity(page, SECRETS[2]);
  assert.deepEqual(await counts(page), before, 'nothing is serialized or emitted while consent is missing');
}

test('TCF: nothing before the visitor accepts; withdrawal stops at once; accepting again restarts with a fresh full snapshot', async () => {
  const { page, problems } = await openPage('tcf=loaded');
  // The integrator's own `consent` (the harness passes `session-replay`)
  // cannot grant a category the CMP decides.
  assert.equal(await page.evaluate(() => window.harness.start({ consent: ['session-replay'], consentFrom: { tcf: true } })), 'off');
  await activity(page, SECRETS[0]);
  assert.deepEqual(await counts(page), { raw: 0, masked: 0 }, 'the CMP shows its UI: no consent yet');

  await page.evaluate(() => window.harness.recorder.setConsent(['session-replay']));
  await page.evaluate((purposes) => window.cmp.accept(purposes), [1, 8]);
  await activity(page, SECRETS[1]);
  assert.equal(await state(page), 'off', 'purpose 10 is missing, and setConsent does not decide a mapped category');
  assert.deepEqual(await counts(page), { raw: 0, masked: 0 });

  await page.evaluate((purposes) => window.cmp.accept(purposes), SESSION_REPLAY);
  assert.equal(await state(page), 'recording');
  assert.deepEqual((await typesFrom(page, 0)).slice(0, 2), [4, 2], 'a Meta event and a full snapshot');
  await activity(page, 'zqconsent-while-recording');

  const withdrawnAt = await counts(page);
  await assertNothingWhile(page, () => page.evaluate(() => window.cmp.reject()));
  assert.equal(await state(page), 'off');

  await page.evaluate((purposes) => window.cmp.accept(purposes), ALL_PURPOSES);
  assert.equal(await state(page), 'recording');
  assert.deepEqual((await typesFrom(page, withdrawnAt.masked)).slice(0, 2), [4, 2], 'restarted with a Meta event and a full snapshot');

  // The visitor opens the CMP again: consents read false until they choose.
  await assertNothingWhile(page, () => page.evaluate(() => window.cmp.reopen()));

  const masked = await page.evaluate(() => window.harness.masked.join('\n'));
  for (const secret of SECRETS) assert.ok(!masked.includes(secret), `${secret} is not emitted`);
  await page.evaluate(() => window.harness.recorder.stop());
  assert.equal(await page.evaluate(() => window.cmp.listeners()), 0, 'the listener is removed from the CMP');
  assert.deepEqual(problems, []);
  await page.close();
});

test('Consent Mode: nothing before analytics_storage is granted; denied stops at once; granted again restarts with a fresh full snapshot', async () => {
  const { page, problems } = await openPage('gtag=denied');
  assert.equal(await page.evaluate(() => window.harness.start({ consentFrom: { consentMode: true } })), 'off');
  await activity(page, SECRETS[0]);
  assert.deepEqual(await counts(page), { raw: 0, masked: 0 }, 'the defaults deny');

  await page.evaluate(() => window.gtag('consent', 'update', { ad_storage: 'granted', ad_user_data: 'granted' }));
  assert.equal(await state(page), 'off', 'a grant of other types');

  await page.evaluate(() => window.gtag('consent', 'update', { analytics_storage: 'granted' }));
  assert.equal(await state(page), 'recording');
  assert.deepEqual((await typesFrom(page, 0)).slice(0, 2), [4, 2]);
  await activity(page, 'zqconsent-while-recording');

  let withdrawnAt = await counts(page);
  await assertNothingWhile(page, () => page.evaluate(() => window.gtag('consent', 'update', { analytics_storage: 'denied' })));
  await page.evaluate(() => window.gtag('consent', 'update', { analytics_storage: 'granted' }));
  assert.equal(await state(page), 'recording');
  assert.deepEqual((await typesFrom(page, withdrawnAt.masked)).slice(0, 2), [4, 2], 'restarted with a Meta event and a full snapshot');

  // A page that assigns a new data layer starts over from it: nothing is
  // granted until it holds consent commands, and gtag's pushes to it are followed.
  await assertNothingWhile(page, () => page.evaluate(() => (window.dataLayer = [])));
  withdrawnAt = await counts(page);
  await page.evaluate(() => window.gtag('consent', 'update', { analytics_storage: 'granted' }));
  assert.equal(await state(page), 'recording');
  assert.deepEqual((await typesFrom(page, withdrawnAt.masked)).slice(0, 2), [4, 2]);
  await assertNothingWhile(page, () => page.evaluate(() => window.gtag('consent', 'update', { analytics_storage: 'denied' })));

  const masked = await page.evaluate(() => window.harness.masked.join('\n'));
  for (const secret of SECRETS) assert.ok(!masked.includes(secret), `${secret} is not emitted`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('Consent Mode: a default that grants but waits for the CMP\'s update grants nothing meanwhile', async () => {
  const { page } = await openPage('gtag=wait');
  assert.equal(await page.evaluate(() => window.harness.start({ consentFrom: { consentMode: true } })), 'off');
  await activity(page, SECRETS[0]);
  await page.evaluate(() => window.gtag('consent', 'update', { analytics_storage: 'denied' }));
  await activity(page, SECRETS[1]);
  assert.equal(await state(page), 'off');
  assert.deepEqual(await counts(page), { raw: 0, masked: 0 });
  await page.close();
});

test('Consent Mode: the data layer\'s history is read as one: a grant withdrawn before the recorder started records nothing', async () => {
  const { page } = await openPage('gtag=withdrawn');
  assert.equal(await page.evaluate(() => window.harness.start({ consentFrom: { consentMode: true } })), 'off');
  await activity(page, SECRETS[0]);
  assert.deepEqual(await counts(page), { raw: 0, masked: 0 });
  // The same history in a data layer the page assigns later.
  await page.evaluate(() => {
    const gtagArguments = function () {
      return arguments;
    };
    window.dataLayer = [gtagArguments('consent', 'default', { analytics_storage: 'granted' }), gtagArguments('consent', 'update', { analytics_storage: 'denied' })];
  });
  await activity(page, SECRETS[1]);
  assert.equal(await state(page), 'off');
  assert.deepEqual(await counts(page), { raw: 0, masked: 0 });
  await page.close();
});

test('TCF and Consent Mode together: a category is granted only while both grant it', async () => {
  const { page } = await openPage('tcf=loaded&gtag=denied');
  assert.equal(await page.evaluate(() => window.harness.start({ consentFrom: { tcf: true, consentMode: true } })), 'off');
  await page.evaluate((purposes) => window.cmp.accept(purposes), ALL_PURPOSES);
  await activity(page, SECRETS[0]);
  assert.equal(await state(page), 'off', 'Consent Mode still denies');
  assert.deepEqual(await counts(page), { raw: 0, masked: 0 });

  await page.evaluate(() => window.gtag('consent', 'update', { analytics_storage: 'granted' }));
  assert.equal(await state(page), 'recording');
  assert.deepEqual((await typesFrom(page, 0)).slice(0, 2), [4, 2]);

  await assertNothingWhile(page, () => page.evaluate(() => window.cmp.reject()));
  assert.equal(await state(page), 'off');
  await assertNothingWhile(page, () => page.evaluate(() => window.gtag('consent', 'update', { analytics_storage: 'denied' })));
  await assertNothingWhile(page, () => page.evaluate((purposes) => window.cmp.accept(purposes), ALL_PURPOSES));
  await page.close();
});

test('a CMP that never answers, or none on the page, means nothing is recorded', async () => {
  for (const [query, consentFrom] of [
    ['tcf=never', { tcf: true }],
    ['', { tcf: true }],
    ['', { consentMode: true }],
    ['tcf=never&gtag=denied', { tcf: true, consentMode: true }],
  ]) {
    const { page } = await openPage(query);
    assert.equal(await page.evaluate((from) => window.harness.start({ consentFrom: from }), consentFrom), 'off', query);
    await activity(page, SECRETS[0]);
    assert.equal(await state(page), 'off', query);
    assert.deepEqual(await counts(page), { raw: 0, masked: 0 }, `${query}: nothing`);
    if (query.includes('tcf=never')) assert.equal(await page.evaluate(() => window.cmp.queued()), 1, 'the listener waits in the stub\'s queue');
    await page.close();
  }
});

test('a CMP that loads after the recorder started is followed', async () => {
  const { page } = await openPage('tcf=late');
  assert.equal(await page.evaluate(() => window.harness.start({ consentFrom: { tcf: true } })), 'off');
  await page.evaluate(() => window.cmp.load());
  await page.waitForFunction(() => window.cmp.listeners() === 1);
  assert.equal(await state(page), 'off');
  assert.deepEqual(await counts(page), { raw: 0, masked: 0 });
  await page.evaluate((purposes) => window.cmp.accept(purposes), SESSION_REPLAY);
  assert.equal(await state(page), 'recording');
  assert.deepEqual((await typesFrom(page, 0)).slice(0, 2), [4, 2]);
  await page.close();
});

test('a `consentFrom` that cannot be followed gives a failed recorder', async () => {
  const { page } = await openPage('tcf=loaded');
  const result = await page.evaluate(async () => {
    const state = await window.harness.start({ consentFrom: { tcf: { categories: { 'session-replay': [0, 8] } } } });
    window.cmp.accept([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    return { state, errors: window.harness.errors, listeners: window.cmp.listeners() };
  });
  assert.equal(result.state, 'failed');
  assert.match(result.errors[0], /lists `0`, which is not a TCF purpose/);
  assert.equal(result.listeners, 0, 'the CMP was not even asked');
  assert.deepEqual(await counts(page), { raw: 0, masked: 0 });
  await page.close();
});
