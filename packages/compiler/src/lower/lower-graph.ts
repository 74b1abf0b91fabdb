/**
 * The lowering loop both backends share: for every node that must run (see
 * demand.ts), in graph order — nothing when its outputs are constants or
 * values the host knows or computes (runtime/: sizes and values that
 * arrive with the feeds get symbols the host binds), a view when its plan says so, else the backend's
 * emitter for its plan. Backends differ only in their emitters and in the
 * capabilities they declare (which can change a plan, e.g. reading Q/K/V
 * in place from a packed projection).
 */
import type { Graph } from '@ladon/ir';
import { demandedNodes } from './demand.js';
import type { ProgramBuilder } from './program-builder.js';
import { needsNoKernel } from './plans/host-values.js';
import { readsPackedSlice } from './plans/packed-slices.js';
import { PlanContext } from './plans/plan-context.js';
import { planSteps, type KernelPlan, type PlanEmitters, type PlanOptions } from './plans/plan.js';
import { RuntimeValues } from './runtime/runtime-values.js';

/** A backend's half of lowering: its emitters and its capabilities. */
export interface Backend<Lowering> {
  readonly emitters: PlanEmitters<Lowering>;
  readonly options: PlanOptions;
}

/** Plans and emits every node of `graph` that must run. */
export function lowerGraph<Lowering>(graph: Graph, program: ProgramBuilder, lowering: Lowering, backend: Backend<Lowering>): void {
  const constants = program.constantValues;
  const readsThrough = backend.options.attention?.packedSlices ? readsPackedSlice(graph) : undefined;
  const running = demandedNodes(graph, readsThrough);
  const runtime = RuntimeValues.analyze(graph, running, constants);
  program.useRuntimeValues(runtime);
  for (const node of running) {
    if (needsNoKernel(graph, node, constants, runtime)) continue;
    for (const plan of planSteps(new PlanContext(graph, node, constants, runtime), backend.options)) {
      if (plan.kind === 'view') {
        program.alias(plan.output, plan.input);
        continue;
      }
      const emit = backend.emitters[plan.kind] as (lowering: Lowering, plan: KernelPlan) => void;
      emit(lowering, plan);
    }
  }
}
