/**
 * `npm start`: the Node example. Part 1 runs the seed multi-head attention
 * block on wasm (and WebGPU when an adapter exists) against the reference
 * interpreter; part 2 runs the trained induction-2l model on wasm, scores
 * it on held-out sequences and names its heads from their attention; part 3
 * runs the shapes-vision ViT and CNN (with CBAM) on their eval images and
 * reports each model's accuracy, which must equal torch's.
 * Exits with code 1 when a check fails or the shared data is missing.
 */
import os from 'node:os';
import { REQUIRED_REPEATED_ACCURACY, runInductionExample } from './induction-example.js';
import { runSeedBlockExample } from './seed-block-example.js';
import { inductionModelDirectory, MissingSharedDataError, visionModelsDirectory } from './shared-data.js';
import { matchesTorch, runVisionExample } from './vision-example.js';
import { progressLogger } from './timing.js';

/** Dawn's Vulkan loader warns on stderr when XDG_RUNTIME_DIR is unset; it needs none for compute. */
function quietVulkanLoader(): void {
  process.env.XDG_RUNTIME_DIR ??= os.tmpdir();
}

async function main(): Promise<number> {
  quietVulkanLoader();
  const log = progressLogger();
  const modelDirectory = inductionModelDirectory();
  const visionDirectory = visionModelsDirectory();
  log('1/3 the seed MHA block');
  const seedResults = await runSeedBlockExample(log);
  log('2/3 the induction-2l model');
  const induction = await runInductionExample(modelDirectory, log);
  log('3/3 the shapes-vision models');
  const vision = await runVisionExample(visionDirectory, log);
  const repeated = induction.accuracy.repeated;
  const failures = [
    ...seedResults.filter((result) => !result.withinTolerance).map((result) => `seed block on ${result.backend} differs from the reference`),
    ...(induction.storedOutputsMatch ? [] : ['induction-2l differs from its stored outputs']),
    ...(repeated.correct >= REQUIRED_REPEATED_ACCURACY * repeated.total ? [] : ['induction-2l repeated-position accuracy is below 99%']),
    ...vision.filter((result) => !matchesTorch(result)).map((result) => `${result.model}'s accuracy on eval.json differs from torch's`),
  ];
  log(failures.length === 0 ? 'done: all checks passed' : `done: FAILED: ${failures.join('; ')}`);
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof MissingSharedDataError) console.error(`error: ${error.message}`);
    else console.error(error);
    process.exitCode = 1;
  },
);
