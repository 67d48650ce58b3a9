// The in-page half of bench.mjs: builds pages, records them three ways,
// and times full snapshots, bursts of inserted elements, and the module's
// per-event cost.
import * as rrweb from 'rrweb';
import { record } from '/dist/index.js';
import { compileModule, Masker } from '/dist/module.js';

const WORDS = ['order', 'shipping', 'account', 'total', 'update', 'review', 'delivery', 'status', 'invoice', 'support', 'jane.roe@example.com', 'details'];
let seed = 1;
const random = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const sentence = (n) => Array.from({ length: n }, () => WORDS[random(WORDS.length)]).join(' ');

/** A realistic block of `size` elements: sections of cards, lists, forms and links. */
function build(size) {
  const root = document.createElement('div');
  let count = 1;
  let field = 0;
  const add = (parent, tag, cls, text) => {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    parent.append(el);
    count++;
    return el;
  };
  while (count < size) {
    const section = add(root, 'section', `c${random(2000)} section`);
    add(section, 'h2', `c${random(2000)}`, sentence(3));
    const list = add(section, 'ul', `c${random(2000)}`);
    for (let i = 0; i < 8 && count < size; i++) {
      const item = add(list, 'li', `c${random(2000)} item`);
      add(item, 'span', `c${random(2000)}`, sentence(4));
      const link = add(item, 'a', `c${random(2000)}`, sentence(2));
      link.href = `/orders/${random(100000)}?ref=list`;
    }
    const form = add(section, 'form', `c${random(2000)}`);
    for (let i = 0; i < 3 && count < size; i++) {
      add(form, 'label', `c${random(2000)}`, sentence(2));
      const input = add(form, 'input', `c${random(2000)}`);
      input.id = `field-${field++ % 1000}`;
      input.value = sentence(2);
    }
    const card = add(section, 'div', `c${random(2000)} card`);
    for (let i = 0; i < 4 && count < size; i++) add(card, 'p', `c${random(2000)}`, sentence(10));
  }
  return root;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const nextTask = () => new Promise((done) => setTimeout(done, 0));
// Each timed section starts from a collected heap (Chromium runs with
// `--expose-gc`), so that no recorder pays for another's garbage.
const collect = () => window.gc?.();

/** A recorder of each kind: start, take a snapshot, and stop. */
async function recorders(selectors, module, policy) {
  let resolveEmit = null;
  const sink = (length) => {
    window.sinkBytes = (window.sinkBytes ?? 0) + length;
    resolveEmit?.();
  };
  const plain = (options) => ({
    start() {
      this.stop = rrweb.record({ ...options, emit: (event) => sink(JSON.stringify(event).length) });
    },
    end() {
      this.stop();
    },
  });
  return {
    waitEmit: () => new Promise((done) => (resolveEmit = done)),
    kinds: {
      none: plain({}),
      scrim: {
        async start() {
          this.recorder = await record({ policy, wasm: module, emitJson: (json) => sink(json.length) });
          if (this.recorder.state !== 'recording') throw new Error(`scrim-rrweb: ${this.recorder.state} ${this.recorder.error}`);
        },
        end() {
          this.recorder.stop();
        },
      },
      masks: plain({ maskTextSelector: selectors.join(', ') }),
    },
  };
}

/** Median, least and greatest of the ratios `a[i] / b[i]` of the same rounds. */
function pairedRatio(a, b) {
  const ratios = a.map((x, i) => x / b[i]).sort((x, y) => x - y);
  return { median: median(ratios), min: ratios[0], max: ratios[ratios.length - 1] };
}

window.bench = {
  /**
   * Full snapshots of a page of `size` elements, and (for 10k) bursts of
   * 10k inserted elements, with each kind of recorder in turn, `repeats`
   * rounds. The order of the kinds rotates from round to round.
   */
  async run(size, selectors, repeats) {
    const module = await compileModule('/dist/scrim.wasm');
    const policy = await (await fetch('/policy.json')).text();
    const root = document.getElementById('root');
    root.replaceChildren(build(size));
    const { kinds, waitEmit } = await recorders(selectors, module, policy);
    const names = Object.keys(kinds);
    const times = { snapshot: { none: [], scrim: [], masks: [] }, burst: { none: [], scrim: [], masks: [] } };
    for (let round = 0; round < repeats; round++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(k + round) % names.length];
        const kind = kinds[name];
        await kind.start();
        await nextTask();
        collect();
        // What rrweb does at start and at every checkout; the package
        // masks the Meta and FullSnapshot events it emits.
        const t0 = performance.now();
        rrweb.record.takeFullSnapshot(true);
        times.snapshot[name].push(performance.now() - t0);
        if (size === 10_000) {
          const burst = build(10_000);
          await nextTask();
          collect();
          const emitted = waitEmit();
          const t1 = performance.now();
          root.append(burst);
          await emitted;
          times.burst[name].push(performance.now() - t1);
          burst.remove();
          await nextTask();
        }
        kind.end();
        await nextTask();
      }
    }
    const result = { rrwebVersion: '2.2.2' };
    for (const [what, byKind] of Object.entries(times)) {
      if (byKind.none.length === 0) continue;
      result[what] = {
        ...Object.fromEntries(Object.entries(byKind).map(([k, xs]) => [k, median(xs)])),
        scrimRatio: pairedRatio(byKind.scrim, byKind.none),
        masksRatio: pairedRatio(byKind.masks, byKind.none),
      };
    }
    return result;
  },

  /**
   * Starting to record a page of `size` elements, on a fresh page: from
   * `record()` to its first full snapshot emitted. For the package this
   * adds instantiating the module (compiled beforehand, as the browser
   * does while the page loads), loading the policy, deciding the page,
   * and masking the first snapshot with code the engine has not
   * optimized yet.
   */
  async start(kind, size, selectors) {
    const policy = await (await fetch('/policy.json')).text();
    const module = kind === 'scrim' ? await compileModule('/dist/scrim.wasm') : null;
    document.getElementById('root').replaceChildren(build(size));
    await nextTask();
    collect();
    let snapshotAt = 0;
    const sink = (json, type) => {
      window.sinkBytes = (window.sinkBytes ?? 0) + json.length;
      if (type === 2) snapshotAt ||= performance.now();
    };
    const t0 = performance.now();
    if (kind === 'scrim') {
      const recorder = await record({ policy, wasm: module, emitJson: (json) => sink(json, json.startsWith('{"type":2,') ? 2 : 0) });
      if (recorder.state !== 'recording') throw new Error(`scrim-rrweb: ${recorder.state} ${recorder.error}`);
    } else {
      const options = kind === 'masks' ? { maskTextSelector: selectors.join(', ') } : {};
      rrweb.record({ ...options, emit: (event) => sink(JSON.stringify(event), event.type) });
    }
    return snapshotAt - t0;
  },

  /** A realistic raw stream: a snapshot of a 2k-element page, typing, DOM changes, scrolling. */
  async stream() {
    const root = document.getElementById('root');
    root.replaceChildren(build(2000));
    const raw = [];
    const stop = rrweb.record({ emit: (event) => raw.push(JSON.stringify(event)) });
    const inputs = [...root.querySelectorAll('input')].slice(0, 20);
    for (let i = 0; i < 300; i++) {
      const input = inputs[i % inputs.length];
      input.value += 'x';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      if (i % 3 === 0) {
        const p = document.createElement('p');
        p.className = `c${i}`;
        p.textContent = `added ${i} jane.roe@example.com`;
        root.firstChild.append(p);
      }
      if (i % 5 === 0) root.querySelectorAll('h2')[i % 20].textContent = `heading ${i}`;
      if (i % 7 === 0) root.querySelectorAll('li')[i % 50].setAttribute('title', `item ${i}`);
      if (i % 10 === 0) window.dispatchEvent(new Event('scroll'));
      await nextTask();
    }
    stop();
    return raw;
  },

  async perEvent() {
    const raw = await this.stream();
    const masker = await Masker.instantiate(await compileModule('/dist/scrim.wasm'));
    const policy = masker.loadPolicy(await (await fetch('/policy.json')).text());
    const incremental = raw.filter((json) => json.startsWith('{"type":3'));
    const rounds = 20;
    let best = Infinity;
    for (let round = 0; round < rounds; round++) {
      const session = masker.newSession(policy, { url: location.href, consent: [] });
      // The page view and its snapshot first, untimed: events name its nodes.
      for (const json of raw.slice(0, raw.indexOf(incremental[0]))) masker.mask(session, json);
      const t0 = performance.now();
      for (const json of incremental) masker.mask(session, json);
      best = Math.min(best, performance.now() - t0);
      masker.freeSession(session);
    }
    const objects = incremental.map((json) => JSON.parse(json));
    let stringify = Infinity;
    for (let round = 0; round < rounds; round++) {
      const t0 = performance.now();
      for (const event of objects) JSON.stringify(event);
      stringify = Math.min(stringify, performance.now() - t0);
    }
    return {
      events: incremental.length,
      bytes: incremental.reduce((sum, json) => sum + json.length, 0),
      perEventMs: best / incremental.length,
      stringifyMs: stringify / incremental.length,
    };
  },
};
