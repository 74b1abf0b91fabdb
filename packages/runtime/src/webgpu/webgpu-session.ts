/**
 * The WebGPU backend. Creating a session acquires the device (device.ts),
 * checks every kernel against the adapter's limits, compiles the pipelines
 * (cached per device; a WGSL error is a ShaderCompileError naming the
 * kernel) and uploads the weights once. A run binds the symbols from the
 * feeds (and the program's host part, which binds sizes decided by values
 * in the feeds), takes (or builds) the run plan of that binding, writes the
 * feeds, the host-known and the host-computed values, records every dispatch and the output copies in
 * one command buffer, submits it, and reads the outputs back.
 */
import { allocData, type Program, type Tensor, type WgslKernel } from '@ladon/ir';
import type { BackendSession } from '../backend.js';
import { bindRun, evaluateSize, hostValueOf } from '../bindings.js';
import { BackendError, DeviceLostError, LimitError } from '../errors.js';
import { BufferPool } from './buffer-pool.js';
import { rootLifetimes, rootOf } from './buffer-slots.js';
import { dataFromBytes, fromDeviceBytes, toDeviceBytes } from './device-format.js';
import { acquireGpu, GpuDevice, gpuAvailability, type GpuBuffer, type GpuLimits, type GpuPipeline } from './device.js';
import { checkStepArguments } from '../step-arguments.js';
import { pipelineSpec } from './kernel-layout.js';
import { cachedPipeline } from './pipeline-cache.js';
import { buildRunPlan, type RunPlan, type SessionResources } from './run-plan.js';

/** Options of the WebGPU backend. */
export interface WebGpuSessionOptions {
  /** A GPUDevice to use instead of acquiring one. */
  readonly device?: unknown;
}

/** True when a WebGPU adapter and device can be acquired here. */
export async function webGpuAvailable(): Promise<boolean> {
  return (await gpuAvailability()).available;
}

/**
 * The backend `auto` picks: WebGPU when a hardware adapter exists, else wasm.
 * A software fallback adapter (SwiftShader without a GPU) runs WGSL correctly
 * but an order of magnitude slower than the wasm backend, so it is only used
 * when asked for by name.
 */
export async function preferredBackend(): Promise<'webgpu' | 'wasm'> {
  const availability = await gpuAvailability();
  return availability.available && !availability.software ? 'webgpu' : 'wasm';
}

/** Why WebGPU is unavailable here (undefined when it is available). */
export async function webGpuUnavailableReason(): Promise<string | undefined> {
  return (await gpuAvailability()).reason;
}

/** Loads a WGSL program on a GPU device. */
export async function createWebGpuSession(program: Program, options: WebGpuSessionOptions = {}): Promise<BackendSession> {
  return WebGpuSession.create(program, options);
}

const MAX_PLANS = 4;

/** Throws a LimitError when a kernel needs more than the adapter allows. */
function checkKernelLimits(kernel: WgslKernel, limits: GpuLimits): void {
  const [x, y, z] = kernel.workgroupSize ?? [1, 1, 1];
  const problems: string[] = [];
  if (x * y * z > limits.maxComputeInvocationsPerWorkgroup) problems.push(`${x * y * z} invocations per workgroup (maxComputeInvocationsPerWorkgroup ${limits.maxComputeInvocationsPerWorkgroup})`);
  if (x > limits.maxComputeWorkgroupSizeX || y > limits.maxComputeWorkgroupSizeY || z > limits.maxComputeWorkgroupSizeZ) problems.push(`workgroup size ${x}x${y}x${z} (maxComputeWorkgroupSize ${limits.maxComputeWorkgroupSizeX}x${limits.maxComputeWorkgroupSizeY}x${limits.maxComputeWorkgroupSizeZ})`);
  const storage = kernel.workgroupStorageBytes ?? 0;
  if (storage > limits.maxComputeWorkgroupStorageSize) problems.push(`${storage} bytes of workgroup memory (maxComputeWorkgroupStorageSize ${limits.maxComputeWorkgroupStorageSize})`);
  if (kernel.bindings.length > limits.maxStorageBuffersPerShaderStage) problems.push(`${kernel.bindings.length} storage buffers (maxStorageBuffersPerShaderStage ${limits.maxStorageBuffersPerShaderStage})`);
  if (problems.length > 0) throw new LimitError(`kernel '${kernel.name}' needs ${problems.join(', ')}, more than the adapter allows`);
}

function uploadWeights(program: Program, gpu: GpuDevice, f16Storage: boolean): Map<number, GpuBuffer> {
  const weights = new Map<number, GpuBuffer>();
  for (const spec of program.buffers) {
    if (spec.kind !== 'weight' || spec.aliasOf !== undefined) continue;
    const count = spec.shape.reduce<number>((product, dim) => product * (dim as number), 1);
    const data = dataFromBytes(spec.dtype, program.weights.subarray(spec.weightOffset ?? 0), count);
    const bytes = toDeviceBytes(spec.dtype, data, f16Storage);
    const buffer = gpu.createBuffer(bytes.byteLength, 'storage', spec.name);
    gpu.write(buffer, 0, bytes);
    weights.set(spec.id, buffer);
  }
  return weights;
}

