/**
 * A seeded mutation loop over the shared models: corrupted copies (byte
 * flips, truncation, inserted garbage) must either import and verify, or
 * throw a LadonError — never another exception, never a hang.
 */
import { readFileSync } from 'node:fs';
import { LadonError } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { importOnnxModel } from './import-model.js';
import { caseDirectories, sharedPath } from './testing/shared-data.js';
import { seededRandom } from '@ladon/ir';


type Mutation = (bytes: Uint8Array, random: () => number) => Uint8Array;

const randomIndex = (length: number, random: () => number): number => Math.floor(random() * length);

const MUTATIONS: Record<string, Mutation> = {
  flipBytes(bytes, random) {
    const copy = bytes.slice();
    const flips = 1 + randomIndex(8, random);
    for (let i = 0; i < flips; i++) copy[randomIndex(copy.length, random)] ^= 1 + randomIndex(255, random);
    return copy;
  },
  truncate(bytes, random) {
    return bytes.slice(0, randomIndex(bytes.length, random));
  },
  insertGarbage(bytes, random) {
    const at = randomIndex(bytes.length, random);
    const garbage = Uint8Array.from({ length: 1 + randomIndex(32, random) }, () => randomIndex(256, random));
    const copy = new Uint8Array(bytes.length + garbage.length);
    copy.set(bytes.subarray(0, at));
    copy.set(garbage, at);
    copy.set(bytes.subarray(at), at + garbage.length);
    return copy;
  },
  flipInHeader(bytes, random) {
    const copy = bytes.slice();
    copy[randomIndex(Math.min(64, copy.length), random)] = randomIndex(256, random);
    return copy;
  },
};

const ITERATIONS = 500;

describe('seeded mutation loop', () => {
  it('imports or throws a LadonError for every corrupted copy', () => {
    const models = [
      ...caseDirectories('fixtures', 'torch-export').map((directory) => `${directory}/model.onnx`),
      sharedPath('models', 'induction-2l', 'logits', 'model.onnx'),
      ...caseDirectories('conformance', 'onnx-attention').slice(0, 3).map((directory) => `${directory}/model.onnx`),
    ].map((file) => ({ file, bytes: new Uint8Array(readFileSync(file)) }));
    const random = seededRandom(0x1adc0de);
    const names = Object.keys(MUTATIONS);
    const outcomes = { imported: 0, rejected: 0 };
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const { file, bytes } = models[iteration % models.length];
      const mutation = names[randomIndex(names.length, random)];
      const mutated = MUTATIONS[mutation](bytes, random);
      try {
        importOnnxModel(mutated, { fileName: file });
        outcomes.imported++;
      } catch (error) {
        if (!(error instanceof LadonError)) throw new Error(`iteration ${iteration} (${mutation} of ${file}) threw a non-Ladon error: ${String(error)}`);
        expect(error.message).toContain(file);
        const cause = (error as { cause?: unknown }).cause;
        if (cause !== undefined && !(cause instanceof LadonError) && !error.message.includes('not a valid ONNX')) {
          throw new Error(`iteration ${iteration} (${mutation} of ${file}): an unexpected ${String(cause)} was wrapped as ${error.message}`);
        }
        outcomes.rejected++;
      }
    }
    expect(outcomes.imported + outcomes.rejected).toBe(ITERATIONS);
    expect(outcomes.rejected).toBeGreaterThan(ITERATIONS / 3);
  });
});
