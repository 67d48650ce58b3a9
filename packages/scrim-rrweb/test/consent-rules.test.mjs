// The rules of consent from the page (src/consent.ts), without a browser:
// which categories a CMP's TCF answer grants, how the Consent Mode
// commands of a data layer add up, and which `consentFrom` options are
// refused. The Chromium test (consent.test.mjs) drives the same code
// through stub CMPs on a page; this one covers the cases one by one.
//
// Needs `npm run build` (dist/consent.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsentModeState, PageConsent, consentModeRules, tcfGrants, tcfRules } from '../dist/consent.js';

/** TC data as a CMP gives it to an `addEventListener` callback. */
function tcData({ consents = [], legitimateInterests = [], vendor = {}, publisher = {}, ...rest } = {}) {
  const bits = (ids) => Object.fromEntries(ids.map((id) => [id, true]));
  return {
    tcString: 'CPx',
    tcfPolicyVersion: 4,
    gdprApplies: true,
    eventStatus: 'useractioncomplete',
    cmpStatus: 'loaded',
    listenerId: 1,
    purpose: { consents: bits(consents), legitimateInterests: bits(legitimateInterests) },
    vendor: { consents: bits(vendor.consents ?? []), legitimateInterests: bits(vendor.legitimateInterests ?? []) },
    publisher: {
      consents: bits(publisher.consents ?? []),
      legitimateInterests: bits(publisher.legitimateInterests ?? []),
      restrictions: publisher.restrictions ?? {},
    },
    ...rest,
  };
}

const grants = (options, data, success = true) => [...tcfGrants(tcfRules(options), data, success)].sort();

test('TCF: a category is granted when every purpose it maps has consent', () => {
  assert.deepEqual(grants(true, tcData({ consents: [1, 8, 10] })), ['session-replay']);
  assert.deepEqual(grants(true, tcData({ consents: [1, 8, 9, 10] })), ['analytics', 'session-replay']);
  assert.deepEqual(grants(true, tcData({ consents: [1, 8] })), [], 'purpose 10 is missing');
  assert.deepEqual(grants(true, tcData({ consents: [8, 10] })), [], 'purpose 1 is missing (also under purposeOneTreatment)');
  const every = tcData({ consents: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] });
  assert.deepEqual(grants(true, every), ['analytics', 'marketing', 'personalization', 'session-replay']);
  const mine = { categories: { 'ux-research': [1, 10] } };
  assert.deepEqual(grants(mine, tcData({ consents: [1, 10] })), ['ux-research']);
});

test('TCF: only `true` is consent', () => {
  const data = tcData();
  data.purpose.consents = { 1: 1, 8: 'true', 10: true };
  assert.deepEqual(grants(true, data), []);
});

test('TCF: an answer that failed, is pending, in error or from no known event grants nothing', () => {
  const all = { consents: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] };
  assert.deepEqual(grants(true, tcData(all), false), [], 'success false');
  assert.deepEqual(grants(true, tcData({ ...all, gdprApplies: undefined })), [], 'gdprApplies not known yet');
  assert.deepEqual(grants(true, tcData({ ...all, cmpStatus: 'error' })), []);
  assert.deepEqual(grants(true, tcData({ ...all, eventStatus: undefined })), [], 'the first call, while the CMP loads');
  assert.deepEqual(grants(true, null), []);
  assert.deepEqual(grants(true, 'CPx'), []);
  for (const eventStatus of ['tcloaded', 'useractioncomplete', 'cmpuishown']) {
    assert.deepEqual(grants(true, tcData({ consents: [1, 8, 10], eventStatus })), ['session-replay'], eventStatus);
  }
  const hostile = tcData({ consents: [1, 8, 10] });
  Object.defineProperty(hostile.purpose, 'consents', { get: () => { throw new Error('no'); } });
  assert.deepEqual(grants(true, hostile), []);
});

test('TCF: GDPR that does not apply grants nothing, unless the integrator says it grants', () => {
  const outside = { tcString: '', tcfPolicyVersion: 4, cmpId: 10, cmpVersion: 1, gdprApplies: false, eventStatus: 'tcloaded', cmpStatus: 'loaded' };
  assert.deepEqual(grants(true, outside), []);
  assert.deepEqual(grants({ gdprDoesNotApply: 'grant' }, outside), ['analytics', 'marketing', 'personalization', 'session-replay']);
  assert.deepEqual(grants({ gdprDoesNotApply: 'grant' }, outside, false), [], 'still not when the call failed');
});

