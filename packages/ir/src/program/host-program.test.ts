import { describe, expect, it } from 'vitest';
import { tensor } from '../tensor.js';
import { fromHostTensor, hostNodeFields, hostStepNode, toHostTensor } from './host-program.js';

describe('host program data', () => {
  it('round-trips tensors of every storage through their bytes', () => {
    for (const value of [tensor('i64', [2], [3, -1]), tensor('f16', [1, 2], [0.5, -2]), tensor('bool', [3], [true, false, true]), tensor('f32', [], [1.25])]) {
      const back = fromHostTensor(toHostTensor(value))!;
      expect(back.dtype).toBe(value.dtype);
      expect(back.shape).toEqual(value.shape);
      expect(Array.from(back.data as ArrayLike<unknown>)).toEqual(Array.from(value.data as ArrayLike<unknown>));
    }
  });

  it('refuses malformed tensors (wrong byte count, unknown dtype, bad shape)', () => {
    const good = toHostTensor(tensor('i32', [2], [1, 2]));
    expect(fromHostTensor({ ...good, bytes: good.bytes.subarray(0, 5) })).toBeUndefined();
    expect(fromHostTensor({ ...good, dtype: 'f64' as 'f32' })).toBeUndefined();
    expect(fromHostTensor({ ...good, shape: [-2, -1] })).toBeUndefined();
  });

  it('carries a node, tensor attributes included, as plain data and back', () => {
    const node = { op: 'ConstantOfShape', name: 'fill', inputs: ['shape'], outputs: ['y'], attrs: { value: tensor('i64', [1], [7]) } };
    const fields = hostNodeFields(node);
    expect(fields.attrs.value).toEqual({ tensor: toHostTensor(tensor('i64', [1], [7])) });
    const back = hostStepNode({ ...fields, types: [undefined], evaluate: false })!;
    expect(back.op).toBe('ConstantOfShape');
    expect(back.name).toBe('fill');
    expect(Array.from((back.attrs.value as { data: BigInt64Array }).data)).toEqual([7n]);
    expect(hostStepNode({ ...fields, attrs: { value: { tensor: { dtype: 'i64', shape: [2], bytes: new Uint8Array(3) } } }, types: [], evaluate: false })).toBeUndefined();
  });
});
