/**
 * Finds and reads the induction-2l and shapes-vision model data in `../shared` beside the
 * repository (or `LADON_SHARED_DIR`). The data is read in place, never
 * copied into the repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseVocabulary, type Vocabulary } from '../shared/vocabulary.js';

/** Raised when the shared model data is not where the examples look for it. */
export class MissingSharedDataError extends Error {
  override readonly name = 'MissingSharedDataError';
}

/** One held-out sequence of `eval.json`. */
export interface EvalSequence {
  readonly ids: number[];
  readonly src_start: number;
  readonly dst_start: number;
  readonly length: number;
  readonly repeated_targets: number[];
  /** torch's argmax(logits[b, t, :]) for every position t. */
  readonly torch_pred: number[];
}

/** `eval.json`: held-out sequences and torch's accuracy on them. */
export interface EvalSet {
  readonly seq_len: number;
  readonly torch_accuracy: { readonly repeated: number; readonly non_repeated: number };
  readonly sequences: EvalSequence[];
}

function repositoryRoot(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  while (path.dirname(directory) !== directory) {
    const manifest = path.join(directory, 'package.json');
    if (existsSync(manifest) && 'workspaces' in JSON.parse(readFileSync(manifest, 'utf8'))) return directory;
    directory = path.dirname(directory);
  }
  throw new MissingSharedDataError('cannot find the repository root (a package.json with workspaces) above the examples');
}

/** The directory of the induction-2l model; throws {@link MissingSharedDataError} naming where it looked. */
export function inductionModelDirectory(): string {
  const shared = process.env.LADON_SHARED_DIR ?? path.join(repositoryRoot(), '..', 'shared');
  const directory = path.resolve(shared, 'models', 'induction-2l');
  if (!existsSync(path.join(directory, 'with-weights', 'model.onnx'))) {
    throw new MissingSharedDataError(
      `the induction-2l model is missing: no ${path.join(directory, 'with-weights', 'model.onnx')}. ` +
        'The examples read the shared data in ../shared beside the repository (set LADON_SHARED_DIR to use another place).',
    );
  }
  return directory;
}

/** The directory of the shapes-vision models (vit-tiny, cnn-cbam, eval.json); throws {@link MissingSharedDataError} naming where it looked. */
export function visionModelsDirectory(): string {
  const shared = process.env.LADON_SHARED_DIR ?? path.join(repositoryRoot(), '..', 'shared');
  const directory = path.resolve(shared, 'models', 'shapes-vision');
  if (!existsSync(path.join(directory, 'eval.json'))) {
    throw new MissingSharedDataError(`the shapes-vision models are missing: no ${path.join(directory, 'eval.json')} (set LADON_SHARED_DIR to use another place)`);
  }
  return directory;
}

/** Reads `vocab.json`. */
export async function readVocabulary(modelDirectory: string): Promise<Vocabulary> {
  return parseVocabulary(JSON.parse(await readFile(path.join(modelDirectory, 'vocab.json'), 'utf8')));
}

/** Reads `eval.json`. */
export async function readEvalSet(modelDirectory: string): Promise<EvalSet> {
  return JSON.parse(await readFile(path.join(modelDirectory, 'eval.json'), 'utf8')) as EvalSet;
}
