/**
 * The kernel-call contract at load time: a `.ladon` program whose steps do
 * not match the kernels they call — a step argument dropped or added after
 * compiling, a kernel renamed — is a ProgramFormatError when a session is
 * created, on wasm (against the module's exports and the signatures the
 * program records) and on WebGPU (against the WGSL kernels' bindings and
 * uniforms, before any device is acquired), instead of running with an
 * argument silently 0.
 */
import { compileProgram } from '@ladon/compiler';
import { deserializeProgram, GraphBuilder, ProgramFormatError, serializeProgram, type Program } from '@ladon/ir';
import { Session } from '@ladon/runtime';
import { describe, expect, it } from 'vitest';

function graph() {
  const g = new GraphBuilder('loading');
  const x = g.input('x', 'f32', ['rows', 8]);
  g.output(g.op('Softmax', [g.op('Add', [x, g.input('bias', 'f32', [8])])]), 'y');
  return g.build();
}

/** The program's bytes after `edit` changed its first step's arguments. */
function altered(program: Program, edit: (args: Program['steps'][number]['args']) => Program['steps'][number]['args']): Uint8Array {
  const copy = deserializeProgram(serializeProgram(program));
  const [first, ...rest] = copy.steps;
  return serializeProgram({ ...copy, steps: [{ ...first, args: edit(first.args) }, ...rest] });
}

describe.each([
  ['wasm', 'wasm'],
  ['wgsl', 'webgpu'],
] as const)('%s programs', (target, backend) => {
  it('load as compiled', async () => {
    const bytes = serializeProgram(await compileProgram(graph(), { target }));
    if (backend === 'wasm') (await Session.create(bytes, { backend })).dispose();
    else expect(deserializeProgram(bytes).steps.length).toBeGreaterThan(0);
  });

  it('fail to load with a step argument dropped or added', async () => {
    const program = await compileProgram(graph(), { target });
    const kernel = program.steps[0].kernel;
    const dropped = Session.create(altered(program, (args) => args.slice(0, -1)), { backend });
    await expect(dropped).rejects.toThrow(ProgramFormatError);
    await expect(Session.create(altered(program, (args) => args.slice(0, -1)), { backend })).rejects.toThrow(
      new RegExp(`step 0 \\(Add %.*\\) passes ${program.steps[0].args.length - 1} arguments to kernel '${kernel}', which takes ${program.steps[0].args.length} \\(`),
    );
    await expect(Session.create(altered(program, (args) => [...args, { int: 0 }]), { backend })).rejects.toThrow(ProgramFormatError);
  });

  it('fail to load with a step calling a kernel the program lacks', async () => {
    const program = await compileProgram(graph(), { target });
    const renamed = serializeProgram({ ...program, steps: [{ ...program.steps[0], kernel: 'not_a_kernel' }, ...program.steps.slice(1)] });
    await expect(Session.create(renamed, { backend })).rejects.toThrow(/calls kernel 'not_a_kernel', which the program does not contain/);
  });
});
