// Consent from the page: reads the visitor's choices from the consent
// platforms a site already runs (IAB TCF v2.2 through the CMP's `__tcfapi`,
// Google Consent Mode v2 through the gtag data layer), maps them to the
// policy's consent categories, and tells the recorder whenever they change.
// Fail closed: a source that has not answered grants nothing, and a
// category is granted only when every configured source that maps it
// grants it. docs/browser.md#consent-from-the-page has the rules.

/** Where `record()` reads consent from, when the integrator asks for it (`consentFrom`). */
export interface ConsentFrom {
  /** IAB TCF v2.2, through the CMP's `__tcfapi`. `true`: the default mapping. */
  tcf?: TcfOptions | true;
  /** Google Consent Mode v2, read from the gtag data layer. `true`: the default mapping. */
  consentMode?: ConsentModeOptions | true;
}

export interface TcfOptions {
  /**
   * Each policy consent category and the TCF purposes it needs: the
   * category is granted when every one of them is. Replaces the default
   * mapping (`DEFAULT_TCF_CATEGORIES`) as a whole.
   */
  categories?: Readonly<Record<string, readonly number[]>>;
  /** Purposes for which an established legitimate interest counts as well as consent (default: none). */
  legitimateInterest?: readonly number[];
  /**
   * The recording vendor's Global Vendor List id, when the replay service
   * is a registered vendor: its own consent (or legitimate interest) is
   * needed too, and the publisher's restrictions for it apply.
   */
  vendorId?: number;
  /** Read the publisher's own purposes (`publisher.consents`) instead of the vendors' (`purpose.consents`). */
  publisher?: boolean;
  /** What the CMP saying that GDPR does not apply means: `deny` (default) grants nothing, `grant` grants every mapped category. */
  gdprDoesNotApply?: 'deny' | 'grant';
}

/** The consent types of Google Consent Mode v2. */
export type ConsentType =
  | 'ad_storage'
  | 'ad_user_data'
  | 'ad_personalization'
  | 'analytics_storage'
  | 'functionality_storage'
  | 'personalization_storage'
  | 'security_storage';

export interface ConsentModeOptions {
  /**
   * Each policy consent category and the consent types it needs: the
   * category is granted when every one of them is `granted`. Replaces the
   * default mapping (`DEFAULT_CONSENT_MODE_CATEGORIES`) as a whole.
   */
  categories?: Readonly<Record<string, readonly ConsentType[]>>;
  /** The global array gtag writes to (default `dataLayer`; gtag.js's `l=` parameter renames it). */
  dataLayer?: string;
  /**
   * The visitor's ISO 3166-2 region (`ES`, `US-CA`), to choose among
   * region-specific defaults as Google does. Unknown (the default): every
   * default counts, and a type is granted by default only if all of them
   * grant it.
   */
  region?: string;
}

/**
 * The TCF purposes (v2.2 numbering) each category needs by default:
 * 1 store and/or access information on a device, 2 use limited data to
 * select advertising, 3–4 create and use profiles for personalised
 * advertising, 5–6 create and use profiles to personalise content,
 * 7 measure advertising performance, 8 measure content performance,
 * 9 understand audiences through statistics, 10 develop and improve
 * services.
 */
export const DEFAULT_TCF_CATEGORIES: Readonly<Record<string, readonly number[]>> = Object.freeze({
  'session-replay': Object.freeze([1, 8, 10]),
  analytics: Object.freeze([1, 8, 9]),
  marketing: Object.freeze([1, 2, 3, 4, 7]),
  personalization: Object.freeze([1, 5, 6]),
});

/** The Consent Mode types each category needs by default. */
export const DEFAULT_CONSENT_MODE_CATEGORIES: Readonly<Record<string, readonly ConsentType[]>> = Object.freeze({
  'session-replay': Object.freeze(['analytics_storage'] as const),
  analytics: Object.freeze(['analytics_storage'] as const),
  marketing: Object.freeze(['ad_storage', 'ad_user_data', 'ad_personalization'] as const),
  personalization: Object.freeze(['personalization_storage'] as const),
});

