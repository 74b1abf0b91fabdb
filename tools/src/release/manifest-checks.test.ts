import { describe, expect, it } from 'vitest';
import { manifestProblems, satisfies } from './manifest-checks.js';
import type { Manifest } from './workspace.js';

const COMPLETE = { license: 'MIT', engines: { node: '>=20.19' }, repository: {}, keywords: ['attention'], sideEffects: false };

function published(manifest: Partial<Manifest> & { name: string }): { directory: string; manifest: Manifest } {
  return { directory: `packages/${manifest.name}`, manifest: { version: '0.1.0', ...COMPLETE, ...manifest } };
}

describe('satisfies', () => {
  it('follows npm for caret ranges on 0.x and 1.x and for >= / < bounds', () => {
    expect(satisfies('0.1.5', '^0.1.0')).toBe(true);
    expect(satisfies('0.2.0', '^0.1.0')).toBe(false);
    expect(satisfies('0.0.2', '^0.0.1')).toBe(false);
    expect(satisfies('1.9.0', '^1.2.0')).toBe(true);
    expect(satisfies('0.7.3', '>=0.1.0 <1.0.0')).toBe(true);
    expect(satisfies('1.0.0', '>=0.1.0 <1.0.0')).toBe(false);
    expect(() => satisfies('0.1.0', '*')).toThrow(/only \^x\.y\.z/);
  });
});

describe('manifestProblems', () => {
  it('accepts complete manifests with ^ ranges on the workspace versions and 0.x peer ranges', () => {
    const ir = published({ name: '@ladon/ir' });
    const runtime = published({ name: '@ladon/runtime', dependencies: { '@ladon/ir': '^0.1.0' }, peerDependencies: { '@ladon/ir': '>=0.1.0 <1.0.0' } });
    expect(manifestProblems([ir, runtime])).toEqual([]);
  });

  it('names missing fields, a license other than MIT, and internal ranges that are not ^version or miss it', () => {
    const ir = published({ name: '@ladon/ir', engines: undefined, license: 'ISC' });
    const ops = published({ name: '@ladon/ops', dependencies: { '@ladon/ir': '*' }, peerDependencies: { '@ladon/ir': '>=0.2.0 <1.0.0' } });
    expect(manifestProblems([ir, ops])).toEqual([
      '@ladon/ir: package.json has no "engines"',
      "@ladon/ir: license is 'ISC', but LICENSE is MIT",
      "@ladon/ops: dependencies.@ladon/ir is '*'; expected '^0.1.0' (the workspace version)",
      "@ladon/ops: peerDependencies.@ladon/ir '>=0.2.0 <1.0.0' does not hold the workspace version 0.1.0",
    ]);
  });
});
