/**
 * CBAM on WebGPU (lower/plans/cbam.ts) in five kernels, each one invocation
 * per item:
 *
 * - `cbam_pool`: per (n, c), the channel's mean and max over the plane;
 * - `cbam_channel_gates`: per (n, c), the shared MLP on both pooled vectors
 *   (its hidden layer recomputed per channel) and the gate: ca;
 * - `cbam_spatial_stats`: per (n, pixel), mean and max over channels of x · ca;
 * - `cbam_spatial_gates`: per (n, pixel), the k×k convolution of the two
 *   statistics maps (zero outside) and the gate: sa;
 * - `cbam_apply`: per element, y = x · ca · sa.
 *
 * The gate is the plan's expression (the IR's Sigmoid), rendered once as a
 * WGSL function.
 */
import type { ScalarExpr } from '@ladon/ir';
import type { KernelDecl, StorageDecl, UniformDecl } from '../kernel.js';
import { wgslExpression } from './elementwise-expression.js';
import { FLAT_PARAMS, FLAT_WORKGROUP, flatLoop } from './flat.js';

/** The CBAM kernels' compile-time choices. */
export interface CbamVariant {
  readonly channel: boolean;
  readonly spatial: boolean;
  readonly b1: boolean;
  readonly b2: boolean;
  readonly spatialBias: boolean;
}

const UNIFORMS: UniformDecl[] = [
  { name: 'count', type: 'u32' },
  { name: 'channels', type: 'u32' },
  { name: 'hidden', type: 'u32' },
  { name: 'height', type: 'u32' },
  { name: 'width', type: 'u32' },
  { name: 'kernel', type: 'u32' },
];

const read = (name: string, element: StorageDecl['element'] = 'f32'): StorageDecl => ({ name, access: 'read', element });
const write = (name: string): StorageDecl => ({ name, access: 'read_write', element: 'f32' });

/** The gate as a WGSL function `gate(x0: f32) -> f32`. */
function gateFunction(gate: ScalarExpr): string {
  const rendered = wgslExpression(gate);
  const body = [...rendered.lines.map((line) => `  ${line}`), `  return ${rendered.value};`].join('\n');
  return `${rendered.helpers ? `${rendered.helpers}\n\n` : ''}fn gate(x0: f32) -> f32 {\n${body}\n}`;
}

function flatKernel(name: string, summary: string, storage: StorageDecl[], body: string, helpers?: string): KernelDecl {
  return {
    name,
    summary,
    storage,
    uniforms: UNIFORMS,
    workgroupSize: [FLAT_WORKGROUP, 1, 1],
    gridStride: true,
    ...(helpers ? { helpers } : {}),
    entryParams: FLAT_PARAMS,
    entryBody: `  let plane = u.height * u.width;
  ${flatLoop('count')} {
${body}
  }`,
  };
}

/** Per (n, c): mean and max over the plane into pooled[n][0 | 1][c]. */
export function cbamPoolKernel(): KernelDecl {
  return flatKernel('cbam_pool', 'CBAM: mean and max of each channel', [read('x'), write('pooled')], `    var sum = 0.0;
    var best = x[e * plane];
    for (var p = 0u; p < plane; p++) { let value = x[e * plane + p]; sum += value; best = max(best, value); }
    let n = e / u.channels;
    let c = e % u.channels;
    pooled[(2u * n) * u.channels + c] = sum / f32(plane);
    pooled[(2u * n + 1u) * u.channels + c] = best;`);
}