/** A WGSL program loaded on a device. */
export class WebGpuSession implements BackendSession {
  readonly backend = 'webgpu' as const;
  private readonly plans = new Map<string, RunPlan>();
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(private readonly resources: SessionResources) {}

  /** Acquires the device, compiles the kernels and uploads the weights. */
  static async create(program: Program, options: WebGpuSessionOptions = {}): Promise<WebGpuSession> {
    if (!program.wgsl) throw new BackendError(`program ${program.name} has no WGSL kernels (target ${program.target})`);
    const kernels = new Map(program.wgsl.kernels.map((kernel) => [kernel.name, kernel]));
    checkStepArguments(program, (name) => {
      const kernel = kernels.get(name);
      return kernel && { params: [...kernel.bindings.map((binding) => binding.name), ...kernel.uniforms.map((field) => field.name)], buffers: kernel.bindings.length };
    });
    const acquired = options.device ? GpuDevice.fromDevice(options.device) : await acquireGpu();
    if (typeof acquired === 'string') throw new BackendError(`WebGPU is not available: ${acquired}`);
    const gpu = acquired;
    const f16Storage = gpu.shaderF16;
    for (const kernel of kernels.values()) checkKernelLimits(kernel, gpu.limits);
    const compiled = await Promise.all([...kernels.values()].map((kernel) => cachedPipeline(gpu, pipelineSpec(kernel, f16Storage))));
    const pipelines = new Map<string, GpuPipeline>([...kernels.keys()].map((name, index) => [name, compiled[index]]));
    const weights = uploadWeights(program, gpu, f16Storage);
    const pool = new BufferPool(gpu);
    return new WebGpuSession({ program, gpu, pool, f16Storage, kernels, pipelines, weights, lifetimes: rootLifetimes(program) });
  }

  run(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    const result = this.queue.then(() => this.runNow(feeds));
    this.queue = result.catch(() => undefined);
    return result;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const plan of this.plans.values()) plan.release();
    this.plans.clear();
    this.resources.pool.dispose();
    if (this.resources.gpu.lost === undefined) for (const buffer of this.resources.weights.values()) this.resources.gpu.destroyBuffer(buffer);
  }

  private async runNow(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    const { program, gpu, f16Storage } = this.resources;
    if (this.disposed) throw new BackendError('this WebGPU session was disposed');
    gpu.checkAlive();
    const { bindings, hostValues } = bindRun(program, feeds);
    const plan = this.planFor(bindings);
    for (const input of program.inputs) gpu.write(plan.bufferOf(input.buffer), 0, toDeviceBytes(feeds[input.name].dtype, feeds[input.name].data, f16Storage));
    this.writeKnownValues(plan, bindings);
    this.writeHostValues(plan, hostValues);
    gpu.submit(plan.dispatches, plan.copies);
    let bytes: Uint8Array;
    try {
      bytes = await gpu.read(plan.readback, plan.readbackBytes);
    } catch (error) {
      if (error instanceof DeviceLostError) this.dropPlans();
      throw error;
    }
    const outputs: Record<string, Tensor> = {};
    program.outputs.forEach((output, index) => {
      const slot = plan.outputs[index];
      outputs[output.name] = fromDeviceBytes(program.buffers[output.buffer].dtype, plan.shapes.get(output.buffer)!, bytes.subarray(slot.offset, slot.offset + slot.bytes), f16Storage);
    });
    return outputs;
  }

  private writeKnownValues(plan: RunPlan, bindings: ReadonlyMap<string, number>): void {
    const { program, gpu, f16Storage } = this.resources;
    for (const spec of program.buffers) {
      if (!spec.known || program.buffers[rootOf(program, spec.id)].kind === 'weight') continue;
      const data = allocData(spec.dtype, spec.known.length);
      spec.known.forEach((dim, i) => {
        const value = evaluateSize(dim, bindings, `shape value ${spec.name}`);
        data[i] = spec.dtype === 'i64' ? BigInt(value) : value;
      });
      gpu.write(plan.bufferOf(spec.id), 0, toDeviceBytes(spec.dtype, data, f16Storage));
    }
  }

  private writeHostValues(plan: RunPlan, hostValues: ReadonlyMap<string, Tensor>): void {
    const { program, gpu, f16Storage } = this.resources;
    for (const spec of program.buffers) {
      if (!spec.host) continue;
      const value = hostValueOf(spec, hostValues, plan.shapes.get(spec.id)!);
      if (value.data.length > 0) gpu.write(plan.bufferOf(spec.id), 0, toDeviceBytes(spec.dtype, value.data, f16Storage));
    }
  }

  private planFor(bindings: ReadonlyMap<string, number>): RunPlan {
    const key = [...bindings.entries()].sort().map(([symbol, value]) => `${symbol}=${value}`).join(',');
    let plan = this.plans.get(key);
    if (plan) {
      this.plans.delete(key);
    } else {
      plan = buildRunPlan(this.resources, bindings);
      if (this.plans.size >= MAX_PLANS) this.evictOldest();
    }
    this.plans.set(key, plan);
    return plan;
  }

  private evictOldest(): void {
    const [oldest] = this.plans.keys();
    this.plans.get(oldest)!.release();
    this.plans.delete(oldest);
  }

  private dropPlans(): void {
    for (const plan of this.plans.values()) plan.release();
    this.plans.clear();
  }
}
