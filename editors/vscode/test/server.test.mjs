// The program the extension starts for `scrim.server.path`: src/server.ts,
// compiled here with esbuild as the build compiles it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { extensionDir } from './textmate.mjs';

const bundle = buildSync({
  entryPoints: [path.join(extensionDir, 'src', 'server.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
});
const { serverCommand, findProgram, SERVER_ARGS } = await import(
  `data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`
);

const home = path.join(path.sep, 'home', 'ada');
const folder = path.join(path.sep, 'work', 'policies');

test('the server is `scrim lsp`, with no other argument', () => {
  assert.deepEqual([...SERVER_ARGS], ['lsp']);
});

test('a bare name is left to be looked up on PATH', () => {
  assert.equal(serverCommand('scrim', folder, home), 'scrim');
  assert.equal(serverCommand('scrim-nightly', folder, home), 'scrim-nightly');
});

test('an unset or blank setting is the default, scrim', () => {
  assert.equal(serverCommand(undefined, folder, home), 'scrim');
  assert.equal(serverCommand('   ', folder, home), 'scrim');
});

test('a path starting with ~/ starts from the home folder', () => {
  assert.equal(serverCommand('~/.cargo/bin/scrim', folder, home), path.join(home, '.cargo', 'bin', 'scrim'));
});

test('a relative path starts from the workspace folder', () => {
  assert.equal(serverCommand('target/debug/scrim', folder, home), path.join(folder, 'target', 'debug', 'scrim'));
  assert.equal(serverCommand('./target/release/scrim', folder, home), path.join(folder, 'target', 'release', 'scrim'));
});

test('a relative path with no folder open is left relative', () => {
  assert.equal(serverCommand('target/debug/scrim', undefined, home), 'target/debug/scrim');
});

test('an absolute path is kept, without the spaces around it', () => {
  const absolute = path.join(path.sep, 'opt', 'scrim', 'bin', 'scrim');
  assert.equal(serverCommand(` ${absolute} `, folder, home), absolute);
});

/** A temporary folder with `files` (name → executable?), removed afterwards. */
function withFolder(files, body) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scrim-server-'));
  try {
    for (const [name, executable] of Object.entries(files)) {
      const file = path.join(dir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '#!/bin/sh\n');
      fs.chmodSync(file, executable ? 0o755 : 0o644);
    }
    body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a bare name is found in the first PATH folder that has it as an executable file', () => {
  withFolder({ 'a/scrim': false, 'b/scrim/lsp': true, 'c/scrim': true, 'd/scrim': true }, (dir) => {
    const PATH = ['a', 'b', 'c', 'd'].map((sub) => path.join(dir, sub)).join(':');
    // a/scrim cannot be run and b/scrim is a folder: c/scrim is the program.
    assert.equal(findProgram('scrim', { PATH }, 'linux'), path.join(dir, 'c', 'scrim'));
    assert.equal(findProgram('scrim', { PATH: path.join(dir, 'a') }, 'linux'), undefined);
    assert.equal(findProgram('scrim', {}, 'linux'), undefined);
  });
});

test('a path is the program only when it is an executable file', () => {
  withFolder({ 'bin/scrim': true, 'bin/notes.txt': false }, (dir) => {
    assert.equal(findProgram(path.join(dir, 'bin', 'scrim'), {}, 'linux'), path.join(dir, 'bin', 'scrim'));
    assert.equal(findProgram(path.join(dir, 'bin', 'notes.txt'), {}, 'linux'), undefined);
    assert.equal(findProgram(path.join(dir, 'bin'), {}, 'linux'), undefined);
    assert.equal(findProgram(path.join(dir, 'bin', 'missing'), {}, 'linux'), undefined);
  });
});

test('on Windows, PATH is split on semicolons and PATHEXT names the program files', () => {
  withFolder({ 'tools/scrim.EXE': false }, (dir) => {
    const env = { PATH: `${path.join(dir, 'none')};${path.join(dir, 'tools')}`, PATHEXT: '.COM;.EXE' };
    assert.equal(findProgram('scrim', env, 'win32'), path.join(dir, 'tools', 'scrim.EXE'));
    assert.equal(findProgram('scrim', { ...env, PATHEXT: '.CMD' }, 'win32'), undefined);
  });
});
