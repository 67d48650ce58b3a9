// Tokenizes text with the extension's grammar through vscode-textmate and
// Oniguruma, the engine VS Code itself highlights with.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const textmate = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

export const extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = path.resolve(extensionDir, '..', '..');
export const grammarPath = path.join(extensionDir, 'syntaxes', 'scrim.tmLanguage.json');

let loaded;

async function grammar() {
  loaded ??= (async () => {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
        createOnigString: (text) => new oniguruma.OnigString(text),
      }),
      loadGrammar: async (scopeName) =>
        scopeName === 'source.scrim'
          ? textmate.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath)
          : null,
    });
    return registry.loadGrammar('source.scrim');
  })();
  return loaded;
}

/**
 * The tokens of each line of `text`: `{ line, column, text, scopes }`, with
 * `line` and `column` counted from 1 and `scopes` from the root
 * (`source.scrim`) inwards.
 */
export async function tokenize(text) {
  const g = await grammar();
  const out = [];
  let stack = textmate.INITIAL;
  text.split(/\r?\n/).forEach((line, i) => {
    const result = g.tokenizeLine(line, stack);
    stack = result.ruleStack;
    for (const token of result.tokens) {
      out.push({
        line: i + 1,
        column: token.startIndex + 1,
        text: line.slice(token.startIndex, token.endIndex),
        scopes: token.scopes,
      });
    }
  });
  return out;
}
