/** Lowering to WGSL (being built: until it lands, compiling for wgsl reports that it is not available). */
import { UnsupportedError, type Graph, type Program } from '@ladon/ir';

/** Lowers a compiled graph to a WGSL program. */
export function lowerToWgsl(graph: Graph, _passes: readonly string[]): Program {
  throw new UnsupportedError(`the WGSL lowering is not built yet (graph ${graph.name})`);
}
