/**
 * Running a program's host part (`Program.host`) when the feeds arrive:
 * each step re-runs its op's shape inference on the concrete input shapes
 * and values, or evaluates the op with its reference semantics; the
 * concrete output shapes bind the symbols the compiler gave to sizes
 * decided at run time. A shape that contradicts what the program was
 * compiled for is a typed error naming the node. The program is untrusted:
 * unknown ops, malformed steps and oversized results are typed errors too.
 */
import {
  bindShape,
  evaluateDim,
  formatShape,
  fromHostTensor,
  hostStepNode,
  inferNode,
  knownFromTensor,
  LadonError,
  nodeLocation,
  ProgramFormatError,
  runNode,
  ShapeError,
  tensor,
  type Dim,
  type HostStep,
  type HostValue,
  type Node,
  type Program,
  type Tensor,
  type TensorType,
  type ValueFacts,
} from '@ladon/ir';
import { LimitError } from './errors.js';

/** The most elements one host step may produce. */
const MAX_HOST_ELEMENTS = 1 << 24;

/** What the host knows during one run: the bindings it extends and the values it has. */
class HostRun {
  private readonly values = new Map<string, Tensor>();
  private readonly constants = new Map<string, Tensor>();
  private readonly sources: ReadonlyMap<string, HostValue>;

  constructor(
    private readonly program: Program,
    private readonly feeds: Readonly<Record<string, Tensor>>,
    readonly bindings: Map<string, number>,
  ) {
    this.sources = new Map((program.host?.values ?? []).map((value) => [value.name, value]));
  }

  /** The tensor of `name` when the host has it (computed, fed, constant or known from the symbols). */
  tensor(name: string): Tensor | undefined {
    const computed = this.values.get(name) ?? this.constants.get(name);
    if (computed) return computed;
    const source = this.sources.get(name)?.source;
    switch (source?.kind) {
      case 'feed':
        return this.feeds[name];
      case 'constant':
        return this.remember(name, fromHostTensor(source.tensor) ?? this.malformed(`constant %${name}`));
      case 'known': {
        const dtype = this.sources.get(name)!.type.dtype;
        const entries = source.known.map((dim) => this.size(dim, name));
        return tensor(dtype, this.sources.get(name)!.type.shape.length === 0 ? [] : [entries.length], entries);
      }
      default:
        return undefined;
    }
  }

  /** What inference needs about input `name`: its concrete type, and its contents when the host has them. */
  facts(name: string): ValueFacts | undefined {
    if (!name) return undefined;
    const value = this.tensor(name);
    if (value) return { type: { dtype: value.dtype, shape: value.shape }, constant: value, known: knownFromTensor(value) };
    const declared = this.sources.get(name)?.type ?? this.malformed(`value %${name}, which no host value or earlier step provides,`);
    return { type: { dtype: declared.dtype, shape: declared.shape.map((dim) => this.size(dim, name)) } };
  }

  /** Runs one step: infer (and check the result size), evaluate when asked, bind the output shapes. */
  step(step: HostStep): void {
    const node = hostStepNode(step) ?? this.malformed(`host step ${step.op}`);
    const inference = inferNode(node, node.inputs.map((input) => this.facts(input)));
    node.outputs.forEach((output, index) => {
      const shape = inference.types[index]?.shape;
      const count = shape?.every((dim): dim is number => typeof dim === 'number') ? shape.reduce((product, dim) => product * dim, 1) : 0;
      if (step.evaluate && count > MAX_HOST_ELEMENTS) throw new LimitError(`%${output} would hold ${count} elements, more than the host computes (${MAX_HOST_ELEMENTS})`, nodeLocation(node, output));
    });
    if (step.broadcast) this.checkBroadcast(node, step.broadcast, inference.types[0]?.shape as readonly number[]);
    if (!step.evaluate) {
      node.outputs.forEach((output, index) => this.bind(node, output, step.types[index], inference.types[index]?.shape as readonly number[] | undefined));
      return;
    }
    const outputs = runNode(node, node.inputs.map((input) => (input ? this.tensor(input) : undefined)));
    node.outputs.forEach((output, index) => {
      const value = outputs[index];
      if (!output || !value) return;
      this.bind(node, output, step.types[index], value.shape);
      this.values.set(output, value);
    });
  }

  /** Binds the symbols of every value-symbol list to its value's entries. */
  bindEntries(): void {
    for (const { value, symbols } of this.program.host?.valueSymbols ?? []) {
      const contents = this.tensor(value) ?? this.malformed(`value %${value}, whose entries bind symbols,`);
      const entries = Array.from(contents.data as ArrayLike<number | bigint>, Number);
      if (entries.length !== symbols.length) throw new ShapeError(`%${value} has ${entries.length} entries at run time but the program was compiled for ${symbols.length}`, { tensor: value });
      symbols.forEach((symbol, index) => this.bindings.set(symbol, entries[index]));
    }
  }

  /** The host values the runtime writes into buffers. */
  get computed(): ReadonlyMap<string, Tensor> {
    return this.values;
  }

  /** Each input must broadcast (size 1 against a larger output) exactly where its compiled dim is 1, as the kernels do. */
  private checkBroadcast(node: Node, compiled: readonly (readonly Dim[] | undefined)[], output: readonly number[]): void {
    node.inputs.forEach((input, index) => {
      const shape = compiled[index];
      if (!input || !shape) return;
      const concrete = this.facts(input)!.type.shape as readonly number[];
      const offset = output.length - shape.length;
      shape.forEach((dim, axis) => {
        if (dim === 1 || concrete[axis] !== 1 || output[offset + axis] === 1) return;
        throw new ShapeError(
          `at run time %${input} is ${formatShape(concrete)} and broadcasts along axis ${axis} to ${formatShape(output)}, but the program was compiled for ${formatShape(shape)}, reading it without broadcasting there`,
          nodeLocation(node, input),
        );
      });
    });
  }

  private bind(node: Node, output: string, compiled: TensorType | undefined, shape: readonly number[] | undefined): void {
    if (!output || !compiled || !shape || shape.some((dim) => typeof dim !== 'number')) return;
    const problem = bindShape(compiled.shape, shape, this.bindings);
    if (problem) throw new ShapeError(`at run time %${output} is ${formatShape(shape)}, but the program was compiled for ${formatShape(compiled.shape)}: ${problem}`, nodeLocation(node, output));
  }

  private size(dim: string | number, name: string): number {
    const value = typeof dim === 'number' ? dim : evaluateDim(dim, this.bindings);
    if (value === undefined) throw new LadonError('E_SHAPE', `the size ${dim} of %${name} is not bound when the host needs it`, { tensor: name });
    return value;
  }

  private remember(name: string, value: Tensor): Tensor {
    this.constants.set(name, value);
    return value;
  }

  private malformed(what: string): never {
    throw new ProgramFormatError(`the program's host part is malformed: ${what} cannot be read`);
  }
}

/**
 * Runs `program`'s host part on `feeds`: extends `bindings` (already bound
 * from the input shapes) with the symbols it binds, and returns the values
 * it computed (by value name) for the buffers the runtime writes.
 */
export function runHostProgram(program: Program, feeds: Readonly<Record<string, Tensor>>, bindings: Map<string, number>): ReadonlyMap<string, Tensor> {
  if (!program.host) return new Map();
  const run = new HostRun(program, feeds, bindings);
  for (const step of program.host.steps) run.step(step);
  run.bindEntries();
  return run.computed;
}
