import { describe, expect, it } from 'vitest';
import { codeBlocks, expectedOutputs, ladonCommands, npmCommands, setupCommands } from './blocks.js';

const MARKDOWN = [
  '# Title',
  '',
  '```sh',
  'npm ci      # install',
  'npx ladon check a/* --json   # all of them',
  '```',
  '',
  '```ts',
  '// $ npx ladon compile m.onnx -o out/',
  "import { x } from '@ladon/ir';",
  'console.log(x); // → [ 1, 2 ]',
  '```',
  '```',
  'plain',
  '```',
].join('\n');

describe('README code blocks', () => {
  const blocks = codeBlocks(MARKDOWN, 'README.md');

  it('finds each fenced block with its language and opening line', () => {
    expect(blocks.map((block) => [block.lang, block.line])).toEqual([
      ['sh', 3],
      ['ts', 8],
      ['', 13],
    ]);
    expect(blocks[2].code).toBe('plain');
  });

  it('reads shell lines without their comments, set-up lines and expected outputs', () => {
    expect(npmCommands(blocks[0])).toEqual(['npm ci']);
    expect(ladonCommands(blocks[0])).toEqual(['npx ladon check a/* --json']);
    expect(setupCommands(blocks[1])).toEqual(['npx ladon compile m.onnx -o out/']);
    expect(expectedOutputs(blocks[1])).toEqual(['[ 1, 2 ]']);
  });

  it('refuses a block that never closes', () => {
    expect(() => codeBlocks('```ts\nconst a = 1;\n', 'X.md')).toThrow('X.md:1: the code block never closes');
  });
});
