/**
 * Dead-code elimination: Identity nodes are bypassed (a graph output keeps
 * its name; an Identity that only forwards a graph input, an initializer or
 * another output to an output stays), then nodes nobody reads and unused
 * initializers are removed.
 */
import { removeDeadNodes } from '../graph-edit.js';
import type { Pass } from '../pass.js';
import { bypassNode } from './bypass.js';

/** Removes Identity nodes, nodes whose outputs nobody reads, and unused initializers. Counters: `identity-removed`, `dead-nodes`, `dead-initializers`. */
export const dcePass: Pass = {
  name: 'dce',
  description: 'removes Identity nodes, dead nodes and unused initializers',
  run(graph, ctx) {
    let identities = 0;
    for (const node of [...graph.nodes]) {
      if (node.op === 'Identity' && bypassNode(graph, node, node.inputs[0])) identities++;
    }
    const initializers = graph.initializers.size;
    ctx.count('identity-removed', identities);
    ctx.count('dead-nodes', removeDeadNodes(graph) - identities);
    ctx.count('dead-initializers', initializers - graph.initializers.size);
  },
};
