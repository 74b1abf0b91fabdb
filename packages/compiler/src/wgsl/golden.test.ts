/**
 * Golden WGSL for the attention and matmul kernels: the generated source of
 * a few representative variants is compared byte-for-byte with
 * golden/<kernel>.wgsl. A refactor of the generators must leave these files
 * unchanged; a deliberate change regenerates them with
 * `LADON_UPDATE_GOLDEN=1 npx vitest run src/wgsl/golden.test.ts` (run in
 * packages/compiler) and the diff is reviewed like code.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kernelSource, type KernelDecl } from './kernel.js';
import { attentionKernel } from './kernels/attention-kernel.js';
import { matmulKernel } from './kernels/matmul-kernel.js';

const GOLDEN_DIR = new URL('./golden/', import.meta.url);
const UPDATE = process.env.LADON_UPDATE_GOLDEN === '1';

const KERNELS: readonly KernelDecl[] = [
  attentionKernel({ headSize: 64, vHeadSize: 64, element: 'f32', vElement: 'f32', mask: 'none', nonpad: false }),
  attentionKernel({ headSize: 8, vHeadSize: 10, element: 'f32', vElement: 'f32', mask: 'bool', nonpad: true }),
  attentionKernel({ headSize: 8, vHeadSize: 8, element: 'f32', vElement: 'f32', mask: 'float', nonpad: false, scores: 3 }),
  matmulKernel({ element: 'f32', hasC: false }),
  matmulKernel({ element: 'f32', hasC: true }),
];

/** The golden file's text: how to regenerate it, then the kernel's source. */
function goldenText(decl: KernelDecl): string {
  return [
    `// Golden file for WGSL kernel ${decl.name}, compared byte-for-byte by src/wgsl/golden.test.ts.`,
    '// Regenerate (after a deliberate change only): LADON_UPDATE_GOLDEN=1 npx vitest run src/wgsl/golden.test.ts (in packages/compiler)',
    '',
    kernelSource(decl),
  ].join('\n');
}

describe('golden WGSL', () => {
  it.each(KERNELS.map((decl) => [decl.name, decl] as const))('%s matches golden/%s.wgsl', (name, decl) => {
    const file = fileURLToPath(new URL(`${name}.wgsl`, GOLDEN_DIR));
    const text = goldenText(decl);
    if (UPDATE) writeFileSync(file, text);
    expect(existsSync(file), `${file} is missing; run with LADON_UPDATE_GOLDEN=1 to create it`).toBe(true);
    expect(text === readFileSync(file, 'utf8'), `${name} differs from ${file}; regenerate with LADON_UPDATE_GOLDEN=1 if the change is intended`).toBe(true);
  });
});
