import { describe, expect, it } from 'vitest';
import { footprintProblems, type FootprintClaim } from './footprint.js';

const CLAIMS: FootprintClaim[] = [
  { what: 'the size', pattern: /installs as about ([\d.]+) MB/, measured: 100, unit: 'MB' },
  { what: 'the bundle', pattern: /about ([\d.]+) KiB gzipped/, measured: 30, unit: 'KiB' },
];

describe('footprintProblems', () => {
  it('accepts figures within the tolerance and names those that are off or missing', () => {
    expect(footprintProblems('installs as about 110 MB; about 33 KiB gzipped', CLAIMS)).toEqual([]);
    expect(footprintProblems('installs as about 15 MB', CLAIMS)).toEqual([
      'README.md says the size is 15 MB; measured 100 MB',
      'README.md does not state the bundle (/about ([\\d.]+) KiB gzipped/); measured 30.0 KiB',
    ]);
  });
});
