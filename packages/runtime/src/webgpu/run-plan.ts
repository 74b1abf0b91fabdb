/**
 * Everything a run needs for one binding of the symbols, built once and
 * reused: concrete shapes, a GPU buffer per root (shared by lifetimes, from
 * the pool), every step's uniforms packed into one uniform buffer, one bind
 * group and dispatch size per step, and the readback layout. Sizes are
 * checked against the adapter's limits here, before anything is allocated.
 */
import { evaluateDim, formatShape, type Program, type ProgramStep, type WgslKernel } from '@ladon/ir';
import { LimitError } from '../errors.js';
import { concreteShape } from '../memory-plan.js';
import type { BufferPool } from './buffer-pool.js';
import { sizeClass } from './buffer-pool.js';
import { assignSlots, rootOf, type Lifetime } from './buffer-slots.js';
import { deviceElementBytes } from './device-format.js';
import type { BufferCopy, Dispatch, GpuBuffer, GpuDevice, GpuPipeline } from './device.js';
import { packUniforms, splitStepArgs, uniformBlockBytes } from './kernel-layout.js';

/** What stays fixed for a session: the program, its device, pipelines, weights and lifetimes. */
export interface SessionResources {
  readonly program: Program;
  readonly gpu: GpuDevice;
  readonly pool: BufferPool;
  readonly f16Storage: boolean;
  readonly kernels: ReadonlyMap<string, WgslKernel>;
  readonly pipelines: ReadonlyMap<string, GpuPipeline>;
  readonly weights: ReadonlyMap<number, GpuBuffer>;
  readonly lifetimes: ReadonlyMap<number, Lifetime>;
}

/** Where an output sits in the readback buffer. */
export interface OutputSlot {
  readonly id: number;
  readonly offset: number;
  readonly bytes: number;
}

/** A run's buffers, bind groups and dispatches for one symbol binding. */
export interface RunPlan {
  readonly shapes: ReadonlyMap<number, readonly number[]>;
  /** The GPU buffer holding each buffer id (views resolve to their root's). */
  readonly bufferOf: (id: number) => GpuBuffer;
  readonly dispatches: readonly Dispatch[];
  readonly copies: readonly BufferCopy[];
  readonly readback: GpuBuffer;
  readonly readbackBytes: number;
  readonly outputs: readonly OutputSlot[];
  /** Returns the plan's pooled buffers and frees its own. */
  release(): void;
}

/** Concrete shapes and device byte sizes of every buffer; a LimitError names a tensor over the binding limit. */
function measure(resources: SessionResources, bindings: ReadonlyMap<string, number>): { shapes: Map<number, number[]>; bytes: Map<number, number> } {
  const { program, gpu, f16Storage } = resources;
  const shapes = new Map<number, number[]>();
  const bytes = new Map<number, number>();
  const limit = Math.min(gpu.limits.maxStorageBufferBindingSize, gpu.limits.maxBufferSize);
  for (const spec of program.buffers) {
    const shape = concreteShape(spec, bindings);
    const size = shape.reduce((product, dim) => product * dim, 1) * deviceElementBytes(spec.dtype, f16Storage);
    if (size > limit) {
      const which = limit === gpu.limits.maxStorageBufferBindingSize ? 'maxStorageBufferBindingSize' : 'maxBufferSize';
      throw new LimitError(
        `tensor '${spec.name}' ${spec.dtype}${formatShape(shape)} needs ${size} bytes on the GPU, over the adapter's ${which} of ${limit} bytes (${gpu.adapterName})`,
        { tensor: spec.name },
      );
    }
    shapes.set(spec.id, shape);
    bytes.set(spec.id, size);
  }
  return { shapes, bytes };
}

function allocate(resources: SessionResources, bytes: ReadonlyMap<number, number>): { buffers: Map<number, GpuBuffer>; pooled: GpuBuffer[] } {
  const limit = resources.gpu.limits.maxStorageBufferBindingSize;
  const requests = [...resources.lifetimes].map(([id, lifetime]) => ({ id, ...lifetime, capacity: sizeClass(bytes.get(id)!, limit) }));
  const { slotOf, capacities } = assignSlots(requests);
  const pooled = capacities.map((capacity, slot) => resources.pool.acquire(capacity, `slot ${slot}`));
  const buffers = new Map<number, GpuBuffer>(resources.weights);
  for (const [id, slot] of slotOf) buffers.set(id, pooled[slot]);
  return { buffers, pooled };
}

