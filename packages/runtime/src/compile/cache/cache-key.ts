/**
 * The persistent cache's key: SHA-256 over the target, the compiler's build
 * identity (version + source hash), the target features the program depends
 * on, and the graph — its text form with large constants elided, then the
 * bytes of every constant tensor (initializers and tensor attributes), so
 * hashing a model never formats its weights as text.
 */
import { printGraph, type Graph, type Tensor } from '@ladon/ir';

/** What a compiled program depends on besides the graph. */
export interface CacheKeyParts {
  readonly target: 'wasm' | 'wgsl';
  readonly compilerVersion: string;
  /** Target features the program was compiled for (e.g. `relaxed-simd`). */
  readonly features: readonly string[];
}

const KEY_VERSION = 'ladon-compile-cache-key-1';

function isTensor(value: unknown): value is Tensor {
  return typeof value === 'object' && value !== null && ArrayBuffer.isView((value as Tensor).data);
}

function constantBytes(graph: Graph): Uint8Array[] {
  const tensors: Tensor[] = [...graph.initializers.values()];
  for (const node of graph.nodes) for (const value of Object.values(node.attrs)) if (isTensor(value)) tensors.push(value);
  return tensors.map(({ data }) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

/** The hex SHA-256 key of `graph` compiled as `parts` say. */
export async function cacheKey(graph: Graph, parts: CacheKeyParts): Promise<string> {
  const head = new TextEncoder().encode(`${KEY_VERSION}\n${parts.target}\n${parts.compilerVersion}\n${[...parts.features].sort().join(',')}\n${printGraph(graph, { maxConstantElements: 16 })}`);
  const pieces = [head, ...constantBytes(graph)];
  const all = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length + 8, 0));
  let offset = 0;
  for (const piece of pieces) {
    new DataView(all.buffer).setFloat64(offset, piece.length); // each piece's length first: no two graphs concatenate alike
    all.set(piece, offset + 8);
    offset += piece.length + 8;
  }
  return hex(await crypto.subtle.digest('SHA-256', all));
}

/** Lower-case hex of bytes. */
export function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
