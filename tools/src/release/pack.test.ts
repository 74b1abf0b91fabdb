import { describe, expect, it } from 'vitest';
import { contentProblems, type PackedPackage } from './pack.js';

function packed(files: string[]): PackedPackage {
  return { name: '@ladon/x', version: '0.1.0', tarball: '/tmp/x.tgz', files, size: 1, unpackedSize: 1 };
}

describe('contentProblems', () => {
  it('accepts dist, LICENSE, README and package.json', () => {
    expect(contentProblems(packed(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts']))).toEqual([]);
  });

  it('refuses source maps without sources, a missing LICENSE and shipped tests', () => {
    expect(contentProblems(packed(['README.md', 'package.json', 'dist/index.js', 'dist/index.js.map', 'dist/a.test.js']))).toEqual([
      '@ladon/x: the tarball ships source maps without the sources (dist/index.js.map)',
      '@ladon/x: the tarball has no LICENSE',
      '@ladon/x: the tarball ships tests (dist/a.test.js)',
    ]);
    expect(contentProblems(packed(['LICENSE', 'README.md', 'package.json', 'dist/index.js.map', 'src/index.ts']))).toEqual([]);
  });
});
