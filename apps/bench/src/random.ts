/** A small seeded PRNG (mulberry32) and normal samples, so every run benchmarks the same inputs. */

/** Returns a function giving uniform numbers in [0, 1) from `seed`. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
