/**
 * The compiler's golden WGSL files (packages/compiler/src/wgsl/golden) are
 * real shaders: each compiles on the device against the layout its own
 * declarations describe (storage bindings in order, then the uniforms).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { acquireGpu, kernelPreamble } from '@ladon/runtime/testing';
import { describeGpu } from '../../src/gpu.js';
import { REPOSITORY } from '../../src/paths.js';

const GOLDEN = join(REPOSITORY, 'packages/compiler/src/wgsl/golden/');

describeGpu('golden WGSL on the device', () => {
  const files = readdirSync(GOLDEN).filter((file) => file.endsWith('.wgsl'));

  it('has the attention and matmul goldens', () => {
    expect(files.some((file) => file.startsWith('attention_'))).toBe(true);
    expect(files.some((file) => file.startsWith('matmul_'))).toBe(true);
  });

  it.each(files)('%s compiles', async (file) => {
    const gpu = await acquireGpu();
    if (typeof gpu === 'string') throw new Error(gpu);
    const source = readFileSync(GOLDEN + file, 'utf8');
    const storage = [...source.matchAll(/var<storage, (read|read_write)>/g)].map((match) => match[1] as 'read' | 'read_write');
    const uniformFields = source.match(/struct Uniforms \{([^}]*)\}/)?.[1].split(',').filter((field) => field.trim()).length ?? 0;
    const pipeline = await gpu.createPipeline({ kernel: file, source: kernelPreamble(false) + source, entryPoint: 'main', storage, uniformBytes: Math.ceil((uniformFields * 4) / 16) * 16 });
    expect(pipeline.kernel).toBe(file);
  });
});
