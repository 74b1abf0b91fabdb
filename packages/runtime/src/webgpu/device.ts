/**
 * The one seam to WebGPU: the only module that touches `navigator.gpu`,
 * `GPUDevice` and the `webgpu` npm package (Dawn, for Node). Everything
 * else holds opaque handles ({@link GpuBuffer}, {@link GpuPipeline},
 * {@link GpuBindGroup}) and calls {@link GpuDevice}'s methods.
 *
 * Acquisition: `navigator.gpu` in browsers; in Node the `webgpu` package,
 * loaded with a dynamic import (never bundled). Without a GPU, Dawn can use
 * SwiftShader's Vulkan driver, which Debian's chromium ships: when
 * VK_ICD_FILENAMES is unset and that driver exists, it is selected before
 * the instance is created. One device is shared by the sessions of a
 * process; when it is lost, the next acquisition gets a new one.
 */
import { BackendError, DeviceLostError } from '../errors.js';
import { importOptionalPeer, nodeBuiltin } from '../host/host.node.js';
import type { BindingResource, BufferCopy, Dispatch, GpuBindGroup, GpuBuffer, GpuLimits, GpuPipeline, PipelineSpec } from './gpu-types.js';
import { ShaderCompileError } from './shader-error.js';

export type { BindingResource, BufferCopy, Dispatch, GpuBindGroup, GpuBuffer, GpuLimits, GpuPipeline, PipelineSpec } from './gpu-types.js';

const USAGE = { MAP_READ: 1, COPY_SRC: 4, COPY_DST: 8, UNIFORM: 64, STORAGE: 128 } as const;
const SHADER_STAGE_COMPUTE = 4;
const MAP_MODE_READ = 1;
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

const LIMIT_NAMES: readonly (keyof GpuLimits)[] = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
  'minUniformBufferOffsetAlignment',
];

const applicationDevices = new WeakMap<GPUDevice, GpuDevice>();

/** A WebGPU device and the few operations the backend needs. */
export class GpuDevice {
  private lostReason: string | undefined;
  private readonly lostSignal: Promise<void>;
  private readonly layouts = new WeakMap<GpuPipeline, GPUBindGroupLayout>();

  private constructor(
    private readonly device: GPUDevice,
    /** The device's limits (the adapter's, as requested). */
    readonly limits: GpuLimits,
    /** True when f16 storage and arithmetic are available (`shader-f16`). */
    readonly shaderF16: boolean,
    /** The adapter's vendor/architecture, for messages. */
    readonly adapterName: string,
    /** A software fallback adapter (e.g. SwiftShader): correct, but far slower than the wasm backend. */
    readonly software = false,
  ) {
    this.lostSignal = device.lost.then((info) => {
      this.lostReason ??= `${info.reason ?? 'unknown'}${info.message ? `: ${info.message}` : ''}`;
      forgetSharedDevice(this);
    });
  }

