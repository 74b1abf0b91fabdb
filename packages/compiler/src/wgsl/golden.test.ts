/**
 * Golden WGSL for the attention, matmul and vision (Conv, pool, CBAM) kernels: the generated source of
 * a few representative variants is compared byte-for-byte with
 * golden/<kernel>.wgsl. A refactor of the generators must leave these files
 * unchanged; a deliberate change regenerates them with
 * `LADON_UPDATE_GOLDEN=1 npx vitest run src/wgsl/golden.test.ts` (run in
 * packages/compiler) and the diff is reviewed like code.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GraphBuilder, tensor, type WgslKernel } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { kernelSource, type KernelDecl } from './kernel.js';
import { lowerToWgsl } from './lower-wgsl.js';
import { attentionKernel } from './kernels/attention.js';
import { matmulKernel } from './kernels/matmul.js';

const GOLDEN_DIR = new URL('./golden/', import.meta.url);
const UPDATE = process.env.LADON_UPDATE_GOLDEN === '1';

/** The kernels of a few graphs: element-wise, copy, index, fill, reduction, row, pad, gather/scatter, one-hot and dropout kernels. */
function programKernels(): WgslKernel[] {
  const elementwise = new GraphBuilder('golden_wgsl_elementwise');
  const x = elementwise.input('x', 'f32', ['rows', 8]);
  const y = elementwise.input('y', 'f32', [8]);
  const n = elementwise.input('n', 'i32', ['rows', 8]);
  elementwise.output(elementwise.op('Gelu', [elementwise.op('Add', [x, y])], { approximate: 'tanh' }), 'gelu');
  elementwise.output(elementwise.op('Erf', [elementwise.op('Exp', [elementwise.op('Sqrt', [elementwise.op('Tanh', [x])])])]), 'math');
  elementwise.output(elementwise.op('Pow', [x, y]), 'power');
  const condition = elementwise.op('Equal', [x, y]);
  elementwise.output(elementwise.op('Where', [condition, x, y]), 'select');
  elementwise.output(elementwise.op('Cast', [condition], { to: 1 }), 'cast');
  elementwise.output(elementwise.op('Div', [n, elementwise.op('Relu', [n])]), 'quotient');

  const coverage = new GraphBuilder('golden_wgsl_elementwise_coverage');
  const c = coverage.input('x', 'f32', ['rows', 8]);
  const row = coverage.input('y', 'f32', [8]);
  coverage.output(coverage.op('Mish', [c]), 'mish');
  coverage.output(coverage.op('Log', [c]), 'log');
  coverage.output(coverage.op('Or', [coverage.op('IsNaN', [c]), coverage.op('IsInf', [c])]), 'special');
  coverage.output(coverage.op('Mod', [c, row], { fmod: 1 }), 'fmod');
  coverage.output(coverage.op('Mod', [coverage.input('n', 'i32', ['rows', 8]), coverage.constant(tensor('i32', [], [3]))]), 'mod');
  coverage.output(coverage.op('Max', [c, row, coverage.input('scalar', 'f32', [])]), 'max');
  coverage.output(coverage.op('Clip', [c, coverage.input('low', 'f32', []), coverage.input('high', 'f32', [])]), 'clipped');

  const movement = new GraphBuilder('golden_wgsl_data_movement');
  const data = movement.input('x', 'f32', [2, 'seq', 8]);
  movement.output(movement.op('Transpose', [data], { perm: [1, 0, 2] }), 'transposed');
  movement.output(movement.op('Gather', [movement.constant(tensor('f32', [16, 4]), 'table'), movement.input('ids', 'i64', ['n'])], { axis: 0 }), 'gathered');
  movement.output(movement.op('Range', [movement.constant(tensor('i64', [], [0])), movement.constant(tensor('i64', [], [6])), movement.constant(tensor('i64', [], [1]))]), 'range');
  movement.output(movement.op('ConstantOfShape', [movement.ints([3, 2])], { value: tensor('i32', [1], [7]) }), 'sevens');
  movement.output(movement.op('Trilu', [movement.input('square', 'f32', [5, 5])], { upper: 0 }), 'lower');

  const rows = new GraphBuilder('golden_wgsl_reductions');
  const r = rows.input('x', 'f32', [2, 'seq', 4, 8]);
  rows.output(rows.op('ReduceMean', [r, rows.ints([0, 2])]), 'mean');
  rows.output(rows.op('ReduceLogSumExp', [r, rows.ints([-1])]), 'log_sum_exp');
  rows.output(rows.op('ReduceMax', [rows.input('flags', 'bool', [3, 'seq']), rows.ints([1])]), 'any');
  rows.output(rows.op('LayerNormalization', [r, rows.constant(tensor('f32', [8], new Float32Array(8).fill(1))), rows.constant(tensor('f32', [8]))]), 'normalized');
  rows.output(rows.op('Softmax', [r], { axis: 1 }), 'softmax');
  rows.output(rows.op('LogSoftmax', [r], { axis: -1 }), 'log_softmax');
  const [, mean, invStd] = rows.opMulti('LayerNormalization', [r, rows.constant(tensor('f32', [8], new Float32Array(8).fill(1)))], {}, 3);
  rows.output(mean!, 'mean_statistic');
  rows.output(invStd!, 'inv_std_statistic');
  rows.output(rows.op('RMSNormalization', [r, rows.constant(tensor('f32', [8], new Float32Array(8).fill(2)))]), 'rms_normalized');
  const lines = new GraphBuilder('golden_wgsl_along_axis');
  const l = lines.input('x', 'f32', ['rows', 8]);
  const [values] = lines.opMulti('TopK', [l, lines.constant(tensor('i64', [1], [3n]))], { axis: -1 }, 2);
  lines.output(values!, 'values');
  lines.output(lines.op('CumSum', [lines.input('n', 'i32', ['rows', 8]), lines.constant(tensor('i32', [], [1]))], { exclusive: 1, reverse: 1 }), 'sums');
  const rotary = lines.input('heads', 'f32', ['batch', 2, 'seq', 8]);
  const caches = ['cos', 'sin'].map((name) => lines.input(name, 'f32', [32, 2]));
  lines.output(lines.op('RotaryEmbedding', [rotary, ...caches, lines.input('positions', 'i64', ['batch', 'seq'])], { rotary_embedding_dim: 4 }), 'rotated');
  const indexed = new GraphBuilder('golden_wgsl_indexed');
  const v = indexed.input('x', 'f32', ['rows', 6]);
  const picks = indexed.input('indices', 'i64', ['rows', 2]);
  indexed.output(indexed.op('Pad', [v, indexed.ints([1, 2, 0, 1])], { mode: 'reflect' }), 'reflected');
  indexed.output(indexed.op('Pad', [v, indexed.ints([0, 1, 2, 0]), indexed.input('value', 'f32', [])]), 'padded');
  indexed.output(indexed.op('Tile', [v, indexed.ints([2, 1])]), 'tiled');
  indexed.output(indexed.op('GatherElements', [v, picks], { axis: 1 }), 'picked');
  indexed.output(indexed.op('GatherND', [v, indexed.input('tuples', 'i32', ['n', 2])]), 'cells');
  indexed.output(indexed.op('ScatterElements', [v, picks, indexed.input('updates', 'f32', ['rows', 2])], { axis: 1, reduction: 'add' }), 'scattered');
  indexed.output(indexed.op('ScatterND', [v, indexed.input('rows_at', 'i64', [3, 1]), indexed.input('new_rows', 'f32', [3, 6])]), 'replaced');
  indexed.output(indexed.op('OneHot', [picks, indexed.constant(tensor('i64', [], [5])), indexed.constant(tensor('f32', [2], [0, 1]))]), 'hot');
  const [dropped, mask] = indexed.opMulti('Dropout', [v, indexed.scalar(0.25), indexed.constant(tensor('bool', [], [true]))], { seed: 3 }, 2);
  indexed.output(dropped!, 'dropped');
  indexed.output(mask!, 'mask');
  indexed.output(indexed.op('Range', [indexed.input('start', 'f32', []), indexed.input('limit', 'f32', []), indexed.input('delta', 'f32', [])]), 'range');
  const vision = new GraphBuilder('golden_wgsl_vision');
  const image = vision.input('x', 'f32', ['batch', 4, 6, 6]);
  const weight = (shape: number[]) => vision.constant(tensor('f32', shape, new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.25)));
  vision.output(vision.op('Conv', [image, weight([8, 4, 3, 3]), weight([8])], { pads: [1, 1, 1, 1] }), 'conv');
  vision.output(vision.op('AveragePool', [image], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }), 'pooled');
  vision.output(vision.op('CBAM', [image, weight([2, 4]), weight([2]), weight([4, 2]), weight([4]), weight([1, 2, 3, 3])]), 'attended');
  return [elementwise.build(), coverage.build(), movement.build(), rows.build(), lines.build(), indexed.build(), vision.build()].flatMap((graph) => lowerToWgsl(graph, []).wgsl!.kernels);
}

