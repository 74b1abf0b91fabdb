/**
 * Backend selection, behind one small interface so the real backends
 * (@ladon/runtime's wasm and webgpu) plug in without touching the commands.
 * Today only the reference interpreter is built; `auto` means reference.
 */
import { interpret, LadonError, type Graph, type Tensor } from '@ladon/ir';

/** The `--backend` choices. */
export const BACKEND_CHOICES = ['auto', 'reference', 'wasm', 'webgpu'] as const;

/** One of {@link BACKEND_CHOICES}. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** A graph made ready to run on a backend (compiled, uploaded...). */
export interface PreparedGraph {
  /** Runs on feeds by graph input name; resolves to outputs by graph output name. */
  run(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>>;
  /** Frees what `prepare` allocated. */
  dispose(): void;
}

/** A backend that can run graphs. */
export interface Backend {
  /** The backend's name, e.g. `reference`. */
  readonly name: string;
  /** Prepares `graph` for (repeated) runs. */
  prepare(graph: Graph): Promise<PreparedGraph>;
}

/** A backend that exists in the contract but is not available in this build. */
export class BackendUnavailableError extends LadonError {
  constructor(message: string) {
    super('E_BACKEND', message);
  }

  override get name(): string {
    return 'BackendUnavailableError';
  }
}

/** The reference backend: the IR interpreter, the definition every backend is checked against. */
export const referenceBackend: Backend = {
  name: 'reference',
  async prepare(graph) {
    return { run: async (feeds) => interpret(graph, feeds), dispose: () => undefined };
  },
};

/** The backend for a `--backend` choice, or a BackendUnavailableError for one not built yet. */
export function selectBackend(choice: BackendChoice): Backend {
  switch (choice) {
    case 'auto':
    case 'reference':
      return referenceBackend;
    case 'wasm':
    case 'webgpu':
      throw new BackendUnavailableError(`the ${choice} backend is not built yet; use --backend reference (or auto)`);
  }
}
