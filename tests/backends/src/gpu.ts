/**
 * Test kit for the WebGPU tests: whether an adapter exists (tests skip with
 * the reason printed when not, and fail instead when CI is set, since CI
 * installs the SwiftShader driver), and a check of outputs against
 * expected tensors.
 */
import { compareTensors, type Tensor, type Tolerance } from '@ladon/ir';
import { gpuAvailability } from '@ladon/runtime/testing';
import { describe, expect, it } from 'vitest';

const availability = await gpuAvailability();

/** True when WebGPU tests can run here. */
export const gpuAvailable = availability.available;

/**
 * `describe` for suites that need a WebGPU adapter: runs them when there is
 * one; otherwise prints why and skips them, or, when `process.env.CI` is
 * set, fails with the reason.
 */
export function describeGpu(name: string, body: () => void): void {
  if (availability.available) {
    describe(name, body);
    return;
  }
  const reason = `no WebGPU adapter: ${availability.reason}`;
  if (process.env.CI) {
    describe(name, () => {
      it('needs a WebGPU adapter (CI installs chromium for SwiftShader and libvulkan1)', () => {
        throw new Error(reason);
      });
    });
    return;
  }
  console.warn(`skipping '${name}': ${reason}`);
  describe.skip(name, body);
}

/** Expects every expected output to match `got` within `tolerance` (exact -inf/NaN positions). */
export function expectOutputs(got: Readonly<Record<string, Tensor>>, expected: Readonly<Record<string, Tensor>>, tolerance: (dtype: Tensor['dtype']) => Tolerance): void {
  for (const [name, want] of Object.entries(expected)) {
    expect(got[name], `output ${name}`).toBeDefined();
    const comparison = compareTensors(got[name], want, tolerance(want.dtype));
    expect(comparison.problem ?? 'ok', `output ${name} (max abs error ${comparison.maxAbsErr})`).toBe('ok');
  }
}
