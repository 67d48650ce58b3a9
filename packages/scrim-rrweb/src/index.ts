// scrim-rrweb: records a page with rrweb and masks every event with a
// compiled scrim policy, in WebAssembly, before the integrator's `emit`
// sees it. The page is decided before rrweb runs: a page the policy does
// not record is not even serialized, and the policy's block rules are
// handed to rrweb so blocked content never is. Fail closed: a policy that
// does not load, or a module that fails, means nothing is emitted, ever,
// by that recorder. docs/browser.md describes all of it.

import { record as rrwebRecord } from 'rrweb';
import type { eventWithTime, recordOptions } from 'rrweb';
import { compileModule, Masker } from './module.js';
import type { Context, Stats, WasmSource } from './module.js';
import { PageConsent, sameConsent } from './consent.js';
import type { ConsentFrom } from './consent.js';

export type { Stats, WasmSource } from './module.js';
export type { ConsentFrom, ConsentModeOptions, ConsentType, TcfOptions } from './consent.js';
export { DEFAULT_CONSENT_MODE_CATEGORIES, DEFAULT_TCF_CATEGORIES } from './consent.js';

/** rrweb's `record` (or a function that calls it, for tests). */
export type RecordFunction = ((options: recordOptions<eventWithTime>) => (() => void) | undefined) & {
  takeFullSnapshot(isCheckout?: boolean): void;
};

/** rrweb's options, less those the recorder owns. */
export type RrwebOptions = Omit<recordOptions<eventWithTime>, 'emit' | 'packFn'>;

export interface RecordOptions {
  /** The compiled policy (`scrim compile`): its JSON text, or the parsed object. */
  policy?: string | object;
  /** Where to fetch the compiled policy, instead of `policy`. */
  policyUrl?: string | URL;
  /** The consent categories the visitor granted (with `consentFrom`: those no consent source maps). */
  consent?: readonly string[];
  /** Read consent from the page's consent platforms (IAB TCF v2.2, Google Consent Mode v2) and follow it live. */
  consentFrom?: ConsentFrom;
  /** The visitor's region code, if known. */
  region?: string | null;
  /** Receives every masked event, parsed. */
  emit?: (event: eventWithTime) => void;
  /** Receives every masked event as the masker wrote it (JSON text): no parse. */
  emitJson?: (json: string) => void;
  /** The WebAssembly module: a URL, a compiled module or its bytes. Default: `scrim.wasm` beside this file. */
  wasm?: WasmSource;
  /** Passed to rrweb's `record` (its `blockSelector` is joined to the policy's block rules). */
  rrweb?: RrwebOptions;
  /** rrweb's `record`, by default the one this package imports. */
  record?: RecordFunction;
  /** Told once, when the recorder stops for good because of an error. */
  onError?: (error: unknown) => void;
}

/**
 * - `recording`: rrweb runs, every event is masked.
 * - `off`: the policy does not record this page (or not with this consent): rrweb does not run.
 * - `failed`: the policy did not load or the module failed: nothing is recorded, ever.
 * - `stopped`: `stop()` was called.
 */
export type RecorderState = 'recording' | 'off' | 'failed' | 'stopped';

export interface Recorder {
  readonly state: RecorderState;
  /** Why the recorder failed, when it did. */
  readonly error: unknown;
  /**
   * The visitor's consent (and region) changed: recording stops, or restarts with a fresh full snapshot.
   * With `consentFrom`, `consent` decides only the categories no consent source maps.
   */
  setConsent(consent: readonly string[], region?: string | null): void;
  /** What the masker masked and dropped so far; `null` once failed or stopped. */
  stats(): Stats | null;
  /** Stops recording for good. */
  stop(): void;
}

/**
 * Starts recording the page under a compiled scrim policy. Resolves with
 * a recorder whose `state` says whether it records; it never rejects:
 * a policy or module that cannot be loaded gives a `failed` recorder
 * (and `onError`), which records nothing.
 */
