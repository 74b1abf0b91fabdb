/**
 * Op traits live on the ops: which inputs are read at compile time
 * (`static` ports), which ops are views of their input, which are
 * commutative. Lowerings, demand analysis, pattern matching and CSE read
 * these and keep no tables of their own.
 */
import { describe, expect, it } from 'vitest';
import { inputPort } from './op-def.js';
import { getOpDef, listOps } from './registry.js';

describe('op traits', () => {
  it('marks the control inputs of each op static', () => {
    const statics = Object.fromEntries(
      listOps()
        .map((op) => [op, getOpDef(op).inputs.flatMap((port, slot) => (port.static ? [slot] : []))] as const)
        .filter(([, slots]) => slots.length > 0),
    );
    expect(statics).toEqual({
      ConstantOfShape: [0],
      CumSum: [1],
      Dropout: [1, 2],
      Expand: [1],
      OneHot: [1],
      Pad: [1, 3],
      Range: [0, 1, 2],
      ...Object.fromEntries(['L1', 'L2', 'LogSum', 'LogSumExp', 'Max', 'Mean', 'Min', 'Prod', 'Sum', 'SumSquare'].map((kind) => [`Reduce${kind}`, [1]])),
      Reshape: [1],
      Resize: [1, 2, 3],
      Slice: [1, 2, 3, 4],
      Split: [1],
      Squeeze: [1],
      TopK: [1],
      Tile: [1],
      Trilu: [1],
      Unsqueeze: [1],
    });
  });

  it('knows the reductions', () => {
    expect(listOps().filter((op) => getOpDef(op).reduction)).toEqual(['ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceMax', 'ReduceMean', 'ReduceMin', 'ReduceProd', 'ReduceSum', 'ReduceSumSquare']);
  });

  it('knows the views and the commutative ops', () => {
    expect(listOps().filter((op) => getOpDef(op).view)).toEqual(['Flatten', 'Identity', 'Reshape', 'Squeeze', 'Unsqueeze']);
    expect(listOps().filter((op) => getOpDef(op).commutative)).toEqual(['Add', 'And', 'Equal', 'Max', 'Mean', 'Min', 'Mul', 'Or', 'Sum', 'Xor']);
  });

  it('repeats a variadic last port for every later slot', () => {
    expect(inputPort(getOpDef('Concat'), 5)?.name).toBe('inputs');
    expect(inputPort(getOpDef('Slice'), 4)).toMatchObject({ name: 'steps', static: true });
    expect(inputPort(getOpDef('Slice'), 5)).toBeUndefined();
  });
});
