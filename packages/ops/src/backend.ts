/**
 * Which backend runs an op. `auto` is the runtime's choice (WebGPU when a
 * hardware adapter exists, else wasm), resolved once per process and remembered.
 */
import type { DType } from '@ladon/ir';
import { BackendError, preferredBackend, type BackendName } from '@ladon/runtime';

/** A backend for the ops: one of the runtime's backends, or `auto` (the runtime's choice). */
export type OpsBackend = BackendName | 'auto';

let autoChoice: Promise<BackendName> | undefined;

/** The concrete backend for `choice` (`auto` becomes `webgpu` or `wasm`). */
export async function resolveBackend(choice: OpsBackend = 'auto'): Promise<BackendName> {
  if (choice !== 'auto' && !Object.prototype.hasOwnProperty.call(BACKEND_DTYPES, choice)) {
    throw new BackendError(`unknown backend '${String(choice)}' (expected auto, ${Object.keys(BACKEND_DTYPES).join(', ')})`);
  }
  if (choice !== 'auto') return choice;
  autoChoice ??= preferredBackend();
  return autoChoice;
}

/** The dtypes each backend computes attention in (wasm converts f16 to f32 and rounds the result once). */
const BACKEND_DTYPES: Readonly<Record<BackendName, readonly DType[]>> = {
  reference: ['f32', 'f16'],
  wasm: ['f32', 'f16'],
  webgpu: ['f32', 'f16'],
};

/** True when `backend` can run the ops on `dtype` data. */
export function backendSupportsDType(backend: BackendName, dtype: DType): boolean {
  return BACKEND_DTYPES[backend].includes(dtype);
}
