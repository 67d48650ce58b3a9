// What the end-to-end test and the benchmark drive from Playwright: starts
// the package's recorder with an injected rrweb `record` that keeps a copy
// of every raw (unmasked) event, so that the test can mask the same stream
// natively and compare.
import * as rrweb from 'rrweb';
import { record } from '/dist/index.js';

const harness = {
  raw: [],
  masked: [],
  errors: [],
  recorder: null,
  /** Starts recording; resolves with the recorder's state. */
  async start({ consent = ['session-replay'], policyUrl = '/policy.json', policy, wasm, consentFrom } = {}) {
    const raw = this.raw;
    // What rrweb emits while it runs. Once the recorder stops an rrweb
    // instance, what that instance still emits (a throttled mouse move) is
    // not recorded: the package drops it too.
    const tee = Object.assign(
      (options) => {
        let live = true;
        const stop = rrweb.record({
          ...options,
          emit(event, checkout) {
            if (live) raw.push(JSON.stringify(event));
            options.emit(event, checkout);
          },
        });
        return () => {
          live = false;
          stop?.();
        };
      },
      { takeFullSnapshot: rrweb.record.takeFullSnapshot },
    );
    this.recorder = await record({
      policyUrl: policy === undefined ? policyUrl : undefined,
      policy,
      wasm,
      consent,
      consentFrom,
      record: tee,
      emitJson: (json) => this.masked.push(json),
      onError: (error) => this.errors.push(String(error)),
    });
    return this.recorder.state;
  },
};
window.harness = harness;
