/**
 * Program files (`.ladon`): an 8-byte magic `LADONPG1`, a little-endian u32
 * header length, the header as UTF-8 JSON (the Program with every byte array
 * replaced by `{"$blob": i}`), then the blobs, each a u32 length followed by
 * its bytes, padded to 8 bytes. Reading checks the magic, version and
 * structure and throws a typed error naming what is wrong.
 */
import { LadonError } from '../errors.js';
import type { HostProgram } from './host-program.js';
import { PROGRAM_VERSION, type Program } from './program.js';

const MAGIC = 'LADONPG1';

/** Writes a program as bytes. */
export function serializeProgram(program: Program): Uint8Array {
  const blobs: Uint8Array[] = [];
  const header = JSON.stringify(program, (_key, value: unknown) => {
    if (value instanceof Uint8Array) {
      blobs.push(value);
      return { $blob: blobs.length - 1 };
    }
    return value;
  });
  const headerBytes = new TextEncoder().encode(header);
  const padded = (length: number): number => Math.ceil(length / 8) * 8;
  let total = padded(8 + 4 + headerBytes.length) + 4;
  for (const blob of blobs) total += padded(4 + blob.length);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 12);
  let offset = padded(12 + headerBytes.length);
  view.setUint32(offset, blobs.length, true);
  offset += 4;
  for (const blob of blobs) {
    view.setUint32(offset, blob.length, true);
    out.set(blob, offset + 4);
    offset += padded(4 + blob.length);
  }
  return out;
}

/** Reads a program written by {@link serializeProgram}. */
export function deserializeProgram(bytes: Uint8Array, fileName?: string): Program {
  const fail = (message: string): never => {
    throw new LadonError('E_IMPORT', `not a Ladon program: ${message}`, fileName ? { file: fileName } : {});
  };
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) fail(`missing the '${MAGIC}' magic`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) fail('truncated header');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
  } catch {
    fail('the header is not JSON');
  }
  let offset = Math.ceil((12 + headerLength) / 8) * 8;
  if (offset + 4 > bytes.length) fail('truncated blob table');
  const count = view.getUint32(offset, true);
  offset += 4;
  const blobs: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 4 > bytes.length) fail(`truncated blob ${i}`);
    const length = view.getUint32(offset, true);
    if (offset + 4 + length > bytes.length) fail(`blob ${i} runs past the end`);
    blobs.push(bytes.slice(offset + 4, offset + 4 + length));
    offset += Math.ceil((4 + length) / 8) * 8;
  }
  const program = reviveBlobs(header, blobs, fail) as Program;
  checkProgram(program, fail);
  return program;
}

function reviveBlobs(value: unknown, blobs: readonly Uint8Array[], fail: (message: string) => never): unknown {
  if (Array.isArray(value)) return value.map((item) => reviveBlobs(item, blobs, fail));
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.$blob === 'number') return blobs[record.$blob] ?? fail(`blob ${record.$blob} is missing`);
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, reviveBlobs(item, blobs, fail)]));
  }
  return value;
}

function checkProgram(program: Program, fail: (message: string) => never): void {
  if (program?.format !== 'ladon-program') fail('wrong format tag');
  if (program.version !== PROGRAM_VERSION) fail(`version ${program.version}, this runtime reads version ${PROGRAM_VERSION}`);
  if (program.target !== 'wasm' && program.target !== 'wgsl') fail(`unknown target '${String(program.target)}'`);
  if (!Array.isArray(program.buffers) || !Array.isArray(program.steps) || !(program.weights instanceof Uint8Array)) fail('missing buffers, steps or weights');
  const ids = new Set(program.buffers.map((buffer) => buffer.id));
  const isDim = (value: unknown): boolean => typeof value === 'number' || typeof value === 'string';
  for (const step of program.steps) {
    for (const arg of step.args) if ('buffer' in arg && !ids.has(arg.buffer)) fail(`step ${step.kernel} uses unknown buffer ${arg.buffer}`);
    if (step.split !== undefined && !(isDim(step.split?.units) && isDim(step.split?.unitCost))) fail(`step ${step.kernel} has a malformed split`);
  }
  for (const tensor of [...program.inputs, ...program.outputs]) if (!ids.has(tensor.buffer)) fail(`tensor ${tensor.name} has unknown buffer ${tensor.buffer}`);
  if (program.host !== undefined) checkHostProgram(program.host, fail);
  if (program.target === 'wasm' && !(program.wasm?.simd instanceof Uint8Array)) fail('a wasm program without its module');
  if (program.target === 'wgsl' && !Array.isArray(program.wgsl?.kernels)) fail('a wgsl program without its kernels');
}

const isStringList = (value: unknown): boolean => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** The host part's structure (its ops and values are checked again when a session evaluates it). */
function checkHostProgram(host: HostProgram, fail: (message: string) => never): void {
  if (!host || !Array.isArray(host.values) || !Array.isArray(host.steps) || !Array.isArray(host.valueSymbols)) fail('a malformed host part');
  for (const value of host.values) {
    if (typeof value?.name !== 'string' || !value.type || !Array.isArray(value.type.shape) || typeof value.source?.kind !== 'string') fail('a malformed host value');
  }
  for (const step of host.steps) {
    const wellFormed = typeof step?.op === 'string' && isStringList(step.inputs) && isStringList(step.outputs) && Array.isArray(step.types) && typeof step.evaluate === 'boolean';
    if (!wellFormed || typeof step.attrs !== 'object' || step.attrs === null) fail(`a malformed host step${typeof step?.op === 'string' ? ` (${step.op})` : ''}`);
  }
  for (const entry of host.valueSymbols) if (typeof entry?.value !== 'string' || !isStringList(entry.symbols)) fail('a malformed host value symbol list');
}
