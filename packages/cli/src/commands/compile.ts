/**
 * `ladon compile MODEL.onnx --target wasm|wgsl -o OUT_DIR`: compiles ahead
 * of time and writes `OUT_DIR/<model>.ladon`, a Program that
 * `@ladon/runtime` runs without the compiler (`Session.create(bytes)`), and
 * `ladon run` accepts in place of the .onnx.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { compileProgram } from '@ladon/compiler';
import { serializeProgram } from '@ladon/ir';
import { FileAccessError, loadOnnxFile } from '@ladon/onnx/node';
import { EXIT_OK } from '../errors.js';
import type { CliIO } from '../io.js';

/** The options of `ladon compile`. */
export interface CompileCommandOptions {
  readonly target: 'wasm' | 'wgsl';
  readonly out: string;
}

/** Runs `ladon compile`; returns the exit code. */
export async function compileCommand(modelFile: string, options: CompileCommandOptions, io: CliIO): Promise<number> {
  const { graph } = await loadOnnxFile(modelFile);
  const started = performance.now();
  const program = await compileProgram(graph, { target: options.target });
  const milliseconds = performance.now() - started;
  const bytes = serializeProgram(program);
  const file = path.join(options.out, `${path.basename(modelFile).replace(/\.onnx$/i, '')}.ladon`);
  try {
    await mkdir(options.out, { recursive: true });
    await writeFile(file, bytes);
  } catch (error) {
    throw new FileAccessError(`cannot write the program: ${error instanceof Error ? error.message : String(error)}`, file, { cause: error });
  }
  const code = program.wasm ? `${program.wasm.simd.length} B wasm module${program.wasm.relaxed ? ' (+ relaxed-SIMD variant)' : ''}` : `${program.wgsl?.kernels.length ?? 0} WGSL kernels`;
  io.stdout.write(
    `wrote ${file}: ${(bytes.length / 1024).toFixed(1)} KiB (${code}, ${(program.weights.length / 1024).toFixed(1)} KiB weights, ${program.steps.length} steps, ${program.buffers.length} buffers), compiled in ${milliseconds.toFixed(0)} ms\n`,
  );
  return EXIT_OK;
}
