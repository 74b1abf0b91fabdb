/**
 * Element-wise kernels with NumPy broadcasting. The lowering collapses the
 * output shape to at most 6 axes on which every input either follows the
 * output (contiguous) or is broadcast (stride 0); the kernel receives the
 * collapsed output dims and derives each input's strides from them.
 *
 * The innermost axis runs four lanes at a time when the op has a vector
 * form and every value is 4 bytes wide (bool inputs widen to 4 lanes); the
 * remaining elements run through the scalar form, or through the vector
 * form on a splat (lane 0 is kept) when the op has no scalar form. An input
 * broadcast along the innermost axis is loaded once per row.
 *
 * i8 and u8 elements load sign- or zero-extended to i32 and store their
 * low byte (so results wrap to 8 bits); they run the scalar form.
 *
 * Parameters: one pointer per input, the output pointer, then the dims.
 */
import { dtypeSize, type DType } from '@ladon/ir';
import type { BroadcastLayout } from '../../lower/plans/broadcast.js';
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';
import type { ScalarForm } from './elementwise-scalar.js';
import type { VectorForm } from './elementwise-vector.js';

/** How an element-wise op computes its result (rendered from its scalar expression; see elementwise-vector.ts, elementwise-scalar.ts). */
export interface ElementwiseOp {
  /** Names the op and everything baked into it (e.g. `pow_c2`). */
  readonly name: string;
  readonly inputs: readonly DType[];
  readonly output: DType;
  /**
   * Statements setting `out` from four lanes of each input (f32 lanes for
   * f32, i32 lanes for i32 and bool). Only used when the output is 4 bytes wide.
   */
  readonly vector?: VectorForm;
  /**
   * One result from scalar inputs (f32 as f32, i32, i8, u8 and bool as i32, i64 as
   * i64). Each input is a thunk that loads it afresh, so an input may be used
   * more than once (i64 values cannot live in locals).
   */
  readonly scalar?: ScalarForm;
  /** The printed expression: what the kernel's name stands for. */
  readonly identity: string;
}

/** The parameter names of an element-wise kernel. */
export function elementwiseParams(op: ElementwiseOp, rank: number): string[] {
  return [...op.inputs.map((_, index) => `in${index}`), 'out', ...Array.from({ length: rank }, (_, axis) => `d${axis}`)];
}

/** The element-wise kernel of `op` on a broadcast layout. */
export function elementwiseKernel(op: ElementwiseOp, layout: BroadcastLayout): KernelSpec {
  const pattern = layout.broadcast.map((mask) => mask.map((isBroadcast) => (isBroadcast ? '0' : '1')).join('')).join('_');
  return {
    name: `ew_${op.name}_${[...op.inputs, op.output].join('')}_r${layout.dims.length}_${pattern}`,
    params: elementwiseParams(op, layout.dims.length),
    build: (f) => buildElementwise(f, op, layout),
    identity: op.identity,
  };
}

/** True when the inner loop can run four lanes at a time. */
function vectorizable(op: ElementwiseOp): boolean {
  return op.vector !== undefined && dtypeSize(op.output) === 4 && op.inputs.every((dtype) => dtype === 'bool' || dtypeSize(dtype) === 4);
}

interface Pointers {
  /** Per input: its pointer at the current position of each axis level (index = axis). */
  readonly inputs: readonly (readonly Local[])[];
  readonly output: readonly Local[];
  /** Per input and axis: stride in bytes (0 when broadcast). */
  readonly strides: readonly (readonly Local[])[];
  readonly outputStrides: readonly Local[];
}

function buildElementwise(f: FunctionBuilder, op: ElementwiseOp, layout: BroadcastLayout): Expr[] {
  const rank = layout.dims.length;
  const levels = (prefix: string): Local[] => Array.from({ length: rank }, (_, axis) => f.local(`${prefix}_${axis}`, 'i32'));
  const pointers: Pointers = {
    inputs: op.inputs.map((_, index) => levels(`p${index}`)),
    output: levels('po'),
    strides: op.inputs.map((_, index) => levels(`s${index}`)),
    outputStrides: levels('so'),
  };
  const setup: Expr[] = [];
  op.inputs.forEach((dtype, index) => {
    setup.push(...strideSetup(f, pointers.strides[index], layout.broadcast[index], dtypeSize(dtype)));
    setup.push(pointers.inputs[index][0].set(f.get(`in${index}`)));
  });
  setup.push(...strideSetup(f, pointers.outputStrides, new Array<boolean>(rank).fill(false), dtypeSize(op.output)));
  setup.push(pointers.output[0].set(f.get('out')));
  return [...setup, ...axisLoops(f, op, layout, pointers, 0)];
}

/** Sets each axis' stride in bytes: 0 where broadcast, else the element size times the later non-broadcast dims. */
function strideSetup(f: FunctionBuilder, strides: readonly Local[], broadcast: readonly boolean[], elementSize: number): Expr[] {
  const statements: Expr[] = [];
  let running = (): Expr => f.i32.const(elementSize);
  for (let axis = strides.length - 1; axis >= 0; axis--) {
    const local = strides[axis];
    if (broadcast[axis]) {
      statements.push(local.set(f.i32.const(0)));
      continue;
    }
    statements.push(local.set(running()));
    const dim = `d${axis}`;
    running = () => f.i32.mul(local.get(), f.get(dim));
  }
  return statements;
}