const CONSENT_TYPES: readonly string[] = [
  'ad_storage',
  'ad_user_data',
  'ad_personalization',
  'analytics_storage',
  'functionality_storage',
  'personalization_storage',
  'security_storage',
];

/** TCF v2.2 policy: these purposes can only rest on consent, never on legitimate interest. */
const CONSENT_ONLY_PURPOSES: readonly number[] = [1, 3, 4, 5, 6];

/** How often to look for a `__tcfapi` that was not on the page when recording started. */
const TCF_LOOKUP_INTERVAL_MS = 250;

/** The consent of one source, kept up to date once `start` is called. */
interface Source {
  /** The categories the source decides. */
  readonly categories: ReadonlySet<string>;
  /** The categories it grants now (none until it has answered). */
  readonly granted: ReadonlySet<string>;
  start(onChange: () => void): void;
  stop(): void;
}

/**
 * The consent sources a recorder follows. Categories a source maps are
 * decided by the sources alone; the integrator's own `consent` (and
 * `setConsent`) still decides the categories no source maps.
 */
export class PageConsent {
  /** Every category some source decides. */
  readonly mapped: ReadonlySet<string>;

  private constructor(private readonly sources: readonly Source[]) {
    this.mapped = new Set(sources.flatMap((source) => [...source.categories]));
  }

  /** Checks the options (throwing a `TypeError` that says what to fix) and builds the sources. */
  static from(options: ConsentFrom): PageConsent {
    if (typeof options !== 'object' || options === null) {
      throw configError('`consentFrom` is not an object', 'write `consentFrom: { tcf: true }`, `{ consentMode: true }` or both');
    }
    checkKeys('consentFrom', options, ['tcf', 'consentMode']);
    const sources: Source[] = [];
    if (options.tcf !== undefined) sources.push(new TcfSource(tcfRules(options.tcf)));
    if (options.consentMode !== undefined) sources.push(new ConsentModeSource(consentModeRules(options.consentMode)));
    if (sources.length === 0) {
      throw configError('`consentFrom` names no consent source', 'give `tcf`, `consentMode` or both (`true` for the default mapping)');
    }
    return new PageConsent(sources);
  }

  /** The consent in force: `own` for the categories no source maps, and the mapped categories every source that maps them grants. */
  merge(own: readonly string[]): string[] {
    const consent = own.filter((category) => !this.mapped.has(category));
    for (const category of this.mapped) {
      const deciding = this.sources.filter((source) => source.categories.has(category));
      if (deciding.every((source) => source.granted.has(category))) consent.push(category);
    }
    return consent;
  }

  /** Starts following every source; `onChange` is called whenever one of them answers. */
  follow(onChange: () => void): void {
    for (const source of this.sources) source.start(onChange);
  }

  stop(): void {
    for (const source of this.sources) source.stop();
  }
}

/** Whether two consent lists grant the same categories. */
export function sameConsent(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((category) => right.has(category));
}

// ---------------------------------------------------------------------------
// Options

const CATEGORY_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function configError(message: string, help: string): TypeError {
  return new TypeError(`${message}\n  help: ${help}`);
}

function checkKeys(where: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw configError(`\`${where}\` has no option \`${key}\``, `the options are ${known.map((name) => `\`${name}\``).join(', ')}`);
    }
  }
}

function checkCategoryNames(where: string, categories: object): void {
  if (typeof categories !== 'object' || categories === null || Array.isArray(categories)) {
    throw configError(`\`${where}\` is not an object`, 'map each policy consent category to what it needs, e.g. `{ "session-replay": … }`');
  }
  const names = Object.keys(categories);
  if (names.length === 0) throw configError(`\`${where}\` maps no category`, 'map at least one policy consent category');
  for (const name of names) {
    if (!CATEGORY_NAME.test(name)) {
      throw configError(
        `\`${name}\` in \`${where}\` is not a consent category name`,
        'category names are made of letters, digits, `_` and `-`, starting with a letter or `_`, as in the policy',
      );
    }
  }
}

