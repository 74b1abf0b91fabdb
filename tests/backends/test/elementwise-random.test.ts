/**
 * Every element-wise op of the op set, for each dtype it takes, on wasm
 * and WebGPU against the reference interpreter, on seeded random inputs
 * beyond the ONNX cases: the first operand non-contiguous (a Transpose of
 * a graph input), the second a broadcast row, a third a scalar; symbolic
 * sizes run at three bindings, one with size-1 axes and one with a
 * zero-size axis. One program per backend computes every case (outputs
 * `y_<case>`). The case table must name every element-wise op, so a new
 * one cannot go untested here.
 */
import { compileProgram } from '@ladon/compiler';
import { compareTensors, getOpDef, GraphBuilder, interpret, listOps, type Attributes, type DType, type Graph, type Tensor, type ValueRef } from '@ladon/ir';
import { randomFeeds, seededRandom, type FillSpec } from '@ladon/ir/testing';
import { Session, WasmSession } from '@ladon/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeGpu } from '../src/gpu.js';

/** Operand kinds: `t` transposed (non-contiguous), `b` a broadcast row, `s` a scalar, `h` a positive scalar, `p` positive, `w` wide (±300), `c` bool condition. */
type Operand = 't' | 'b' | 's' | 'h' | 'p' | 'w' | 'c';

interface OpCase {
  readonly op: string;
  readonly dtypes: readonly DType[];
  /** The operands, in order (default: one transposed operand). */
  readonly operands?: readonly Operand[];
  readonly attrs?: Attributes;
  /** A name suffix when an op has several cases. */
  readonly tag?: string;
}

const FLOATS: readonly DType[] = ['f32', 'f16'];
const NUMBERS: readonly DType[] = ['f32', 'i32', 'i64', 'i8', 'u8'];
const SIGNED: readonly DType[] = ['f32', 'i32', 'i64', 'i8'];

const CASES: readonly OpCase[] = [
  ...['Sqrt', 'Log'].map((op) => ({ op, dtypes: FLOATS, operands: ['p'] as Operand[] })),
  ...['Exp', 'Erf', 'Tanh', 'Sigmoid', 'Sin', 'Cos', 'Reciprocal', 'Floor', 'Ceil', 'Round', 'Gelu', 'Softplus', 'Softsign', 'Mish', 'HardSwish'].map((op) => ({ op, dtypes: FLOATS })),
  { op: 'Gelu', dtypes: ['f32'], attrs: { approximate: 'tanh' }, tag: 'tanh' },
  { op: 'LeakyRelu', dtypes: FLOATS, attrs: { alpha: 0.3 } },
  { op: 'Elu', dtypes: FLOATS, attrs: { alpha: 0.7 } },
  { op: 'Selu', dtypes: ['f32'] },
  { op: 'HardSigmoid', dtypes: ['f32'], attrs: { alpha: 0.3, beta: 0.4 } },
  ...['Neg', 'Relu', 'Abs', 'Sign'].map((op) => ({ op, dtypes: SIGNED })),
  ...['Add', 'Sub', 'Mul', 'Div'].map((op) => ({ op, dtypes: [...NUMBERS, 'f16'] as DType[], operands: ['t', 'b'] as Operand[] })),
  { op: 'Pow', dtypes: ['f32'], operands: ['p', 'b'] },
  { op: 'Pow', dtypes: ['i32', 'i64'], operands: ['p', 'p'], tag: 'integer' },
  { op: 'Mod', dtypes: ['i32', 'i64', 'i8', 'u8'], operands: ['t', 'b'] },
  { op: 'Mod', dtypes: FLOATS, operands: ['t', 'b'], attrs: { fmod: 1 }, tag: 'fmod' },
  ...['Max', 'Min'].map((op) => ({ op, dtypes: [...NUMBERS, 'f16'] as DType[], operands: ['t', 'b', 's'] as Operand[] })),
  ...['Sum', 'Mean'].map((op) => ({ op, dtypes: FLOATS, operands: ['t', 'b', 's'] as Operand[] })),
  { op: 'Clip', dtypes: NUMBERS, operands: ['t', 's', 'h'] },
  { op: 'Clip', dtypes: ['f32'], operands: ['t', 's'], tag: 'min' },
  ...['Equal', 'Less', 'LessOrEqual', 'Greater', 'GreaterOrEqual'].map((op) => ({ op, dtypes: NUMBERS, operands: ['t', 'b'] as Operand[] })),
  { op: 'Equal', dtypes: ['bool'], operands: ['t', 'b'], tag: 'bool' },
  ...['And', 'Or', 'Xor'].map((op) => ({ op, dtypes: ['bool'] as DType[], operands: ['t', 'b'] as Operand[] })),
  { op: 'Not', dtypes: ['bool'] },
  { op: 'Where', dtypes: [...NUMBERS, 'bool'], operands: ['c', 't', 'b'] },
  ...['IsNaN', 'IsInf'].map((op) => ({ op, dtypes: FLOATS })),
  { op: 'Cast', dtypes: NUMBERS, attrs: { to: 10 } },
  { op: 'Cast', dtypes: ['f32', 'i32', 'u8'], operands: ['w'], attrs: { to: 3 }, tag: 'i8' },
  { op: 'Cast', dtypes: ['f32', 'i64', 'i8'], operands: ['w'], attrs: { to: 2 }, tag: 'u8' },
  { op: 'CastLike', dtypes: ['f32', 'i64'], operands: ['t', 'c'] },
];

