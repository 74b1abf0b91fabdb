/**
 * The kernel-call contract, the same on both backends: a kernel declares
 * its parameters by name, in call order (wasm: the export's i32
 * parameters; WGSL: the storage bindings, then the uniform fields), and a
 * step passes its arguments by name. Ordering them is where a missing,
 * unknown or repeated argument is caught — a KernelCallError naming the
 * kernel, the node and the parameter — instead of a kernel silently
 * reading 0 or the wrong buffer.
 */
import { LadonError, nodeLabel, SPLIT_PARAMS, type ErrorLocation, type Node, type StepArg } from '@ladon/ir';

/** A kernel's name and its parameters in call order. */
export interface KernelSignature {
  readonly name: string;
  readonly params: readonly string[];
}

/** A step's arguments by parameter name. */
export type KernelArgs = Readonly<Record<string, StepArg>>;

/** A step that calls a kernel with a missing, unknown or repeated argument (a bug in a lowering). */
export class KernelCallError extends LadonError {
  constructor(message: string, location: ErrorLocation = {}) {
    super('E_COMPILE', message, location);
  }
  override get name(): string {
    return 'KernelCallError';
  }
}

/** The arguments in the signature's order; a KernelCallError when one is missing or not a parameter. */
export function orderArgs(signature: KernelSignature, args: KernelArgs, node: Node): StepArg[] {
  const location: ErrorLocation = { node: nodeLabel(node), op: node.op };
  const fail = (message: string): never => {
    throw new KernelCallError(`kernel ${signature.name}: ${message}`, location);
  };
  const repeated = signature.params.find((param, index) => signature.params.indexOf(param) !== index);
  if (repeated) fail(`parameter '${repeated}' is declared twice`);
  const unknown = Object.keys(args).filter((name) => !signature.params.includes(name));
  if (unknown.length > 0) fail(`no parameter ${unknown.map((name) => `'${name}'`).join(', ')} (parameters: ${signature.params.join(', ')})`);
  const missing = signature.params.filter((param) => !Object.prototype.hasOwnProperty.call(args, param));
  if (missing.length > 0) fail(`argument ${missing.map((name) => `'${name}'`).join(', ')} not given`);
  return signature.params.map((param) => args[param]);
}

/** A split kernel's parameters without the trailing SPLIT_PARAMS (the runtime passes those); a KernelCallError when they are not last. */
export function withoutSplitParams(signature: KernelSignature, node: Node): readonly string[] {
  const tail = signature.params.slice(-SPLIT_PARAMS.length);
  if (tail.join() !== SPLIT_PARAMS.join()) {
    throw new KernelCallError(`kernel ${signature.name} is called split, but its last parameters are ${tail.join(', ')}, not ${SPLIT_PARAMS.join(', ')}`, { node: nodeLabel(node), op: node.op });
  }
  return signature.params.slice(0, -SPLIT_PARAMS.length);
}
