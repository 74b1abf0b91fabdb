/**
 * The convolution family and CBAM on wasm (plain and relaxed SIMD) and on
 * WebGPU, against the reference interpreter, on random inputs and shapes
 * chosen to reach every kernel path: tail tiles and panels, padding and
 * strides, groups and depthwise, 1-D and 3-D windows, weights computed at
 * run time, ceil mode and padding counted in averages, MaxPool indices,
 * every channel-normalisation statistics source, separable Resize steps,
 * and CBAM with one or both attentions and its maps as outputs.
 */
import { compileProgram } from '@ladon/compiler';
import { GraphBuilder, interpret, tensor, type Dim, type Graph, type ValueRef } from '@ladon/ir';
import { randomFeeds, randomTensor, seededRandom } from '@ladon/ir/testing';
import { Session } from '@ladon/runtime';
import { describe, it } from 'vitest';
import { describeGpu, expectOutputs } from '../src/gpu.js';
import { checkOnWasm } from '../src/wasm-check.js';

const next = seededRandom(2024);
const TOLERANCE = { rtol: 1e-4, atol: 2e-5 };

interface VisionCase {
  readonly name: string;
  readonly build: () => Graph;
  readonly sizes?: readonly Readonly<Record<string, number>>[];
}

function graphOf(name: string, build: (g: GraphBuilder) => Record<string, ValueRef>): Graph {
  const g = new GraphBuilder(name);
  for (const [output, value] of Object.entries(build(g))) g.output(value, output);
  return g.build();
}

const weight = (g: GraphBuilder, shape: number[], scale = 0.5) => g.constant(randomTensor(next, 'f32', shape, { low: -scale, high: scale }));

function conv(name: string, x: Dim[], w: number[], attrs: Record<string, number | number[] | string>, bias = true): VisionCase {
  return {
    name: `Conv ${name}`,
    build: () => graphOf('conv', (g) => ({ y: g.op('Conv', [g.input('x', 'f32', x), weight(g, w), bias ? weight(g, [w[0]]) : undefined], attrs) })),
    sizes: [{ batch: 1 }, { batch: 3 }],
  };
}

