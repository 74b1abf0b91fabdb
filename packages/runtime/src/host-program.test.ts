import { LadonError, ProgramFormatError, ShapeError, tensor, toHostTensor, type HostProgram, type Program, type Tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { LimitError } from './errors.js';
import { runHostProgram } from './host-program.js';

function program(host: HostProgram): Program {
  return { format: 'ladon-program', version: 1, name: 'host', target: 'wasm', inputs: [], outputs: [], buffers: [], steps: [], weights: new Uint8Array(), host, passes: [] };
}

/** y = Reshape(x, Concat(shape, [-1])) with x f32[rows, 12]: the Concat is evaluated, the Reshape re-inferred. */
const reshapeHost: HostProgram = {
  values: [
    { name: 'x', type: { dtype: 'f32', shape: ['rows', 12] }, source: { kind: 'shape' } },
    { name: 'shape', type: { dtype: 'i64', shape: [2] }, source: { kind: 'feed' } },
    { name: 'tail', type: { dtype: 'i64', shape: [1] }, source: { kind: 'constant', tensor: toHostTensor(tensor('i64', [1], [-1])) } },
  ],
  steps: [
    { op: 'Concat', inputs: ['shape', 'tail'], outputs: ['target'], attrs: { axis: 0 }, types: [{ dtype: 'i64', shape: [3] }], evaluate: true },
    { op: 'Reshape', inputs: ['x', 'target'], outputs: ['y'], attrs: {}, types: [{ dtype: 'f32', shape: ['y_d0', 'y_d1', 'y_d2'] }], evaluate: false },
  ],
  valueSymbols: [{ value: 'shape', symbols: ['s0', 's1'] }],
};

function run(host: HostProgram, feeds: Record<string, Tensor>, bindings: Record<string, number>) {
  const bound = new Map(Object.entries(bindings));
  const values = runHostProgram(program(host), feeds, bound);
  return { bindings: Object.fromEntries(bound), values };
}

describe('the host part of a program', () => {
  it('evaluates its steps, binds the sizes they decide and the entries of value symbols', () => {
    const { bindings, values } = run(reshapeHost, { shape: tensor('i64', [2], [3, 2]) }, { rows: 2 });
    expect(bindings).toEqual({ rows: 2, y_d0: 3, y_d1: 2, y_d2: 4, s0: 3, s1: 2 });
    expect(Array.from(values.get('target')!.data as BigInt64Array)).toEqual([3n, 2n, -1n]);
  });

  it('is a ShapeError naming the node when a run-time shape contradicts the compiled one', () => {
    const fixed = { ...reshapeHost, steps: [reshapeHost.steps[0], { ...reshapeHost.steps[1], types: [{ dtype: 'f32' as const, shape: [3, 2, 4] }] }] };
    expect(() => run(fixed, { shape: tensor('i64', [2], [2, 3]) }, { rows: 2 })).toThrow(ShapeError);
    expect(() => run(fixed, { shape: tensor('i64', [2], [2, 3]) }, { rows: 2 })).toThrow(/Reshape %y: at run time %y is \[2, 3, 4\], but the program was compiled for \[3, 2, 4\]/);
    expect(() => run(reshapeHost, { shape: tensor('i64', [2], [5, 5]) }, { rows: 2 })).toThrow(LadonError);
  });

  it('treats the program as untrusted: unknown ops, malformed constants and oversized results are typed errors', () => {
    const unknown = { ...reshapeHost, steps: [{ ...reshapeHost.steps[0], op: 'NotAnOp' }] };
    expect(() => run(unknown, { shape: tensor('i64', [2], [3, 2]) }, { rows: 2 })).toThrow(/unknown op 'NotAnOp'/);
    const broken = { ...reshapeHost, values: reshapeHost.values.map((value) => (value.name === 'tail' ? { ...value, source: { kind: 'constant' as const, tensor: { dtype: 'i64' as const, shape: [1], bytes: new Uint8Array(3) } } } : value)) };
    expect(() => run(broken, { shape: tensor('i64', [2], [3, 2]) }, { rows: 2 })).toThrow(ProgramFormatError);
    const huge: HostProgram = {
      values: [{ name: 'shape', type: { dtype: 'i64', shape: [2] }, source: { kind: 'feed' } }],
      steps: [{ op: 'ConstantOfShape', inputs: ['shape'], outputs: ['big'], attrs: {}, types: [{ dtype: 'f32', shape: ['a', 'b'] }], evaluate: true }],
      valueSymbols: [],
    };
    expect(() => run(huge, { shape: tensor('i64', [2], [1 << 14, 1 << 14]) }, {})).toThrow(LimitError);
  });
});
