/**
 * The shapes-vision models in Node: vit-tiny and cnn-cbam (their `logits`
 * exports) compiled for wasm and run on the 200 images of eval.json in one
 * batch; each model's accuracy against the labels, its agreement with
 * torch's predictions and the largest logit difference from torch's.
 * (The CNN compiles to two fused CBAM ops, the ViT to one Attention per
 * block.)
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { importOnnxModel } from '@ladon/onnx';
import { tensor, type Tensor } from '@ladon/ir';
import { compileAndRun } from './backend-run.js';
import { formatMs } from './timing.js';

/** What eval.json says about one image. */
interface VisionEvalItem {
  readonly label: number;
  readonly vit_pred: number;
  readonly cnn_pred: number;
  readonly vit_logits: readonly number[];
  readonly cnn_logits: readonly number[];
}

/** The parts of eval.json the example reads. */
interface VisionEvalSet {
  readonly images_b64: string;
  readonly image_size: number;
  readonly torch: Readonly<Record<string, { readonly accuracy: number }>>;
  readonly items: readonly VisionEvalItem[];
}

/** One model's result on eval.json. */
export interface VisionModelResult {
  readonly model: 'vit-tiny' | 'cnn-cbam';
  readonly correct: number;
  readonly agreesWithTorch: number;
  readonly total: number;
  readonly torchAccuracy: number;
  readonly maxLogitDifference: number;
}

/** eval.json's images as pixel_values: uint8 / 255, [N, 3, size, size]. */
function pixelValues(evalSet: VisionEvalSet): Tensor {
  const bytes = Buffer.from(evalSet.images_b64, 'base64');
  const size = evalSet.image_size;
  return tensor('f32', [evalSet.items.length, 3, size, size], Float32Array.from(bytes, (byte) => byte / 255));
}

function argmax(values: ArrayLike<number>, start: number, count: number): number {
  let best = 0;
  for (let index = 1; index < count; index++) if (values[start + index] > values[start + best]) best = index;
  return best;
}

async function runModel(directory: string, model: VisionModelResult['model'], evalSet: VisionEvalSet, pixels: Tensor, log: (line: string) => void): Promise<VisionModelResult> {
  const file = path.join(directory, model, 'logits', 'model.onnx');
  const { graph } = importOnnxModel(new Uint8Array(await readFile(file)), { fileName: file });
  const run = await compileAndRun(graph, 'wasm', { pixel_values: pixels }, 3);
  run.session.dispose();
  const logits = run.outputs.logits.data as Float32Array;
  const classes = run.outputs.logits.shape[1] as number;
  const torchKey = model === 'vit-tiny' ? 'vit' : 'cnn';
  let [correct, agrees, maxLogitDifference] = [0, 0, 0];
  evalSet.items.forEach((item, row) => {
    const predicted = argmax(logits, row * classes, classes);
    correct += predicted === item.label ? 1 : 0;
    agrees += predicted === item[`${torchKey}_pred`] ? 1 : 0;
    item[`${torchKey}_logits`].forEach((value, column) => (maxLogitDifference = Math.max(maxLogitDifference, Math.abs(value - logits[row * classes + column]))));
  });
  const total = evalSet.items.length;
  const torchAccuracy = evalSet.torch[model].accuracy;
  log(`${model}: ${((100 * correct) / total).toFixed(2)}% on eval.json (torch ${(100 * torchAccuracy).toFixed(2)}%), argmax = torch's on ${agrees}/${total}, max |logit - torch| ${maxLogitDifference.toExponential(2)}; wasm, batch ${total}: compile ${formatMs(run.compileMs)}, warm run ${formatMs(run.warmMedianMs)}`);
  return { model, correct, agreesWithTorch: agrees, total, torchAccuracy, maxLogitDifference };
}

/** Runs both models on eval.json. */
export async function runVisionExample(directory: string, log: (line: string) => void): Promise<VisionModelResult[]> {
  const evalSet = JSON.parse(await readFile(path.join(directory, 'eval.json'), 'utf8')) as VisionEvalSet;
  const pixels = pixelValues(evalSet);
  const results: VisionModelResult[] = [];
  for (const model of ['vit-tiny', 'cnn-cbam'] as const) results.push(await runModel(directory, model, evalSet, pixels, log));
  return results;
}

/** True when a model's accuracy equals torch's (the check `npm start` makes). */
export function matchesTorch(result: VisionModelResult): boolean {
  return result.correct === Math.round(result.torchAccuracy * result.total);
}
