/**
 * f16 <-> f32 conversion kernels (scalar; wasm SIMD has no half type).
 * f16 tensors are stored as raw IEEE half bits; kernels that compute in f32
 * read converted copies and their results are rounded back once, to
 * nearest even — the same contract as the reference interpreter.
 */
import type { Expr, FunctionBuilder } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';

/** `dst[i] = f32(src[i])` for `count` halves. */
export const f16ToF32: KernelSpec = {
  name: 'convert_f16_to_f32',
  params: ['src', 'dst', 'count'],
  build(f) {
    const i = f.i32;
    const index = f.local('index', 'i32');
    const half = f.local('half', 'i32');
    const magnitude = f.local('magnitude', 'i32');
    const value = f.local('value', 'f32');
    return [
      f.for(index, i.const(0), f.get('count'), 1, [
        half.set(i.load16(i.add(f.get('src'), i.shl(index.get(), 1)))),
        magnitude.set(i.shl(i.and(half.get(), i.const(0x7fff)), 13)),
        // Rescale the exponent by 2^112 (this also normalises subnormal halves); inf/NaN keep the top exponent.
        value.set(f.f32.mul(f.f32.reinterpretI32(magnitude.get()), f.f32.const(2 ** 112))),
        f.if(i.eq(i.and(half.get(), i.const(0x7c00)), i.const(0x7c00)), [value.set(f.f32.reinterpretI32(i.or(magnitude.get(), i.const(0x7f800000))))]),
        f.f32.store(i.add(f.get('dst'), i.shl(index.get(), 2)), f.f32.reinterpretI32(i.or(f.f32.bitsOf(value.get()), i.shl(i.and(half.get(), i.const(0x8000)), 16)))),
      ]),
    ];
  },
};

/** `dst[i] = f16(src[i])`, rounded to nearest even, for `count` floats. */
export const f32ToF16: KernelSpec = {
  name: 'convert_f32_to_f16',
  params: ['src', 'dst', 'count'],
  build(f) {
    const i = f.i32;
    const index = f.local('index', 'i32');
    const out = f.local('out', 'i32');
    return [
      f.for(index, i.const(0), f.get('count'), 1, [
        ...roundToHalf(f, i.load(i.add(f.get('src'), i.shl(index.get(), 2))), 'out'),
        i.store16(i.add(f.get('dst'), i.shl(index.get(), 1)), out.get()),
      ]),
    ];
  },
};

/** Statements setting local `out` to the f16 bits nearest the f32 whose bits are `bitsExpr`. */
function roundToHalf(f: FunctionBuilder, bitsExpr: Expr, out: string): Expr[] {
  const i = f.i32;
  const [bits, sign, exponent, mantissa, half, shift, remainder, halfway] = ['bits', 'sign', 'exponent', 'mantissa', 'halfBits', 'shift', 'remainder', 'halfway'].map((name) => f.local(name, 'i32'));
  const roundUp = (): Expr => i.or(i.gt(remainder.get(), halfway.get()), i.and(i.eq(remainder.get(), halfway.get()), i.and(half.get(), i.const(1))));
  const subnormal = [
    f.if(i.lt(exponent.get(), i.const(-10)), [f.v(out).set(sign.get())], [
      mantissa.set(i.or(mantissa.get(), i.const(0x800000))),
      shift.set(i.sub(i.const(14), exponent.get())),
      half.set(i.shrUBy(mantissa.get(), shift.get())),
      halfway.set(i.shlBy(i.const(1), i.sub(shift.get(), i.const(1)))),
      remainder.set(i.and(mantissa.get(), i.sub(i.shlBy(i.const(1), shift.get()), i.const(1)))),
      f.if(roundUp(), [half.set(i.add(half.get(), i.const(1)))]),
      f.v(out).set(i.or(sign.get(), half.get())),
    ]),
  ];
  const normal = [
    half.set(i.or(i.shl(exponent.get(), 10), i.shrU(mantissa.get(), 13))),
    remainder.set(i.and(mantissa.get(), i.const(0x1fff))),
    halfway.set(i.const(0x1000)),
    f.if(roundUp(), [half.set(i.add(half.get(), i.const(1)))]),
    f.v(out).set(i.or(sign.get(), half.get())),
  ];
  return [
    bits.set(bitsExpr),
    sign.set(i.and(i.shrU(bits.get(), 16), i.const(0x8000))),
    exponent.set(i.and(i.shrU(bits.get(), 23), i.const(0xff))),
    mantissa.set(i.and(bits.get(), i.const(0x7fffff))),
    f.if(i.eq(exponent.get(), i.const(0xff)), [f.v(out).set(i.or(i.or(sign.get(), i.const(0x7c00)), i.select(i.ne(mantissa.get(), i.const(0)), i.const(0x200), i.const(0))))], [
      exponent.set(i.sub(exponent.get(), i.const(112))),
      f.if(i.ge(exponent.get(), i.const(31)), [f.v(out).set(i.or(sign.get(), i.const(0x7c00)))], [f.if(i.le(exponent.get(), i.const(0)), subnormal, normal)]),
    ]),
  ];
}
