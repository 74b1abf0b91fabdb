/**
 * Backend selection for the commands. `reference` runs the compiled graph
 * on the IR interpreter (the definition every backend is checked against);
 * `wasm` and `webgpu` run it through @ladon/runtime's Session; `auto` lets
 * the runtime pick (WebGPU when an adapter exists, else wasm).
 */
import { interpret, type Graph, type Tensor } from '@ladon/ir';
import { Session } from '@ladon/runtime';
import { compileGraph } from './pipeline.js';

/** The `--backend` choices. */
export const BACKEND_CHOICES = ['auto', 'reference', 'wasm', 'webgpu'] as const;

/** One of {@link BACKEND_CHOICES}. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** A graph made ready to run on a backend (compiled, uploaded...). */
export interface PreparedGraph {
  /** The backend that actually runs it (for `auto`, the one picked). */
  readonly backend: string;
  /** Runs on feeds by graph input name; resolves to outputs by graph output name. */
  run(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>>;
  /** Frees what `prepare` allocated. */
  dispose(): void;
}

/** A backend that can run graphs. */
export interface Backend {
  /** The `--backend` choice. */
  readonly name: BackendChoice;
  /** Compiles `graph` and prepares it for (repeated) runs. */
  prepare(graph: Graph): Promise<PreparedGraph>;
}

/** The reference backend: the compiled graph on the IR interpreter. */
export const referenceBackend: Backend = {
  name: 'reference',
  async prepare(graph) {
    const compiled = compileGraph(graph).graph;
    return { backend: 'reference', run: async (feeds) => interpret(compiled, feeds), dispose: () => undefined };
  },
};

function sessionBackend(name: 'auto' | 'wasm' | 'webgpu'): Backend {
  return {
    name,
    async prepare(graph) {
      const session = await Session.create(graph, { backend: name });
      return { backend: session.backend, run: (feeds) => session.run(feeds), dispose: () => session.dispose() };
    },
  };
}

/** The backend for a `--backend` choice. */
export function selectBackend(choice: BackendChoice): Backend {
  return choice === 'reference' ? referenceBackend : sessionBackend(choice);
}
