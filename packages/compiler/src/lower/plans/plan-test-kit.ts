/** Test helper for the plan tests: the plans of the first node of an op in a graph. */
import { constantValues, type Graph } from '@ladon/ir';
import { PlanContext } from './plan-context.js';
import { planSteps, type OpPlan } from './plan.js';

/** The plans of the first `op` node of `graph`. */
export function plansOf(graph: Graph, op: string): readonly OpPlan[] {
  const node = graph.nodes.find((candidate) => candidate.op === op)!;
  return planSteps(new PlanContext(graph, node, constantValues(graph)));
}
