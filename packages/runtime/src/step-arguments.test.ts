/**
 * The load-time check of the kernel-call contract on hand-made programs: a
 * step calling a missing kernel, with too few or too many arguments, or a
 * value where a buffer binding is, is a ProgramFormatError naming the step.
 */
import { ProgramFormatError, PROGRAM_VERSION, type Program, type ProgramStep } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { checkStepArguments, type KernelParameters } from './step-arguments.js';

function programWith(step: ProgramStep): Program {
  return { format: 'ladon-program', version: PROGRAM_VERSION, name: 'p', target: 'wgsl', inputs: [], outputs: [], buffers: [], steps: [step], weights: new Uint8Array(0), passes: [] };
}

const COPY: KernelParameters = { params: ['src', 'dst', 'count'], buffers: 2 };
const parameters = (kernel: string): KernelParameters | undefined => (kernel === 'copy' ? COPY : undefined);
const step = (args: ProgramStep['args'], kernel = 'copy'): ProgramStep => ({ kernel, op: 'Identity', node: '%y', args });

describe('checkStepArguments', () => {
  it('accepts a step matching its kernel', () => {
    expect(() => checkStepArguments(programWith(step([{ buffer: 0 }, { buffer: 1 }, { dim: 'n' }])), parameters)).not.toThrow();
  });

  it('names the step, the kernel and its parameters for a wrong argument count', () => {
    const check = () => checkStepArguments(programWith(step([{ buffer: 0 }, { buffer: 1 }])), parameters);
    expect(check).toThrow(ProgramFormatError);
    expect(check).toThrow("step 0 (Identity %y) passes 2 arguments to kernel 'copy', which takes 3 (src, dst, count)");
    expect(() => checkStepArguments(programWith(step([{ buffer: 0 }, { buffer: 1 }, { int: 3 }, { int: 4 }])), parameters)).toThrow(/passes 4 arguments/);
  });

  it('refuses a value where a buffer belongs, and a kernel the program lacks', () => {
    expect(() => checkStepArguments(programWith(step([{ buffer: 0 }, { int: 1 }, { dim: 'n' }])), parameters)).toThrow(/a value as argument 1 \('dst'\)/);
    expect(() => checkStepArguments(programWith(step([], 'gone')), parameters)).toThrow(/calls kernel 'gone', which the program does not contain/);
  });
});
