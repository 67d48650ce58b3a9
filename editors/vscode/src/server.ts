/**
 * Which program the extension runs as the language server: the
 * `scrim.server.path` setting read the way the README documents it, and the
 * program it names found on disk before anything is started. Kept apart from
 * `vscode` so that the tests run it in Node.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The arguments that make `scrim` a language server on standard input and output. */
export const SERVER_ARGS: readonly string[] = ['lsp'];

/**
 * The command for `setting`: a bare name (`scrim`) stays as it is, to be
 * looked up on `PATH`; `~` or `~/…` starts from `home`; a relative path
 * (`target/debug/scrim`) starts from `workspaceFolder`, or stays relative to
 * the working folder when no folder is open; an absolute path stays. An empty
 * setting means the default, `scrim`.
 */
export function serverCommand(setting: string | undefined, workspaceFolder: string | undefined, home: string): string {
  const value = (setting ?? '').trim();
  if (value === '') {
    return 'scrim';
  }
  if (value === '~') {
    return home;
  }
  if (value.startsWith('~/') || value.startsWith('~\\')) {
    return path.join(home, value.slice(2));
  }
  if (path.isAbsolute(value) || isBareName(value) || workspaceFolder === undefined) {
    return value;
  }
  return path.join(workspaceFolder, value);
}

/**
 * The program `command` runs: itself when it is a path, else the first match
 * on the `PATH` of `env` (with the extensions of `PATHEXT` on Windows); or
 * `undefined` when there is no such executable file.
 */
export function findProgram(command: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const extensions =
    platform === 'win32' ? ['', ...(env['PATHEXT'] ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)] : [''];
  const candidates = isBareName(command)
    ? (env['PATH'] ?? '')
        .split(platform === 'win32' ? ';' : ':')
        .filter(Boolean)
        .flatMap((dir) => extensions.map((extension) => path.join(dir, command + extension)))
    : extensions.map((extension) => command + extension);
  return candidates.find((candidate) => isExecutable(candidate, platform));
}

function isBareName(command: string): boolean {
  return !command.includes('/') && !command.includes('\\');
}

function isExecutable(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    // Windows has no execute permission: the extension decides.
    if (platform !== 'win32') {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}
