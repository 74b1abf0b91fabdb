/**
 * Test support: the shared test data beside the repository
 * (`<repo>/../shared`), located relative to this file, never copied in.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (`packages/onnx/src/testing` is four levels down). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The shared data directory beside the repository. */
export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');

/** A path inside the shared data directory. */
export function sharedPath(...parts: string[]): string {
  return path.join(SHARED_DIR, ...parts);
}

/** The case directories (those holding a model.onnx) directly under a shared folder, sorted. */
export function caseDirectories(...parts: string[]): string[] {
  const root = sharedPath(...parts);
  return readdirSync(root)
    .map((entry) => path.join(root, entry))
    .filter((entry) => statSync(entry).isDirectory() && readdirSync(entry).includes('model.onnx'))
    .sort();
}