function isPurpose(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function purposeList(where: string, value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw configError(`\`${where}\` is not a list of TCF purposes`, 'give purpose numbers, e.g. `[1, 8, 10]`');
  }
  for (const purpose of value) {
    if (!isPurpose(purpose)) {
      throw configError(
        `\`${where}\` lists \`${String(purpose)}\`, which is not a TCF purpose`,
        'purposes are whole numbers from 1 (TCF v2.2 has 1 to 11)',
      );
    }
  }
  return [...(value as number[])];
}

/** The TCF options, checked, with defaults filled in. */
export interface TcfRules {
  categories: ReadonlyMap<string, readonly number[]>;
  legitimateInterest: ReadonlySet<number>;
  vendorId: number | undefined;
  publisher: boolean;
  gdprDoesNotApply: 'deny' | 'grant';
}

export function tcfRules(options: TcfOptions | true): TcfRules {
  const given: TcfOptions = options === true ? {} : options;
  if (typeof given !== 'object' || given === null) {
    throw configError('`consentFrom.tcf` is not an object', 'write `tcf: true` for the default mapping, or `tcf: { categories: … }`');
  }
  checkKeys('consentFrom.tcf', given, ['categories', 'legitimateInterest', 'vendorId', 'publisher', 'gdprDoesNotApply']);
  const categories = new Map<string, readonly number[]>();
  const mapping = given.categories ?? DEFAULT_TCF_CATEGORIES;
  checkCategoryNames('consentFrom.tcf.categories', mapping);
  for (const [category, purposes] of Object.entries(mapping)) {
    categories.set(category, purposeList(`consentFrom.tcf.categories.${category}`, purposes));
  }
  const legitimateInterest =
    given.legitimateInterest === undefined ? [] : purposeList('consentFrom.tcf.legitimateInterest', given.legitimateInterest);
  for (const purpose of legitimateInterest) {
    if (CONSENT_ONLY_PURPOSES.includes(purpose)) {
      throw configError(
        `TCF purpose \`${purpose}\` cannot rest on legitimate interest`,
        `the TCF allows only consent for purposes ${CONSENT_ONLY_PURPOSES.join(', ')}: leave it out of \`legitimateInterest\``,
      );
    }
  }
  if (given.vendorId !== undefined && !isPurpose(given.vendorId)) {
    throw configError(
      `\`consentFrom.tcf.vendorId\` is \`${String(given.vendorId)}\`, not a vendor id`,
      'give the vendor\'s Global Vendor List id, a whole number from 1',
    );
  }
  if (given.publisher !== undefined && typeof given.publisher !== 'boolean') {
    throw configError('`consentFrom.tcf.publisher` is not `true` or `false`', 'write `publisher: true` to read the publisher\'s own purposes');
  }
  if (given.publisher === true && given.vendorId !== undefined) {
    throw configError(
      '`consentFrom.tcf` has both `publisher` and `vendorId`',
      'the publisher\'s own purposes (`publisher`) are for a first-party recorder; a registered vendor (`vendorId`) reads the vendors\' purposes',
    );
  }
  const gdprDoesNotApply = given.gdprDoesNotApply ?? 'deny';
  if (gdprDoesNotApply !== 'deny' && gdprDoesNotApply !== 'grant') {
    throw configError(`\`consentFrom.tcf.gdprDoesNotApply\` is \`${String(gdprDoesNotApply)}\``, 'write `deny` (the default) or `grant`');
  }
  return {
    categories,
    legitimateInterest: new Set(legitimateInterest),
    vendorId: given.vendorId,
    publisher: given.publisher === true,
    gdprDoesNotApply,
  };
}

/** The Consent Mode options, checked, with defaults filled in. */
export interface ConsentModeRules {
  categories: ReadonlyMap<string, readonly string[]>;
  dataLayer: string;
  region: string | undefined;
}

