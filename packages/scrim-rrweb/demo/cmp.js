// Stub consent platforms for the consent end-to-end test (test/consent.test.mjs),
// loaded in the page's head as real ones are. The query string picks them:
//
//   tcf=loaded  an IAB TCF v2.2 CMP (`__tcfapi`) that has no stored choice,
//               so it shows its UI; the test answers for the visitor with
//               `cmp.accept(purposes)` and `cmp.reject()`
//   tcf=never   the CMP's stub is on the page but the CMP never loads: calls
//               are queued and never answered
//   tcf=late    no `__tcfapi` until the test calls `cmp.load()`
//   gtag=denied      Google's snippet with Consent Mode defaults all denied;
//                    the test calls `gtag('consent', 'update', …)`
//   gtag=wait        a default that grants analytics_storage but waits a
//                    minute for the CMP's update (`wait_for_update`)
//   gtag=withdrawn   a default that grants, then an update that denies, both
//                    before the recorder starts
(() => {
  const query = new URLSearchParams(location.search);

  const gtagMode = query.get('gtag');
  if (gtagMode) {
    window.dataLayer = window.dataLayer || [];
    window.gtag = function gtag() {
      window.dataLayer.push(arguments);
    };
    const denied = { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied' };
    if (gtagMode === 'denied') window.gtag('consent', 'default', { ...denied, wait_for_update: 500 });
    if (gtagMode === 'wait') window.gtag('consent', 'default', { ...denied, analytics_storage: 'granted', wait_for_update: 60000 });
    if (gtagMode === 'withdrawn') {
      window.gtag('consent', 'default', { ...denied, analytics_storage: 'granted' });
      window.gtag('consent', 'update', { analytics_storage: 'denied' });
    }
    window.gtag('js', new Date());
    window.gtag('config', 'G-TEST');
  }

  const tcfMode = query.get('tcf');
  if (!tcfMode) return;

  // The CMP, once loaded: TC data for the visitor's choice, handed to
  // every listener at once (as the spec asks) and on every change.
  const listeners = new Map();
  let nextId = 1;
  let current = { eventStatus: 'cmpuishown', consents: [] };
  const tcData = (listenerId) => {
    const bits = (ids) => Object.fromEntries(ids.map((id) => [id, true]));
    return {
      tcString: `stub.${current.consents.join('-')}`,
      tcfPolicyVersion: 4,
      cmpId: 300,
      cmpVersion: 1,
      gdprApplies: true,
      eventStatus: current.eventStatus,
      cmpStatus: 'loaded',
      listenerId,
      isServiceSpecific: true,
      useNonStandardTexts: false,
      publisherCC: 'DE',
      purposeOneTreatment: false,
      purpose: { consents: bits(current.consents), legitimateInterests: bits([2, 7, 8, 9, 10, 11]) },
      vendor: { consents: {}, legitimateInterests: {} },
      specialFeatureOptins: {},
      publisher: { consents: {}, legitimateInterests: {}, customPurpose: { consents: {}, legitimateInterests: {} }, restrictions: {} },
    };
  };
  const tell = () => {
    for (const [id, callback] of listeners) callback(tcData(id), true);
  };
  const loadedApi = (command, version, callback, parameter) => {
    if (version !== 2) return callback(null, false);
    if (command === 'ping') return callback({ gdprApplies: true, cmpLoaded: true, cmpStatus: 'loaded', displayStatus: 'visible', apiVersion: '2.2' });
    if (command === 'addEventListener') {
      const id = nextId++;
      listeners.set(id, callback);
      return callback(tcData(id), true);
    }
    if (command === 'removeEventListener') return callback(listeners.delete(parameter));
    return callback(null, false);
  };

  const queue = [];
  const stubApi = (...args) => {
    if (args[0] === 'ping') return args[2]({ gdprApplies: undefined, cmpLoaded: false, cmpStatus: 'stub', apiVersion: '2.2' });
    queue.push(args);
  };

  window.cmp = {
    /** The visitor accepts these purposes (the others are refused). */
    accept(purposes) {
      current = { eventStatus: 'useractioncomplete', consents: purposes };
      tell();
    },
    /** The visitor refuses, or withdraws, every purpose. */
    reject() {
      current = { eventStatus: 'useractioncomplete', consents: [] };
      tell();
    },
    /** The visitor opens the CMP's UI again: consents read false until they choose. */
    reopen() {
      current = { eventStatus: 'cmpuishown', consents: [] };
      tell();
    },
    /** The CMP loads late: `__tcfapi` appears and takes the calls queued so far. */
    load() {
      window.__tcfapi = loadedApi;
      for (const args of queue.splice(0)) loadedApi(...args);
    },
    listeners: () => listeners.size,
    queued: () => queue.length,
  };

  if (tcfMode === 'loaded') window.__tcfapi = loadedApi;
  if (tcfMode === 'never') window.__tcfapi = stubApi;
})();
