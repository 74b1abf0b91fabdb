/** Runtime errors: typed, with stable names and codes. */
import { LadonError, type ErrorLocation } from '@ladon/ir';

/** A backend that cannot run here (no adapter, no wasm SIMD, not built for this target). */
export class BackendError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}) {
    super('E_BACKEND', message, location);
  }
  override get name(): string {
    return 'BackendError';
  }
}

/** A request beyond a hard limit: wasm's 4 GB memory, an adapter's buffer size, a compiled symbol bound. */
export class LimitError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}) {
    super('E_LIMIT', message, location);
  }
  override get name(): string {
    return 'LimitError';
  }
}

/** The GPU device was lost; create a new session. */
export class DeviceLostError extends LadonError {
  constructor(message: string) {
    super('E_DEVICE', message);
  }
  override get name(): string {
    return 'DeviceLostError';
  }
}

/** A worker thread of a session died, or the session was disposed while a run waited on its workers. */
export class ThreadError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}) {
    super('E_THREAD', message, location);
  }
  override get name(): string {
    return 'ThreadError';
  }
}