export async function record(options: RecordOptions): Promise<Recorder> {
  const context: Context = {
    url: location.href,
    consent: [...(options.consent ?? [])],
    region: options.region ?? null,
  };
  try {
    if (!options.emit && !options.emitJson) throw new TypeError('`emit` or `emitJson` is required');
    // Consent from the page (src/consent.ts): checked before anything
    // loads; until its sources answer, the categories they map are not granted.
    const pageConsent = options.consentFrom === undefined ? undefined : PageConsent.from(options.consentFrom);
    if (pageConsent) context.consent = pageConsent.merge(context.consent);
    const [module, artifact] = await Promise.all([
      compileModule(options.wasm ?? new URL('./scrim.wasm', import.meta.url)),
      policyText(options),
    ]);
    const masker = await Masker.instantiate(module);
    const policy = masker.loadPolicy(artifact);
    const recorder = new ScrimRecorder(masker, policy, context, options, pageConsent);
    recorder.start();
    return recorder;
  } catch (error) {
    options.onError?.(error);
    return failedRecorder(error);
  }
}

async function policyText(options: RecordOptions): Promise<string> {
  if (options.policyUrl !== undefined) {
    const response = await fetch(options.policyUrl, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`cannot load the policy from \`${String(options.policyUrl)}\`: HTTP ${response.status}`);
    return response.text();
  }
  if (typeof options.policy === 'string') return options.policy;
  if (options.policy !== undefined && options.policy !== null) return JSON.stringify(options.policy);
  throw new TypeError('`policy` or `policyUrl` is required');
}

function failedRecorder(error: unknown): Recorder {
  return {
    state: 'failed',
    error,
    setConsent() {},
    stats: () => null,
    stop() {},
  };
}

class ScrimRecorder implements Recorder {
  state: RecorderState = 'off';
  error: unknown = undefined;
  private readonly session: number;
  private readonly recordFn: RecordFunction;
  private stopRrweb: (() => void) | undefined;
  /** The `blockSelector` the running rrweb was started with. */
  private blockSelector: string | undefined;
  /** The URL last decided: navigation to the same URL changes nothing. */
  private decidedUrl = '';
  /** The consent the integrator gave (`consent`, `setConsent`); with `consentFrom`, for the categories no source maps. */
  private ownConsent: readonly string[];

  constructor(
    private readonly masker: Masker,
    private readonly policy: number,
    private readonly context: Context,
    private readonly options: RecordOptions,
    private readonly pageConsent: PageConsent | undefined,
  ) {
    this.ownConsent = [...(options.consent ?? [])];
    this.session = masker.newSession(policy, context);
    this.recordFn = options.record ?? (rrwebRecord as unknown as RecordFunction);
  }

  start(): void {
    wrapHistory();
    navigation.add(this.onNavigation);
    // In the capture phase, to hear of the new URL before the page's own
    // listeners render the next page.
    addEventListener('popstate', this.onNavigation, true);
    addEventListener('hashchange', this.onNavigation, true);
    this.decide();
    if (this.state !== 'failed') this.pageConsent?.follow(this.onPageConsent);
  }

  /**
   * Decides the current page and (re)starts or stops rrweb. Whenever the
   * page is recorded, a fresh full snapshot follows: rrweb starts with
   * one, or takes one when it already runs with the same block rules.
   */
  private decide(): void {
    this.guard(() => {
      this.context.url = location.href;
      this.decidedUrl = location.href;
      const page = this.masker.page(this.policy, this.context);
      if (!page.recording) {
        this.stopRecording();
        this.state = 'off';
        return;
      }
      const blockSelector = joinSelectors([...page.blockSelectors, this.options.rrweb?.blockSelector]);
      this.state = 'recording';
      if (this.stopRrweb && blockSelector === this.blockSelector) {
        this.recordFn.takeFullSnapshot(true);
        return;
      }
      this.stopRecording();
      this.blockSelector = blockSelector;
      // Events an rrweb instance emits once it is stopped (its throttled
      // mouse moves, say) belong to a recording that is over: dropped.
      let live = true;
      const emit = (event: eventWithTime): void => {
        if (live) this.onEvent(event);
      };
      const rrwebOptions: recordOptions<eventWithTime> = { ...this.options.rrweb, blockSelector, emit };
      delete (rrwebOptions as { packFn?: unknown }).packFn;
      const stop = this.recordFn(rrwebOptions);
      this.stopRrweb = () => {
        live = false;
        stop?.();
      };
    });
  }

