import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { findUndocumentedExports } from './doc-check.js';

function projectWith(files: Record<string, string>): Project {
  const project = new Project({ useInMemoryFileSystem: true });
  for (const [name, text] of Object.entries(files)) project.createSourceFile(`/repo/pkg/src/${name}`, text);
  return project;
}

describe('findUndocumentedExports', () => {
  it('reports each undocumented export with file and line, following re-exports', () => {
    const project = projectWith({
      'index.ts': "export * from './a.js';\nexport { gamma } from './b.js';\n",
      'a.ts': [
        '/** Documented. */',
        'export function alpha(): number { return 1; }',
        'export const beta = 2;',
        'export interface Shape { x: number }',
        '/** Documented type. */',
        'export type Size = number;',
      ].join('\n'),
      'b.ts': 'export class gamma {}\nexport const hidden = 3;\n',
    });
    const entry = project.getSourceFileOrThrow('/repo/pkg/src/index.ts');
    const problems = findUndocumentedExports(entry, '/repo');
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([
      "pkg/src/a.ts:3: exported constant 'beta' has no doc comment",
      "pkg/src/a.ts:4: exported interface 'Shape' has no doc comment",
      "pkg/src/b.ts:1: exported class 'gamma' has no doc comment",
    ]);
  });

  it('accepts a doc comment on the first overload of a function', () => {
    const project = projectWith({
      'index.ts': [
        '/** Overloaded. */',
        'export function f(x: number): number;',
        'export function f(x: string): string;',
        'export function f(x: unknown): unknown { return x; }',
      ].join('\n'),
    });
    const entry = project.getSourceFileOrThrow('/repo/pkg/src/index.ts');
    expect(findUndocumentedExports(entry, '/repo')).toEqual([]);
  });
});