export function consentModeRules(options: ConsentModeOptions | true): ConsentModeRules {
  const given: ConsentModeOptions = options === true ? {} : options;
  if (typeof given !== 'object' || given === null) {
    throw configError(
      '`consentFrom.consentMode` is not an object',
      'write `consentMode: true` for the default mapping, or `consentMode: { categories: … }`',
    );
  }
  checkKeys('consentFrom.consentMode', given, ['categories', 'dataLayer', 'region']);
  const categories = new Map<string, readonly string[]>();
  const mapping = given.categories ?? DEFAULT_CONSENT_MODE_CATEGORIES;
  checkCategoryNames('consentFrom.consentMode.categories', mapping);
  for (const [category, types] of Object.entries(mapping)) {
    const where = `consentFrom.consentMode.categories.${category}`;
    if (!Array.isArray(types) || types.length === 0) {
      throw configError(`\`${where}\` is not a list of consent types`, 'give Consent Mode types, e.g. `["analytics_storage"]`');
    }
    for (const type of types) {
      if (!CONSENT_TYPES.includes(type)) {
        throw configError(
          `\`${where}\` lists \`${String(type)}\`, which is not a Consent Mode type`,
          `the types are ${CONSENT_TYPES.map((name) => `\`${name}\``).join(', ')}`,
        );
      }
    }
    categories.set(category, [...types]);
  }
  const dataLayer = given.dataLayer ?? 'dataLayer';
  if (typeof dataLayer !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(dataLayer)) {
    throw configError(
      `\`consentFrom.consentMode.dataLayer\` is \`${String(dataLayer)}\`, not a variable name`,
      'give the name gtag.js pushes to (`dataLayer` unless its `l=` parameter says otherwise)',
    );
  }
  const region = given.region;
  if (region !== undefined && (typeof region !== 'string' || !/^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/.test(region))) {
    throw configError(
      `\`consentFrom.consentMode.region\` is \`${String(region)}\`, not an ISO 3166-2 code`,
      'give a country (`ES`) or a subdivision (`US-CA`), or leave it out',
    );
  }
  return { categories, dataLayer, region: region?.toUpperCase() };
}

// ---------------------------------------------------------------------------
// IAB TCF v2.2

/** `value[key]`, for data from the page that may be anything. */
function field(value: unknown, key: string | number): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string | number, unknown>)[key] : undefined;
}

/** The events whose TC data is the visitor's choice in force (`cmpuishown`: the UI is up, consents are false unless kept from before). */
const TC_EVENTS = ['tcloaded', 'useractioncomplete', 'cmpuishown'];

/**
 * The categories a CMP's answer grants. Only `true` counts (the spec:
 * "false | undefined - No Consent"); an answer that failed, is pending
 * (`gdprApplies` unknown), comes from a CMP in error or from no known
 * event grants nothing.
 */
export function tcfGrants(rules: TcfRules, tcData: unknown, success: boolean): Set<string> {
  const granted = new Set<string>();
  try {
    if (success !== true || field(tcData, 'cmpStatus') === 'error') return granted;
    const gdprApplies = field(tcData, 'gdprApplies');
    if (gdprApplies === false) return rules.gdprDoesNotApply === 'grant' ? new Set(rules.categories.keys()) : granted;
    if (gdprApplies !== true || !TC_EVENTS.includes(field(tcData, 'eventStatus') as string)) return granted;
    for (const [category, purposes] of rules.categories) {
      if (purposes.every((purpose) => tcfPurposeAllowed(rules, tcData, purpose))) granted.add(category);
    }
    return granted;
  } catch {
    // A getter on the page's object that throws: nothing is granted.
    return new Set();
  }
}