const DTYPES: readonly DType[] = ['f32', 'f16', 'i32', 'i64', 'i8', 'u8', 'bool'];
const SIZES = [{ batch: 2, seq: 7 }, { batch: 1, seq: 1 }, { batch: 3, seq: 0 }];

/** The graph inputs behind each operand kind of a dtype (the transposed one is a Transpose of `raw_<dtype>`). */
function operandsOf(g: GraphBuilder, dtype: DType): Record<Operand, ValueRef> {
  const raw = g.input(`raw_${dtype}`, dtype, [5, 'seq', 'batch']);
  return {
    t: g.op('Transpose', [raw], { perm: [2, 1, 0] }),
    b: g.input(`row_${dtype}`, dtype, [5]),
    s: g.input(`scalar_${dtype}`, dtype, []),
    h: g.input(`positive_scalar_${dtype}`, dtype, []),
    p: g.input(`positive_${dtype}`, dtype, ['batch', 'seq', 5]),
    w: g.input(`wide_${dtype}`, dtype, ['batch', 'seq', 5]),
    c: g.input(`condition_${dtype}`, 'bool', ['batch', 1, 5]),
  };
}

function caseName(spec: OpCase, dtype: DType): string {
  return `${spec.op}${spec.tag ? `_${spec.tag}` : ''}_${dtype}`;
}

/** One graph computing every case. */
function randomGraph(): Graph {
  const g = new GraphBuilder('elementwise_random');
  const operands = Object.fromEntries(DTYPES.map((dtype) => [dtype, operandsOf(g, dtype)])) as Record<DType, Record<Operand, ValueRef>>;
  for (const spec of CASES) {
    for (const dtype of spec.dtypes) {
      const inputs = (spec.operands ?? ['t']).map((kind) => operands[dtype][kind]);
      g.output(g.op(spec.op, inputs, spec.attrs ?? {}), `y_${caseName(spec, dtype)}`);
    }
  }
  return g.build();
}

function fillOf(name: string, dtype: DType): FillSpec {
  if (dtype === 'bool') return { trueChance: 0.5 };
  if (name.startsWith('positive_')) return { low: 0.5, high: 3 };
  if (name.startsWith('wide_')) return { low: -300, high: 300 };
  if (dtype === 'f32' || dtype === 'f16') return { low: -3, high: 3 };
  return dtype === 'i8' || dtype === 'u8' ? { low: -128, high: 127 } : { low: -9, high: 9 };
}

const GRAPH = randomGraph();
const NAMES = CASES.flatMap((spec) => spec.dtypes.map((dtype) => caseName(spec, dtype)));
const next = seededRandom(11);
const RUNS = SIZES.map((sizes) => {
  const fills = Object.fromEntries(GRAPH.inputs.map((name) => [name, fillOf(name, GRAPH.typeOf(name).dtype)]));
  const feeds = randomFeeds(GRAPH, sizes, next, fills);
  return { sizes, feeds, expected: interpret(GRAPH, feeds) };
});

/** f32 within 1e-4 relative; f16 results may round one f16 ulp (~1e-3 relative) the other way. */
const F32_TOLERANCE = { rtol: 1e-4, atol: 1e-5 };
const F16_TOLERANCE = { rtol: 1e-3, atol: 1e-4 };

function expectCase(name: string, actual: readonly Record<string, Tensor>[]): void {
  RUNS.forEach((run, index) => {
    const expected = run.expected[`y_${name}`];
    const problem = compareTensors(actual[index][`y_${name}`], expected, expected.dtype === 'f16' ? F16_TOLERANCE : F32_TOLERANCE).problem;
    expect(problem ?? 'ok', `${name} at ${JSON.stringify(run.sizes)}`).toBe('ok');
  });
}

describe('the case table', () => {
  it('names every element-wise op of the op set', () => {
    const tested = new Set(CASES.map((spec) => spec.op));
    expect(listOps().filter((op) => getOpDef(op).elementwise && !tested.has(op))).toEqual([]);
  });
});

describe('element-wise ops on wasm against the reference', () => {
  const actual: Record<string, Tensor>[] = [];
  beforeAll(async () => {
    const session = await WasmSession.create(await compileProgram(GRAPH, { target: 'wasm', passes: [] }));
    for (const run of RUNS) actual.push(await session.run(run.feeds));
  });
  it.each(NAMES)('%s', (name) => expectCase(name, actual));
});

describeGpu('element-wise ops on webgpu against the reference', () => {
  const actual: Record<string, Tensor>[] = [];
  beforeAll(async () => {
    const session = await Session.create(await compileProgram(GRAPH, { target: 'wgsl', passes: [] }), { backend: 'webgpu' });
    for (const run of RUNS) actual.push(await session.run(run.feeds));
    session.dispose();
  });
  it.each(NAMES)('%s', (name) => expectCase(name, actual));
});