  /** A device from an adapter, with the adapter's full limits and shader-f16 when it has it. */
  static async fromAdapter(adapter: GPUAdapter): Promise<GpuDevice> {
    const shaderF16 = adapter.features.has('shader-f16');
    const requiredLimits: Record<string, number> = {};
    for (const name of LIMIT_NAMES) if (name !== 'minUniformBufferOffsetAlignment') requiredLimits[name] = adapter.limits[name];
    const device = await adapter.requestDevice({ requiredLimits, requiredFeatures: shaderF16 ? ['shader-f16'] : [] });
    const info = adapter.info as (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined;
    const software = Boolean(info?.isFallbackAdapter) || info?.architecture === 'swiftshader';
    return new GpuDevice(device, readLimits(device), shaderF16, [info?.vendor, info?.architecture].filter(Boolean).join(' ') || 'unknown adapter', software);
  }

  /** Wraps a GPUDevice the application created (one wrapper per device, so pipelines are cached across sessions). */
  static fromDevice(device: unknown): GpuDevice {
    const gpuDevice = device as GPUDevice;
    if (typeof gpuDevice?.createComputePipelineAsync !== 'function') throw new BackendError('options.device must be a GPUDevice');
    let wrapper = applicationDevices.get(gpuDevice);
    if (!wrapper) {
      wrapper = new GpuDevice(gpuDevice, readLimits(gpuDevice), gpuDevice.features.has('shader-f16'), 'application device');
      applicationDevices.set(gpuDevice, wrapper);
    }
    return wrapper;
  }

  /** Why the device was lost, or undefined while it works. */
  get lost(): string | undefined {
    return this.lostReason;
  }

  /** Throws DeviceLostError when the device is gone. */
  checkAlive(): void {
    if (this.lostReason !== undefined) throw new DeviceLostError(`the GPU device was lost (${this.lostReason}); create a new session`);
  }

  /** A buffer for tensors (storage), uniforms, or reading results back. */
  createBuffer(bytes: number, kind: 'storage' | 'uniform' | 'readback', label: string): GpuBuffer {
    const usage = { storage: USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST, uniform: USAGE.UNIFORM | USAGE.COPY_DST, readback: USAGE.MAP_READ | USAGE.COPY_DST }[kind];
    const size = Math.max(16, Math.ceil(bytes / 4) * 4);
    return this.device.createBuffer({ size, usage, label }) as unknown as GpuBuffer;
  }

  /** Writes bytes into a buffer (queued before the next submit). */
  write(buffer: GpuBuffer, offset: number, data: Uint8Array): void {
    if (data.byteLength === 0) return;
    const padded = data.byteLength % 4 === 0 ? data : copyPadded(data);
    this.device.queue.writeBuffer(raw(buffer), offset, padded as Uint8Array<ArrayBuffer>);
  }

  /** Frees a buffer. */
  destroyBuffer(buffer: GpuBuffer): void {
    raw(buffer).destroy();
  }

  /** Compiles a kernel; a WGSL error becomes a ShaderCompileError naming the kernel. */
  async createPipeline(spec: PipelineSpec): Promise<GpuPipeline> {
    this.checkAlive();
    const device = this.device;
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ code: spec.source, label: spec.kernel });
    const info = await module.getCompilationInfo();
    const layout = device.createBindGroupLayout({ label: spec.kernel, entries: layoutEntries(spec) });
    let rejection: string | undefined;
    const pipeline = await device
      .createComputePipelineAsync({ label: spec.kernel, layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }), compute: { module, entryPoint: spec.entryPoint } })
      .catch((error: unknown) => {
        rejection = (error as Error).message;
        return undefined;
      });
    const scopeError = await device.popErrorScope();
    const messages = info.messages.filter((message) => message.type === 'error').map((message) => `${message.lineNum}:${message.linePos}: ${message.message}`);
    if (messages.length > 0 || rejection !== undefined || scopeError || !pipeline) {
      this.checkAlive();
      throw new ShaderCompileError(spec.kernel, [...messages, rejection ?? scopeError?.message ?? ''].filter(Boolean).join('\n'));
    }
    const handle = Object.assign(pipeline, { kernel: spec.kernel }) as unknown as GpuPipeline;
    this.layouts.set(handle, layout);
    return handle;
  }

  /** A bind group for a pipeline: storage buffers in binding order, then the uniform block. */
  createBindGroup(pipeline: GpuPipeline, resources: readonly BindingResource[]): GpuBindGroup {
    const entries = resources.map((resource, binding) => ({ binding, resource: { buffer: raw(resource.buffer), offset: resource.offset ?? 0, ...(resource.size ? { size: resource.size } : {}) } }));
    const group = this.device.createBindGroup({ label: pipeline.kernel, layout: this.layouts.get(pipeline)!, entries });
    return Object.assign(group, { kernel: pipeline.kernel }) as unknown as GpuBindGroup;
  }

  /** Records every dispatch in one compute pass, then the copies, in one command buffer, and submits it. */
  submit(dispatches: readonly Dispatch[], copies: readonly BufferCopy[]): void {
    this.checkAlive();
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    for (const dispatch of dispatches) {
      pass.setPipeline(dispatch.pipeline as unknown as GPUComputePipeline);
      pass.setBindGroup(0, dispatch.bindGroup as unknown as GPUBindGroup);
      pass.dispatchWorkgroups(...dispatch.workgroups);
    }
    pass.end();
    for (const copy of copies) encoder.copyBufferToBuffer(raw(copy.from), 0, raw(copy.to), copy.toOffset, copy.bytes);
    this.device.queue.submit([encoder.finish()]);
  }

  /** Maps a readback buffer and copies out its first `bytes` bytes. */
  async read(buffer: GpuBuffer, bytes: number): Promise<Uint8Array> {
    const gpuBuffer = raw(buffer);
    try {
      await gpuBuffer.mapAsync(MAP_MODE_READ, 0, Math.ceil(bytes / 4) * 4);
    } catch (error) {
      await Promise.race([this.lostSignal, new Promise((resolve) => setTimeout(resolve, 250))]);
      this.checkAlive();
      throw new BackendError(`reading results back from the GPU failed: ${(error as Error).message}`);
    }
    const data = new Uint8Array(gpuBuffer.getMappedRange(0, Math.ceil(bytes / 4) * 4)).slice(0, bytes);
    gpuBuffer.unmap();
    return data;
  }

  /** Destroys the device (it is then lost; sessions on it throw DeviceLostError). */
  destroy(): void {
    this.lostReason ??= 'destroyed';
    forgetSharedDevice(this);
    this.device.destroy();
  }
}

