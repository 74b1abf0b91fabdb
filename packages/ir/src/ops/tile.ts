/**
 * Tile (ONNX Tile-13): the input repeated `repeats[a]` times along each
 * axis a (repeats: i64 1-D, one entry per axis). Output dim a is
 * dim[a] · repeats[a]; repeats that arrive at run time leave those dims to
 * the host.
 */
import { mulDims, UNKNOWN_DIM, type Dim } from '../dim.js';
import type { OpDef } from '../op-def.js';
import { formatType, stridesOf } from '../shape.js';
import { intValues } from './kernel-utils.js';
import { expectIntInput, productOf, takeElements } from './shape-op-utils.js';

/** Tile: the input repeated along every axis. */
export const Tile: OpDef = {
  name: 'Tile',
  summary: 'the input repeated along each axis',
  inputs: [{ name: 'input' }, { name: 'repeats', static: true }],
  outputs: [{ name: 'output' }],
  attributes: {},
  infer(ctx) {
    const input = ctx.type(0);
    const repeatsType = expectIntInput(ctx, 1);
    const rank = input.shape.length;
    if (typeof repeatsType.shape[0] === 'number' && repeatsType.shape[0] !== rank) {
      return ctx.failShape(`repeats ${ctx.inputRef(1)} ${formatType(repeatsType)} must have one entry per axis of input ${ctx.inputRef(0)} ${formatType(input)}`, ctx.node.inputs[1]);
    }
    const repeats = ctx.known(1);
    const negative = repeats?.find((repeat) => typeof repeat === 'number' && repeat < 0);
    if (negative !== undefined) return ctx.failShape(`repeats ${ctx.inputRef(1)} [${repeats!.join(', ')}] has a negative entry ${negative}`, ctx.node.inputs[1]);
    const shape: Dim[] = input.shape.map((dim, axis) => (repeats ? mulDims(dim, repeats[axis]) : dim === 0 ? 0 : UNKNOWN_DIM));
    return [{ dtype: input.dtype, shape }];
  },
  evaluate(ctx) {
    const input = ctx.input(0);
    const repeats = intValues(ctx.input(1));
    const rank = input.shape.length;
    if (repeats.length !== rank) ctx.failEval(`repeats [${repeats.join(', ')}] must have ${rank} entries`);
    if (repeats.some((repeat) => repeat < 0)) ctx.failEval(`repeats [${repeats.join(', ')}] has a negative entry`);
    const shape = input.shape.map((dim, axis) => dim * repeats[axis]);
    const inStrides = stridesOf(input.shape);
    const outStrides = stridesOf(shape);
    const map = new Int32Array(productOf(shape));
    for (let flat = 0; flat < map.length; flat++) {
      let source = 0;
      for (let axis = 0; axis < rank; axis++) source += (Math.floor(flat / outStrides[axis]) % shape[axis] % input.shape[axis]) * inStrides[axis];
      map[flat] = source;
    }
    return [takeElements(input, shape, map)];
  },
};
