// Snapshot test of the grammar over the example policies: every token of
// every examples/**/*.scrim with its scopes, kept in test/snapshots/, compared
// by vscode-tmgrammar-snap. A change to the grammar (or to an example) shows
// up as a diff of scopes here.
//
//   node test/snapshots.mjs            compare; fails on any difference, on an
//                                      example without a snapshot and on a
//                                      snapshot without an example
//   node test/snapshots.mjs --update   rewrite the snapshots (review the diff)
//
// The tool writes each snapshot next to its source (`x.scrim.snap`), so the
// examples are compared from copies in a temporary folder: nothing is ever
// written under examples/.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { extensionDir, repoDir } from './textmate.mjs';

const require = createRequire(import.meta.url);
const update = process.argv.includes('--update');
const examplesDir = path.join(repoDir, 'examples');
const snapshotsDir = path.join(extensionDir, 'test', 'snapshots');

/** Paths under `dir`, relative to it, of the files whose name ends in `ext`. */
function walk(dir, ext, rel = '') {
  if (!fs.existsSync(path.join(dir, rel))) return [];
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((entry) => {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) return walk(dir, ext, child);
      return entry.name.endsWith(ext) ? [child] : [];
    })
    .sort();
}

const examples = walk(examplesDir, '.scrim');
const snapshots = walk(snapshotsDir, '.scrim.snap');
if (examples.length === 0) {
  console.error(`no .scrim file under ${examplesDir}`);
  process.exit(1);
}

const problems = [];
const failedExamples = new Set();
if (!update) {
  for (const example of examples) {
    if (!snapshots.includes(`${example}.snap`)) {
      problems.push(`examples/${example} has no snapshot`);
      failedExamples.add(example);
    }
  }
  for (const snapshot of snapshots) {
    if (!examples.includes(snapshot.slice(0, -'.snap'.length))) {
      problems.push(`test/snapshots/${snapshot} is the snapshot of no example`);
    }
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'scrim-snapshots-'));
try {
  for (const example of examples) {
    fs.mkdirSync(path.join(work, path.dirname(example)), { recursive: true });
    fs.copyFileSync(path.join(examplesDir, example), path.join(work, example));
    const snapshot = path.join(snapshotsDir, `${example}.snap`);
    if (fs.existsSync(snapshot)) fs.copyFileSync(snapshot, path.join(work, `${example}.snap`));
  }

  const tool = require.resolve('vscode-tmgrammar-test/dist/snapshot.js');
  const args = [tool, '--expandDiff', '--config', path.join(extensionDir, 'package.json')];
  if (update) args.push('--updateSnapshot');
  args.push(...examples.map((example) => path.join(work, example)));
  const run = spawnSync(process.execPath, args, { cwd: extensionDir, encoding: 'utf8' });
  const stdout = run.stdout.replaceAll(work + path.sep, 'examples/');
  process.stdout.write(stdout);
  process.stderr.write(run.stderr.replaceAll(work + path.sep, 'examples/'));
  for (const [, example] of stdout.matchAll(/ERROR[^\n]*?examples\/(\S+\.scrim)/g)) failedExamples.add(example);
  if (run.status !== 0) {
    problems.push('the highlighting of the examples differs from test/snapshots');
    if (failedExamples.size === 0) examples.forEach((example) => failedExamples.add(example));
  }

  if (update) {
    fs.rmSync(snapshotsDir, { recursive: true, force: true });
    for (const example of examples) {
      fs.mkdirSync(path.join(snapshotsDir, path.dirname(example)), { recursive: true });
      fs.copyFileSync(path.join(work, `${example}.snap`), path.join(snapshotsDir, `${example}.snap`));
    }
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

for (const problem of problems) console.error(`error: ${problem}`);
if (problems.length > 0) {
  console.error('help: if the change is intended, run `npm run snapshots:update` in editors/vscode and review the diff of test/snapshots');
}
console.log(`snapshots: ${examples.length - failedExamples.size} passed, ${failedExamples.size} failed`);
process.exit(problems.length > 0 ? 1 : 0);
