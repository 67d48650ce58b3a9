// What the .vsix holds. It is packaged without node_modules
// (`vsce package --no-dependencies`), so the bundle must need nothing but
// VS Code and Node, and the files package.json points at must be in it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules, createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { extensionDir } from './textmate.mjs';

const require = createRequire(import.meta.url);
const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
const normalize = (file) => path.posix.normalize(file.replaceAll('\\', '/')).replace(/^\.\//, '');

test('the bundle imports only vscode and Node built-ins', () => {
  const result = buildSync({
    entryPoints: [path.join(extensionDir, 'src', 'extension.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const external = Object.values(result.metafile.outputs)
    .flatMap((output) => output.imports)
    .filter((imported) => imported.external)
    .map((imported) => imported.path.replace(/^node:/, ''));
  const other = [...new Set(external)].filter((name) => name !== 'vscode' && !builtinModules.includes(name));
  assert.deepEqual(other, [], 'modules the .vsix would not have');
});

test('the package holds the bundle, the grammar, the language configuration and the README, and nothing else', () => {
  const expected = new Set([
    'package.json',
    'README.md',
    normalize(manifest.main.endsWith('.js') ? manifest.main : `${manifest.main}.js`),
    ...manifest.contributes.grammars.map((grammar) => normalize(grammar.path)),
    ...manifest.contributes.languages.map((language) => normalize(language.configuration)),
  ]);
  assert.ok(fs.existsSync(path.join(extensionDir, manifest.main)), `${manifest.main} is missing: run \`npm run build\` first`);
  const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  const run = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], {
    cwd: extensionDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(run.status, 0, run.stderr);
  const listed = new Set(run.stdout.split('\n').map((line) => line.trim()).filter(Boolean).map(normalize));
  assert.deepEqual([...listed].sort(), [...expected].sort());
});
