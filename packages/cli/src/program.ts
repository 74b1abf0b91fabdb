/**
 * The command line (commander): `check`, `run` and `inspect`, with the
 * flags of DESIGN.md's command-line contract. Each action stores its exit
 * code in `state`; errors propagate to runLadon (main.ts), which prints them.
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { BACKEND_CHOICES } from './backends.js';
import { checkCommand } from './commands/check.js';
import { compileCommand } from './commands/compile.js';
import { inspectCommand } from './commands/inspect.js';
import { runCommand } from './commands/run.js';
import type { CliIO } from './io.js';

/** Where actions leave the process exit code. */
export interface ExitState {
  exitCode: number;
}

function packageVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return manifest.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function parseTolerance(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new InvalidArgumentError('expected a non-negative number.');
  return value;
}

function backendOption(): Option {
  return new Option('--backend <backend>', 'where to run: reference (the IR interpreter, on the compiled graph), wasm, webgpu, or auto (webgpu on a hardware adapter, else wasm)').choices(BACKEND_CHOICES).default('auto');
}

/** Help text after the options: worked examples, run from the repository root (the shared data sits in ../shared). */
function examples(...lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

const SEED_BLOCK = '../shared/fixtures/torch-export/seed_mha_block';

function addCheck(program: Command, io: CliIO, state: ExitState): void {
  program
    .command('check')
    .description('run ONNX backend-test cases (model.onnx + test_data_set_*/) and compare every output')
    .argument('<case_dir...>', 'case directories (at least one must hold a case)')
    .addOption(backendOption())
    .option('--json', 'print one JSON line: {"passed","failed","skipped","byOp":{"<op>":{"passed","failed","skipped"}},"cases":[...]}')
    .option('--by-op', 'print one line per op (cases, passed, failed, skipped) instead of one per case')
    .option('--rtol <r>', 'relative tolerance for float outputs (default: f32 1e-3, f16 1e-2)', parseTolerance)
    .option('--atol <a>', 'absolute tolerance for float outputs (default: f32 1e-5, f16 2e-3)', parseTolerance)
    .addHelpText('after', examples('ladon check ../shared/conformance/onnx-attention/test_attention_4d_causal* --backend wasm', 'ladon check ../shared/conformance/onnx-node/test_clip* ../shared/conformance/onnx-node/test_where* --by-op', `ladon check ${SEED_BLOCK} --rtol 1e-4 --atol 1e-4 --json`))
    .action(async (directories: string[], options) => {
      state.exitCode = await checkCommand(directories, options, io);
    });
}

function addRun(program: Command, io: CliIO, state: ExitState): void {
  program
    .command('run')
    .description('run a model on input_<i>.pb tensors (ONNX TensorProto, bound by name)')
    .usage('<model> --inputs <dir> [options]')
    .argument('<model>', 'an .onnx file, or a .ladon program from `ladon compile`')
    .requiredOption('--inputs <dir>', "(required) directory holding input_<i>.pb files; a relative path that does not exist here is looked up in the model's folder")
    .addOption(backendOption())
    .option('--out <dir>', 'write output_<i>.pb files here (default: print a summary of each output)')
    .option('--profile', "print each step's time (wasm backend): step, op, kernel, ms")
    .addHelpText('after', examples(`ladon run ${SEED_BLOCK}/model.onnx --inputs test_data_set_0 --backend wasm --out results/`, `ladon run ${SEED_BLOCK}/model.onnx --inputs test_data_set_0 --profile`))
    .action(async (model: string, options) => {
      state.exitCode = await runCommand(model, options, io);
    });
}

function addInspect(program: Command, io: CliIO, state: ExitState): void {
  program
    .command('inspect')
    .description('print the (compiled) graph in the IR text form, or every op the model uses that Ladon does not support (op, node count, first node)')
    .argument('<model>', 'an .onnx file')
    .option('--json', 'print one JSON line: {"ops":{...},"nodes","inputs","outputs","passes"}, or {"unsupportedOps":[{"op","count","firstNode"}]}')
    .option('--print-after <pass>', 'also print the graph after this compiler pass')
    .addHelpText('after', examples(`ladon inspect ${SEED_BLOCK}/model.onnx --json`, `ladon inspect ${SEED_BLOCK}/model.onnx --print-after fuse-attention`))
    .action(async (model: string, options) => {
      state.exitCode = await inspectCommand(model, options, io);
    });
}

function addCompile(program: Command, io: CliIO, state: ExitState): void {
  program
    .command('compile')
    .description('compile ahead of time: write OUT_DIR/<model>.ladon, which @ladon/runtime runs without the compiler')
    .usage('<model> --target <target> -o <dir>')
    .argument('<model>', 'an .onnx file')
    .addOption(new Option('--target <target>', '(required) wasm (WebAssembly SIMD) or wgsl (WebGPU)').choices(['wasm', 'wgsl']).makeOptionMandatory())
    .requiredOption('-o, --out <dir>', '(required) directory to write the .ladon program to')
    .addHelpText('after', examples(`ladon compile ${SEED_BLOCK}/model.onnx --target wasm -o out/`, `ladon run out/model.ladon --inputs ${SEED_BLOCK}/test_data_set_0`))
    .action(async (model: string, options) => {
      state.exitCode = await compileCommand(model, options, io);
    });
}

/** The `ladon` program. Parse errors throw (exitOverride); output goes to `io`. */
export function createProgram(io: CliIO, state: ExitState): Command {
  const program = new Command('ladon')
    .description('Ladon: compile, run and check attention graphs (ONNX models) on wasm, WebGPU and the reference interpreter')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', examples('ladon check ../shared/conformance/onnx-attention/test_attention_4d_causal* --backend wasm', 'ladon <command> --help   (options and examples of one command)'));
  addCheck(program, io, state);
  addRun(program, io, state);
  addInspect(program, io, state);
  addCompile(program, io, state);
  return program;
}
