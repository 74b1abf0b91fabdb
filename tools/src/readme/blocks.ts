/**
 * The code blocks of the READMEs (the repository's README.md and each
 * packages/NAME/README.md), and what each kind of block asks of a test:
 *
 * - ```ts   a program that runs (imports the published packages). Lines
 *           `// $ COMMAND` inside it are shell commands the reader runs
 *           first; a trailing `// → TEXT` says what the program prints.
 * - ```sh   shell commands: `npx ladon …` lines run; `npm …` lines name
 *           npm commands or root scripts (CI runs them: .ci/run).
 * - ```text a command synopsis (`ladon COMMAND … --flag …`), checked
 *           against the command's `--help`.
 *
 * Any other block is an error, so no block goes untested.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The kinds of block a README may hold. */
export const BLOCK_KINDS = ['ts', 'sh', 'text'] as const;

/** One fenced code block. */
export interface CodeBlock {
  /** The README, relative to the repository root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The fence's info string (`ts`, `sh`, `text`; '' when none). */
  readonly lang: string;
  readonly code: string;
}

/** `file:line (lang)`, for messages and test names. */
export function describeBlock(block: CodeBlock): string {
  return `${block.file}:${block.line} (${block.lang || 'no language'})`;
}

/** README.md and packages/NAME/README.md, relative to `root`, sorted. */
export function readmeFiles(root: string): string[] {
  const packagesDirectory = path.join(root, 'packages');
  const packageReadmes = readdirSync(packagesDirectory)
    .sort()
    .map((name) => path.join('packages', name, 'README.md'))
    .filter((file) => existsSync(path.join(root, file)));
  return ['README.md', ...packageReadmes];
}

/** The fenced code blocks of a markdown text. */
export function codeBlocks(markdown: string, file: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const fence = /^```(\S*)\s*$/.exec(lines[index]);
    if (!fence) continue;
    const end = lines.findIndex((line, at) => at > index && line.startsWith('```'));
    if (end < 0) throw new Error(`${file}:${index + 1}: the code block never closes`);
    blocks.push({ file, line: index + 1, lang: fence[1], code: lines.slice(index + 1, end).join('\n') });
    index = end;
  }
  return blocks;
}

/** Every code block of every README under `root`. */
export function readmeBlocks(root: string): CodeBlock[] {
  return readmeFiles(root).flatMap((file) => codeBlocks(readFileSync(path.join(root, file), 'utf8'), file));
}

/** A line without its trailing `# comment` (shell) and surrounding space. */
function withoutShellComment(line: string): string {
  return line.replace(/\s+#.*$/, '').trim();
}

/** The `npx ladon …` command lines of a shell block. */
export function ladonCommands(block: CodeBlock): string[] {
  return block.code
    .split('\n')
    .map(withoutShellComment)
    .filter((line) => line.startsWith('npx ladon '));
}

/** The `npm …` command lines of a shell block. */
export function npmCommands(block: CodeBlock): string[] {
  return block.code
    .split('\n')
    .map(withoutShellComment)
    .filter((line) => line.startsWith('npm '));
}

/** The `// $ COMMAND` set-up lines of a TypeScript block. */
export function setupCommands(block: CodeBlock): string[] {
  return [...block.code.matchAll(/^\/\/ \$ (.+)$/gm)].map((match) => match[1].trim());
}

/** The `// → TEXT` expectations of a TypeScript block: what its output must contain. */
export function expectedOutputs(block: CodeBlock): string[] {
  return [...block.code.matchAll(/\/\/ → (.+)$/gm)].map((match) => match[1].trim());
}
