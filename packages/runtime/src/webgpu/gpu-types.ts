/**
 * The opaque handles and plain descriptions the WebGPU backend passes
 * around. Only device.ts turns them into (or out of) GPU objects.
 */

/** A storage, uniform or readback buffer on the device. */
export interface GpuBuffer {
  /** Capacity in bytes. */
  readonly size: number;
  readonly label: string;
}

/** A compiled compute pipeline. */
export interface GpuPipeline {
  readonly kernel: string;
}

/** A bind group of one pipeline. */
export interface GpuBindGroup {
  readonly kernel: string;
}

/** The adapter limits the runtime checks programs against. */
export interface GpuLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
  readonly maxComputeWorkgroupStorageSize: number;
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxComputeWorkgroupSizeX: number;
  readonly maxComputeWorkgroupSizeY: number;
  readonly maxComputeWorkgroupSizeZ: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly maxStorageBuffersPerShaderStage: number;
  readonly minUniformBufferOffsetAlignment: number;
}

/** What a pipeline is built from. */
export interface PipelineSpec {
  readonly kernel: string;
  readonly source: string;
  readonly entryPoint: string;
  /** Storage bindings 0..n-1 in order; a uniform block follows at binding n when `uniformBytes` > 0. */
  readonly storage: readonly ('read' | 'read_write')[];
  readonly uniformBytes: number;
}

/** One binding of a bind group. */
export interface BindingResource {
  readonly buffer: GpuBuffer;
  readonly offset?: number;
  readonly size?: number;
}

/** One compute dispatch. */
export interface Dispatch {
  readonly pipeline: GpuPipeline;
  readonly bindGroup: GpuBindGroup;
  readonly workgroups: readonly [number, number, number];
}

/** One buffer-to-buffer copy. */
export interface BufferCopy {
  readonly from: GpuBuffer;
  readonly to: GpuBuffer;
  readonly toOffset: number;
  readonly bytes: number;
}
