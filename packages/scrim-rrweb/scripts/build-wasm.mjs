// Builds the masker for the browser: crates/wasm for wasm32 with the
// workspace's `wasm` profile (size first), then, when binaryen's
// `wasm-opt` is installed, shrinks it further. Writes dist/scrim.wasm.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const dist = join(here, '..', 'dist');
const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
const built = join(target, 'wasm32-unknown-unknown', 'wasm', 'scrim_wasm.wasm');
const out = join(dist, 'scrim.wasm');

execFileSync('cargo', ['build', '--quiet', '-p', 'scrim-wasm', '--target', 'wasm32-unknown-unknown', '--profile', 'wasm'], {
  cwd: root,
  stdio: 'inherit',
});
mkdirSync(dist, { recursive: true });

// The WebAssembly features rustc's wasm32-unknown-unknown target enables
// by default; older binaryen releases refuse them unless told.
const features = [
  '--enable-bulk-memory',
  '--enable-sign-ext',
  '--enable-nontrapping-float-to-int',
  '--enable-mutable-globals',
  '--enable-multivalue',
  '--enable-reference-types',
];
try {
  execFileSync('wasm-opt', ['-O3', ...features, built, '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
  console.warn('wasm-opt not found (Debian: binaryen): the module is not shrunk further');
  copyFileSync(built, out);
}
console.log(`dist/scrim.wasm: ${statSync(out).size} bytes`);
