/** A small seeded PRNG (mulberry32) and normal samples, so examples print the same numbers every run. */
import { seededRandom as mulberry32 } from '@ladon/ir';

/** The shared seeded PRNG (mulberry32) of @ladon/ir. */
export { mulberry32 };

/** `count` samples of N(0, scale²) from `uniform` (Box–Muller). */
export function normals(uniform: () => number, count: number, scale = 1): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    out[i] = radius * Math.cos(angle) * scale;
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle) * scale;
  }
  return out;
}
