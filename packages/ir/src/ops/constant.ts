/**
 * Constant (ONNX Constant-21): a constant tensor from exactly one of the
 * attributes `value` (a tensor), `value_float` / `value_int` (a 0-d f32 /
 * i64) or `value_floats` / `value_ints` (a 1-D f32 / i64). String constants
 * are not supported (the IR has no string dtype).
 */
import type { Dim } from '../dim.js';
import { UnsupportedError } from '../errors.js';
import { nodeLocation } from '../graph.js';
import type { OpContext, OpDef } from '../op-def.js';
import { tensor, describeTensorProblem, type Tensor } from '../tensor.js';
import { intValues, INT_TYPES } from './kernel-utils.js';
import { MAX_KNOWN_ELEMENTS } from './shape-op-utils.js';

const VALUE_ATTRIBUTES = ['value', 'value_float', 'value_floats', 'value_int', 'value_ints', 'value_string', 'value_strings'];

/** The tensor a Constant node produces, from whichever single value attribute it has. */
export function constantValue(ctx: OpContext): Tensor {
  const set = VALUE_ATTRIBUTES.filter((name) => ctx.hasAttr(name));
  if (set.length !== 1) {
    return ctx.failAttr(
      `Constant needs exactly one of ${VALUE_ATTRIBUTES.slice(0, 5).join(', ')}; got ${set.length === 0 ? 'none' : set.join(' and ')}`,
    );
  }
  const name = set[0];
  switch (name) {
    case 'value': {
      const value = ctx.tensor('value') as Tensor;
      const problem = describeTensorProblem(value);
      if (problem) return ctx.failAttr(`attribute 'value' is not a valid tensor: ${problem}`);
      return value;
    }
    case 'value_float':
      return tensor('f32', [], [ctx.float('value_float')]);
    case 'value_int':
      return tensor('i64', [], [ctx.int('value_int')]);
    case 'value_floats': {
      const values = ctx.attr('value_floats');
      if (!Array.isArray(values) || !values.every((item) => typeof item === 'number')) {
        return ctx.failAttr(`attribute 'value_floats' must be a list of floats`);
      }
      return tensor('f32', [values.length], values as number[]);
    }
    case 'value_ints': {
      const values = ctx.ints('value_ints') ?? [];
      return tensor('i64', [values.length], values);
    }
    default:
      throw new UnsupportedError(`Constant attribute '${name}' makes a string tensor, which Ladon does not support`, nodeLocation(ctx.node));
  }
}

/** Constant: the tensor given by exactly one value attribute (no inputs). */
export const Constant: OpDef = {
  name: 'Constant',
  summary: 'a constant tensor given by an attribute',
  inputs: [],
  outputs: [{ name: 'output' }],
  attributes: {
    value: { type: 'tensor' },
    value_float: { type: 'float' },
    value_floats: { type: 'floats' },
    value_int: { type: 'int' },
    value_ints: { type: 'ints' },
    value_string: { type: 'string' },
    value_strings: { type: 'strings' },
  },
  infer(ctx) {
    const value = constantValue(ctx);
    return [{ dtype: value.dtype, shape: [...value.shape] }];
  },
  inferValue(ctx) {
    const value = constantValue(ctx);
    if (!INT_TYPES.includes(value.dtype) || value.shape.length > 1 || value.data.length > MAX_KNOWN_ELEMENTS) return undefined;
    return intValues(value) as Dim[];
  },
  evaluate(ctx) {
    return [constantValue(ctx)];
  },
};
