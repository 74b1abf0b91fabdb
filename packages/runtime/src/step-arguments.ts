/**
 * The kernel-call contract, checked when a program is loaded: every step
 * calls a kernel the program contains, with one argument per parameter of
 * that kernel, and — where the kernel says which parameters are buffers
 * (WGSL storage bindings) — buffers exactly there. A program that fails is
 * a ProgramFormatError naming the step and the kernel's parameters, before
 * anything runs (an argument that does not exist would otherwise read as 0,
 * or shift every later one).
 */
import { ProgramFormatError, SPLIT_PARAMS, type Program } from '@ladon/ir';

/** What a loader knows of a kernel: its parameters in call order, and how many of them (first) are buffers, if it knows. */
export interface KernelParameters {
  readonly params: readonly string[];
  readonly buffers?: number;
}

/** Checks every step of `program` against `parametersOf` its kernel (undefined: the program lacks the kernel). */
export function checkStepArguments(program: Program, parametersOf: (kernel: string) => KernelParameters | undefined): void {
  program.steps.forEach((step, index) => {
    const where = `step ${index} (${step.op} ${step.node})`;
    const location = { node: step.node, op: step.op };
    const kernel = parametersOf(step.kernel);
    if (!kernel) throw new ProgramFormatError(`${where} calls kernel '${step.kernel}', which the program does not contain`, location);
    const { buffers } = kernel;
    // A split step passes all but the kernel's last two parameters, SPLIT_PARAMS, which the runtime passes.
    const params = step.split ? splitKernelOwnParams(kernel.params, where, step.kernel, location) : kernel.params;
    if (step.args.length !== params.length) {
      throw new ProgramFormatError(`${where} passes ${step.args.length} arguments to kernel '${step.kernel}', which takes ${params.length} (${params.join(', ')})${step.split ? ` before ${SPLIT_PARAMS.join(', ')}` : ''}`, location);
    }
    if (buffers === undefined) return;
    const wrong = step.args.findIndex((arg, slot) => 'buffer' in arg !== slot < buffers);
    if (wrong >= 0) {
      throw new ProgramFormatError(`${where} passes ${wrong < buffers ? 'a value' : 'a buffer'} as argument ${wrong} ('${params[wrong]}') of kernel '${step.kernel}', which takes ${wrong < buffers ? 'a buffer' : 'a value'} there`, location);
    }
  });
}

/** A split kernel's parameters before SPLIT_PARAMS; a ProgramFormatError when it does not end with them (positional names aside). */
function splitKernelOwnParams(params: readonly string[], where: string, kernel: string, location: { node: string; op: string }): readonly string[] {
  const tail = params.slice(-SPLIT_PARAMS.length);
  const positional = tail.every((name) => name.startsWith('parameter '));
  if (params.length < SPLIT_PARAMS.length || (!positional && tail.join() !== SPLIT_PARAMS.join())) {
    throw new ProgramFormatError(`${where} is split, but kernel '${kernel}' does not end with the parameters ${SPLIT_PARAMS.join(', ')} (it takes ${params.join(', ')})`, location);
  }
  return params.slice(0, -SPLIT_PARAMS.length);
}