const KERNELS: readonly KernelDecl[] = [
  attentionKernel({ headSize: 64, vHeadSize: 64, element: 'f32', vElement: 'f32', mask: 'none', nonpad: false }),
  attentionKernel({ headSize: 8, vHeadSize: 10, element: 'f32', vElement: 'f32', mask: 'bool', nonpad: true }),
  attentionKernel({ headSize: 8, vHeadSize: 8, element: 'f32', vElement: 'f32', mask: 'float', nonpad: false, scores: 3 }),
  attentionKernel({ headSize: 16, vHeadSize: 16, element: 'f32', vElement: 'f32', mask: 'bool', nonpad: false, rotary: { half: 4, interleaved: false }, alibi: 'relative', keyPositions: true }),
  attentionKernel({ headSize: 8, vHeadSize: 8, element: 'f32', vElement: 'f32', mask: 'none', nonpad: false, rotary: { half: 4, interleaved: true }, relative: true }),
  matmulKernel({ element: 'f32', hasC: false }),
  matmulKernel({ element: 'f32', hasC: true }),
];

/** The golden file's text: how to regenerate it, then the kernel's source. */
function goldenText(name: string, source: string): string {
  return [
    `// Golden file for WGSL kernel ${name}, compared byte-for-byte by src/wgsl/golden.test.ts.`,
    '// Regenerate (after a deliberate change only): LADON_UPDATE_GOLDEN=1 npx vitest run src/wgsl/golden.test.ts (in packages/compiler)',
    '',
    source,
  ].join('\n');
}

const GOLDEN_KERNELS: readonly (readonly [string, string])[] = [
  ...KERNELS.map((decl) => [decl.name, kernelSource(decl)] as const),
  ...programKernels().map((kernel) => [kernel.name, kernel.source] as const),
];

describe('golden WGSL', () => {
  it.each(GOLDEN_KERNELS)('%s matches golden/%s.wgsl', (name, source) => {
    const file = fileURLToPath(new URL(`${name}.wgsl`, GOLDEN_DIR));
    const text = goldenText(name, source);
    if (UPDATE) writeFileSync(file, text);
    expect(existsSync(file), `${file} is missing; run with LADON_UPDATE_GOLDEN=1 to create it`).toBe(true);
    expect(text === readFileSync(file, 'utf8'), `${name} differs from ${file}; regenerate with LADON_UPDATE_GOLDEN=1 if the change is intended`).toBe(true);
  });
});
