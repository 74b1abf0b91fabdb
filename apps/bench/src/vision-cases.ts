/**
 * The vision cases (issue 13): a CBAM module alone, written op by op in the
 * unfused form PyTorch exports (global average and max pools, one shared
 * MLP as Flatten + Gemm applied to both, Add, Sigmoid, Mul; then channel
 * mean and max, Concat, a k×k Conv, Sigmoid, Mul), and the two trained
 * shapes-vision models read from `../shared/models/shapes-vision` (or
 * `LADON_SHARED_DIR`). Ladon compiles the graph (it fuses CBAM into one
 * op); onnxruntime-web gets the same graph as ONNX, or the model file.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphBuilder, tensor, type Graph, type ValueRef } from '@ladon/ir';
import { exportOnnxModel, importOnnxModel } from '@ladon/onnx';
import { normals } from './random.js';

/** A CBAM module alone on x of [B, C, H, W]: shared MLP C → C/reduction → C, spatial k×k conv. */
export interface CbamSpec {
  readonly kind: 'cbam';
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly reduction: number;
  readonly kernel: number;
}

/** One of the shapes-vision models (its `logits` export) on a batch of 32×32 images. */
export interface VisionModelSpec {
  readonly kind: 'vision-model';
  readonly model: 'vit-tiny' | 'cnn-cbam';
  readonly batch: number;
}

/**
 * FLOPs of a CBAM module: the two pooled statistics and the two gate
 * multiplications over the map (4·B·C·H·W), the shared MLP on two vectors
 * (2·2·2·B·C·R), the channel mean and max (2·B·C·H·W) and the k×k conv
 * over two planes (2·2·B·k²·H·W).
 */
export function cbamFlops(spec: CbamSpec): number {
  const { batch, channels, height, width, kernel } = spec;
  const map = batch * channels * height * width;
  return 6 * map + 8 * batch * channels * (channels / spec.reduction) + 4 * batch * kernel * kernel * height * width;
}

/** Multiply-adds ×2 of one image through each model's convolutions and matrix products (from the README's architectures). */
const MODEL_FLOPS_PER_IMAGE: Readonly<Record<VisionModelSpec['model'], number>> = {
  // patch conv 64·48·64, per block: QKV 65·64·192, scores and context 2·4·65·65·16, out 65·64·64, MLP 2·65·64·128; head 64·4
  'vit-tiny': 2 * (64 * 48 * 64 + 2 * (65 * 64 * 192 + 2 * 4 * 65 * 65 * 16 + 65 * 64 * 64 + 2 * 65 * 64 * 128) + 64 * 4),
  // conv1 32·27·32², conv2 64·288·16², conv3 64·576·8², head 64·4 (CBAM's few MFLOPs left out)
  'cnn-cbam': 2 * (32 * 27 * 32 * 32 + 64 * 288 * 16 * 16 + 64 * 576 * 8 * 8 + 64 * 4),
};

/** FLOPs of a model case. */
export function visionModelFlops(spec: VisionModelSpec): number {
  return spec.batch * MODEL_FLOPS_PER_IMAGE[spec.model];
}

/** The CBAM module graph: input x, output y, seeded weights (MLP with biases, spatial conv without, as in the paper's code). */
export function buildCbamGraph(spec: CbamSpec): Graph {
  const { batch, channels, height, width, reduction, kernel } = spec;
  const hidden = channels / reduction;
  const g = new GraphBuilder(`cbam_c${channels}_h${height}_w${width}`);
  const x = g.input('x', 'f32', [batch, channels, height, width]);
  const param = (name: string, shape: number[], seed: number, scale: number): ValueRef => g.constant(tensor('f32', shape, normals(seed, shape.reduce((a, b) => a * b, 1), scale)), name);
  const [w1, b1] = [param('mlp.0.weight', [hidden, channels], 30, 1 / Math.sqrt(channels)), param('mlp.0.bias', [hidden], 31, 0.1)];
  const [w2, b2] = [param('mlp.2.weight', [channels, hidden], 32, 1 / Math.sqrt(hidden)), param('mlp.2.bias', [channels], 33, 0.1)];
  const mlp = (pooled: ValueRef): ValueRef => {
    const flat = g.op('Flatten', [pooled], { axis: 1 });
    const hiddenValue = g.op('Relu', [g.op('Gemm', [flat, w1, b1], { transB: 1 })]);
    return g.op('Gemm', [hiddenValue, w2, b2], { transB: 1 });
  };
  const logits = g.op('Add', [mlp(g.op('GlobalAveragePool', [x])), mlp(g.op('GlobalMaxPool', [x]))]);
  const channelGate = g.op('Reshape', [g.op('Sigmoid', [logits]), g.ints([batch, channels, 1, 1])]);
  const gated = g.op('Mul', [x, channelGate]);
  const stats = g.op('Concat', [g.op('ReduceMean', [gated, g.ints([1])], { keepdims: 1 }), g.op('ReduceMax', [gated, g.ints([1])], { keepdims: 1 })], { axis: 1 });
  const spatialWeight = param('spatial.weight', [1, 2, kernel, kernel], 34, 1 / kernel);
  const pad = (kernel - 1) / 2;
  const spatialGate = g.op('Sigmoid', [g.op('Conv', [stats, spatialWeight], { pads: [pad, pad, pad, pad] })]);
  g.output(g.op('Mul', [gated, spatialGate]), 'y');
  return g.build();
}

/** Seeded x of [B, C, H, W] (N(0, 1)). */
export function cbamFeeds(spec: CbamSpec): { name: string; shape: number[]; data: Float32Array }[] {
  const shape = [spec.batch, spec.channels, spec.height, spec.width];
  return [{ name: 'x', shape, data: normals(40, shape.reduce((a, b) => a * b, 1)) }];
}

/** The CBAM case's graph and ONNX bytes (opset 18: ReduceMax takes its axes as an input from there on, as the IR does). */
export function cbamCase(spec: CbamSpec): { graph: Graph; onnx: Uint8Array } {
  const graph = buildCbamGraph(spec);
  return { graph, onnx: exportOnnxModel(graph, { opset: 18 }) };
}

function sharedDirectory(): string {
  if (process.env.LADON_SHARED_DIR) return process.env.LADON_SHARED_DIR;
  let directory = path.dirname(fileURLToPath(import.meta.url));
  while (path.dirname(directory) !== directory) {
    const manifest = path.join(directory, 'package.json');
    if (existsSync(manifest) && 'workspaces' in JSON.parse(readFileSync(manifest, 'utf8'))) return path.join(directory, '..', 'shared');
    directory = path.dirname(directory);
  }
  throw new Error('cannot find the repository root (a package.json with workspaces) above the bench');
}

/** The model's `logits` export (ONNX bytes and the imported graph) and seeded images in [0, 1). */
export function visionModelCase(spec: VisionModelSpec): { graph: Graph; onnx: Uint8Array; feeds: { name: string; shape: number[]; data: Float32Array }[] } {
  const file = path.join(sharedDirectory(), 'models', 'shapes-vision', spec.model, 'logits', 'model.onnx');
  if (!existsSync(file)) throw new Error(`the ${spec.model} model is missing: no ${file} (set LADON_SHARED_DIR to the shared data)`);
  const onnx = new Uint8Array(readFileSync(file));
  const shape = [spec.batch, 3, 32, 32];
  const data = normals(50, shape.reduce((a, b) => a * b, 1), 0.25).map((value) => Math.min(1, Math.max(0, 0.5 + value)));
  return { graph: importOnnxModel(onnx, { fileName: file }).graph, onnx, feeds: [{ name: 'pixel_values', shape, data }] };
}
