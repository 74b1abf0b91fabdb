import { describe, expect, it } from 'vitest';
import { LadonError } from '../errors.js';
import type { Program } from './program.js';
import { deserializeProgram, serializeProgram } from './serialize.js';

const program: Program = {
  format: 'ladon-program',
  version: 1,
  name: 'tiny',
  target: 'wasm',
  inputs: [{ name: 'x', buffer: 0 }],
  outputs: [{ name: 'y', buffer: 1 }],
  buffers: [
    { id: 0, name: 'x', dtype: 'f32', shape: ['seq', 4], kind: 'input', firstStep: 0, lastStep: 0 },
    { id: 1, name: 'y', dtype: 'f32', shape: ['seq', 4], kind: 'output', firstStep: 0, lastStep: 0 },
    { id: 2, name: 'w', dtype: 'f32', shape: [4], kind: 'weight', weightOffset: 0, firstStep: 0, lastStep: 0 },
  ],
  steps: [{ kernel: 'add_0', op: 'Add', node: '%y', args: [{ buffer: 0 }, { buffer: 2 }, { buffer: 1 }, { dim: '4*seq' }] }],
  weights: new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer),
  wasm: { simd: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]), reservedBytes: 1024 },
  passes: ['fold-constants'],
};

describe('program files', () => {
  it('round-trip, byte arrays included', () => {
    const bytes = serializeProgram(program);
    const back = deserializeProgram(bytes);
    expect(back).toEqual(program);
    expect(back.weights).toBeInstanceOf(Uint8Array);
    expect(Array.from(new Float32Array(back.weights.buffer, back.weights.byteOffset, 4))).toEqual([1, 2, 3, 4]);
  });

  it('reject what is not a program, with a typed error naming the file', () => {
    const bytes = serializeProgram(program);
    expect(() => deserializeProgram(new TextEncoder().encode('hello world, not a program'), 'm.ladon')).toThrow(/m\.ladon: not a Ladon program: missing/);
    expect(() => deserializeProgram(bytes.subarray(0, 40))).toThrow(LadonError);
    const broken = serializeProgram({ ...program, steps: [{ ...program.steps[0], args: [{ buffer: 9 }] }] });
    expect(() => deserializeProgram(broken)).toThrow('unknown buffer 9');
    const future = serializeProgram({ ...program, version: 2 as 1 });
    expect(() => deserializeProgram(future)).toThrow('version 2');
  });
});
