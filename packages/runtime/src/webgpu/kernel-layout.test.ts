/**
 * The runtime's half of the kernel declaration: the pipeline spec (storage
 * bindings in order, then the uniform block), the preamble that defines
 * half_t, the cache key, and uniform packing by declared type.
 */
import type { ProgramStep, WgslKernel } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { sizeClass } from './buffer-pool.js';
import { packUniforms, pipelineKey, pipelineSpec, splitStepArgs, uniformBlockBytes } from './kernel-layout.js';

const KERNEL: WgslKernel = {
  name: 'demo',
  source: '// demo\n',
  entryPoint: 'main',
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'y', access: 'read_write' },
  ],
  uniforms: [
    { name: 'count', type: 'u32' },
    { name: 'scale', type: 'f32' },
    { name: 'shift', type: 'i32' },
    { name: 'rows', type: 'u32' },
    { name: 'cols', type: 'u32' },
  ],
};

const STEP: ProgramStep = { kernel: 'demo', op: 'Demo', node: '%y', args: [{ buffer: 3 }, { buffer: 5 }, { dim: 'seq*2' }, { float: 0.25 }, { int: -4 }, { int: 7 }, { dim: 'seq' }] };

describe('kernel layout', () => {
  it('lays out storage bindings, then a 16-byte uniform block', () => {
    expect(uniformBlockBytes(KERNEL)).toBe(32);
    const spec = pipelineSpec(KERNEL, false);
    expect(spec.storage).toEqual(['read', 'read_write']);
    expect(spec.source.startsWith('alias half_t = f32;\n// demo')).toBe(true);
    expect(pipelineSpec(KERNEL, true).source.startsWith('enable f16;\nalias half_t = f16;\n')).toBe(true);
    expect(pipelineKey(spec)).not.toBe(pipelineKey(pipelineSpec(KERNEL, true)));
  });

  it('packs uniforms by declared type after splitting off the buffers', () => {
    const { buffers, scalars } = splitStepArgs(STEP, KERNEL);
    expect(buffers).toEqual([3, 5]);
    const view = new DataView(new ArrayBuffer(64));
    packUniforms(KERNEL, STEP, scalars, new Map([['seq', 5]]), view, 16);
    expect([view.getUint32(16, true), view.getFloat32(20, true), view.getInt32(24, true), view.getUint32(28, true), view.getUint32(32, true)]).toEqual([10, 0.25, -4, 7, 5]);
  });

  it('rejects values that do not fit their type and steps that do not fit the kernel', () => {
    const negative: ProgramStep = { ...STEP, args: [...STEP.args.slice(0, 2), { int: -1 }, ...STEP.args.slice(3)] };
    expect(() => packUniforms(KERNEL, negative, splitStepArgs(negative, KERNEL).scalars, new Map([['seq', 5]]), new DataView(new ArrayBuffer(32)), 0)).toThrow(/'count'.*-1/);
    expect(() => splitStepArgs({ ...STEP, args: STEP.args.slice(1) }, KERNEL)).toThrow(/passes 1 buffers/);
  });

  it('rounds pool buffers to powers of two, exact above the binding limit', () => {
    expect(sizeClass(1, 1 << 20)).toBe(256);
    expect(sizeClass(1000, 1 << 20)).toBe(1024);
    expect(sizeClass(700_001, 1 << 20)).toBe(1 << 20);
    expect(sizeClass(1_500_001, 2_000_000)).toBe(1_500_004);
  });
});
