/**
 * The kernel set hands out one kernel per name, and refuses a second
 * request of a name for a different kernel (other parameters or another
 * identity, e.g. an element-wise expression whose definition forgot to put
 * a compile-time choice in its variant).
 */
import { describe, expect, it } from 'vitest';
import { KernelSet, type KernelSpec } from './kernel-set.js';

const spec = (identity: string, params = ['x', 'y']): KernelSpec => ({ name: 'ew_twice', params, identity, build: () => [] });

describe('KernelSet', () => {
  it('returns the first kernel of a name', () => {
    const kernels = new KernelSet();
    const first = kernels.request(spec('mul(in0, 2)'));
    expect(kernels.request(spec('mul(in0, 2)'))).toBe(first);
    expect(kernels.names).toEqual(['ew_twice']);
  });

  it('refuses two different kernels under one name', () => {
    const kernels = new KernelSet();
    kernels.request(spec('mul(in0, 2)'));
    expect(() => kernels.request(spec('mul(in0, 3)'))).toThrow(/two different kernels are named ew_twice/);
    expect(() => kernels.request(spec('mul(in0, 2)', ['x', 'y', 'n']))).toThrow(/two different kernels/);
  });
});
