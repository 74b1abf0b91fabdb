/**
 * Test support: a tiny wasm module written byte by byte (so the thread
 * pool's tests need no compiler), importing `env.memory` (1 to 65536 pages,
 * as programs do; not shared: the tests share it with withSharedMemoryImport). Its kernels take
 * `part, parts` last, like every split kernel:
 *   fill(ptr, count, value, part, parts)  i32 element i = value + i, for i ≡ part (mod parts)
 *   trap(part, parts)                     traps in the last part
 *   spin(iterations, part, parts)         counts to `iterations` (a long part)
 */

import { PROGRAM_VERSION, SPLIT_PARAMS, type BufferSpec, type Program } from '@ladon/ir';

const I32 = 0x7f;
const op = {
  block: 0x02, loop: 0x03, if: 0x04, end: 0x0b, br: 0x0c, brIf: 0x0d, unreachable: 0x00, void: 0x40,
  localGet: 0x20, localSet: 0x21, i32Const: 0x41, i32Store: 0x36, i32Eq: 0x46, i32GeS: 0x4e, i32Add: 0x6a, i32Sub: 0x6b, i32Shl: 0x74,
} as const;

function leb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

const vector = (items: readonly number[][]): number[] => [...leb(items.length), ...items.flat()];
const name = (text: string): number[] => [...leb(text.length), ...new TextEncoder().encode(text)];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const functionType = (params: number): number[] => [0x60, ...vector(Array.from({ length: params }, () => [I32])), 0];
const body = (locals: number, code: number[]): number[] => {
  const content = [...(locals > 0 ? vector([[...leb(locals), I32]]) : [0]), ...code, op.end];
  return [...leb(content.length), ...content];
};
const get = (index: number): number[] => [op.localGet, index];
const set = (index: number): number[] => [op.localSet, index];
const constant = (value: number): number[] => [op.i32Const, ...leb(value)];

/** `for (i = part; i < count; i += parts) mem32[ptr/4 + i] = value + i` (locals: ptr 0, count 1, value 2, part 3, parts 4, i 5). */
const FILL = body(1, [
  ...get(3), ...set(5),
  op.block, op.void, op.loop, op.void,
  ...get(5), ...get(1), op.i32GeS, op.brIf, 1,
  ...get(0), ...get(5), ...constant(2), op.i32Shl, op.i32Add, ...get(2), ...get(5), op.i32Add, op.i32Store, 2, 0,
  ...get(5), ...get(4), op.i32Add, ...set(5),
  op.br, 0, op.end, op.end,
]);

/** `if (part === parts - 1) unreachable` (locals: part 0, parts 1). */
const TRAP = body(0, [...get(0), ...get(1), ...constant(1), op.i32Sub, op.i32Eq, op.if, op.void, op.unreachable, op.end]);

/** `for (n = 0; n < iterations; n++) {}` (locals: iterations 0, part 1, parts 2, n 3). */
const SPIN = body(1, [op.block, op.void, op.loop, op.void, ...get(3), ...get(0), op.i32GeS, op.brIf, 1, ...get(3), ...constant(1), op.i32Add, ...set(3), op.br, 0, op.end, op.end]);

/** The module's bytes. */
export function testKernelModule(): Uint8Array {
  const kernels = [
    { name: 'fill', type: 0, code: FILL },
    { name: 'trap', type: 1, code: TRAP },
    { name: 'spin', type: 2, code: SPIN },
  ];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([functionType(5), functionType(2), functionType(3)])),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x01, ...leb(1), ...leb(65536)]])),
    ...section(3, vector(kernels.map((kernel) => leb(kernel.type)))),
    ...section(7, vector(kernels.map((kernel, index) => [...name(kernel.name), 0x00, ...leb(index)]))),
    ...section(10, vector(kernels.map((kernel) => kernel.code))),
  ]);
}

/** A wasm Program of one split step: `fill` writes i32 y[i] = value + i for i < count (a hand-made program, no compiler). */
export function fillProgram(count: number, value: number): Program {
  const buffer: BufferSpec = { id: 0, name: 'y', dtype: 'i32', shape: [count], kind: 'output', firstStep: 0, lastStep: 0 };
  return {
    format: 'ladon-program',
    version: PROGRAM_VERSION,
    name: 'fill',
    target: 'wasm',
    inputs: [],
    outputs: [{ name: 'y', buffer: 0 }],
    buffers: [buffer],
    steps: [{ kernel: 'fill', op: 'Fill', node: '%y', args: [{ buffer: 0 }, { int: count }, { int: value }], split: { units: count, unitCost: 64 } }],
    weights: new Uint8Array(0),
    wasm: { simd: testKernelModule(), reservedBytes: 1024, kernels: [{ name: 'fill', params: ['ptr', 'count', 'value', ...SPLIT_PARAMS] }] },
    passes: [],
  };
}