function tcfPurposeAllowed(rules: TcfRules, tcData: unknown, purpose: number): boolean {
  const signals = field(tcData, rules.publisher ? 'publisher' : 'purpose');
  const vendor = field(tcData, 'vendor');
  // Publisher restrictions for the vendor: 0 not allowed, 1 consent only, 2 legitimate interest only.
  const vendorId = rules.vendorId;
  const restriction = vendorId === undefined ? undefined : field(field(field(field(tcData, 'publisher'), 'restrictions'), purpose), vendorId);
  const vendorAllows = (basis: 'consents' | 'legitimateInterests', refused: number): boolean =>
    vendorId === undefined || (field(field(vendor, basis), vendorId) === true && restriction !== 0 && restriction !== refused);
  const byConsent = field(field(signals, 'consents'), purpose) === true && vendorAllows('consents', 2);
  const byLegitimateInterest =
    rules.legitimateInterest.has(purpose) && field(field(signals, 'legitimateInterests'), purpose) === true && vendorAllows('legitimateInterests', 1);
  return byConsent || byLegitimateInterest;
}

type TcfApi = (command: string, version: number, callback: (...args: unknown[]) => void, parameter?: unknown) => void;

/**
 * Follows the CMP with `__tcfapi('addEventListener', 2, …)`, whose
 * callback the CMP calls at once and on every change. A page without
 * `__tcfapi` yet is looked at again until one appears: until then, and
 * until the CMP answers, nothing is granted.
 */
class TcfSource implements Source {
  readonly categories: ReadonlySet<string>;
  granted: ReadonlySet<string> = new Set();
  private onChange: () => void = () => {};
  private lookup: ReturnType<typeof setInterval> | undefined;
  private listenerId: unknown = undefined;
  private stopped = false;

  constructor(private readonly rules: TcfRules) {
    this.categories = new Set(rules.categories.keys());
  }

  start(onChange: () => void): void {
    this.onChange = onChange;
    if (this.register()) return;
    this.lookup = setInterval(() => {
      if (this.register()) clearInterval(this.lookup);
    }, TCF_LOOKUP_INTERVAL_MS);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.lookup);
    this.granted = new Set();
    this.removeListener();
  }

  /** Registers with `__tcfapi` when the page has one. */
  private register(): boolean {
    const api = tcfApi();
    if (!api) return false;
    try {
      api('addEventListener', 2, this.listener);
    } catch {
      // A CMP that throws never answers: nothing is granted.
    }
    return true;
  }

  private readonly listener = (tcData: unknown, success: unknown): void => {
    try {
      const id = field(tcData, 'listenerId');
      if (id !== undefined && id !== null) this.listenerId = id;
    } catch {
      // No id to remove the listener with: it is ignored once stopped.
    }
    if (this.stopped) {
      // The answer to a registration the CMP took up after the recorder stopped.
      this.removeListener();
      return;
    }
    this.granted = tcfGrants(this.rules, tcData, success === true);
    this.onChange();
  };

  private removeListener(): void {
    const api = tcfApi();
    if (!api || this.listenerId === undefined) return;
    const id = this.listenerId;
    this.listenerId = undefined;
    try {
      api('removeEventListener', 2, () => {}, id);
    } catch {
      // The listener is ignored once stopped anyway.
    }
  }
}

function tcfApi(): TcfApi | undefined {
  const api = (window as unknown as { __tcfapi?: unknown }).__tcfapi;
  return typeof api === 'function' ? (api as TcfApi) : undefined;
}

// ---------------------------------------------------------------------------
// Google Consent Mode v2

/** A `gtag('consent', 'default' | 'update', {…})` command as read from the data layer. */
interface ConsentCommand {
  kind: 'default' | 'update';
  /** Each consent type the command sets: `true` only for `'granted'`. */
  values: Map<string, boolean>;
  regions: string[] | undefined;
  waitForUpdate: number;
}

/**
 * The consent command in a data-layer entry: the `arguments` object gtag
 * pushes (or an array of the same items): `'consent'`, `'default'` or
 * `'update'`, and the settings.
 */