function workgroupsOf(step: ProgramStep, kernel: WgslKernel, limits: GpuDevice['limits'], bindings: ReadonlyMap<string, number>): [number, number, number] {
  const counts = (step.dispatch ?? [1, 1, 1]).map((dim, axis) => {
    const items = evaluateDim(dim, bindings) ?? NaN;
    return Math.ceil(items / (step.dispatchDivisor?.[axis] ?? 1));
  }) as [number, number, number];
  const max = limits.maxComputeWorkgroupsPerDimension;
  if (kernel.gridStride) counts[0] = Math.min(counts[0], max);
  const over = counts.findIndex((count) => count > max);
  if (over >= 0) throw new LimitError(`kernel '${kernel.name}' (${step.op} ${step.node}) needs ${counts[over]} workgroups on axis ${'xyz'[over]}, over the adapter's maxComputeWorkgroupsPerDimension of ${max}`);
  return counts;
}

/** Packs every step's uniforms into one buffer; returns it and each step's offset. */
function uniformsOf(resources: SessionResources, bindings: ReadonlyMap<string, number>): { buffer: GpuBuffer; offsets: number[] } {
  const { program, gpu } = resources;
  const align = Math.max(gpu.limits.minUniformBufferOffsetAlignment, 16);
  const offsets: number[] = [];
  let total = 0;
  for (const step of program.steps) {
    offsets.push(total);
    total += Math.ceil(Math.max(uniformBlockBytes(resources.kernels.get(step.kernel)!), 16) / align) * align;
  }
  const data = new Uint8Array(Math.max(total, 16));
  const view = new DataView(data.buffer);
  program.steps.forEach((step, index) => {
    const kernel = resources.kernels.get(step.kernel)!;
    packUniforms(kernel, step, splitStepArgs(step, kernel).scalars, bindings, view, offsets[index]);
  });
  const buffer = gpu.createBuffer(data.byteLength, 'uniform', `${program.name} uniforms`);
  gpu.write(buffer, 0, data);
  return { buffer, offsets };
}

function dispatchesOf(resources: SessionResources, bindings: ReadonlyMap<string, number>, bufferOf: (id: number) => GpuBuffer, uniforms: GpuBuffer, offsets: readonly number[]): Dispatch[] {
  const { program, gpu } = resources;
  const dispatches: Dispatch[] = [];
  program.steps.forEach((step, index) => {
    const kernel = resources.kernels.get(step.kernel)!;
    const workgroups = workgroupsOf(step, kernel, gpu.limits, bindings);
    if (workgroups.some((count) => count === 0)) return;
    const pipeline = resources.pipelines.get(step.kernel)!;
    const storage = splitStepArgs(step, kernel).buffers.map((id) => ({ buffer: bufferOf(id) }));
    const blockBytes = uniformBlockBytes(kernel);
    const resourcesOfStep = blockBytes > 0 ? [...storage, { buffer: uniforms, offset: offsets[index], size: blockBytes }] : storage;
    dispatches.push({ pipeline, bindGroup: gpu.createBindGroup(pipeline, resourcesOfStep), workgroups });
  });
  return dispatches;
}

/** Builds the plan of one symbol binding. */
export function buildRunPlan(resources: SessionResources, bindings: ReadonlyMap<string, number>): RunPlan {
  const { program, gpu, pool } = resources;
  const { shapes, bytes } = measure(resources, bindings);
  const { buffers, pooled } = allocate(resources, bytes);
  const bufferOf = (id: number): GpuBuffer => buffers.get(rootOf(program, id))!;
  const uniforms = uniformsOf(resources, bindings);
  const dispatches = dispatchesOf(resources, bindings, bufferOf, uniforms.buffer, uniforms.offsets);
  const outputs: OutputSlot[] = [];
  let readbackBytes = 0;
  for (const output of program.outputs) {
    const size = bytes.get(output.buffer)!;
    outputs.push({ id: output.buffer, offset: readbackBytes, bytes: size });
    readbackBytes += Math.ceil(size / 4) * 4;
  }
  const readback = gpu.createBuffer(readbackBytes, 'readback', `${program.name} readback`);
  const copies = outputs.filter((slot) => slot.bytes > 0).map((slot) => ({ from: bufferOf(slot.id), to: readback, toOffset: slot.offset, bytes: Math.ceil(slot.bytes / 4) * 4 }));
  return {
    shapes,
    bufferOf,
    dispatches,
    copies,
    readback,
    readbackBytes,
    outputs,
    release() {
      for (const buffer of pooled) pool.release(buffer);
      if (gpu.lost === undefined) for (const own of [uniforms.buffer, readback]) gpu.destroyBuffer(own);
    },
  };
}