test('TCF: legitimate interest counts only for the purposes the integrator names', () => {
  const data = tcData({ consents: [1, 8], legitimateInterests: [8, 10] });
  assert.deepEqual(grants(true, data), []);
  assert.deepEqual(grants({ legitimateInterest: [10] }, data), ['session-replay']);
  assert.deepEqual(grants({ legitimateInterest: [8] }, data), [], 'purpose 10 still needs consent');
});

test('TCF: a vendor id needs the vendor\'s own consent and follows publisher restrictions', () => {
  const vendorId = 755;
  assert.deepEqual(grants({ vendorId }, tcData({ consents: [1, 8, 10] })), [], 'no vendor consent');
  assert.deepEqual(grants({ vendorId }, tcData({ consents: [1, 8, 10], vendor: { consents: [vendorId] } })), ['session-replay']);
  assert.deepEqual(grants({ vendorId }, tcData({ consents: [1, 8, 10], vendor: { consents: [754] } })), [], 'another vendor');
  const restricted = (type) =>
    tcData({
      consents: [1, 8, 10],
      legitimateInterests: [10],
      vendor: { consents: [vendorId], legitimateInterests: [vendorId] },
      publisher: { restrictions: { 10: { [vendorId]: type } } },
    });
  assert.deepEqual(grants({ vendorId }, restricted(0)), [], 'purpose 10 not allowed for the vendor');
  assert.deepEqual(grants({ vendorId, legitimateInterest: [10] }, restricted(0)), []);
  assert.deepEqual(grants({ vendorId }, restricted(1)), ['session-replay'], 'consent required: consent given');
  assert.deepEqual(grants({ vendorId }, restricted(2)), [], 'legitimate interest required, and not allowed by the mapping');
  assert.deepEqual(grants({ vendorId, legitimateInterest: [10] }, restricted(2)), ['session-replay']);
});

test('TCF: `publisher` reads the publisher\'s own purposes', () => {
  assert.deepEqual(grants({ publisher: true }, tcData({ consents: [1, 8, 10] })), []);
  assert.deepEqual(grants({ publisher: true }, tcData({ publisher: { consents: [1, 8, 10] } })), ['session-replay']);
});

const state = (region, ...commands) => {
  const consentMode = new ConsentModeState(region);
  for (const [command, at = 0] of commands) consentMode.read(command, at);
  return consentMode;
};
/** What gtag pushes: its `arguments` object. */
function gtag() {
  return arguments;
}

test('Consent Mode: nothing set is denied; updates win over defaults; anything but `granted` denies', () => {
  assert.equal(state(undefined).granted('analytics_storage', 0), false);
  assert.equal(state(undefined, [gtag('consent', 'default', { analytics_storage: 'granted' })]).granted('analytics_storage', 0), true);
  assert.equal(state(undefined, [gtag('consent', 'default', { analytics_storage: 'granted' })]).granted('ad_storage', 0), false);
  const flow = state(
    undefined,
    [gtag('consent', 'default', { analytics_storage: 'denied' })],
    [gtag('consent', 'update', { analytics_storage: 'granted' })],
  );
  assert.equal(flow.granted('analytics_storage', 0), true);
  flow.read(gtag('consent', 'update', { ad_storage: 'granted' }), 0);
  assert.equal(flow.granted('analytics_storage', 0), true, 'an update leaves the types it does not name');
  flow.read(gtag('consent', 'update', { analytics_storage: 'denied' }), 0);
  assert.equal(flow.granted('analytics_storage', 0), false);
  flow.read(gtag('consent', 'default', { analytics_storage: 'granted' }), 0);
  assert.equal(flow.granted('analytics_storage', 0), false, 'a later default does not undo an update');
  for (const value of [true, 'GRANTED', 1, 'yes']) {
    assert.equal(state(undefined, [gtag('consent', 'update', { analytics_storage: value })]).granted('analytics_storage', 0), false, String(value));
  }
});

test('Consent Mode: commands are read as gtag pushes them (or as arrays); other entries are not commands', () => {
  const consentMode = new ConsentModeState(undefined);
  assert.equal(consentMode.read({ event: 'gtm.js' }, 0), false);
  assert.equal(consentMode.read(gtag('config', 'G-1'), 0), false);
  assert.equal(consentMode.read(gtag('consent', 'revoke', { analytics_storage: 'granted' }), 0), false);
  assert.equal(consentMode.read({ 0: 'consent', 1: 'update', 2: { analytics_storage: 'granted' } }, 0), false, 'a plain object is a GTM message');
  assert.equal(consentMode.granted('analytics_storage', 0), false);
  assert.equal(consentMode.read(['consent', 'update', { analytics_storage: 'granted' }], 0), true);
  assert.equal(consentMode.granted('analytics_storage', 0), true);
});