function consentCommand(entry: unknown): ConsentCommand | undefined {
  const isArguments = Object.prototype.toString.call(entry) === '[object Arguments]';
  if (!isArguments && !Array.isArray(entry)) return undefined;
  const items = entry as ArrayLike<unknown>;
  const kind = items[1];
  const settings = items[2];
  if (items[0] !== 'consent' || (kind !== 'default' && kind !== 'update')) return undefined;
  if (typeof settings !== 'object' || settings === null) return undefined;
  const values = new Map<string, boolean>();
  for (const type of CONSENT_TYPES) {
    const value = (settings as Record<string, unknown>)[type];
    // Anything but 'granted' denies.
    if (value !== undefined) values.set(type, value === 'granted');
  }
  const region = field(settings, 'region');
  const regions = typeof region === 'string' ? [region] : Array.isArray(region) ? region.filter((code) => typeof code === 'string') : undefined;
  const wait = Number(field(settings, 'wait_for_update'));
  return {
    kind,
    values,
    regions: regions?.map((code: string) => code.toUpperCase()),
    waitForUpdate: Number.isFinite(wait) && wait > 0 ? wait : 0,
  };
}

/**
 * The consent state the data layer's consent commands describe, the way
 * Google's tags read them, but failing closed: a type no command sets is
 * denied; `update`s win over `default`s; among `default`s, the most
 * specific region that matches the visitor wins (all of them when the
 * region is unknown, granted only if all grant); and no default grants
 * while a `wait_for_update` is running and no update has come.
 */
export class ConsentModeState {
  private readonly defaults: ConsentCommand[] = [];
  private readonly updates = new Map<string, boolean>();
  private updated = false;
  /** When the longest `wait_for_update` ends (ms since the epoch); 0 when none runs. */
  waitUntil = 0;

  constructor(private readonly region: string | undefined) {}

  /** Reads one data-layer entry at `now`; tells whether it was a consent command. */
  read(entry: unknown, now: number): boolean {
    const command = consentCommand(entry);
    if (!command) return false;
    if (command.kind === 'update') {
      this.updated = true;
      this.waitUntil = 0;
      for (const [type, granted] of command.values) this.updates.set(type, granted);
      return true;
    }
    this.defaults.push(command);
    if (!this.updated && command.waitForUpdate > 0) this.waitUntil = Math.max(this.waitUntil, now + command.waitForUpdate);
    return true;
  }

  granted(type: string, now: number): boolean {
    const update = this.updates.get(type);
    if (update !== undefined) return update;
    if (now < this.waitUntil) return false;
    let best = -1;
    let verdicts: boolean[] = [];
    for (const command of this.defaults) {
      const value = command.values.get(type);
      if (value === undefined) continue;
      const specificity = this.specificity(command.regions);
      if (specificity < 0 || specificity < best) continue;
      if (specificity > best) verdicts = [];
      best = specificity;
      verdicts.push(value);
    }
    return verdicts.length > 0 && verdicts.every((value) => value);
  }

  /**
   * How specifically a default's regions match the visitor: -1 not at all,
   * 0 a default for every region, 1 the country, 2 the subdivision. With
   * the region unknown every default matches alike.
   */
  private specificity(regions: string[] | undefined): number {
    if (regions === undefined || this.region === undefined) return 0;
    let best = -1;
    for (const code of regions) {
      if (code === this.region || this.region.startsWith(`${code}-`)) best = Math.max(best, code.includes('-') ? 2 : 1);
    }
    return best;
  }
}

/**
 * Follows the data layer: the entries already there, then every push (see
 * `watchDataLayer`). A new array assigned to the data layer starts over
 * from its own entries.
 */
