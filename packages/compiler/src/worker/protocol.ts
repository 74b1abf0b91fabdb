/**
 * The compile worker's messages. The host posts a request with the graph in
 * the IR text form (which parses back exactly); the worker answers with
 * progress, then the serialised Program or the error.
 */
import type { CompileProgress } from '../compile.js';

/** A compilation asked of the worker. */
export interface CompileRequest {
  readonly id: number;
  /** The graph, printed with every constant (printGraph). */
  readonly graph: string;
  readonly target: 'wasm' | 'wgsl';
}

/** What the worker answers a request with: progress (any number), then a program or an error. */
export type CompileReply =
  | { readonly id: number; readonly progress: CompileProgress }
  | { readonly id: number; readonly program: Uint8Array }
  | { readonly id: number; readonly error: { readonly name: string; readonly code?: string; readonly message: string; readonly inputs?: readonly string[] } };
