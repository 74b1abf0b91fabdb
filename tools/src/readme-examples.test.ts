/**
 * Every code block of README.md and packages/NAME/README.md, exercised
 * against the built workspace packages (turbo builds them before this
 * test): TypeScript examples type-check and run (and print what their
 * `// → …` comments say), `npx ladon …` lines run, `npm …` lines are npm
 * commands or root scripts that CI runs, and command synopses match
 * `--help`. A block of any other kind fails. The release dry run runs the
 * TypeScript examples again against the packed tarballs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BLOCK_KINDS, describeBlock, ladonCommands, npmCommands, readmeBlocks, type CodeBlock } from './readme/blocks.js';
import { runShellCommand, runTypeScriptBlock, typecheckBlocks, type ExampleEnvironment } from './readme/run-blocks.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BLOCKS = readmeBlocks(ROOT);
const LADON_BIN = path.join(ROOT, 'packages/cli/bin/ladon.js');

const environment: ExampleEnvironment = {
  moduleDirectory: path.join(ROOT, 'node_modules/.cache/ladon-readme-examples'),
  workDirectory: mkdtempSync(path.join(os.tmpdir(), 'ladon-readme-')),
  sharedDirectory: path.resolve(process.env.LADON_SHARED_DIR ?? path.join(ROOT, '../shared')),
  ladonBin: LADON_BIN,
  typeRoots: [path.join(ROOT, 'node_modules/@types')],
  timeoutSeconds: 300,
};

afterAll(() => rmSync(environment.workDirectory, { recursive: true, force: true }));

function blocksOf(lang: string): CodeBlock[] {
  return BLOCKS.filter((block) => block.lang === lang);
}

function ladonHelp(command?: string): string {
  const result = spawnSync(process.execPath, [LADON_BIN, ...(command ? [command] : []), '--help'], { encoding: 'utf8', timeout: 60_000 });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

describe('README code blocks', () => {
  it('are all of a kind that a test exercises (ts, sh, text)', () => {
    expect(BLOCKS.length).toBeGreaterThanOrEqual(10);
    const unknown = BLOCKS.filter((block) => !(BLOCK_KINDS as readonly string[]).includes(block.lang)).map(describeBlock);
    expect(unknown).toEqual([]);
    const idle = blocksOf('sh').filter((block) => ladonCommands(block).length + npmCommands(block).length === 0);
    expect(idle.map(describeBlock), 'shell blocks with no npx ladon or npm line').toEqual([]);
  });

  it('TypeScript examples type-check against the packages', () => {
    expect(typecheckBlocks(blocksOf('ts'), environment)).toEqual([]);
  }, 120_000);

  it.each(blocksOf('ts').map((block) => [describeBlock(block), block] as const))('%s runs', (_, block) => {
    const outcome = runTypeScriptBlock(block, environment);
    expect(outcome.stdout.trim(), 'an example prints what it computed').not.toBe('');
  }, 300_000);

  it.each(blocksOf('sh').flatMap((block) => ladonCommands(block).map((line) => [line, block] as const)))('`%s` runs', (line, block) => {
    runShellCommand(line, environment, `${describeBlock(block)}: ${line}`);
  }, 300_000);

  it('npm lines are npm commands or root scripts, and CI (.ci/run) runs each of them', () => {
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const ci = readFileSync(path.join(ROOT, '.ci/run'), 'utf8');
    const lines = blocksOf('sh').flatMap(npmCommands);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const [, command, script] = /^npm (ci|start|test|run (\S+))\b/.exec(line) ?? [];
      expect(command, line).toBeDefined();
      if (command !== 'ci') expect(scripts[script ?? command], `root script for '${line}'`).toBeDefined();
      expect(ci, `.ci/run runs '${line}'`).toMatch(new RegExp(`^\\s*${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'm'));
    }
  });

  it.each(blocksOf('text').map((block) => [describeBlock(block), block] as const))('%s: every synopsis line matches `ladon COMMAND --help`', (_, block) => {
    const lines = block.code.split('\n').filter((line) => line.startsWith('ladon '));
    expect(lines.length).toBeGreaterThan(0);
    const commands = [...ladonHelp().matchAll(/^ {2}(\w+) \[options\]/gm)].map((match) => match[1]);
    expect(lines.map((line) => line.split(' ')[1]).sort()).toEqual([...commands].sort());
    for (const line of lines) {
      const help = ladonHelp(line.split(' ')[1]);
      for (const flag of line.match(/--?[a-z][a-z-]*/g) ?? []) expect(help, `${line}: ${flag}`).toMatch(new RegExp(`(^|[ ,])${flag}\\b`, 'm'));
    }
  });
});
