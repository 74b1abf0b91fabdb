/**
 * The input side of the window kernels (convolution, pooling): one image
 * (`channels` planes of D × H × W floats) copied into a scratch with its
 * padding around it, so a kernel reads every window position without a
 * bounds check. The padded plane is Dp × Hp × Wp (sizes chosen by the
 * emitter, at least input + pads); positions outside the input hold
 * `padValue` (0 for convolutions and averages, -inf for maxima).
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';

/** Sizes of one image and of its padded copy. */
export interface PaddedImage {
  readonly channels: number;
  readonly input: readonly [number, number, number];
  readonly padded: readonly [number, number, number];
  readonly padBegin: readonly [number, number, number];
  readonly padValue: number;
}

/** Floats of the padded copy of one image. */
export function paddedImageFloats(image: PaddedImage): number {
  return image.channels * image.padded[0] * image.padded[1] * image.padded[2];
}

/** True when the padded copy is the input itself (no padding anywhere): the kernel reads the input in place. */
export function needsPadding(image: PaddedImage): boolean {
  return image.padded.some((size, axis) => size !== image.input[axis]);
}

/** Fills `count` floats at `pointer` with `value` (vectors, then the tail). */
export function fillFloats(f: FunctionBuilder, pointer: Expr, count: number, value: number, cursor: Local): Expr[] {
  const i = f.i32;
  if (value === 0) return [f.memory.fill(pointer, i.const(0), i.const(4 * count))];
  const vectors = Math.floor(count / 4);
  const statements: Expr[] = [cursor.set(pointer)];
  const end = f.temp('i32');
  statements.push(end.set(i.add(cursor.get(), i.const(16 * vectors))));
  statements.push(f.for(cursor, cursor.get(), end.get(), 16, [f.f32x4.store(cursor.get(), f.f32x4.const(value))]));
  for (let lane = 0; lane < count % 4; lane++) statements.push(f.f32.store(end.get(), f.f32.const(value), 4 * lane));
  return statements;
}

/**
 * Statements copying the image at `source` into `target` with its padding
 * (pad positions set to padValue first). Row by row: memory.copy of W floats.
 */
export function copyPadded(f: FunctionBuilder, image: PaddedImage, source: Local, target: Local): Expr[] {
  const i = f.i32;
  const [d, h, w] = image.input;
  const [dp, hp, wp] = image.padded;
  const [bd, bh, bw] = image.padBegin;
  const [plane, row, from, to] = ['padPlane', 'padRow', 'padFrom', 'padTo'].map((name) => f.local(name, 'i32'));
  const rows = image.channels * d;
  // plane = c·D + z walks the input's D-slices; row = y within a slice.
  const sliceTarget = (): Expr => {
    const channel = i.divS(plane.get(), i.const(d));
    const depth = i.remS(plane.get(), i.const(d));
    return i.add(target.get(), i.shl(i.mul(i.add(i.mul(channel, i.const(dp)), i.add(depth, i.const(bd))), i.const(hp * wp)), 2));
  };
  return [
    ...fillFloats(f, target.get(), paddedImageFloats(image), image.padValue, from),
    from.set(source.get()),
    f.for(plane, i.const(0), i.const(rows), 1, [
      to.set(i.add(sliceTarget(), i.const(4 * (bh * wp + bw)))),
      f.for(row, i.const(0), i.const(h), 1, [
        f.memory.copy(to.get(), from.get(), i.const(4 * w)),
        from.set(i.add(from.get(), i.const(4 * w))),
        to.set(i.add(to.get(), i.const(4 * wp))),
      ]),
    ]),
  ];
}
