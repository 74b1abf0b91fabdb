/**
 * Lowering a compiled graph to a WGSL Program: every node that must run is
 * planned and emitted (see lower/lower-graph.ts and lowerings.ts), and the
 * declared kernels it used become the program's WGSL payload.
 */
import type { Graph, Program } from '@ladon/ir';
import { lowerGraph } from '../lower/lower-graph.js';
import { ProgramBuilder } from '../lower/program-builder.js';
import { WgslLowering } from './lowering.js';
import { WGSL_BACKEND } from './lowerings.js';

/** Lowers a compiled graph to a WGSL program. */
export function lowerToWgsl(graph: Graph, passes: readonly string[]): Program {
  const program = new ProgramBuilder(graph, 'wgsl');
  const lowering = new WgslLowering(graph, program);
  lowerGraph(graph, program, lowering, WGSL_BACKEND);
  return program.build({ wgsl: lowering.payload() }, passes);
}