function raw(buffer: GpuBuffer): GPUBuffer {
  return buffer as unknown as GPUBuffer;
}

function copyPadded(data: Uint8Array): Uint8Array {
  const padded = new Uint8Array(Math.ceil(data.byteLength / 4) * 4);
  padded.set(data);
  return padded;
}

function readLimits(device: GPUDevice): GpuLimits {
  return Object.fromEntries(LIMIT_NAMES.map((name) => [name, Number(device.limits[name])])) as unknown as GpuLimits;
}

function layoutEntries(spec: PipelineSpec): GPUBindGroupLayoutEntry[] {
  const entries: GPUBindGroupLayoutEntry[] = spec.storage.map((access, binding) => ({
    binding,
    visibility: SHADER_STAGE_COMPUTE,
    buffer: { type: access === 'read' ? 'read-only-storage' : 'storage' },
  }));
  if (spec.uniformBytes > 0) entries.push({ binding: spec.storage.length, visibility: SHADER_STAGE_COMPUTE, buffer: { type: 'uniform' } });
  return entries;
}

/** Whether WebGPU can be used here, and why not. */
export interface GpuAvailability {
  readonly available: boolean;
  readonly reason?: string;
  /** The adapter is a software fallback (SwiftShader and the like). */
  readonly software?: boolean;
}

let gpuEntry: Promise<GPU | string> | undefined;
let sharedDevice: Promise<GpuDevice | string> | undefined;

function forgetSharedDevice(device: GpuDevice): void {
  void sharedDevice?.then((shared) => {
    if (shared === device) sharedDevice = undefined;
  });
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** In Node: pick SwiftShader's Vulkan driver when none is configured and Debian's chromium ships it. */
function preferSwiftShader(): void {
  if (process.env.VK_ICD_FILENAMES) return;
  const fs = nodeBuiltin<{ existsSync(path: string): boolean }>('node:fs');
  if (fs?.existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}

async function loadGpu(): Promise<GPU | string> {
  const navigatorGpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (navigatorGpu) return navigatorGpu;
  if (!isNode()) return 'this browser has no navigator.gpu (WebGPU is disabled or unsupported)';
  try {
    preferSwiftShader();
    const dawn = await importOptionalPeer<{ create(flags: string[]): GPU; globals: object }>('webgpu', 'WebGPU in Node');
    Object.assign(globalThis, dawn.globals);
    return dawn.create([]);
  } catch (error) {
    return `the 'webgpu' package (Dawn for Node) could not be loaded: ${(error as Error).message}`;
  }
}

async function requestDevice(): Promise<GpuDevice | string> {
  gpuEntry ??= loadGpu();
  const gpu = await gpuEntry;
  if (typeof gpu === 'string') return gpu;
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return 'requestAdapter() found no adapter (no GPU, and no software Vulkan driver such as SwiftShader from Debian chromium)';
  try {
    return await GpuDevice.fromAdapter(adapter);
  } catch (error) {
    return `requestDevice() failed: ${(error as Error).message}`;
  }
}

/** The shared device (a new one after the previous was lost), or why there is none. */
export async function acquireGpu(): Promise<GpuDevice | string> {
  sharedDevice ??= requestDevice();
  let device = await sharedDevice;
  if (typeof device !== 'string' && device.lost !== undefined) {
    sharedDevice = requestDevice();
    device = await sharedDevice;
  }
  if (typeof device === 'string') sharedDevice = undefined;
  return device;
}

/** Whether a WebGPU adapter and device can be had here, with the reason when not. */
export async function gpuAvailability(): Promise<GpuAvailability> {
  const device = await acquireGpu();
  return typeof device === 'string' ? { available: false, reason: device } : { available: true, software: device.software };
}
