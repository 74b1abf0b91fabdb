/** Feature detection for WebAssembly: SIMD and relaxed SIMD, by validating tiny modules. */

// (module (func (result v128) (v128.const i32x4 0 0 0 0)))
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x16, 0x01, 0x14,
  0x00, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b,
]);

// (module (func (result v128) (f32x4.relaxed_madd (v128.const 0) (v128.const 0) (v128.const 0))))
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x3d, 0x01, 0x3b,
  0x00, ...[0, 1, 2].flatMap(() => [0xfd, 0x0c, ...new Array<number>(16).fill(0)]), 0xfd, 0x85, 0x02, 0x0b,
]);

let simd: boolean | undefined;
let relaxed: boolean | undefined;

/** True when this host runs 128-bit wasm SIMD. */
export function simdSupported(): boolean {
  simd ??= typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  return simd;
}

/** True when this host runs relaxed SIMD (Node 20 needs `--experimental-wasm-relaxed-simd`). */
export function relaxedSimdSupported(): boolean {
  relaxed ??= typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_PROBE);
  return relaxed;
}
