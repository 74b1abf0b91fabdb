/**
 * Sizes decided at run time get names. Where shape inference could not
 * tell a dim (`?`: a Reshape to a shape from the feeds, the length of a
 * Range of fed scalars, NonZero's count), the dim becomes a fresh symbol
 * (`y_d1`), the node that produces it is recorded for the host to re-infer
 * (or evaluate) at run time, and the nodes after it are re-inferred, so
 * sizes downstream become polynomials in the new symbols like any other.
 */
import { dimSymbols, inferNode, isUnknownDim, valueFacts, type Dim, type Graph, type Node, type Tensor, type TensorType } from '@ladon/ir';

/** Fresh, valid symbol names that no dim of the graph uses yet. */
export class SymbolNamer {
  private readonly used = new Set<string>();
  private readonly created = new Set<string>();

  constructor(graph: Graph) {
    for (const value of graph.values.values()) {
      for (const dim of [...value.type.shape, ...(value.known ?? [])]) for (const symbol of dimSymbols(dim)) this.used.add(symbol);
    }
  }

  /** A new symbol built from a value name and a suffix (`attn/out:0`, `d1` -> `attn_out_0_d1`). */
  fresh(value: string, suffix: string): string {
    const cleaned = value.replace(/[^A-Za-z0-9_]/g, '_');
    const base = `${/^[A-Za-z_]/.test(cleaned) ? cleaned : `v_${cleaned}`}_${suffix}`;
    let name = base;
    for (let index = 2; this.used.has(name); index++) name = `${base}_${index}`;
    this.used.add(name);
    this.created.add(name);
    return name;
  }

  /** True when `dim` mentions a symbol this namer created. */
  mentionsFresh(dim: Dim): boolean {
    return dimSymbols(dim).some((symbol) => this.created.has(symbol));
  }
}

/** A dim from either type: a number wins, then a symbol the graph had, then the inferred one; `?` only when both are. */
function mergeDim(stored: Dim, inferred: Dim): Dim {
  if (typeof stored === 'number') return stored;
  if (typeof inferred === 'number') return inferred;
  return isUnknownDim(stored) ? inferred : stored;
}

/**
 * Re-infers `node` on the graph's current types and stores its outputs'
 * types with every unknown dim replaced by a fresh symbol. Returns true
 * when it had to name one (the host must then bind it at run time).
 */
export function nameUnknownDims(graph: Graph, node: Node, constants: ReadonlyMap<string, Tensor>, namer: SymbolNamer): boolean {
  const inference = inferNode(node, node.inputs.map((input) => valueFacts(graph, input, constants)));
  let named = false;
  node.outputs.forEach((output, index) => {
    const value = output ? graph.values.get(output) : undefined;
    const inferred = inference.types[index];
    if (!value || !inferred) return;
    const stored = value.type;
    const shape = stored.shape.map((dim, axis) => {
      const merged = inferred.shape.length === stored.shape.length ? mergeDim(dim, inferred.shape[axis]) : dim;
      if (!isUnknownDim(merged)) return merged;
      named = true;
      return namer.fresh(output, `d${axis}`);
    });
    value.type = { dtype: stored.dtype, shape } satisfies TensorType;
    if (index === 0 && inference.known && (!value.known || value.known.some(isUnknownDim))) value.known = inference.known;
  });
  return named;
}
