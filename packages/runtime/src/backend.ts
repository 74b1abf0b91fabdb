/**
 * The backend seam: a backend loads a compiled program (or, for the
 * reference backend, a graph) and runs it. Session picks one and forwards.
 */
import type { Tensor } from '@ladon/ir';

/** The backends a Session can use. */
export type BackendName = 'wasm' | 'webgpu' | 'reference';

/** A loaded program on one backend. */
export interface BackendSession {
  readonly backend: BackendName;
  /** CPU threads the backend computes on (absent: 1). */
  readonly threads?: number;
  /** Runs on feeds by input name; resolves to outputs by output name. */
  run(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>>;
  /** Frees memory, devices and workers. */
  dispose(): void;
}
