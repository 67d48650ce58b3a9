// The grammar against the language as the repository defines it: every
// policy the repository holds is highlighted to the last character, every
// keyword of grammar/scrim.pest is highlighted as a keyword, and the names the
// compiler knows (presets, detectors, channels, outcomes, lint levels) are
// exactly the ones the grammar highlights as such, and the language
// configuration indents every block of the corpus. When the language grows,
// these fail until the grammar follows.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { tokenize, repoDir, extensionDir, grammarPath } from './textmate.mjs';

const read = (rel) => fs.readFileSync(path.join(repoDir, rel), 'utf8');
const list = (rel, ext) =>
  fs.existsSync(path.join(repoDir, rel))
    ? fs.readdirSync(path.join(repoDir, rel)).filter((f) => f.endsWith(ext)).sort().map((f) => `${rel}/${f}`)
    : [];

/** Every valid policy in the repository, as `{ name, text }`. */
function corpus() {
  const policies = [];
  for (const dir of ['examples', 'examples/shared', 'docs/shared', 'crates/compiler/presets', 'crates/rrweb/tests/policies']) {
    for (const file of list(dir, '.scrim')) policies.push({ name: file, text: read(file) });
  }
  // The documentation's snippets (docs/language.md: each passes `scrim check`).
  for (const file of ['README.md', ...list('docs', '.md')]) {
    const lines = read(file).split('\n');
    let start = -1;
    lines.forEach((line, i) => {
      if (start < 0 && line.trim() === '```scrim') start = i + 1;
      else if (start >= 0 && line.trim() === '```') {
        policies.push({ name: `${file}:${start + 1}`, text: lines.slice(start, i).join('\n'), firstLine: start + 1 });
        start = -1;
      }
    });
  }
  // The policies of the resolution corpus (tests/resolution/*.case).
  for (const file of list('tests/resolution', '.case')) {
    const match = /^--- policy\n([\s\S]*?)\n--- /m.exec(read(file));
    if (match) policies.push({ name: file, text: match[1] });
  }
  return policies;
}

const isKeyword = (scope) => scope.startsWith('keyword.') || scope.startsWith('storage.modifier.');

test('the corpus covers the examples, the presets and the documentation', () => {
  const names = corpus().map((p) => p.name);
  for (const expected of ['examples/shop.scrim', 'examples/shared/baseline.scrim', 'crates/compiler/presets/rrweb.scrim']) {
    assert.ok(names.includes(expected), `${expected} is not in the corpus`);
  }
  assert.ok(names.filter((n) => n.startsWith('docs/language.md:')).length >= 10, 'docs/language.md snippets are not read');
});

test('every character of every policy in the repository is highlighted', async () => {
  const unscoped = [];
  for (const policy of corpus()) {
    for (const token of await tokenize(policy.text)) {
      if (!token.text.trim()) continue;
      const inner = token.scopes.filter((s) => s !== 'source.scrim' && !s.startsWith('meta.'));
      const invalid = token.scopes.filter((s) => s.startsWith('invalid.'));
      if (inner.length === 0 || invalid.length > 0) {
        const line = token.line + (policy.firstLine ? policy.firstLine - 1 : 0);
        const where = policy.firstLine ? `${policy.name.split(':')[0]}:${line}` : `${policy.name}:${line}`;
        unscoped.push(`${where}:${token.column} \`${token.text.trim()}\` has only ${token.scopes.join(' ')}`);
      }
    }
  }
  assert.deepEqual(unscoped, [], 'text the grammar does not recognise');
});

test('every keyword of grammar/scrim.pest is highlighted as a keyword where the documentation uses it', async () => {
  const keywords = [...read('grammar/scrim.pest').matchAll(/^kw_\w+\s*=\s*@\{\s*"([^"]+)"/gm)].map((m) => m[1]);
  assert.ok(keywords.length >= 30, `only ${keywords.length} keywords read from grammar/scrim.pest`);
  const seen = new Set();
  for (const policy of corpus()) {
    for (const token of await tokenize(policy.text)) {
      if (token.scopes.some(isKeyword)) seen.add(token.text.trim());
    }
  }
  const missing = keywords.filter((k) => !seen.has(k));
  assert.deepEqual(missing, [], 'keywords never highlighted as keywords (or used in no example)');
});

test('every statement keyword starts a statement', async () => {
  const source = read('crates/syntax/src/names.rs');
  const block = /STATEMENT_KEYWORDS: &\[&str\] = &\[([^\]]*)\]/.exec(source);
  assert.ok(block, 'STATEMENT_KEYWORDS not found in crates/syntax/src/names.rs');
  const words = [...block[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  for (const word of words) {
    const [first] = await tokenize(`${word} `);
    assert.equal(first.text, word);
    assert.ok(first.scopes.some(isKeyword), `\`${word}\` is not a keyword: ${first.scopes.join(' ')}`);
    assert.ok(first.scopes.some((s) => s.startsWith('meta.statement.')), `\`${word}\` starts no statement`);
  }
});

/**
 * The words of the grammar's keyword rule for `scope`: the alternatives of the
 * one `(a|b|c)` group of the rule whose first capture is named `scope`.
 */
function grammarWords(scope) {
  const found = [];
  const visit = (node) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      if (typeof node.match === 'string' && node.captures?.['1']?.name === scope) {
        const group = /\(((?:[a-z-]+\|)*[a-z-]+)\)/.exec(node.match);
        if (group) found.push(...group[1].split('|'));
      }
      Object.values(node).forEach(visit);
    }
  };
  visit(JSON.parse(fs.readFileSync(grammarPath, 'utf8')));
  return [...new Set(found)].sort();
}

