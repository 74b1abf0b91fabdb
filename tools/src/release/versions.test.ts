import { describe, expect, it } from 'vitest';
import { formatPlan, versionProblems, type PlannedVersion } from './versions.js';

const PLAN: PlannedVersion[] = [
  { name: '@ladon/ir', from: '0.1.0', to: '0.2.0', private: false, ranges: {} },
  { name: '@ladon/runtime', from: '0.1.0', to: '1.0.0', private: false, ranges: { '@ladon/ir': '^0.2.0', 'peer @ladon/compiler': '^0.2.0' } },
  { name: '@ladon/examples', from: '0.0.0', to: '1.0.0', private: true, ranges: {} },
];

describe('the version plan', () => {
  it('flags a public 0.x package that would reach 1.0.0', () => {
    expect(versionProblems(PLAN)).toEqual(['@ladon/runtime would go from 0.1.0 to 1.0.0: a major release by accident (a peer range that the new versions leave?)']);
    expect(versionProblems(PLAN.slice(0, 1))).toEqual([]);
  });

  it('prints each public package with its internal ranges', () => {
    expect(formatPlan(PLAN)).toEqual(['@ladon/ir        0.1.0 -> 0.2.0', '@ladon/runtime   0.1.0 -> 1.0.0   (@ladon/ir ^0.2.0, peer @ladon/compiler ^0.2.0)']);
  });
});