const CASES: readonly VisionCase[] = [
  conv('3x3 pad 1, 11 output channels (a tail panel), width 13 (a tail tile)', ['batch', 5, 9, 13], [11, 5, 3, 3], { pads: [1, 1, 1, 1] }),
  conv('stride 2, asymmetric pads, dilation 2, 2 groups, no bias', ['batch', 4, 11, 10], [6, 2, 3, 3], { strides: [2, 2], pads: [2, 1, 0, 2], dilations: [2, 2], group: 2 }, false),
  conv('1x1 read in place, 16 output channels', ['batch', 7, 6, 5], [16, 7, 1, 1], {}),
  conv('depthwise 3x3 stride 2 SAME_UPPER', ['batch', 6, 9, 9], [6, 1, 3, 3], { group: 6, strides: [2, 2], auto_pad: 'SAME_UPPER' }),
  conv('depthwise 5x5 stride 1 pads 2', ['batch', 3, 8, 11], [3, 1, 5, 5], { group: 3, pads: [2, 2, 2, 2] }),
  conv('1-D', ['batch', 3, 17], [5, 3, 4], { pads: [1, 2], strides: [2] }),
  conv('3-D', ['batch', 2, 4, 5, 6], [3, 2, 2, 3, 2], { pads: [1, 0, 1, 0, 1, 1] }),
  {
    name: 'Conv with its weight and bias computed at run time (packed by a step)',
    build: () => graphOf('conv_runtime', (g) => ({ y: g.op('Conv', [g.input('x', 'f32', ['batch', 3, 6, 7]), g.input('w', 'f32', [10, 3, 3, 3]), g.input('b', 'f32', [10])], { pads: [1, 1, 1, 1] }) })),
    sizes: [{ batch: 2 }],
  },
  {
    name: 'ConvTranspose stride 2, 2 groups, output_padding',
    build: () => graphOf('conv_transpose', (g) => ({ y: g.op('ConvTranspose', [g.input('x', 'f32', ['batch', 4, 3, 5]), weight(g, [4, 3, 3, 3]), weight(g, [6])], { strides: [2, 2], group: 2, output_padding: [1, 0], pads: [1, 0, 0, 1] }) })),
    sizes: [{ batch: 2 }],
  },
  {
    name: 'MaxPool 3x3 stride 2 pad 1 ceil mode, AveragePool with padding counted and not',
    build: () => graphOf('pools', (g) => {
      const x = g.input('x', 'f32', ['batch', 3, 10, 13]);
      return {
        max: g.op('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 }),
        counted: g.op('AveragePool', [x], { kernel_shape: [3, 2], strides: [2, 1], pads: [1, 0, 1, 1], count_include_pad: 1 }),
        uncounted: g.op('AveragePool', [x], { kernel_shape: [4, 4], strides: [3, 3], pads: [2, 2, 2, 2], ceil_mode: 1 }),
        dilated: g.op('MaxPool', [x], { kernel_shape: [2, 3], dilations: [2, 2] }),
      };
    }),
    sizes: [{ batch: 2 }],
  },
  {
    name: 'global pools, 1-D and 3-D pools, MaxPool indices (row and column major)',
    build: () => graphOf('pools_more', (g) => {
      const x = g.input('x', 'f32', ['batch', 4, 7, 9]);
      const line = g.input('line', 'f32', ['batch', 2, 19]);
      const volume = g.input('volume', 'f32', ['batch', 2, 5, 6, 7]);
      const [rows, rowIndices] = g.opMulti('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2] }, 2);
      const [columns, columnIndices] = g.opMulti('MaxPool', [x], { kernel_shape: [2, 2], pads: [1, 1, 1, 1], storage_order: 1 }, 2);
      return {
        gmax: g.op('GlobalMaxPool', [x]),
        gavg: g.op('GlobalAveragePool', [x]),
        lineAverage: g.op('AveragePool', [line], { kernel_shape: [3], strides: [2] }),
        volumeMax: g.op('MaxPool', [volume], { kernel_shape: [2, 3, 2], strides: [1, 2, 2] }),
        rows: rows!,
        rowIndices: rowIndices!,
        columns: columns!,
        columnIndices: columnIndices!,
      };
    }),
    sizes: [{ batch: 2 }],
  },
  {
    name: 'BatchNormalization with computed statistics and in training mode, Instance- and GroupNormalization',
    build: () => graphOf('norms', (g) => {
      const x = g.input('x', 'f32', ['batch', 6, 5, 7]);
      const channel = (name: string) => g.input(name, 'f32', [6]);
      const [scale, bias, mean] = [channel('scale'), channel('bias'), channel('mean')];
      const deviation = channel('deviation');
      const variance = g.op('Add', [g.op('Mul', [deviation, deviation]), g.constant(tensor('f32', [1], [0.5]))]);
      const [trained, runningMean, runningVariance] = g.opMulti('BatchNormalization', [x, scale, bias, mean, variance], { training_mode: 1, momentum: 0.8 }, 3);
      return {
        given: g.op('BatchNormalization', [x, scale, bias, mean, variance], { epsilon: 1e-3 }),
        trained: trained!,
        runningMean: runningMean!,
        runningVariance: runningVariance!,
        instance: g.op('InstanceNormalization', [x, scale, bias]),
        group: g.op('GroupNormalization', [x, scale, bias], { num_groups: 3, epsilon: 1e-2 }),
      };
    }),
    sizes: [{ batch: 1 }, { batch: 2 }],
  },
  {
    name: 'Resize: linear half_pixel, cubic with antialias, nearest on two axes, tf_crop_and_resize; DepthToSpace',
    build: () => graphOf('resize', (g) => {
      const x = g.input('x', 'f32', [2, 3, 6, 5]);
      const sizes = (values: number[]) => g.constant(tensor('i64', [values.length], values.map(BigInt)));
      const scales = (values: number[]) => g.constant(tensor('f32', [values.length], values));
      return {
        linear: g.op('Resize', [x, undefined, scales([1, 1, 1.5, 2.2])], { mode: 'linear' }),
        cubic: g.op('Resize', [x, undefined, undefined, sizes([2, 3, 4, 3])], { mode: 'cubic', antialias: 1 }),
        nearest: g.op('Resize', [x, undefined, undefined, sizes([9, 2])], { mode: 'nearest', axes: [3, 2], nearest_mode: 'ceil', coordinate_transformation_mode: 'asymmetric' }),
        crop: g.op('Resize', [x, scales([0.1, 0.2, 0.9, 1.3]), undefined, sizes([4, 6])], { mode: 'linear', axes: [2, 3], coordinate_transformation_mode: 'tf_crop_and_resize', extrapolation_value: 3 }),
        space: g.op('DepthToSpace', [g.op('Concat', [x, x, x, x], { axis: 1 })], { blocksize: 2, mode: 'CRD' }),
      };
    }),
  },
  ...[
    { name: 'CBAM with both attentions, biases and both maps as outputs', channel: true, spatial: true, maps: true, c: 12, h: 9, w: 30, r: 3, k: 7 },
    { name: 'CBAM with both attentions on odd sizes, no biases', channel: true, spatial: true, maps: false, c: 6, h: 5, w: 13, r: 2, k: 3 },
    { name: 'CBAM channel attention only', channel: true, spatial: false, maps: true, c: 10, h: 6, w: 6, r: 5, k: 0 },
    { name: 'CBAM spatial attention only', channel: false, spatial: true, maps: true, c: 5, h: 8, w: 11, r: 0, k: 5 },
  ].map((spec): VisionCase => ({
    name: spec.name,
    build: () => graphOf('cbam', (g) => {
      const bias = (shape: number[]) => (spec.maps ? weight(g, shape) : undefined);
      const inputs = [
        g.input('x', 'f32', ['batch', spec.c, spec.h, spec.w]),
        ...(spec.channel ? [weight(g, [spec.r, spec.c], 1), bias([spec.r]), weight(g, [spec.c, spec.r], 1), bias([spec.c])] : [undefined, undefined, undefined, undefined]),
        ...(spec.spatial ? [weight(g, [1, 2, spec.k, spec.k]), bias([1])] : []),
      ];
      const [y, channelMap, spatialMap] = g.opMulti('CBAM', inputs, {}, [true, spec.maps && spec.channel, spec.maps && spec.spatial]);
      return { y: y!, ...(channelMap ? { channelMap } : {}), ...(spatialMap ? { spatialMap } : {}) };
    }),
    sizes: [{ batch: 1 }, { batch: 2 }],
  })),
];

describe('vision ops on wasm', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, visionCase) => {
    await checkOnWasm(visionCase.build(), { sizes: visionCase.sizes, tolerance: TOLERANCE });
  });
});

describeGpu('vision ops on webgpu', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, visionCase) => {
    const graph = visionCase.build();
    const program = await compileProgram(graph, { target: 'wgsl', passes: [] });
    const session = await Session.create(program, { backend: 'webgpu' });
    try {
      for (const bindings of visionCase.sizes ?? [{}]) {
        const feeds = randomFeeds(graph, bindings, seededRandom(11), Object.fromEntries(graph.inputs.map((name) => [name, { low: -2, high: 2 }])));
        expectOutputs(await session.run(feeds), interpret(graph, feeds), () => TOLERANCE);
      }
    } finally {
      session.dispose();
    }
  });
});
