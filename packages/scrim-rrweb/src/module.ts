// The WebAssembly masker (crates/wasm) seen from JavaScript: one module
// instance, its two shared buffers, and a call per export. Text goes in as
// UTF-8 written straight into the module's input buffer, answers come back
// from its output buffer; every call that fails (a return of -1, a trap)
// throws, and the recorder above stops for good.

/** Where the compiled module comes from. */
export type WasmSource = string | URL | WebAssembly.Module | ArrayBuffer | Uint8Array;

/** What a session masked and dropped so far. */
export interface Stats {
  eventsIn: number;
  eventsOut: number;
  /** Texts, values, attributes and URLs written masked. */
  masked: number;
  /** Events, or parts of events, dropped, by reason. */
  dropped: {
    pageOff: number;
    malformed: number;
    unknownType: number;
    unknownNode: number;
    unplaceable: number;
    blocked: number;
    eventsIgnored: number;
    mediaMasked: number;
    notKept: number;
  };
}

/** The page decision: whether the page is recorded and the block rules in force. */
export interface PageDecision {
  recording: boolean;
  blockSelectors: string[];
}

/** The recording context: the page URL, the visitor's consent and region. */
export interface Context {
  url: string;
  consent: readonly string[];
  region?: string | null;
}

interface Exports {
  memory: WebAssembly.Memory;
  scrim_input(capacity: number): number;
  scrim_output_ptr(): number;
  scrim_output_len(): number;
  scrim_policy_load(len: number): number;
  scrim_page(policy: number, len: number): number;
  scrim_session_new(policy: number, len: number): number;
  scrim_session_free(session: number): number;
  scrim_session_mask(session: number, len: number): number;
  scrim_session_set_context(session: number, len: number): number;
  scrim_session_block_selectors(session: number): number;
  scrim_session_stats(session: number): number;
}

const compiled = new Map<string, Promise<WebAssembly.Module>>();

/** Compiles the module once per URL; every recorder gets its own instance. */
export function compileModule(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return Promise.resolve(source);
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) {
    return WebAssembly.compile(source as BufferSource);
  }
  const url = String(source);
  let module = compiled.get(url);
  if (!module) {
    module = fetchModule(url);
    compiled.set(url, module);
    // A failed fetch is not cached: a later recorder tries again.
    module.catch(() => compiled.delete(url));
  }
  return module;
}

async function fetchModule(url: string): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load the scrim module from \`${url}\`: HTTP ${response.status}`);
  // Streaming compilation needs the `application/wasm` type; without it,
  // compile from the bytes.
  if (response.headers.get('content-type')?.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One instance of the masker. */
export class Masker {
  private readonly exports: Exports;
  /** The input buffer's address and size: only `scrim_input` moves it. */
  private inputAt = 0;
  private inputCapacity = 0;
  /** A view of the module's memory, made again when the memory grows. */
  private bytes: Uint8Array;

  private constructor(instance: WebAssembly.Instance) {
    this.exports = instance.exports as unknown as Exports;
    this.bytes = new Uint8Array(this.exports.memory.buffer);
  }

  static async instantiate(module: WebAssembly.Module): Promise<Masker> {
    return new Masker(await WebAssembly.instantiate(module, {}));
  }

  private memory(): Uint8Array {
    if (this.bytes.buffer !== this.exports.memory.buffer) this.bytes = new Uint8Array(this.exports.memory.buffer);
    return this.bytes;
  }

  /** Makes the input buffer hold at least `capacity` bytes. */
  private reserve(capacity: number): void {
    if (capacity > this.inputCapacity) {
      // Grown by half again at least, so that events a little larger each
      // time do not move it each time (a move copies what it holds).
      const grown = Math.max(capacity, Math.ceil(this.inputCapacity * 1.5));
      this.inputAt = this.exports.scrim_input(grown);
      this.inputCapacity = grown;
    }
  }

  /** Writes `text` into the input buffer; returns its length in bytes. */
  private write(text: string): number {
    // Room for one byte per UTF-16 code unit, which is exact for ASCII (most
    // of a page); what does not fit then gets the worst case, 3 bytes per
    // unit. The buffer keeps what was written when it grows.
    this.reserve(text.length);
    let at = this.inputAt;
    const first = encoder.encodeInto(text, this.memory().subarray(at, at + text.length));
    if (first.read === text.length) return first.written;
    const rest = text.length - first.read;
    this.reserve(first.written + rest * 3);
    at = this.inputAt + first.written;
    const second = encoder.encodeInto(text.slice(first.read), this.memory().subarray(at, at + rest * 3));
    return first.written + second.written;
  }

  private read(len = this.exports.scrim_output_len()): string {
    const at = this.exports.scrim_output_ptr();
    return decoder.decode(this.memory().subarray(at, at + len));
  }

  /** Loads a compiled policy (its JSON text); throws when it does not load. */
  loadPolicy(artifact: string): number {
    const handle = this.exports.scrim_policy_load(this.write(artifact));
    if (handle < 0) throw new Error(`the policy does not load: ${this.read()}`);
    return handle;
  }

  page(policy: number, context: Context): PageDecision {
    const recording = check(this.exports.scrim_page(policy, this.write(contextLines(context))), 'decide the page');
    return { recording: recording === 1, blockSelectors: JSON.parse(this.read()) as string[] };
  }

  newSession(policy: number, context: Context): number {
    return check(this.exports.scrim_session_new(policy, this.write(contextLines(context))), 'start a session');
  }

  freeSession(session: number): void {
    check(this.exports.scrim_session_free(session), 'end the session');
  }

  /** Masks events (JSON texts, one per line); returns the events written. */
  mask(session: number, events: string): string[] {
    const len = check(this.exports.scrim_session_mask(session, this.write(events)), 'mask an event');
    return len === 0 ? [] : this.read(len).split('\n');
  }

  setContext(session: number, context: Context): void {
    check(this.exports.scrim_session_set_context(session, this.write(contextLines(context))), 'change the context');
  }

  blockSelectors(session: number): string[] {
    check(this.exports.scrim_session_block_selectors(session), 'read the block rules');
    return JSON.parse(this.read()) as string[];
  }

  stats(session: number): Stats {
    check(this.exports.scrim_session_stats(session), 'read the counters');
    return JSON.parse(this.read()) as Stats;
  }
}

function check(result: number, what: string): number {
  if (result < 0) throw new Error(`the scrim module could not ${what}`);
  return result;
}

/** The context as the module reads it: URL, region, then one consent per line. */
function contextLines(context: Context): string {
  const lines = [context.url, context.region ?? '', ...context.consent];
  for (const line of lines) {
    if (typeof line !== 'string' || line.includes('\n')) {
      throw new TypeError(`a URL, region or consent category must be a string without line breaks: \`${String(line)}\``);
    }
  }
  return lines.join('\n');
}
