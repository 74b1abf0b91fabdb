/**
 * The four real-world PyTorch exports of ../shared/fixtures/real-world
 * (README there) on every backend, each within its README's tolerance
 * (index.json): unfused attention webs, a KV cache, LLaMA with rotary
 * embeddings and grouped KV heads, and an f16 BERT layer (f16 on wasm too).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { runCase, type CaseBackend } from '../../src/conformance.js';
import { describeGpu } from '../../src/gpu.js';
import { SHARED } from '../../src/paths.js';

const ROOT = join(SHARED, 'fixtures', 'real-world');

interface RealWorldCase {
  readonly name: string;
  readonly tolerance: { readonly rtol: number; readonly atol: number };
}

const CASES = (JSON.parse(readFileSync(join(ROOT, 'index.json'), 'utf8')) as { cases: RealWorldCase[] }).cases;

for (const backend of ['reference', 'wasm', 'webgpu'] as const satisfies readonly CaseBackend[]) {
  const declare = backend === 'webgpu' ? describeGpu : describe;
  declare(`real-world exports on ${backend}`, () => {
    it.each(CASES)('$name', async ({ name, tolerance }) => {
      await runCase(join(ROOT, name), backend, () => tolerance);
    });
  });
}
