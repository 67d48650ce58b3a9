// A static file server on 127.0.0.1 for the end-to-end test and the
// benchmark: the package (its dist/ and node_modules/), the demo app, and
// extra routes the caller adds (the compiled policy). Every path under
// /app/ is the demo's single page.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** Serves `root` (the package folder); `routes` maps a path to a body. */
export function serve(root, routes = {}) {
  const server = createServer(async (request, response) => {
    const path = new URL(request.url, 'http://localhost').pathname;
    try {
      if (path in routes) {
        const [type, body] = routes[path];
        response.writeHead(200, { 'content-type': type });
        response.end(body);
        return;
      }
      const file = path.startsWith('/app/') ? '/demo/index.html' : normalize(path);
      if (file.includes('..')) throw new Error('outside');
      const body = await readFile(join(root, file));
      response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ origin: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}
