/**
 * What `Session.create` accepts, turned into a Graph or a Program: a Program
 * or Graph as is; bytes (Uint8Array, ArrayBuffer) of a `.ladon` program or an
 * ONNX model; or a URL (string, URL, Request) fetched first, reporting the
 * bytes as they arrive (`file:` URLs are read from disk in Node).
 */
import { deserializeProgram, Graph, LadonError, type Program } from '@ladon/ir';
import { nodeBuiltin } from './host/host.node.js';
import { importOnnx, type ModuleSource, type OnnxModule } from './load-tools.js';
import { phase, report, type ProgressListener } from './progress.js';

/** What a session can be created from. */
export type SessionSource = Program | Graph | Uint8Array | ArrayBuffer | string | URL | Request;

const PROGRAM_MAGIC = 'LADONPG1';

/** How a source is read. */
export interface SourceOptions {
  readonly onProgress?: ProgressListener;
  readonly onnx?: ModuleSource<OnnxModule>;
}

/** The Graph or Program `source` holds (fetching and importing as needed). */
export async function loadSource(source: SessionSource, options: SourceOptions): Promise<Graph | Program> {
  if (source instanceof Graph) return source;
  if (isProgram(source)) return source;
  const name = sourceName(source);
  const bytes = source instanceof Uint8Array ? source : source instanceof ArrayBuffer ? new Uint8Array(source) : await fetchBytes(source, options.onProgress);
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (magic === PROGRAM_MAGIC) return deserializeProgram(bytes, name);
  return phase(options.onProgress, 'import', () => importOnnx(bytes, options.onnx));
}

function isProgram(source: unknown): source is Program {
  return typeof source === 'object' && source !== null && (source as Program).format === 'ladon-program';
}

function sourceName(source: SessionSource): string | undefined {
  if (typeof source === 'string') return source;
  if (source instanceof URL) return source.href;
  if (typeof Request === 'function' && source instanceof Request) return source.url;
  return undefined;
}

async function fetchBytes(source: SessionSource, listener: ProgressListener | undefined): Promise<Uint8Array> {
  const isRequest = typeof Request === 'function' && source instanceof Request;
  if (typeof source !== 'string' && !(source instanceof URL) && !isRequest) {
    throw new LadonError('E_UNSUPPORTED', 'Session.create takes a Program, a Graph, the bytes of a .ladon program or an .onnx model (Uint8Array or ArrayBuffer), or a URL (string, URL or Request) to fetch them from');
  }
  const url = isRequest ? (source as Request).url : String(source);
  const fromDisk = await readFileUrl(url, listener);
  if (fromDisk) return fromDisk;
  let response: Response;
  try {
    response = await fetch(source as string | URL | Request);
  } catch (error) {
    throw new LadonError('E_IMPORT', `could not fetch ${url}: ${(error as Error).message}`, { file: url });
  }
  if (!response.ok) throw new LadonError('E_IMPORT', `fetching ${url} failed: HTTP ${response.status} ${response.statusText}`, { file: url });
  return readBody(response, listener);
}

async function readFileUrl(url: string, listener: ProgressListener | undefined): Promise<Uint8Array | undefined> {
  if (!url.startsWith('file:')) return undefined;
  const fs = nodeBuiltin<{ promises: { readFile(path: URL): Promise<Uint8Array> } }>('node:fs');
  if (!fs) return undefined;
  const bytes = new Uint8Array(await fs.promises.readFile(new URL(url)));
  report(listener, 'fetch', bytes.length, bytes.length);
  return bytes;
}

async function readBody(response: Response, listener: ProgressListener | undefined): Promise<Uint8Array> {
  const total = Number(response.headers.get('content-length') ?? 0) || 0;
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    report(listener, 'fetch', bytes.length, bytes.length);
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    report(listener, 'fetch', loaded, Math.max(total, loaded));
  }
  report(listener, 'fetch', loaded, loaded);
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