class ConsentModeSource implements Source {
  readonly categories: ReadonlySet<string>;
  granted: ReadonlySet<string> = new Set();
  private state: ConsentModeState;
  private onChange: (() => void) | undefined;
  private unwatch: (() => void) | undefined;
  private waitTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly rules: ConsentModeRules) {
    this.categories = new Set(rules.categories.keys());
    this.state = new ConsentModeState(rules.region);
  }

  start(onChange: () => void): void {
    this.unwatch = watchDataLayer(this.rules.dataLayer, {
      push: (entries) => {
        const now = Date.now();
        let changed = false;
        for (const entry of entries) changed = this.state.read(entry, now) || changed;
        if (changed) this.refresh();
      },
      replace: (entries) => {
        this.state = new ConsentModeState(this.rules.region);
        const now = Date.now();
        for (const entry of entries) this.state.read(entry, now);
        this.refresh();
      },
    });
    // The entries already there were read as one: no category was granted
    // on the way by a default that a later update withdraws.
    this.onChange = onChange;
    this.refresh();
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    this.onChange = undefined;
    clearTimeout(this.waitTimer);
    this.granted = new Set();
  }

  private refresh(): void {
    const now = Date.now();
    const granted = new Set<string>();
    for (const [category, types] of this.rules.categories) {
      if (types.every((type) => this.state.granted(type, now))) granted.add(category);
    }
    this.granted = granted;
    clearTimeout(this.waitTimer);
    if (this.state.waitUntil > now) this.waitTimer = setTimeout(() => this.refresh(), this.state.waitUntil - now);
    this.onChange?.();
  }
}

interface DataLayerListener {
  /** Entries pushed to the data layer, in one `push` call. */
  push(entries: readonly unknown[]): void;
  /** The data layer is (now) this array: read it from the start. */
  replace(entries: readonly unknown[]): void;
}

interface DataLayer {
  array: unknown[] | undefined;
  listeners: Set<DataLayerListener>;
}

/** The data layers followed, by global name; each is set up once per page, for every recorder. */
const dataLayers = new Map<string, DataLayer>();
const wrappedArrays = new WeakSet<unknown[]>();

/**
 * Follows the global array `name`: `listener.replace` at once with its
 * entries, then `push` for every entry pushed. The array's `push` is
 * wrapped (Google Tag Manager wraps it the same way, and calls the
 * wrapper it finds), and the global is made an accessor so that a page
 * that assigns a new array is followed too. A data layer that is not an
 * array grants nothing.
 */
function watchDataLayer(name: string, listener: DataLayerListener): () => void {
  let layer = dataLayers.get(name);
  if (!layer) {
    layer = installDataLayer(name);
    dataLayers.set(name, layer);
  }
  const watched = layer;
  watched.listeners.add(listener);
  tell(watched, listener, 'replace', watched.array ? [...watched.array] : []);
  return () => watched.listeners.delete(listener);
}

function installDataLayer(name: string): DataLayer {
  const global = window as unknown as Record<string, unknown>;
  const layer: DataLayer = { array: undefined, listeners: new Set() };
  // As gtag's own snippet does (`window.dataLayer = window.dataLayer || []`).
  if (global[name] === undefined) global[name] = [];
  let current = global[name];
  const adopt = (value: unknown): void => {
    layer.array = Array.isArray(value) ? value : undefined;
    if (layer.array) wrapPush(layer.array, layer);
  };
  adopt(current);
  try {
    Object.defineProperty(window, name, {
      configurable: true,
      enumerable: true,
      get: () => current,
      set: (value: unknown) => {
        if (value === current) return;
        current = value;
        adopt(value);
        const entries = layer.array ? [...layer.array] : [];
        for (const listener of [...layer.listeners]) tell(layer, listener, 'replace', entries);
      },
    });
  } catch {
    // A global the page declared with `var` cannot be redefined: a new
    // array assigned to it later is not followed (docs/browser.md).
  }
  return layer;
}

function wrapPush(array: unknown[], layer: DataLayer): void {
  if (wrappedArrays.has(array)) return;
  wrappedArrays.add(array);
  const push = array.push;
  array.push = function (this: unknown[], ...entries: unknown[]): number {
    const length = push.apply(this, entries);
    if (this === layer.array) for (const listener of [...layer.listeners]) tell(layer, listener, 'push', entries);
    return length;
  };
}

/** Calls the listener; an entry it cannot read (a getter that throws) starts it over with nothing granted. */
function tell(layer: DataLayer, listener: DataLayerListener, what: 'push' | 'replace', entries: readonly unknown[]): void {
  try {
    listener[what](entries);
  } catch {
    if (layer.listeners.has(listener)) listener.replace([]);
  }
}
