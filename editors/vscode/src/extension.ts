/**
 * The VS Code side of scrim: starts `scrim lsp` for `.scrim` files and
 * connects it to the editor with the Language Server Protocol, over the
 * server's standard input and output. Diagnostics, hover, completion, go to
 * definition, formatting and code actions all come from the server; this file
 * only finds the program, restarts it when asked or when its path changes,
 * and says plainly when there is no program to start.
 */

import * as os from 'node:os';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_ARGS, findProgram, serverCommand } from './server';

let client: LanguageClient | undefined;
let queue: Promise<void> = Promise.resolve();

/**
 * Runs `step` once every step queued before it is done, so that a restart
 * asked for while the server is still starting never leaves two running.
 */
function serially(step: () => Promise<void>): Promise<void> {
  queue = queue.then(step, step);
  return queue;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const restart = () => serially(async () => {
    await stop();
    await start();
  });
  context.subscriptions.push(
    vscode.commands.registerCommand('scrim.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('scrim.server.path')) {
        void restart();
      }
    }),
    // A workspace's own `scrim.server.path` counts once it is trusted.
    vscode.workspace.onDidGrantWorkspaceTrust(restart),
  );
  await serially(start);
}

export function deactivate(): Promise<void> {
  return serially(stop);
}

async function start(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const setting = vscode.workspace.getConfiguration('scrim').get<string>('server.path');
  const command = serverCommand(setting, folder?.scheme === 'file' ? folder.fsPath : undefined, os.homedir());
  const program = findProgram(command, process.env);
  if (program === undefined) {
    void notFound(command);
    return;
  }

  // No `transport`: the client would add `--stdio`, which `scrim lsp` does not
  // take. A plain executable talks over standard input and output.
  const serverOptions: ServerOptions = { command: program, args: [...SERVER_ARGS] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'scrim' },
      { scheme: 'untitled', language: 'scrim' },
    ],
    // An included file changes the diagnostics of the policies including it.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.scrim') },
  };

  // The id `scrim` makes the client follow `scrim.trace.server` by itself.
  const next = new LanguageClient('scrim', 'scrim', serverOptions, clientOptions);
  client = next;
  try {
    await next.start();
  } catch {
    // The client has already said why, with the server's own error output
    // in the scrim output channel; highlighting goes on without a server.
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined) {
    await running.dispose().catch(() => undefined);
  }
}

async function notFound(command: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(
    `scrim: no program \`${command}\` to run as \`${command} lsp\`. Install scrim (\`cargo install --path .\` in its repository), or set \`scrim.server.path\` to the scrim program.`,
    'Open Settings',
  );
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'scrim.server.path');
  }
}
