/**
 * @tensorflow/tfjs-backend-wasm: the same computations written with tfjs
 * ops (see tfjs-forward.ts). It has no threads in Node, so it runs on one
 * thread like the others. Weights and the causal mask are uploaded once at
 * prepare time; each run uploads the inputs and reads the output back.
 */
import type * as Tf from '@tensorflow/tfjs-core';
import type { CaseData } from './inputs.js';
import { describeFailure, timedRun, type PreparedCase, type Runner, type Unavailable } from './runner.js';
import { attentionForward, causalAdditiveMask, mhaBlockForward, uploadMhaWeights } from './tfjs-forward.js';

type TfModule = typeof Tf;

let tfModule: Promise<TfModule> | undefined;

/** tfjs-core with the wasm backend selected, imported and initialised on first use. */
export function loadTfjs(): Promise<TfModule> {
  tfModule ??= (async () => {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not initialise its wasm backend');
    await tf.ready();
    return tf;
  })();
  return tfModule;
}

function prepareWith(tf: TfModule, data: CaseData): PreparedCase {
  const spec = data.benchCase.spec;
  if (spec.kind === 'cbam' || spec.kind === 'vision-model') throw new Error('the tfjs forward passes are written for the attention cases only');
  const input = (name: string): Float32Array => data.feeds.find((feed) => feed.name === name)!.data;
  if (spec.kind === 'attention') {
    const mask = spec.causal ? causalAdditiveMask(tf, spec.seq) : undefined;
    return {
      run: () => timedRun(async () => attentionForward(tf, input('q'), input('k'), input('v'), spec, mask)),
      dispose: () => mask?.dispose(),
    };
  }
  const weights = uploadMhaWeights(tf, data.weights!);
  return {
    run: () => timedRun(async () => mhaBlockForward(tf, input('x'), spec.seq, spec.heads, weights)),
    dispose: () => Object.values(weights).forEach((weight: Tf.Tensor) => weight.dispose()),
  };
}

/** The tfjs-backend-wasm runner. */
export const tfjsRunner: Runner = {
  name: 'tfjs-backend-wasm',
  family: 'tfjs',
  threads: 1,
  setup: 'tfjs-core + tfjs-backend-wasm, 1 thread (no threads in Node); per-head 2-D matMul with an explicit transpose of K, softmax',
  async prepare(data): Promise<PreparedCase | Unavailable> {
    try {
      return prepareWith(await loadTfjs(), data);
    } catch (error) {
      return { unavailable: describeFailure(error) };
    }
  },
};
