/**
 * A session whose kernels depend on the values of some inputs (which axes a
 * Slice walks, a Pad's offsets: see RuntimeValueError), for sources the
 * runtime can compile (a graph or ONNX bytes). When the feeds arrive, the
 * graph is specialised on those inputs' values (they become constants),
 * compiled (by the session's own compile path) and loaded; the result is
 * cached per value binding, so a model run with the same values compiles once.
 */
import { FeedError, RuntimeValueError, withInputValues, type Graph, type Tensor } from '@ladon/ir';
import type { Program } from '@ladon/ir';
import type { BackendSession, StepTiming } from './backend.js';

/** Compiles a (specialised) graph for the session's target. */
export type GraphCompiler = (graph: Graph) => Promise<Program>;

/** Loads a compiled program on the session's backend. */
export type ProgramLoader = (program: Program) => Promise<BackendSession>;

/** How many specialised programs a session keeps loaded. */
const MAX_SPECIALIZATIONS = 8;

/** The cache key of the values of `inputs` in `feeds` (dtype, shape and contents). */
function valueKey(inputs: readonly string[], feeds: Readonly<Record<string, Tensor>>): string {
  return inputs
    .map((name) => {
      const value = feeds[name];
      if (!value) throw new FeedError(`missing feed for input '${name}'`, { tensor: name });
      return `${name}:${value.dtype}[${value.shape.join(',')}]=${Array.from(value.data as ArrayLike<number | bigint>, String).join(',')}`;
    })
    .join(';');
}

/** See the module comment. */
export class SpecializingSession implements BackendSession {
  private readonly loaded = new Map<string, Promise<BackendSession>>();
  private readonly inputs: string[];
  /** Runs are profiled by the specialised program's session (the wasm backend's). */
  readonly profiles: boolean;

  constructor(
    readonly backend: 'wasm' | 'webgpu',
    private readonly graph: Graph,
    private readonly compile: GraphCompiler,
    private readonly load: ProgramLoader,
    inputs: readonly string[],
  ) {
    this.inputs = [...inputs];
    this.profiles = backend === 'wasm';
  }

  async run(feeds: Readonly<Record<string, Tensor>>, profile?: StepTiming[]): Promise<Record<string, Tensor>> {
    const session = await this.sessionFor(feeds);
    const rest = Object.fromEntries(Object.entries(feeds).filter(([name]) => !this.inputs.includes(name)));
    return session.run(rest, profile);
  }

  dispose(): void {
    for (const session of this.loaded.values()) void session.then((loaded) => loaded.dispose(), () => undefined);
    this.loaded.clear();
  }

  private async sessionFor(feeds: Readonly<Record<string, Tensor>>): Promise<BackendSession> {
    for (;;) {
      const key = valueKey(this.inputs, feeds);
      const cached = this.loaded.get(key);
      if (cached) return cached;
      const values = Object.fromEntries(this.inputs.map((name) => [name, feeds[name]]));
      try {
        const program = await this.compile(withInputValues(this.graph, values));
        const session = this.load(program);
        this.remember(key, session);
        return await session;
      } catch (error) {
        // A kernel further on needs another input's value too: specialise on it as well and try again.
        const more = error instanceof RuntimeValueError ? error.inputs.filter((name) => !this.inputs.includes(name) && this.graph.inputs.includes(name)) : [];
        if (more.length === 0) throw error;
        this.inputs.push(...more);
      }
    }
  }

  private remember(key: string, session: Promise<BackendSession>): void {
    if (this.loaded.size >= MAX_SPECIALIZATIONS) {
      const [oldest] = this.loaded.keys();
      void this.loaded.get(oldest)!.then((loaded) => loaded.dispose(), () => undefined);
      this.loaded.delete(oldest);
    }
    this.loaded.set(key, session);
    session.catch(() => this.loaded.delete(key));
  }
}
