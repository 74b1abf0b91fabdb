/**
 * The WebGPU backend entry points. (In progress: the WGSL lowering and this
 * backend are being built; until then WebGPU is reported as unavailable.)
 */
import type { Program } from '@ladon/ir';
import type { BackendSession } from '../backend.js';
import { BackendError } from '../errors.js';

/** Options of the WebGPU backend. */
export interface WebGpuSessionOptions {
  /** A device to use instead of acquiring one. */
  readonly device?: unknown;
}

/** True when a WebGPU adapter can be acquired here. */
export async function webGpuAvailable(): Promise<boolean> {
  return false;
}

/** Loads a WGSL program on a GPU device. */
export async function createWebGpuSession(program: Program, _options: WebGpuSessionOptions = {}): Promise<BackendSession> {
  throw new BackendError(`the webgpu backend is not built yet (program ${program.name})`);
}
