/**
 * A case made concrete: seeded inputs (and MHA weights), the IR graph Ladon
 * compiles, and the same graph as ONNX bytes for onnxruntime-web. Every
 * runtime reads the same Float32Arrays.
 */
import { tensor, type Graph, type Tensor } from '@ladon/ir';
import { exportOnnxModel } from '@ladon/onnx';
import type { AttentionSpec, BenchCase, MhaBlockSpec } from './cases.js';
import { buildAttentionGraph, buildMhaBlockGraph, type MhaWeights } from './graphs.js';
import { normals } from './random.js';
import { cbamCase, cbamFeeds, visionModelCase } from './vision-cases.js';

/** One named f32 input of a case. */
export interface FeedData {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Everything a runtime needs to run a case. */
export interface CaseData {
  readonly benchCase: BenchCase;
  readonly graph: Graph;
  /** The graph as an ONNX model (opset 17). */
  readonly onnx: Uint8Array;
  readonly feeds: readonly FeedData[];
  /** The graph's output name. */
  readonly outputName: string;
  readonly outputShape: readonly number[];
  /** The MHA block's weights (undefined for the other cases). */
  readonly weights?: MhaWeights;
}

/** Seeded Q, K, V of [1, H, S, D] (N(0, 1)). */
export function attentionFeeds(spec: AttentionSpec, seed = 1): FeedData[] {
  const shape = [1, spec.heads, spec.seq, spec.headSize];
  const count = spec.heads * spec.seq * spec.headSize;
  return ['q', 'k', 'v'].map((name, i) => ({ name, shape, data: normals(seed + i, count) }));
}

/** Seeded MHA weights: projections N(0, 1/E) like PyTorch's init scale, LayerNorm around (1, 0). */
export function mhaWeights(spec: MhaBlockSpec, seed = 10): MhaWeights {
  const width = spec.modelWidth;
  const matrix = (offset: number): Float32Array => normals(seed + offset, width * width, 1 / Math.sqrt(width));
  const vector = (offset: number, scale: number): Float32Array => normals(seed + offset, width, scale);
  return {
    wq: matrix(0),
    bq: vector(1, 0.1),
    wk: matrix(2),
    bk: vector(3, 0.1),
    wv: matrix(4),
    bv: vector(5, 0.1),
    wo: matrix(6),
    bo: vector(7, 0.1),
    gamma: vector(8, 0.1).map((value) => 1 + value),
    beta: vector(9, 0.1),
  };
}

/** Builds the graph, the ONNX bytes and the inputs of a case. */
export function prepareCase(benchCase: BenchCase): CaseData {
  const spec = benchCase.spec;
  if (spec.kind === 'cbam') return { benchCase, ...cbamCase(spec), feeds: cbamFeeds(spec), outputName: 'y', outputShape: [spec.batch, spec.channels, spec.height, spec.width] };
  if (spec.kind === 'vision-model') return { benchCase, ...visionModelCase(spec), outputName: 'logits', outputShape: [spec.batch, 4] };
  if (spec.kind === 'attention') {
    const graph = buildAttentionGraph(spec);
    const outputShape = [1, spec.heads, spec.seq, spec.headSize];
    return { benchCase, graph, onnx: exportOnnxModel(graph), feeds: attentionFeeds(spec), outputName: 'out', outputShape };
  }
  const weights = mhaWeights(spec);
  const graph = buildMhaBlockGraph(spec, weights);
  const feeds = [{ name: 'x', shape: [1, spec.seq, spec.modelWidth], data: normals(20, spec.seq * spec.modelWidth) }];
  return { benchCase, graph, onnx: exportOnnxModel(graph), feeds, outputName: 'y', outputShape: feeds[0].shape, weights };
}

/** The feeds as IR tensors (sharing the data). */
export function feedTensors(feeds: readonly FeedData[]): Record<string, Tensor> {
  return Object.fromEntries(feeds.map((feed) => [feed.name, tensor('f32', feed.shape, feed.data)]));
}
