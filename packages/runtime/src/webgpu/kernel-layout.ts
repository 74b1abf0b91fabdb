/**
 * What the runtime derives from a program's `WgslKernel` declaration (the
 * compiler emits the WGSL from the same declaration): the pipeline spec
 * (storage bindings 0..n-1, then the uniform block), the uniform packing
 * (field k at byte 4k, typed by the declaration), the pipeline-cache key,
 * and the preamble that defines `half_t`.
 */
import { evaluateDim, LadonError, type ProgramStep, type WgslKernel } from '@ladon/ir';
import { BackendError } from '../errors.js';
import type { PipelineSpec } from './device.js';

/** Bytes of a kernel's uniform block (16-byte multiple; 0 without uniforms). */
export function uniformBlockBytes(kernel: WgslKernel): number {
  return Math.ceil((kernel.uniforms.length * 4) / 16) * 16;
}

/** The WGSL prepended to every kernel: `half_t` is f16 when the device stores f16, else f32. */
export function kernelPreamble(f16Storage: boolean): string {
  return f16Storage ? 'enable f16;\nalias half_t = f16;\n' : 'alias half_t = f32;\n';
}

/** The pipeline spec of a kernel on a device with or without f16 storage. */
export function pipelineSpec(kernel: WgslKernel, f16Storage: boolean): PipelineSpec {
  return {
    kernel: kernel.name,
    source: kernelPreamble(f16Storage) + kernel.source,
    entryPoint: kernel.entryPoint,
    storage: kernel.bindings.map((binding) => binding.access),
    uniformBytes: uniformBlockBytes(kernel),
  };
}

/** The pipeline-cache key: the full source (with preamble) and its layout. */
export function pipelineKey(spec: PipelineSpec): string {
  return `${spec.kernel}|${spec.entryPoint}|${spec.storage.join(',')}|${spec.uniformBytes}\n${spec.source}`;
}

/** Splits a step's arguments into buffer ids and uniform values, checked against the kernel's declaration. */
export function splitStepArgs(step: ProgramStep, kernel: WgslKernel): { buffers: number[]; scalars: ProgramStep['args'] } {
  const buffers: number[] = [];
  const scalars = step.args.filter((arg) => {
    if (!('buffer' in arg)) return true;
    buffers.push(arg.buffer);
    return false;
  });
  if (buffers.length !== kernel.bindings.length || scalars.length !== kernel.uniforms.length) {
    throw new BackendError(
      `step ${step.op} ${step.node} passes ${buffers.length} buffers and ${scalars.length} values to kernel '${kernel.name}', which declares ${kernel.bindings.length} bindings and ${kernel.uniforms.length} uniforms`,
    );
  }
  return { buffers, scalars };
}

/** Packs a step's uniform values at `offset` of `view`, each as its declared type. */
export function packUniforms(kernel: WgslKernel, step: ProgramStep, scalars: ProgramStep['args'], bindings: ReadonlyMap<string, number>, view: DataView, offset: number): void {
  kernel.uniforms.forEach((field, index) => {
    const arg = scalars[index];
    let value: number;
    if ('float' in arg) value = arg.float;
    else if ('int' in arg) value = arg.int;
    else if ('dim' in arg) value = evaluateDim(arg.dim, bindings) ?? NaN;
    else value = NaN;
    const at = offset + index * 4;
    if (field.type === 'f32') return view.setFloat32(at, value, true);
    if (!Number.isInteger(value) || (field.type === 'u32' ? value < 0 || value > 0xffffffff : value < -(2 ** 31) || value >= 2 ** 31)) {
      throw new LadonError('E_SHAPE', `uniform '${field.name}' of kernel '${kernel.name}' (${step.op} ${step.node}) is ${value}, not a ${field.type}`);
    }
    if (field.type === 'u32') view.setUint32(at, value, true);
    else view.setInt32(at, value, true);
  });
}
