/**
 * The data-movement kernel: copies a rank-R block of elements from one
 * strided layout to another, raw (any dtype: elements move as 1, 2, 4 or 8
 * bytes). Transpose, Slice, Split, Concat and Expand all lower to it after
 * merging the axes their layouts let merge. When the innermost axis is
 * contiguous on both sides, rows move 16 bytes at a time (long rows by
 * `memory.copy`).
 *
 * Parameters: src, dst, srcOffset, dstOffset (in elements), the dims d0..,
 * the source strides s0.. and destination strides t0.. (in elements; a
 * source stride may be 0 for broadcast or negative for reversed slices).
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';

/** What a strided copy bakes in. */
export interface StridedCopyConfig {
  readonly rank: number;
  readonly elementBytes: number;
  /** The innermost axis has stride 1 on both sides. */
  readonly contiguousRows: boolean;
}

/** The parameter names of a strided copy of `rank` axes. */
export function stridedCopyParams(rank: number): string[] {
  const axes = Array.from({ length: rank }, (_, axis) => axis);
  return ['src', 'dst', 'srcOffset', 'dstOffset', ...axes.map((axis) => `d${axis}`), ...axes.map((axis) => `s${axis}`), ...axes.map((axis) => `t${axis}`)];
}

/** The strided copy kernel. */
export function stridedCopyKernel(config: StridedCopyConfig): KernelSpec {
  return {
    name: `copy_r${config.rank}_e${config.elementBytes}${config.contiguousRows ? '_rows' : ''}`,
    params: stridedCopyParams(config.rank),
    build: (f) => buildStridedCopy(f, config),
  };
}

function buildStridedCopy(f: FunctionBuilder, config: StridedCopyConfig): Expr[] {
  const i = f.i32;
  const { rank, elementBytes } = config;
  const bytes = (elements: Expr): Expr => i.mul(elements, i.const(elementBytes));
  // from[a], to[a]: the addresses at the current position of axes before a (level a is read by axis a's loop)
  const from = Array.from({ length: rank }, (_, level) => f.local(`from${level}`, 'i32'));
  const to = Array.from({ length: rank }, (_, level) => f.local(`to${level}`, 'i32'));
  const strideFrom = Array.from({ length: rank }, (_, axis) => f.local(`sb${axis}`, 'i32'));
  const strideTo = Array.from({ length: rank }, (_, axis) => f.local(`tb${axis}`, 'i32'));
  const setup: Expr[] = [
    from[0].set(i.add(f.get('src'), bytes(f.get('srcOffset')))),
    to[0].set(i.add(f.get('dst'), bytes(f.get('dstOffset')))),
    ...strideFrom.map((local, axis) => local.set(bytes(f.get(`s${axis}`)))),
    ...strideTo.map((local, axis) => local.set(bytes(f.get(`t${axis}`)))),
  ];
  const last = rank - 1;
  const innermost = config.contiguousRows
    ? copyRow(f, to[last], from[last], bytes(f.get(`d${last}`)))
    : elementLoop(f, elementBytes, { from: from[last], to: to[last], fromStride: strideFrom[last], toStride: strideTo[last], count: f.get(`d${last}`) });
  let body = innermost;
  for (let axis = last - 1; axis >= 0; axis--) {
    const index = f.local(`i${axis}`, 'i32');
    body = [
      from[axis + 1].set(from[axis].get()),
      to[axis + 1].set(to[axis].get()),
      f.for(index, i.const(0), f.get(`d${axis}`), 1, [
        ...body,
        from[axis + 1].set(i.add(from[axis + 1].get(), strideFrom[axis].get())),
        to[axis + 1].set(i.add(to[axis + 1].get(), strideTo[axis].get())),
      ]),
    ];
  }
  return [...setup, ...body];
}

/** Rows at least this long go through `memory.copy`; shorter ones (head-sized rows) avoid its call overhead. */
const MEMORY_COPY_BYTES = 512;

/** Copies one contiguous row of `byteCount` bytes: 16 bytes at a time then the rest, or one `memory.copy` for long rows. */
export function copyRow(f: FunctionBuilder, to: Local, from: Local, byteCount: Expr): Expr[] {
  const i = f.i32;
  const [length, offset] = [f.local('rowBytes', 'i32'), f.local('rowOffset', 'i32')];
  const rest = (): Expr => f.memory.copy(i.add(to.get(), offset.get()), i.add(from.get(), offset.get()), i.sub(length.get(), offset.get()));
  return [
    length.set(byteCount),
    f.if(
      i.ge(length.get(), i.const(MEMORY_COPY_BYTES)),
      [f.memory.copy(to.get(), from.get(), length.get())],
      [
        f.for(offset, i.const(0), i.sub(length.get(), i.const(15)), 16, [f.f32x4.store(i.add(to.get(), offset.get()), f.f32x4.load(i.add(from.get(), offset.get())))]),
        f.if(i.lt(offset.get(), length.get()), [rest()]),
      ],
    ),
  ];
}

interface ElementRun {
  readonly from: Local;
  readonly to: Local;
  readonly fromStride: Local;
  readonly toStride: Local;
  readonly count: Expr;
}

/** Copies `count` single elements, stepping each side by its stride. */
function elementLoop(f: FunctionBuilder, elementBytes: number, run: ElementRun): Expr[] {
  const i = f.i32;
  const index = f.local('element', 'i32');
  const [source, target] = [f.local('source', 'i32'), f.local('target', 'i32')];
  return [
    source.set(run.from.get()),
    target.set(run.to.get()),
    f.for(index, i.const(0), run.count, 1, [
      f.raw.copy(elementBytes, target.get(), source.get()),
      source.set(i.add(source.get(), run.fromStride.get())),
      target.set(i.add(target.get(), run.toStride.get())),
    ]),
  ];
}
