/**
 * The files the build step writes for the browser demo (see
 * `node/precompile-programs.ts`) and the page fetches. Browser-safe.
 */

/** A compile target of the demo's precompiled programs. */
export type ProgramTarget = 'wasm' | 'wgsl';

/** `manifest.json`: what was precompiled. */
export interface DemoManifest {
  /** The model the programs were compiled from. */
  readonly model: string;
  /** The longest sequence the model takes, BOS included. */
  readonly maxTokens: number;
  readonly programs: Readonly<Record<ProgramTarget, { readonly file: string; readonly bytes: number }>>;
}

/** `examples.json`: stored input rows to start from. */
export interface DemoExamples {
  readonly source: string;
  readonly ids: number[][];
}

/** Names of the generated files, relative to the page. */
export const DEMO_FILES = { manifest: 'manifest.json', vocabulary: 'vocab.json', examples: 'examples.json' } as const;