  private readonly onEvent = (event: eventWithTime): void => {
    if (this.state !== 'recording') return;
    if (location.href !== this.decidedUrl) {
      // The URL changed and no navigation hook has told us yet (a router
      // that renders before it calls a `pushState` it kept from before the
      // recorder started, a `popstate` listener that ran before ours): the
      // event may show the next page, which the policy has not decided.
      // Dropped; the next page is decided right after this event.
      this.scheduleDecide();
      return;
    }
    let masked: string[];
    try {
      masked = this.masker.mask(this.session, JSON.stringify(event));
    } catch (error) {
      this.fail(error);
      return;
    }
    for (const json of masked) {
      this.options.emitJson?.(json);
      this.options.emit?.(JSON.parse(json) as eventWithTime);
    }
  };

  private decideScheduled = false;

  private scheduleDecide(): void {
    if (this.decideScheduled) return;
    this.decideScheduled = true;
    queueMicrotask(() => {
      this.decideScheduled = false;
      this.onNavigation();
    });
  }

  private readonly onNavigation = (): void => {
    if (this.state === 'failed' || this.state === 'stopped') return;
    if (location.href !== this.decidedUrl) this.decide();
  };

  setConsent(consent: readonly string[], region?: string | null): void {
    if (this.state === 'failed' || this.state === 'stopped') return;
    this.ownConsent = [...consent];
    this.changeContext(this.pageConsent ? this.pageConsent.merge(consent) : [...consent], region);
  }

  /** A consent source of the page answered: a change is applied as `setConsent` applies it. */
  private readonly onPageConsent = (): void => {
    if (this.state === 'failed' || this.state === 'stopped' || !this.pageConsent) return;
    const consent = this.pageConsent.merge(this.ownConsent);
    if (!sameConsent(consent, this.context.consent)) this.changeContext(consent, undefined);
  };

  /** The masker writes nothing until the next full snapshot, which deciding the page again takes when it records. */
  private changeContext(consent: string[], region: string | null | undefined): void {
    this.guard(() => {
      this.context.consent = consent;
      if (region !== undefined) this.context.region = region;
      this.masker.setContext(this.session, this.context);
    });
    this.decide();
  }

  stats(): Stats | null {
    if (this.state === 'failed' || this.state === 'stopped') return null;
    let stats: Stats | null = null;
    this.guard(() => {
      stats = this.masker.stats(this.session);
    });
    return stats;
  }

  stop(): void {
    if (this.state === 'stopped') return;
    const failed = this.state === 'failed';
    this.state = 'stopped';
    this.detach();
    if (!failed) {
      try {
        this.masker.freeSession(this.session);
      } catch {
        // The instance goes with the recorder.
      }
    }
  }

  private stopRecording(): void {
    const stop = this.stopRrweb;
    this.stopRrweb = undefined;
    this.blockSelector = undefined;
    stop?.();
  }

  private detach(): void {
    this.pageConsent?.stop();
    navigation.delete(this.onNavigation);
    removeEventListener('popstate', this.onNavigation, true);
    removeEventListener('hashchange', this.onNavigation, true);
    try {
      this.stopRecording();
    } catch {
      // Nothing more can be emitted: `state` is no longer `recording`.
    }
  }

  /** Runs `f`; any error stops the recorder for good. */
  private guard(f: () => void): void {
    if (this.state === 'failed' || this.state === 'stopped') return;
    try {
      f();
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    if (this.state === 'failed' || this.state === 'stopped') return;
    this.state = 'failed';
    this.error = error;
    this.detach();
    this.options.onError?.(error);
  }
}

/**
 * The policy's block rules that this browser can match, joined for
 * rrweb's `blockSelector`. A rule the browser cannot parse is left to the
 * masker, which blocks it all the same (rrweb would throw on it).
 */
function joinSelectors(selectors: (string | undefined)[]): string | undefined {
  const probe = document.createDocumentFragment();
  const usable = selectors.filter((selector): selector is string => {
    if (!selector) return false;
    try {
      probe.querySelector(selector);
      return true;
    } catch {
      return false;
    }
  });
  return usable.length > 0 ? usable.join(', ') : undefined;
}

/**
 * `history.pushState` and `replaceState` fire no event: they are wrapped
 * once, for every recorder, to tell the recorders after the URL changed.
 */
const navigation = new Set<() => void>();
let historyWrapped = false;

function wrapHistory(): void {
  if (historyWrapped) return;
  historyWrapped = true;
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name];
    history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      for (const listener of [...navigation]) listener();
      return result;
    };
  }
}
