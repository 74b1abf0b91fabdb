import { GraphBuilder } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { compileProgram, type CompileProgress } from './compile.js';
import { DEFAULT_PIPELINE } from './pipeline.js';
import { COMPILER_VERSION } from './version.js';

function reluGraph() {
  const builder = new GraphBuilder('relu');
  builder.output(builder.op('Relu', [builder.input('x', 'f32', ['n', 4])]), 'y');
  return builder.build();
}

describe('compileProgram progress', () => {
  it('reports every pass (compile) and each binaryen module (optimise) in order', async () => {
    const events: CompileProgress[] = [];
    await compileProgram(reluGraph(), { target: 'wasm', onProgress: (event) => events.push(event) });
    const passes = DEFAULT_PIPELINE.length;
    expect(events.filter((event) => event.phase === 'compile')).toEqual(Array.from({ length: passes + 1 }, (_, loaded) => ({ phase: 'compile', loaded, total: passes })));
    expect(events.filter((event) => event.phase === 'optimise')).toEqual([0, 1, 2].map((loaded) => ({ phase: 'optimise', loaded, total: 2 })));
    expect(events.findIndex((event) => event.phase === 'optimise')).toBe(passes + 1);
  });

  it('reports no optimise phase for WGSL, and one module without the relaxed variant', async () => {
    const wgsl: string[] = [];
    await compileProgram(reluGraph(), { target: 'wgsl', onProgress: (event) => wgsl.push(event.phase) });
    expect(new Set(wgsl)).toEqual(new Set(['compile']));
    const plain: CompileProgress[] = [];
    await compileProgram(reluGraph(), { target: 'wasm', relaxedSimd: false, onProgress: (event) => plain.push(event) });
    expect(plain.filter((event) => event.phase === 'optimise').at(-1)).toEqual({ phase: 'optimise', loaded: 1, total: 1 });
  });

  it('names its build: "source" when run from the sources', () => {
    expect(COMPILER_VERSION).toBe('source');
  });
});
