/**
 * The backend seam: a backend loads a compiled program (or, for the
 * reference backend, a graph) and runs it. Session picks one and forwards.
 */
import type { Tensor } from '@ladon/ir';

/** The time one step of a run took (`session.run(feeds, { profile: true })`). */
export interface StepTiming {
  /** The step's index in the program. */
  readonly step: number;
  /** The IR op and node the step computes. */
  readonly op: string;
  readonly node: string;
  /** The kernel it called. */
  readonly kernel: string;
  /** Wall time in milliseconds (a step split over threads: until every part finished). */
  readonly ms: number;
}

/** The backends a Session can use. */
export type BackendName = 'wasm' | 'webgpu' | 'reference';

/** A loaded program on one backend. */
export interface BackendSession {
  readonly backend: BackendName;
  /** CPU threads the backend computes on (absent: 1). */
  readonly threads?: number;
  /** Runs on feeds by input name; resolves to outputs by output name. With `profile`, a backend that can time its steps appends one entry a step. */
  run(feeds: Readonly<Record<string, Tensor>>, profile?: StepTiming[]): Promise<Record<string, Tensor>>;
  /** True when `run` fills a profile. */
  readonly profiles?: boolean;
  /** Frees memory, devices and workers. */
  dispose(): void;
}