/** Per (n, c): ca = gate(W2 · (relu(W1·mean + B1) + relu(W1·max + B1)) + 2·B2)[c]. */
export function cbamChannelGatesKernel(variant: CbamVariant, gate: ScalarExpr): KernelDecl {
  const storage = [read('pooled'), read('w1'), ...(variant.b1 ? [read('b1')] : []), read('w2'), ...(variant.b2 ? [read('b2')] : []), write('ca')];
  return flatKernel(`cbam_channel_gates${variant.b1 ? '_b1' : ''}${variant.b2 ? '_b2' : ''}`, 'CBAM: the shared MLP and the channel gates', storage, `    let n = e / u.channels;
    let c = e % u.channels;
    var logit = ${variant.b2 ? '2.0 * b2[c]' : '0.0'};
    for (var r = 0u; r < u.hidden; r++) {
      var from_mean = ${variant.b1 ? 'b1[r]' : '0.0'};
      var from_max = from_mean;
      for (var k = 0u; k < u.channels; k++) {
        let weight = w1[r * u.channels + k];
        from_mean += weight * pooled[(2u * n) * u.channels + k];
        from_max += weight * pooled[(2u * n + 1u) * u.channels + k];
      }
      logit += w2[c * u.hidden + r] * (max(from_mean, 0.0) + max(from_max, 0.0));
    }
    ca[e] = gate(logit);`, gateFunction(gate));
}

/** Per (n, pixel): mean and max over channels of x · ca into stats[n][0 | 1][pixel]. */
export function cbamSpatialStatsKernel(variant: CbamVariant): KernelDecl {
  const scaled = variant.channel ? 'x[(n * u.channels + c) * plane + p] * ca[n * u.channels + c]' : 'x[(n * u.channels + c) * plane + p]';
  const storage = [read('x'), ...(variant.channel ? [read('ca')] : []), write('stats')];
  return flatKernel(`cbam_spatial_stats${variant.channel ? '_ca' : ''}`, 'CBAM: mean and max over channels per pixel', storage, `    let n = e / plane;
    let p = e % plane;
    var sum = 0.0;
    var best = -3.4028234e38;
    for (var c = 0u; c < u.channels; c++) { let value = ${scaled}; sum += value; best = max(best, value); }
    stats[(2u * n) * plane + p] = sum / f32(u.channels);
    stats[(2u * n + 1u) * plane + p] = best;`);
}

/** Per (n, pixel): sa = gate(Bs + Σ ws · stats) over the k×k window (zero outside). */
export function cbamSpatialGatesKernel(variant: CbamVariant, gate: ScalarExpr): KernelDecl {
  const storage = [read('stats'), read('ws'), ...(variant.spatialBias ? [read('bs')] : []), write('sa')];
  return flatKernel(`cbam_spatial_gates${variant.spatialBias ? '_bs' : ''}`, 'CBAM: the k×k convolution of the statistics and the spatial gates', storage, `    let n = e / plane;
    let row = i32((e % plane) / u.width);
    let column = i32(e % u.width);
    let half = i32(u.kernel / 2u);
    var logit = ${variant.spatialBias ? 'bs[0]' : '0.0'};
    for (var m = 0u; m < 2u; m++) {
      for (var a = 0; a < i32(u.kernel); a++) {
        let y_ = row + a - half;
        if (y_ < 0 || y_ >= i32(u.height)) { continue; }
        for (var b = 0; b < i32(u.kernel); b++) {
          let x_ = column + b - half;
          if (x_ < 0 || x_ >= i32(u.width)) { continue; }
          logit += ws[(m * u.kernel + u32(a)) * u.kernel + u32(b)] * stats[(2u * n + m) * plane + u32(y_) * u.width + u32(x_)];
        }
      }
    }
    sa[e] = gate(logit);`, gateFunction(gate));
}

/** Per element: y = x · ca[n, c] · sa[n, pixel]. */
export function cbamApplyKernel(variant: CbamVariant): KernelDecl {
  const factors = [...(variant.channel ? ['ca[e / plane]'] : []), ...(variant.spatial ? ['sa[(e / (plane * u.channels)) * plane + e % plane]'] : [])];
  const storage = [read('x'), ...(variant.channel ? [read('ca')] : []), ...(variant.spatial ? [read('sa')] : []), write('y')];
  return flatKernel(`cbam_apply${variant.channel ? '_ca' : ''}${variant.spatial ? '_sa' : ''}`, 'CBAM: y = x · ca · sa', storage, `    y[e] = x[e] * ${factors.join(' * ')};`);
}
