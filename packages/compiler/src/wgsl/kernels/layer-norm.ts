/**
 * LayerNormalization (and RMSNormalization: no mean), one workgroup per
 * row: mean, variance, then (x - mean) / sqrt(variance + epsilon) · scale
 * + bias over the trailing `size` elements; Scale and B are read at
 * `k % count` (a trailing part of a row repeated, or one value). The
 * optional Mean and InvStdDev outputs get one f32 per row.
 */
import { elementTag, load, store } from '../elements.js';
import type { KernelDecl, StorageDecl, UniformDecl, WgslElement } from '../kernel.js';
import { REDUCTIONS, ROW_PARAMS, ROW_WORKGROUP } from './rows.js';

/** What a normalisation kernel bakes in. */
export interface LayerNormSpec {
  readonly element: WgslElement;
  /** Subtract the mean (LayerNorm; RMSNorm does not). */
  readonly center: boolean;
  readonly bias: boolean;
  readonly writeMean: boolean;
  readonly writeInvStd: boolean;
}

/** Mean, variance, then (x - mean) / sqrt(variance + epsilon) · scale + bias, per row. */
function layerNormBody(spec: LayerNormSpec): string {
  const { element } = spec;
  const x = (index: string) => load('x', index, element);
  const bias = spec.bias ? ` + ${load('bias', 'k % u.bias_count', element)}` : '';
  const mean = spec.center
    ? `var sum = 0.0;
    for (var k = thread; k < u.size; k += THREADS) { sum += ${x('base + k')}; }
    let mean = workgroup_sum(sum, thread) / f32(u.size);`
    : 'let mean = 0.0;';
  const statistics = [spec.writeMean ? 'mean_out[row] = mean;' : '', spec.writeInvStd ? 'inv_std_out[row] = inverse;' : ''].filter(Boolean);
  const written = statistics.length > 0 ? `\n    if (thread == 0u) { ${statistics.join(' ')} }` : '';
  return `  for (var row = group.x; row < u.rows; row += groups.x) {
    let base = row * u.size;
    ${mean}
    var squares = 0.0;
    for (var k = thread; k < u.size; k += THREADS) {
      let centered = ${x('base + k')} - mean;
      squares += centered * centered;
    }
    let variance = workgroup_sum(squares, thread) / f32(u.size);
    let inverse = 1.0 / sqrt(variance + u.epsilon);${written}
    for (var k = thread; k < u.size; k += THREADS) {
      let normalized = (${x('base + k')} - mean) * inverse;
      y[base + k] = ${store(`normalized * ${load('scale', 'k % u.scale_count', element)}${bias}`, element)};
    }
  }`;
}

/** The name of a normalisation kernel: the kind, the element, and what it reads and writes beyond X, Scale and Y. */
function kernelName(spec: LayerNormSpec): string {
  const parts = [spec.bias ? '_bias' : '', spec.writeMean ? '_mean' : '', spec.writeInvStd ? '_invstd' : ''].join('');
  return `${spec.center ? 'layer' : 'rms'}_norm_${elementTag(spec.element)}${parts}`;
}

/** LayerNormalization (or RMSNormalization) over rows of `size` elements; scale/bias index by `k % count` (leading broadcast). */
export function layerNormKernel(spec: LayerNormSpec): KernelDecl {
  const { element } = spec;
  const storage: StorageDecl[] = [
    { name: 'x', access: 'read', element },
    { name: 'scale', access: 'read', element },
    ...(spec.bias ? [{ name: 'bias', access: 'read' as const, element }] : []),
    { name: 'y', access: 'read_write', element },
    ...(spec.writeMean ? [{ name: 'mean_out', access: 'read_write' as const, element: 'f32' as const }] : []),
    ...(spec.writeInvStd ? [{ name: 'inv_std_out', access: 'read_write' as const, element: 'f32' as const }] : []),
  ];
  const uniforms: UniformDecl[] = [
    { name: 'rows', type: 'u32' },
    { name: 'size', type: 'u32' },
    { name: 'scale_count', type: 'u32' },
    ...(spec.bias ? [{ name: 'bias_count', type: 'u32' as const }] : []),
    { name: 'epsilon', type: 'f32' },
  ];
  return {
    name: kernelName(spec),
    summary: `${spec.center ? 'layer' : 'RMS'} normalization, one workgroup per row`,
    storage,
    uniforms,
    workgroupSize: [ROW_WORKGROUP, 1, 1],
    workgroupStorageBytes: ROW_WORKGROUP * 4,
    gridStride: true,
    helpers: REDUCTIONS,
    entryParams: ROW_PARAMS,
    entryBody: layerNormBody(spec),
  };
}
