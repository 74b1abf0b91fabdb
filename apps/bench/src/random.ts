/** A small seeded PRNG (mulberry32) and normal samples, so every run benchmarks the same inputs. */
import { seededRandom as mulberry32 } from '@ladon/ir';

/** The shared seeded PRNG (mulberry32) of @ladon/ir. */
export { mulberry32 };

/** `count` samples of N(0, scale²) drawn from `seed` (Box–Muller). */
export function normals(seed: number, count: number, scale = 1): Float32Array {
  const uniform = mulberry32(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    out[i] = radius * Math.cos(angle) * scale;
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle) * scale;
  }
  return out;
}