/** Loops over the outer axes (moving every pointer by its stride), then the inner row. */
function axisLoops(f: FunctionBuilder, op: ElementwiseOp, layout: BroadcastLayout, pointers: Pointers, axis: number): Expr[] {
  if (axis === layout.dims.length - 1) return innerRow(f, op, layout, pointers);
  const i = f.i32;
  const index = f.local(`i${axis}`, 'i32');
  const enter = [
    ...pointers.inputs.map((levels) => levels[axis + 1].set(levels[axis].get())),
    pointers.output[axis + 1].set(pointers.output[axis].get()),
  ];
  const advance = [
    ...pointers.inputs.map((levels, input) => levels[axis].set(i.add(levels[axis].get(), pointers.strides[input][axis].get()))),
    pointers.output[axis].set(i.add(pointers.output[axis].get(), pointers.outputStrides[axis].get())),
  ];
  return [f.for(index, i.const(0), f.get(`d${axis}`), 1, [...enter, ...axisLoops(f, op, layout, pointers, axis + 1), ...advance])];
}

/** The innermost axis: vector steps, then the remaining elements one at a time. */
function innerRow(f: FunctionBuilder, op: ElementwiseOp, layout: BroadcastLayout, pointers: Pointers): Expr[] {
  const i = f.i32;
  const last = layout.dims.length - 1;
  const length = f.get(`d${last}`);
  const j = f.local('j', 'i32');
  const address = (input: number, element: Expr): Expr => {
    const base = pointers.inputs[input][last].get();
    return layout.broadcast[input][last] ? base : i.add(base, i.mul(element, i.const(dtypeSize(op.inputs[input]))));
  };
  const outAddress = (element: Expr): Expr => i.add(pointers.output[last].get(), i.mul(element, i.const(dtypeSize(op.output))));
  const statements: Expr[] = [j.set(i.const(0))];
  if (vectorizable(op)) {
    const result = f.local('vectorResult', 'v128');
    const hoisted = op.inputs.map((dtype, input) => (layout.broadcast[input][last] ? f.local(`row${input}`, 'v128') : undefined));
    hoisted.forEach((local, input) => {
      if (local) statements.push(local.set(splatLoad(f, op.inputs[input], address(input, i.const(0)))));
    });
    const lanes = (): Expr[] => op.inputs.map((dtype, input) => hoisted[input]?.get() ?? vectorLoad(f, dtype, address(input, j.get())));
    statements.push(
      f.for(j, i.const(0), i.sub(length, i.const(3)), 4, [...op.vector!(f, result, lanes()), f.f32x4.store(outAddress(j.get()), result.get())]),
    );
  }
  statements.push(f.for(j, j.get(), f.get(`d${last}`), 1, scalarElement(f, op, (input) => address(input, j.get()), outAddress(j.get()))));
  return statements;
}

/** One element: the scalar form, or the vector form on splats keeping lane 0. */
function scalarElement(f: FunctionBuilder, op: ElementwiseOp, address: (input: number) => Expr, out: Expr): Expr[] {
  if (op.scalar) return [storeScalar(f, op.output, out, op.scalar(f, op.inputs.map((dtype, input) => () => loadScalar(f, dtype, address(input)))))];
  const result = f.local('splatResult', 'v128');
  const inputs = op.inputs.map((dtype, input) => splatLoad(f, dtype, address(input)));
  const lane = op.output === 'f32' ? f.f32x4.extract(result.get(), 0) : f.lanes.extractI32(result.get(), 0);
  return [...op.vector!(f, result, inputs), storeScalar(f, op.output, out, lane)];
}

function vectorLoad(f: FunctionBuilder, dtype: DType, pointer: Expr): Expr {
  return dtype === 'bool' ? f.f32x4.loadBytesAsI32x4(pointer) : f.f32x4.load(pointer);
}

function splatLoad(f: FunctionBuilder, dtype: DType, pointer: Expr): Expr {
  return dtypeSize(dtype) === 1 ? f.f32x4.i32x4Splat(loadScalar(f, dtype, pointer)) : f.f32x4.loadSplat(pointer);
}

function loadScalar(f: FunctionBuilder, dtype: DType, pointer: Expr): Expr {
  switch (dtype) {
    case 'f32': return f.f32.load(pointer);
    case 'i32': return f.i32.load(pointer);
    case 'i64': return f.i64.load(pointer);
    case 'i8': return f.i32.load8S(pointer);
    default: return f.i32.load8(pointer);
  }
}

function storeScalar(f: FunctionBuilder, dtype: DType, pointer: Expr, value: Expr): Expr {
  switch (dtype) {
    case 'f32': return f.f32.store(pointer, value);
    case 'i32': return f.i32.store(pointer, value);
    case 'i64': return f.i64.store(pointer, value);
    default: return f.i32.store8(pointer, value);
  }
}
