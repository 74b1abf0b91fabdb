/**
 * The scalar-expression vocabulary on every backend: each primitive (and a
 * vocabulary function), for each type it takes, defined as a one-node
 * element-wise op (registered like an op defined outside @ladon/ir), run on
 * wasm and WebGPU (all of them in one program per backend) and compared
 * with the reference interpreter. Shapes [3, 37] (rows longer than a SIMD
 * vector, with a tail), the second operand [37] broadcast against them. An op defined from these pieces needs no backend
 * code, so this is what every such op relies on.
 */
import { compileProgram } from '@ladon/compiler';
import { compareTensors, defineElementwise, GraphBuilder, hasOp, interpret, registerOp, scalar, type DType, type Graph, type ScalarExpr, type Tensor } from '@ladon/ir';
import { randomFeeds, seededRandom, type FillSpec } from '@ladon/ir/testing';
import { Session, WasmSession } from '@ladon/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeGpu } from '../src/gpu.js';

interface VocabularyCase {
  readonly name: string;
  readonly inputs: readonly DType[];
  readonly output?: DType;
  readonly expression: (inputs: readonly ScalarExpr[]) => ScalarExpr;
}

const s = scalar;
const FLOAT_UNARY = ['neg', 'abs', 'sqrt', 'exp', 'log', 'erf', 'tanh', 'floor', 'trunc', 'round'] as const;
const INTEGER_UNARY = ['neg', 'abs', 'floor', 'trunc', 'round'] as const;
const BINARY = ['add', 'sub', 'mul', 'div', 'max', 'min'] as const;
const COMPARE = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
const TYPES = ['f32', 'i32', 'i64', 'bool'] as const;

const TWICE: scalar.ScalarFunction = { name: 'halfsquare', reference: (x) => (x * x) / 2, body: (x) => s.mul(s.mul(x, x), s.constant(0.5)) };

const CASES: readonly VocabularyCase[] = [
  ...FLOAT_UNARY.map((op) => ({ name: `${op}_f32`, inputs: ['f32'] as DType[], expression: ([x]: readonly ScalarExpr[]) => s[op](x) })),
  ...(['i32', 'i64'] as const).flatMap((type) => INTEGER_UNARY.map((op) => ({ name: `${op}_${type}`, inputs: [type], expression: ([x]: readonly ScalarExpr[]) => s[op](x) }))),
  { name: 'isnan_f32', inputs: ['f32'], output: 'bool', expression: ([x]) => s.isNaN(s.log(x)) },
  { name: 'math_beside_i64', inputs: ['i64', 'f32'], output: 'f32', expression: ([a, b]) => s.add(s.exp(s.convert(a, 'f32')), s.pow(s.abs(b), s.tanh(b))) },
  ...(['f32', 'i32', 'i64'] as const).flatMap((type) => BINARY.map((op) => ({ name: `${op}_${type}`, inputs: [type, type], expression: ([a, b]: readonly ScalarExpr[]) => s[op](a, b) }))),
  { name: 'pow_f32', inputs: ['f32', 'f32'], expression: ([a, b]) => s.pow(a, b) },
  ...(['f32', 'i32', 'i64', 'bool'] as const).flatMap((type) => COMPARE.map((op) => ({ name: `${op}_${type}`, inputs: [type, type], output: 'bool' as DType, expression: ([a, b]: readonly ScalarExpr[]) => s[op](a, b) }))),
  { name: 'and_or_not', inputs: ['bool', 'bool'], output: 'bool', expression: ([a, b]) => s.or(s.and(a, s.not(b)), s.not(a)) },
  ...TYPES.map((type) => ({ name: `select_${type}`, inputs: ['bool', type, type] as DType[], output: type, expression: ([c, a, b]: readonly ScalarExpr[]) => s.select(c, a, b) })),
  ...(['f32', 'i32', 'i64'] as const).map((type) => ({ name: `max_nan_${type}`, inputs: [type, type], expression: ([a, b]: readonly ScalarExpr[]) => s.max(type === 'f32' ? s.sqrt(a) : a, b) })),
  ...TYPES.flatMap((from) => TYPES.filter((to) => to !== from).map((to) => ({ name: `convert_${from}_${to}`, inputs: [from], output: to, expression: ([x]: readonly ScalarExpr[]) => s.convert(x, to) }))),
  { name: 'muladd_f32', inputs: ['f32', 'f32', 'f32'], expression: ([a, b, c]) => s.muladd(a, b, c) },
  { name: 'shared_and_call_f32', inputs: ['f32'], expression: ([x]) => s.add(s.call(TWICE, s.sub(x, s.constant(1))), s.mul(x, x)) },
];

/** The op of a case (registered once). */
function opOf(spec: VocabularyCase): string {
  const name = `Vocabulary_${spec.name}`;
  if (hasOp(name)) return name;
  registerOp(
    defineElementwise({
      name,
      summary: `the vocabulary's ${spec.name}`,
      kind: 'unary',
      inputs: spec.inputs.map((type, index) => ({ name: `x${index}`, types: [type] })),
      ...(spec.output ? { output: () => spec.output! } : {}),
      expression: (ctx) => spec.expression(ctx.inputs),
    }),
  );
  return name;
}

/** One graph computing every case (output `y_<case>`), so each backend compiles one program. */
function vocabularyGraph(): Graph {
  const g = new GraphBuilder('vocabulary');
  const rows = Object.fromEntries(TYPES.map((type) => [type, g.input(`rows_${type}`, type, [3, 37])]));
  const row = Object.fromEntries(TYPES.map((type) => [type, g.input(`row_${type}`, type, [37])]));
  const third = Object.fromEntries(TYPES.map((type) => [type, g.input(`third_${type}`, type, [3, 37])]));
  for (const spec of CASES) {
    const inputs = spec.inputs.map((type, index) => [rows, row, third][index][type as (typeof TYPES)[number]]);
    g.output(g.op(opOf(spec), inputs), `y_${spec.name}`);
  }
  return g.build();
}

const GRAPH = vocabularyGraph();
const FEEDS = randomFeeds(GRAPH, {}, seededRandom(7), Object.fromEntries(GRAPH.inputs.map((name): [string, FillSpec] => [name, { low: -3, high: 3 }])));
const EXPECTED = interpret(GRAPH, FEEDS);
const TOLERANCE = { rtol: 1e-4, atol: 1e-5 };

function expectCase(name: string, actual: Record<string, Tensor>): void {
  expect(compareTensors(actual[`y_${name}`], EXPECTED[`y_${name}`], TOLERANCE).problem ?? 'ok', name).toBe('ok');
}

const NAMES = CASES.map((spec) => spec.name);

describe('the scalar vocabulary on wasm', () => {
  let actual: Record<string, Tensor>;
  beforeAll(async () => {
    const session = await WasmSession.create(await compileProgram(GRAPH, { target: 'wasm', passes: [] }));
    actual = await session.run(FEEDS);
  });
  it.each(NAMES)('%s', (name) => expectCase(name, actual));
});

describeGpu('the scalar vocabulary on webgpu', () => {
  let actual: Record<string, Tensor>;
  beforeAll(async () => {
    const session = await Session.create(await compileProgram(GRAPH, { target: 'wgsl', passes: [] }), { backend: 'webgpu' });
    actual = await session.run(FEEDS);
    session.dispose();
  });
  it.each(NAMES)('%s', (name) => expectCase(name, actual));
});
