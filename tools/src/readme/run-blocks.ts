/**
 * Runs README code blocks as programs: a TypeScript block is type-checked
 * against the packages' published types, transpiled and run with Node; a
 * shell block's `npx ladon …` lines run with bash (globs expand). Paths in
 * the examples are written from the repository root (`../shared/…`); here
 * they point at the shared data wherever it is, and every example runs in
 * a scratch working directory, so the files it writes (`out/`, `results/`)
 * land there.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describeBlock, expectedOutputs, setupCommands, type CodeBlock } from './blocks.js';

/** Where and how examples run. */
export interface ExampleEnvironment {
  /** Where the example programs are written; `@ladon/*` imports resolve from here. */
  readonly moduleDirectory: string;
  /** The working directory of every example. */
  readonly workDirectory: string;
  /** What `../shared/` in an example means. */
  readonly sharedDirectory: string;
  /** The `ladon` bin file: `npx ladon` in an example runs `node LADON_BIN`. */
  readonly ladonBin: string;
  /** `@types/*` directories for the type check. */
  readonly typeRoots: readonly string[];
  readonly timeoutSeconds: number;
}

/** What a finished example printed. */
export interface ExampleOutcome {
  readonly stdout: string;
  readonly stderr: string;
}

function fileStem(block: CodeBlock): string {
  return `${block.file.replace(/[^A-Za-z0-9]+/g, '-')}-L${block.line}`;
}

function pointAtShared(text: string, environment: ExampleEnvironment): string {
  return text.replaceAll('../shared/', `${environment.sharedDirectory}/`);
}

/** Runs `command` and `args`; throws naming `what` when it times out, is killed or exits non-zero. */
function runChecked(what: string, command: string, args: readonly string[], environment: ExampleEnvironment): ExampleOutcome {
  const result = spawnSync(command, args, { cwd: environment.workDirectory, encoding: 'utf8', timeout: environment.timeoutSeconds * 1000, maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().slice(-4000);
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') throw new Error(`${what}: timed out after ${environment.timeoutSeconds} s\n${output}`);
  if (result.error || result.status !== 0) throw new Error(`${what}: ${result.error?.message ?? `exit code ${result.status ?? result.signal}`}\n${output}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

/** Runs one shell command line of an example (`npx ladon …` runs the given bin) with bash. */
export function runShellCommand(line: string, environment: ExampleEnvironment, what = line): ExampleOutcome {
  const ladon = `${JSON.stringify(process.execPath)} ${JSON.stringify(environment.ladonBin)}`;
  const command = pointAtShared(line, environment).replace(/^npx ladon\b/, ladon);
  return runChecked(what, 'bash', ['-c', command], environment);
}

/** Runs a TypeScript block's set-up lines, then the block; checks its `// → TEXT` expectations. */
export function runTypeScriptBlock(block: CodeBlock, environment: ExampleEnvironment): ExampleOutcome {
  for (const command of setupCommands(block)) runShellCommand(command, environment, `${describeBlock(block)}: set-up \`${command}\``);
  const program = ts.transpileModule(pointAtShared(block.code, environment), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  mkdirSync(environment.moduleDirectory, { recursive: true });
  const file = path.join(environment.moduleDirectory, `${fileStem(block)}.mjs`);
  writeFileSync(file, program.outputText);
  const outcome = runChecked(describeBlock(block), process.execPath, [file], environment);
  const missing = expectedOutputs(block).filter((text) => !outcome.stdout.includes(text));
  if (missing.length > 0) throw new Error(`${describeBlock(block)}: the output lacks ${missing.map((text) => JSON.stringify(text)).join(', ')}; it printed:\n${outcome.stdout}`);
  return outcome;
}

const TYPECHECK_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
  types: ['node'],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
};

/** Type-checks TypeScript blocks against the packages' types; returns `README:line: message` for each problem. */
export function typecheckBlocks(blocks: readonly CodeBlock[], environment: ExampleEnvironment): string[] {
  mkdirSync(environment.moduleDirectory, { recursive: true });
  const files = new Map<string, CodeBlock>();
  for (const block of blocks) {
    const file = path.join(environment.moduleDirectory, `${fileStem(block)}.ts`);
    writeFileSync(file, block.code);
    files.set(path.resolve(file), block);
  }
  const program = ts.createProgram([...files.keys()], { ...TYPECHECK_OPTIONS, typeRoots: [...environment.typeRoots] });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const block = diagnostic.file && files.get(path.resolve(diagnostic.file.fileName));
    if (!block || diagnostic.start === undefined) return `${diagnostic.file?.fileName ?? 'options'}: ${message}`;
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start);
    return `${block.file}:${block.line + 1 + line}: ${message}`;
  });
}