/** `pub const KEYWORDS` of each `impl NAME` in crates/syntax/src/ast.rs. */
function astKeywords() {
  const source = read('crates/syntax/src/ast.rs');
  const out = {};
  for (const m of source.matchAll(/impl (\w+) \{[^}]*?pub const KEYWORDS: &'static \[&'static str\] =\s*&\[([^\]]*)\]/g)) {
    out[m[1]] = [...m[2].matchAll(/"([^"]+)"/g)].map((w) => w[1]).sort();
  }
  return out;
}

test('the channels, outcomes and lint levels of the syntax crate are the grammar\'s', () => {
  const scopes = {
    Channel: 'support.type.channel.scrim',
    Outcome: 'constant.language.outcome.scrim',
    LintLevel: 'constant.language.level.scrim',
  };
  const lists = astKeywords();
  assert.ok(lists.Channel && lists.Outcome, 'keyword lists not found in crates/syntax/src/ast.rs');
  for (const [kind, words] of Object.entries(lists)) {
    assert.ok(scopes[kind], `crates/syntax/src/ast.rs has a new keyword list, ${kind}: highlight it in the grammar and name its scope here`);
    assert.deepEqual(grammarWords(scopes[kind]), words, `${kind} keywords`);
  }
});

test('the presets shipped with the compiler are the grammar\'s', async () => {
  const presets = list('crates/compiler/presets', '.scrim').map((f) => path.basename(f, '.scrim')).sort();
  assert.ok(presets.length >= 10);
  assert.deepEqual(grammarWords('support.constant.preset.scrim'), presets);
  const tokens = await tokenize(`preset ${presets.join(', ')}`);
  for (const preset of presets) {
    const token = tokens.find((t) => t.text === preset);
    assert.ok(token?.scopes.includes('support.constant.preset.scrim'), `preset \`${preset}\``);
  }
});

test('the built-in detectors of the compiler are the grammar\'s', async () => {
  const block = /pub const BUILTIN_DETECTORS: &\[&str\] = &\[([^\]]*)\]/.exec(read('crates/compiler/src/lib.rs'));
  assert.ok(block, 'BUILTIN_DETECTORS not found in crates/compiler/src/lib.rs');
  const detectors = [...block[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]).sort();
  assert.deepEqual(grammarWords('support.constant.detector.scrim'), detectors);
  const tokens = await tokenize(`detect ${detectors.join(', ')}`);
  for (const detector of detectors) {
    const token = tokens.find((t) => t.text === detector);
    assert.ok(token?.scopes.includes('support.constant.detector.scrim'), `detector \`${detector}\``);
  }
});

test('the language configuration indents inside blocks, and only there', async () => {
  const configuration = JSON.parse(fs.readFileSync(path.join(extensionDir, 'language-configuration.json'), 'utf8'));
  assert.equal(configuration.comments.lineComment, '#');
  const increase = new RegExp(configuration.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(configuration.indentationRules.decreaseIndentPattern);
  const wrong = [];
  for (const policy of corpus()) {
    const lines = policy.text.split('\n');
    const headers = new Set();
    for (const token of await tokenize(policy.text)) {
      if (token.scopes.includes('punctuation.section.block.begin.scrim')) headers.add(token.line);
    }
    lines.forEach((line, i) => {
      const where = `${policy.name} line ${i + 1}: ${line.trim()}`;
      if (increase.test(line) !== headers.has(i + 1)) wrong.push(`${where} (indents after: ${increase.test(line)})`);
      if (decrease.test(line) !== (line.trim() === '}')) wrong.push(`${where} (outdents: ${decrease.test(line)})`);
    });
  }
  assert.deepEqual(wrong, []);
});
