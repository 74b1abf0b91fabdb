/**
 * A tiny static file server for the browser test: serves one directory on
 * 127.0.0.1 at a free port, with the cross-origin isolation headers the
 * demo is built for (COOP/COEP).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ladon': 'application/octet-stream',
};

/** A running server; `close()` stops it. */
export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

function resolveInside(root: string, requestUrl: string): string | undefined {
  const pathname = decodeURIComponent(new URL(requestUrl, 'http://localhost').pathname);
  const file = path.resolve(root, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
  return file.startsWith(root + path.sep) ? file : undefined;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** Serves `directory` on 127.0.0.1 at a port the OS picks. */
export async function serveDirectory(directory: string): Promise<StaticServer> {
  const root = path.resolve(directory);
  const server = createServer((request, response) => {
    const file = resolveInside(root, request.url ?? '/');
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
    if (!file) return void response.writeHead(403, headers).end();
    readFile(file).then(
      (body) => response.writeHead(200, { ...headers, 'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404, headers).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => closeServer(server) };
}
