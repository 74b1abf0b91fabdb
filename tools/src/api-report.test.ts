import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { apiReport } from './api-report.js';

describe('apiReport', () => {
  it('lists every export with its kind and declared signature, public members only', () => {
    const project = new Project({ useInMemoryFileSystem: true });
    project.createSourceFile('/pkg/src/shapes.ts', 'export interface Box<T = number> { readonly size: T; label?: string }\nexport type Side = 1 | 2;\n');
    const entry = project.createSourceFile(
      '/pkg/src/index.ts',
      [
        "export * from './shapes.js';",
        'export function area(box: Box, scale = 2): number { return box.size * scale; }',
        'export const UNIT = 1;',
        'export class Store { private secret = 1; readonly count: number = 0; private constructor(readonly name: string) {} static open(): Store { return new Store("a"); } get size(): number { return 1; } protected hidden(): void {} }',
        "import type { Box } from './shapes.js';",
      ].join('\n'),
    );
    expect(apiReport('@x/pkg', [{ specifier: '@x/pkg', source: entry }])).toBe(
      [
        '# API report: @x/pkg',
        '',
        'Generated from the entry points of package.json by tools/src/api-report.ts. `npm test` fails when the',
        'exports change and this file was not regenerated: run `npm run api-report`, review the diff and commit it.',
        '',
        '## `@x/pkg`',
        '',
        '```ts',
        'interface Box<T = number>',
        '  readonly size: T;',
        '  label?: string',
        'type Side = 1 | 2',
        'class Store',
        '  readonly name: string',
        '  readonly count: number',
        '  static open(): Store',
        '  get size(): number',
        'const UNIT: 1',
        'function area(box: Box, scale = 2): number',
        '```',
        '',
      ].join('\n'),
    );
  });
});
