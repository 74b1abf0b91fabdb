/**
 * Which backend runs an op. `auto` is the runtime's choice (WebGPU when an
 * adapter exists, else wasm), resolved once per process and remembered.
 */
import type { DType } from '@ladon/ir';
import { webGpuAvailable, type BackendName } from '@ladon/runtime';

/** A backend for the ops: one of the runtime's backends, or `auto` (the runtime's choice). */
export type OpsBackend = BackendName | 'auto';

let autoChoice: Promise<BackendName> | undefined;

/** The concrete backend for `choice` (`auto` becomes `webgpu` or `wasm`). */
export async function resolveBackend(choice: OpsBackend = 'auto'): Promise<BackendName> {
  if (choice !== 'auto') return choice;
  autoChoice ??= webGpuAvailable().then((available): BackendName => (available ? 'webgpu' : 'wasm'));
  return autoChoice;
}

/** The dtypes each backend computes attention in (the wasm kernels are f32 only). */
const BACKEND_DTYPES: Readonly<Record<BackendName, readonly DType[]>> = {
  reference: ['f32', 'f16'],
  wasm: ['f32'],
  webgpu: ['f32', 'f16'],
};

/** True when `backend` can run the ops on `dtype` data. */
export function backendSupportsDType(backend: BackendName, dtype: DType): boolean {
  return BACKEND_DTYPES[backend].includes(dtype);
}
