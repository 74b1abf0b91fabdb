/**
 * Values decided at run time, for one lowering: which values the host
 * computes from the feeds (host-closure.ts), the fresh symbols for the
 * sizes they decide (symbolize.ts), and the host part of the program that
 * binds those symbols when the feeds arrive (`Program.host`). Planners ask
 * it whether a control input arrives at run time; a planner that can take
 * such a value as a kernel argument asks for symbols bound to its entries
 * ({@link RuntimeValues.entrySymbols}), one that needs it to shape a kernel
 * raises a RuntimeValueError naming the graph inputs behind it.
 */
import {
  getOpDef,
  hostNodeFields,
  isIntDType,
  RuntimeValueError,
  toHostTensor,
  nodeLocation,
  type Dim,
  type Graph,
  type HostProgram,
  type HostStep,
  type HostValue,
  type HostValueSymbols,
  type Node,
  type Tensor,
} from '@ladon/ir';
import { contentsKnown, hostClosure, type HostClosure } from './host-closure.js';
import { nameUnknownDims, SymbolNamer } from './symbolize.js';

const MAX_ENTRY_SYMBOLS = 64;

/** What one lowering knows about run-time values (see the module comment). */
export class RuntimeValues {
  private readonly valueSymbols: HostValueSymbols[] = [];
  private readonly symbolsOf = new Map<string, readonly Dim[]>();

  private constructor(
    private readonly graph: Graph,
    private readonly constants: ReadonlyMap<string, Tensor>,
    private readonly closure: HostClosure,
    /** The nodes the host evaluates or re-infers, in graph order. */
    private readonly hostNodes: readonly Node[],
    /** Broadcasting nodes whose inputs have sizes bound at run time: the host checks their broadcast pattern. */
    private readonly broadcastChecks: ReadonlySet<Node>,
    private readonly namer: SymbolNamer,
  ) {}

  /**
   * Analyses the nodes that run: finds the values the host computes, names
   * the sizes they decide (changing `graph`'s types in place) and records
   * the host's steps. A graph whose sizes all follow from the input shapes
   * is left unchanged.
   */
  static analyze(graph: Graph, running: readonly Node[], constants: ReadonlyMap<string, Tensor>): RuntimeValues {
    const closure = hostClosure(graph, running, constants);
    const namer = new SymbolNamer(graph);
    const active = new Set([...running, ...closure.evaluated]);
    const unknownDims = [...active].some((node) => node.outputs.some((output) => output && graph.typeOf(output).shape.includes('?')));
    const hostNodes: Node[] = [];
    const broadcastChecks = new Set<Node>();
    if (closure.runtimeStatic.size > 0 || closure.evaluated.size > 0 || unknownDims) {
      for (const node of graph.nodes) {
        if (!active.has(node)) continue;
        const broadcasts = getOpDef(node.op).elementwise !== undefined && node.inputs.some((input) => input && graph.typeOf(input).shape.some((dim) => namer.mentionsFresh(dim)));
        const named = nameUnknownDims(graph, node, constants, namer);
        const readsRuntime = node.inputs.some((input) => closure.runtimeStatic.has(input));
        if (broadcasts) broadcastChecks.add(node);
        if (named || readsRuntime || broadcasts || closure.evaluated.has(node)) hostNodes.push(node);
      }
    }
    return new RuntimeValues(graph, constants, closure, hostNodes, broadcastChecks, namer);
  }

  /** True when the runtime writes `value` from what the host computed (no kernel produces it). */
  writtenByHost(value: string): boolean {
    return this.closure.sources.get(value) === 'node';
  }

  /** True when the contents of `value` arrive at run time (from the feeds), though the host can compute them. */
  isRuntime(value: string): boolean {
    const source = this.closure.sources.get(value);
    return source === 'feed' || source === 'node';
  }

  /** The graph inputs the contents of `value` are computed from. */
  inputsBehind(value: string): string[] {
    const inputs = new Set<string>();
    const producers = this.graph.producers();
    const visit = (name: string): void => {
      const source = this.closure.sources.get(name);
      if (source === 'feed') inputs.add(name);
      if (source === 'node') for (const input of producers.get(name)?.inputs ?? []) if (input) visit(input);
    };
    visit(value);
    return [...inputs];
  }

  /** A RuntimeValueError for a planner that needs `value` (the `role` input of `node`) at compile time. */
  needsValue(node: Node, value: string, role: string): RuntimeValueError {
    const inputs = this.inputsBehind(value);
    return new RuntimeValueError(
      `the ${role} %${value} arrives at run time (from graph input${inputs.length === 1 ? '' : 's'} ${inputs.map((input) => `'${input}'`).join(', ')}), but this kernel needs it at compile time; a session created from the model specialises on its value, a precompiled program cannot`,
      inputs,
      nodeLocation(node, value),
    );
  }

  /**
   * Symbols the host binds to the entries of `value` (an integer tensor of
   * rank <= 1 arriving at run time), so a kernel can take them as
   * arguments; undefined when `value` is not such a tensor.
   */
  entrySymbols(value: string): readonly Dim[] | undefined {
    const existing = this.symbolsOf.get(value);
    if (existing) return existing;
    const { dtype, shape } = this.graph.typeOf(value);
    const length = shape.length === 0 ? 1 : shape[0];
    if (!this.isRuntime(value) || !isIntDType(dtype) || shape.length > 1 || typeof length !== 'number' || length > MAX_ENTRY_SYMBOLS) return undefined;
    const symbols = Array.from({ length }, (_, index) => this.namer.fresh(value, `v${index}`));
    this.valueSymbols.push({ value, symbols });
    this.symbolsOf.set(value, symbols);
    return symbols;
  }

  /** The host part of the program, or undefined when the host has nothing to do. */
  program(): HostProgram | undefined {
    if (this.hostNodes.length === 0 && this.valueSymbols.length === 0) return undefined;
    const computed = new Set<string>();
    const values = new Map<string, HostValue>();
    const steps: HostStep[] = [];
    const read = (name: string): void => {
      if (name && !computed.has(name) && !values.has(name)) values.set(name, this.hostValue(name));
    };
    for (const node of this.hostNodes) {
      node.inputs.forEach(read);
      const evaluate = this.closure.evaluated.has(node);
      const types = node.outputs.map((output) => (output ? this.graph.typeOf(output) : undefined));
      const broadcast = this.broadcastChecks.has(node) ? { broadcast: node.inputs.map((input) => (input ? this.graph.typeOf(input).shape : undefined)) } : {};
      steps.push({ ...hostNodeFields(node), types, evaluate, ...broadcast });
      if (evaluate) for (const output of node.outputs) if (output) computed.add(output);
    }
    for (const entry of this.valueSymbols) read(entry.value);
    return { values: [...values.values()], steps, valueSymbols: this.valueSymbols };
  }

  private hostValue(name: string): HostValue {
    const type = this.graph.typeOf(name);
    const constant = this.constants.get(name);
    if (constant) return { name, type, source: { kind: 'constant', tensor: toHostTensor(constant) } };
    if (contentsKnown(this.graph, name, this.constants)) return { name, type, source: { kind: 'known', known: this.graph.values.get(name)!.known! } };
    if (this.graph.inputs.includes(name)) return { name, type, source: { kind: 'feed' } };
    return { name, type, source: { kind: 'shape' } };
  }
}
