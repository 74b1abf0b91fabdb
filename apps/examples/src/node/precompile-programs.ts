/**
 * Build step of the browser demo (run by `npm run build` after tsup, before
 * `vite build`): compiles induction-2l's with-weights model ahead of time to
 * a wasm Program and a WGSL Program, serialised as `.ladon` files, so the
 * page runs them with @ladon/runtime alone and never downloads the
 * compiler. Writes into `generated/` (Vite's public directory, not
 * committed): `programs/induction-2l.{wasm,wgsl}.ladon`, `vocab.json`,
 * `examples.json` (test_data_set_0's input ids) and `manifest.json`; for
 * the shapes-vision page, the with-attention exports of vit-tiny and
 * cnn-cbam as wasm programs (`programs/<model>.wasm.ladon`),
 * `shapes-eval.json` (eval.json without shapes and logits) and
 * `shapes-manifest.json`.
 * Regenerate with `npm run build -w @ladon/examples`.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileProgram } from '@ladon/compiler';
import { serializeProgram, type Graph } from '@ladon/ir';
import { loadOnnxFile, readTensorFile } from '@ladon/onnx/node';
import { DEMO_FILES, type DemoExamples, type DemoManifest, type ProgramTarget } from '../shared/demo-assets.js';
import { VISION_FILES, type VisionEvalSet, type VisionManifest } from '../shared/vision-assets.js';
import { inductionModelDirectory, MissingSharedDataError, visionModelsDirectory } from './shared-data.js';
import { formatMs, timed } from './timing.js';

/** Where the generated files go: `apps/examples/generated`. */
const GENERATED_DIRECTORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'generated');

async function writeProgram(graph: Graph, target: ProgramTarget, name = 'induction-2l'): Promise<{ file: string; bytes: number }> {
  const compiled = await timed(() => compileProgram(graph, { target }));
  const bytes = serializeProgram(compiled.value);
  const file = `programs/${name}.${target}.ladon`;
  await writeFile(path.join(GENERATED_DIRECTORY, file), bytes);
  console.log(`precompile: ${target} program ${(bytes.length / 1024).toFixed(0)} KiB in ${formatMs(compiled.ms)} -> generated/${file}`);
  return { file, bytes: bytes.length };
}

async function writeExamples(modelDirectory: string): Promise<void> {
  const input = await readTensorFile(path.join(modelDirectory, 'with-weights', 'test_data_set_0', 'input_0.pb'));
  const [rows, length] = input.tensor.shape;
  const ids = Array.from(input.tensor.data as BigInt64Array, Number);
  const examples = Array.from({ length: rows }, (_, row) => ids.slice(row * length, (row + 1) * length));
  const stored: DemoExamples = { source: 'with-weights/test_data_set_0', ids: examples };
  await writeFile(path.join(GENERATED_DIRECTORY, DEMO_FILES.examples), JSON.stringify(stored));
}

async function writeVisionAssets(directory: string): Promise<void> {
  const programs = {} as Record<keyof VisionManifest['programs'], VisionManifest['programs']['vit-tiny']>;
  for (const name of ['vit-tiny', 'cnn-cbam'] as const) {
    const model = `${name}/with-attention/model.onnx`;
    programs[name] = { model, ...(await writeProgram((await loadOnnxFile(path.join(directory, model))).graph, 'wasm', name)) };
  }
  const source = JSON.parse(await readFile(path.join(directory, 'eval.json'), 'utf8')) as VisionEvalSet;
  const items = source.items.map(({ label, box, vit_pred, cnn_pred }) => ({ label, box, vit_pred, cnn_pred }));
  const evalSet: VisionEvalSet = { images_b64: source.images_b64, image_size: source.image_size, class_names: source.class_names, area_fraction: source.area_fraction, torch: source.torch, items };
  await writeFile(path.join(GENERATED_DIRECTORY, VISION_FILES.evalSet), JSON.stringify(evalSet));
  const manifest: VisionManifest = { programs };
  await writeFile(path.join(GENERATED_DIRECTORY, VISION_FILES.manifest), JSON.stringify(manifest, null, 2));
}

async function main(): Promise<void> {
  const modelDirectory = inductionModelDirectory();
  await mkdir(path.join(GENERATED_DIRECTORY, 'programs'), { recursive: true });
  const model = await loadOnnxFile(path.join(modelDirectory, 'with-weights', 'model.onnx'));
  const programs = { wasm: await writeProgram(model.graph, 'wasm'), wgsl: await writeProgram(model.graph, 'wgsl') };
  await copyFile(path.join(modelDirectory, 'vocab.json'), path.join(GENERATED_DIRECTORY, DEMO_FILES.vocabulary));
  await writeExamples(modelDirectory);
  const manifest: DemoManifest = { model: 'induction-2l/with-weights/model.onnx', maxTokens: 64, programs };
  await writeFile(path.join(GENERATED_DIRECTORY, DEMO_FILES.manifest), JSON.stringify(manifest, null, 2));
  await writeVisionAssets(visionModelsDirectory());
}

main().catch((error: unknown) => {
  console.error(error instanceof MissingSharedDataError ? `precompile: ${error.message}` : error);
  process.exitCode = 1;
});
