/**
 * Builds an IR Graph from imported pieces in ONNX order: initializers,
 * graph inputs, then nodes (each typed on the spot by the IR's inference,
 * checked against what the model declares), then graph outputs. Every
 * problem is a typed error naming the file and the node or tensor.
 */
import {
  formatType,
  Graph,
  inferNode,
  nodeLabel,
  nodeLocation,
  valueFacts,
  type ErrorLocation,
  type Node,
  type Tensor,
  type TensorType,
} from '@ladon/ir';
import { OnnxImportError } from './errors.js';
import { mergeDeclaredType, type DeclaredType } from './value-types.js';

/** What the assembler knows about the model before adding nodes. */
export interface AssemblyPlan {
  /** The file being imported, for messages. */
  readonly file?: string;
  /** Declared types (value_info and graph outputs) by value name. */
  readonly declared: ReadonlyMap<string, DeclaredType>;
  /** Every value some node of the model produces (to tell "undefined" from "out of order"). */
  readonly nodeOutputs: ReadonlySet<string>;
}

/** Assembles one Graph; see the module comment. */
export class GraphAssembler {
  /** The graph being built. */
  readonly graph: Graph;
  private readonly constants = new Map<string, Tensor>();

  constructor(
    name: string,
    private readonly plan: AssemblyPlan,
  ) {
    this.graph = new Graph(name);
  }

  /** The location of a tensor in the file, for errors. */
  where(extra: ErrorLocation = {}): ErrorLocation {
    return this.plan.file ? { file: this.plan.file, ...extra } : extra;
  }

  /** The type of a value defined so far, if any. */
  typeOf(name: string): TensorType | undefined {
    return this.graph.value(name)?.type;
  }

  /** A value name not used in the graph yet (nor by any node of the model), built from `base`. */
  freshName(base: string): string {
    let name = this.graph.freshName(base);
    for (let suffix = 0; this.plan.nodeOutputs.has(name); suffix++) name = this.graph.freshName(`${base}_${suffix}`);
    return name;
  }

  /** Adds an initializer (a constant tensor such as a weight). */
  addInitializer(name: string, value: Tensor): void {
    this.claim(name, 'initializer', this.where({ tensor: name }));
    this.graph.values.set(name, { name, type: { dtype: value.dtype, shape: [...value.shape] } });
    this.graph.initializers.set(name, value);
    this.constants.set(name, value);
  }

  /** Adds an initializer under a fresh name built from `base`; returns the name. */
  addConstant(base: string, value: Tensor): string {
    const name = this.freshName(base);
    this.addInitializer(name, value);
    return name;
  }

  /** Adds a graph input. */
  addInput(name: string, type: TensorType): void {
    this.claim(name, 'graph input', this.where({ tensor: name }));
    this.graph.values.set(name, { name, type });
    this.graph.inputs.push(name);
  }

  /** Adds a node after checking its inputs are defined; infers and records its output types. */
  addNode(node: Node): void {
    const location = this.where(nodeLocation(node));
    node.inputs.forEach((input, index) => this.checkInput(node, input, index, location));
    for (const output of node.outputs) if (output) this.claim(output, `output of ${node.op} ${nodeLabel(node)}`, location);
    const facts = node.inputs.map((input) => valueFacts(this.graph, input, this.constants));
    const inference = inferNode(node, facts);
    node.outputs.forEach((output, index) => {
      if (!output) return;
      const inferred = inference.types[index];
      if (!inferred) throw new OnnxImportError(`${node.op} does not produce output ${index} ('${output}') with these inputs and attributes`, location);
      const type = mergeDeclaredType(this.plan.declared.get(output), inferred, `output ${index} '${output}'`, location);
      const known = index === 0 ? inference.known : undefined;
      this.graph.values.set(output, known ? { name: output, type, known } : { name: output, type });
    });
    this.graph.nodes.push(node);
    const value = node.attrs.value;
    if (node.op === 'Constant' && node.outputs[0] && typeof value === 'object' && 'dtype' in value) this.constants.set(node.outputs[0], value as Tensor);
  }

  /** Marks a defined value as a graph output, checking its declared dtype. */
  addOutput(name: string): void {
    const value = this.graph.value(name);
    if (!value) {
      throw new OnnxImportError(`graph output '${name}' is not produced by any node, graph input or initializer`, this.where({ tensor: name }));
    }
    const declared = this.plan.declared.get(name);
    if (declared && declared.dtype !== value.type.dtype) {
      throw new OnnxImportError(`graph output '${name}' is declared ${declared.dtype} but holds ${formatType(value.type)}`, this.where({ tensor: name }));
    }
    this.graph.outputs.push(name);
  }

  private checkInput(node: Node, input: string, index: number, location: ErrorLocation): void {
    if (!input || this.graph.values.has(input)) return;
    const problem = this.plan.nodeOutputs.has(input)
      ? 'is produced by a later node (the nodes are not in topological order)'
      : 'is not defined by any graph input, initializer or earlier node (missing initializer?)';
    throw new OnnxImportError(`input ${index} '${input}' ${problem}`, { ...location, tensor: input });
  }

  private claim(name: string, role: string, location: ErrorLocation): void {
    if (!name) throw new OnnxImportError(`a ${role} has an empty name`, location);
    if (this.graph.values.has(name)) throw new OnnxImportError(`value '${name}' is defined twice (again as ${role})`, location);
  }
}