test('Consent Mode: a default grants nothing while its wait_for_update runs and no update came', () => {
  const waiting = state(undefined, [gtag('consent', 'default', { analytics_storage: 'granted', wait_for_update: 500 }), 1000]);
  assert.equal(waiting.waitUntil, 1500);
  assert.equal(waiting.granted('analytics_storage', 1499), false);
  assert.equal(waiting.granted('analytics_storage', 1500), true, 'no update came: the default holds');
  waiting.read(gtag('consent', 'update', { analytics_storage: 'denied' }), 1200);
  assert.equal(waiting.granted('analytics_storage', 1600), false);
  const answered = state(
    undefined,
    [gtag('consent', 'default', { analytics_storage: 'denied', wait_for_update: 500 }), 1000],
    [gtag('consent', 'update', { analytics_storage: 'granted' }), 1100],
  );
  assert.equal(answered.granted('analytics_storage', 1100), true, 'an update ends the wait');
  assert.equal(answered.waitUntil, 0);
});

test('Consent Mode: region-specific defaults, the most specific wins; unknown region, all must grant', () => {
  const commands = [
    [gtag('consent', 'default', { analytics_storage: 'denied' })],
    [gtag('consent', 'default', { analytics_storage: 'granted', region: ['US'] })],
    [gtag('consent', 'default', { analytics_storage: 'denied', region: ['US-CA', 'ES'] })],
  ];
  assert.equal(state(undefined, ...commands).granted('analytics_storage', 0), false);
  assert.equal(state('US-NY', ...commands).granted('analytics_storage', 0), true);
  assert.equal(state('US', ...commands).granted('analytics_storage', 0), true);
  assert.equal(state('US-CA', ...commands).granted('analytics_storage', 0), false, 'the subdivision beats the country');
  assert.equal(state('ES', ...commands).granted('analytics_storage', 0), false);
  assert.equal(state('FR', ...commands).granted('analytics_storage', 0), false, 'the default for every region');
  const regionOnly = [gtag('consent', 'default', { analytics_storage: 'granted', region: ['US'] })];
  assert.equal(state('FR', regionOnly).granted('analytics_storage', 0), false, 'no default for this region');
  assert.equal(state(undefined, regionOnly).granted('analytics_storage', 0), true);
});

test('`consentFrom` options: the mistakes an integrator makes are refused with a way out', () => {
  const refused = (options, pattern) =>
    assert.throws(
      () => PageConsent.from(options),
      (error) => error instanceof TypeError && pattern.test(error.message) && /\n {2}help: /.test(error.message),
    );
  refused({}, /names no consent source/);
  refused(null, /is not an object/);
  refused({ tcf: true, gtag: true }, /has no option `gtag`/);
  refused({ tcf: { categorys: {} } }, /has no option `categorys`/);
  refused({ tcf: { categories: {} } }, /maps no category/);
  refused({ tcf: { categories: { 'session replay': [1] } } }, /not a consent category name/);
  refused({ tcf: { categories: { 'session-replay': [0] } } }, /lists `0`, which is not a TCF purpose/);
  refused({ tcf: { categories: { 'session-replay': '1,8' } } }, /not a list of TCF purposes/);
  refused({ tcf: { categories: { 'session-replay': [] } } }, /not a list of TCF purposes/);
  refused({ tcf: { legitimateInterest: [1] } }, /purpose `1` cannot rest on legitimate interest/);
  refused({ tcf: { vendorId: '755' } }, /not a vendor id/);
  refused({ tcf: { vendorId: 755, publisher: true } }, /both `publisher` and `vendorId`/);
  refused({ tcf: { gdprDoesNotApply: 'allow' } }, /gdprDoesNotApply/);
  refused({ consentMode: { categories: { 'session-replay': ['analytic_storage'] } } }, /`analytic_storage`, which is not a Consent Mode type/);
  refused({ consentMode: { dataLayer: 'data layer' } }, /not a variable name/);
  refused({ consentMode: { region: 'Spain' } }, /not an ISO 3166-2 code/);
  assert.deepEqual([...PageConsent.from({ tcf: true, consentMode: { categories: { support: ['functionality_storage'] } } }).mapped].sort(), [
    'analytics',
    'marketing',
    'personalization',
    'session-replay',
    'support',
  ]);
  assert.equal(consentModeRules({ region: 'us-ca' }).region, 'US-CA');
});

test('merging: the sources decide the categories they map; the integrator\'s consent the others', () => {
  const consent = PageConsent.from({ tcf: { categories: { 'session-replay': [1] } } });
  assert.deepEqual(consent.merge(['session-replay', 'support']), ['support'], 'nothing answered yet: the mapped category is not granted');
});
