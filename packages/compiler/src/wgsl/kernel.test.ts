/**
 * The kernel declaration: the emitted WGSL declares exactly the declared
 * bindings (in order) and uniform fields, the WgslKernel metadata lists the
 * same, and call arguments are ordered by the declaration whatever order
 * they are given in, with missing or unknown names rejected.
 */
import { describe, expect, it } from 'vitest';
import type { Node } from '@ladon/ir';
import { KernelCallError } from '../lower/kernel-call.js';
import { emitKernel, kernelArgs, kernelSource, type KernelDecl } from './kernel.js';

const NODE: Node = { op: 'ScaleAdd', inputs: ['x'], outputs: ['y'], attrs: {} };

const DECL: KernelDecl = {
  name: 'scale_add',
  summary: 'y = x * factor + offset',
  storage: [
    { name: 'x', access: 'read', element: 'f32' },
    { name: 'y', access: 'read_write', element: 'half_t' },
  ],
  uniforms: [
    { name: 'count', type: 'u32' },
    { name: 'factor', type: 'f32' },
    { name: 'offset', type: 'i32' },
  ],
  workgroupSize: [64, 1, 1],
  gridStride: true,
  entryParams: '@builtin(global_invocation_id) id: vec3u',
  entryBody: '  if (id.x < u.count) { y[id.x] = half_t(x[id.x] * u.factor + f32(u.offset)); }',
};

describe('kernel declarations', () => {
  it('emits the bindings, the uniform block after them and the entry point', () => {
    const source = kernelSource(DECL);
    expect(source).toContain('@group(0) @binding(0) var<storage, read> x: array<f32>;');
    expect(source).toContain('@group(0) @binding(1) var<storage, read_write> y: array<half_t>;');
    expect(source).toContain('struct Uniforms {\n  count: u32,\n  factor: f32,\n  offset: i32,\n}');
    expect(source).toContain('@group(0) @binding(2) var<uniform> u: Uniforms;');
    expect(source).toContain('@compute @workgroup_size(64, 1, 1)\nfn main(@builtin(global_invocation_id) id: vec3u) {');
  });

  it('records the same bindings and uniforms for the runtime', () => {
    const kernel = emitKernel(DECL);
    expect(kernel.bindings).toEqual([
      { name: 'x', access: 'read' },
      { name: 'y', access: 'read_write' },
    ]);
    expect(kernel.uniforms.map((field) => `${field.name}:${field.type}`)).toEqual(['count:u32', 'factor:f32', 'offset:i32']);
    expect(kernel).toMatchObject({ entryPoint: 'main', workgroupSize: [64, 1, 1], gridStride: true });
  });

  it('orders call arguments by the declaration', () => {
    const args = kernelArgs(DECL, { buffers: { y: 4, x: 9 }, uniforms: { offset: -3, factor: 0.5, count: 'batch*seq' } }, NODE);
    expect(args).toEqual([{ buffer: 9 }, { buffer: 4 }, { dim: 'batch*seq' }, { float: 0.5 }, { int: -3 }]);
  });

  it('rejects missing, unknown and repeated names', () => {
    expect(() => kernelArgs(DECL, { buffers: { x: 1 }, uniforms: { count: 1, factor: 1, offset: 0 } }, NODE)).toThrow(KernelCallError);
    expect(() => kernelArgs(DECL, { buffers: { x: 1 }, uniforms: { count: 1, factor: 1, offset: 0 } }, NODE)).toThrow(/scale_add: argument 'y' not given/);
    expect(() => kernelArgs(DECL, { buffers: { x: 1, y: 2, z: 3 }, uniforms: { count: 1, factor: 1, offset: 0 } }, NODE)).toThrow(/no parameter 'z'/);
    expect(() => kernelArgs(DECL, { buffers: { x: 1, y: 2 }, uniforms: { count: 1, factor: 'seq', offset: 0 } }, NODE)).toThrow(/'factor' must be a number/);
    expect(() => emitKernel({ ...DECL, uniforms: [...DECL.uniforms, { name: 'x', type: 'u32' }] })).toThrow(/repeated name 'x'/);
  });
});
