/**
 * The compile worker's program (built as dist/compile-worker.js, started by
 * start-compile-worker.ts): binaryen and the compiler are loaded here once
 * and serve every request, one at a time, so the host's thread (a page's
 * main thread) never runs the compiler.
 */
import { parseGraph, serializeProgram } from '@ladon/ir';
import { compileProgram } from '../compile.js';
import type { CompileReply, CompileRequest } from './protocol.js';

interface Port {
  post(reply: CompileReply, transfer?: ArrayBuffer[]): void;
  listen(handler: (request: CompileRequest) => void): void;
}

interface ParentPort {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  on(event: 'message', listener: (message: CompileRequest) => void): void;
}

function hostPort(): Port {
  const node = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  const parent = (node?.getBuiltinModule?.('node:worker_threads') as { parentPort?: ParentPort } | undefined)?.parentPort;
  if (parent) return { post: (reply, transfer) => parent.postMessage(reply, transfer), listen: (handler) => parent.on('message', handler) };
  const scope = globalThis as unknown as { postMessage(message: unknown, transfer?: ArrayBuffer[]): void; onmessage: ((event: MessageEvent<CompileRequest>) => void) | null };
  return { post: (reply, transfer) => scope.postMessage(reply, transfer), listen: (handler) => (scope.onmessage = (event) => handler(event.data)) };
}

async function compile(port: Port, request: CompileRequest): Promise<void> {
  const { id } = request;
  try {
    const program = await compileProgram(parseGraph(request.graph), { target: request.target, onProgress: (progress) => port.post({ id, progress }) });
    const bytes = serializeProgram(program);
    port.post({ id, program: bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (error) {
    const { name, message, code, inputs } = error as { name: string; message: string; code?: string; inputs?: unknown };
    // A RuntimeValueError's inputs go along: the session compiles per value of them.
    const valueInputs = Array.isArray(inputs) ? { inputs: inputs.map(String) } : {};
    port.post({ id, error: { name, message, ...(typeof code === 'string' ? { code } : {}), ...valueInputs } });
  }
}

const port = hostPort();
let queue = Promise.resolve();
port.listen((request) => {
  queue = queue.then(() => compile(port, request));
});
