/**
 * Convolution as an implicit GEMM on the packed weight. Per image and
 * group, `Yᵀ[pixels, M] = Col[pixels, K] · Wᵀ[K, M]` with K = C/group ·
 * kd · kh · kw:
 *
 * - B is the weight, packed at compile time into the GEMM's panels of 8
 *   output channels with the bias in front (gemm-pack.ts, as for Linear);
 * - A is never materialised (no im2col): a tile's 4 rows are 4 neighbouring
 *   output pixels of one output row, and row k of the window is read at
 *   `pixel address + offsets[k]`, a compile-time table of byte offsets
 *   (channel, kd, kh, kw) into the padded image (conv-input.ts). With
 *   stride s the 4 pixels are 4·s bytes apart, so one table load and four
 *   splat loads feed eight FMAs per k;
 * - the 4 pixels × 8 channels tile is transposed in registers (two 4×4
 *   lane transposes) and stored straight into NCHW: 4 contiguous pixels per
 *   output channel.
 *
 * A 1×1 convolution with stride 1 and no padding reads the input in place
 * and treats the whole output plane as one row (tiles may cross image
 * rows). Output rows end in a tile of 1-3 pixels, and the last panel may be
 * narrower than 8 channels; both store lane by lane. Depthwise convolutions
 * have their own kernel (conv-depthwise.ts).
 *
 * Parameters: x, packed (per group: padded bias, then panels), offsets
 * (i32 bytes per k), y, padded (scratch for one padded image, one per
 * thread), batch, part, parts. A split kernel (lower/split.ts): part p of
 * `parts` computes a block of output rows (of whole 4-pixel tiles for the
 * flat 1×1 case) for every image, group and panel.
 */
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { KernelSpec } from '../kernel-set.js';
import { copyPadded, needsPadding, type PaddedImage } from './conv-input.js';
import { packAtRuntime } from './gemm-pack.js';
import { PANEL_ROW_BYTES, PANEL_WIDTH, TILE_ROWS } from './gemm-tile.js';
import { PART_PARAMS, rowShare } from './parts.js';

/** What a convolution kernel bakes in (all sizes static except the batch). */
export interface ConvKernelConfig {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly group: number;
  readonly kernel: readonly [number, number, number];
  readonly strides: readonly [number, number, number];
  readonly dilations: readonly [number, number, number];
  readonly output: readonly [number, number, number];
  /** The input image and its padded copy. */
  readonly image: PaddedImage;
  readonly hasBias: boolean;
  readonly relu: boolean;
}

/** Values of k per group: input channels per group times the kernel volume. */
export function convDepth(config: Pick<ConvKernelConfig, 'inChannels' | 'group' | 'kernel'>): number {
  return (config.inChannels / config.group) * config.kernel[0] * config.kernel[1] * config.kernel[2];
}

/** Byte offset of window row k (channel, kd, kh, kw) from a pixel's window origin in the padded image. */
export function convOffsets(config: ConvKernelConfig): Int32Array {
  const [dp, hp, wp] = config.image.padded;
  const [kd, kh, kw] = config.kernel;
  const [dd, dh, dw] = config.dilations;
  const offsets = new Int32Array(convDepth(config));
  let k = 0;
  for (let c = 0; c < config.inChannels / config.group; c++) {
    for (let a = 0; a < kd; a++) {
      for (let b = 0; b < kh; b++) {
        for (let e = 0; e < kw; e++) offsets[k++] = 4 * (((c * dp + a * dd) * hp + b * dh) * wp + e * dw);
      }
    }
  }
  return offsets;
}

/** The whole output plane is one row of pixels (1×1 window, stride 1, no padding). */
function isFlat(config: ConvKernelConfig): boolean {
  return config.kernel.every((size) => size === 1) && config.strides.every((stride) => stride === 1) && !needsPadding(config.image);
}

function configTag(config: ConvKernelConfig): string {
  const triple = (values: readonly number[]) => values.join('x');
  const { image } = config;
  return [
    `c${config.inChannels}`, `m${config.outChannels}`, `g${config.group}`, `i${triple(image.input)}`, `p${triple(image.padded)}`, `b${triple(image.padBegin)}`,
    `k${triple(config.kernel)}`, `s${triple(config.strides)}`, `d${triple(config.dilations)}`, `o${triple(config.output)}`,
  ].join('_') + (config.hasBias ? '_bias' : '') + (config.relu ? '_relu' : '');
}

/** Floats of one group's packed weight: the padded bias (when present), then the panels. */
export function groupPackedFloats(config: ConvKernelConfig): number {
  const panels = Math.ceil(config.outChannels / config.group / PANEL_WIDTH);
  return (config.hasBias ? panels * PANEL_WIDTH : 0) + panels * PANEL_WIDTH * convDepth(config);
}

/** The convolution kernel of a configuration. */
export function convKernel(config: ConvKernelConfig): KernelSpec {
  return { name: `conv_${configTag(config)}`, params: ['x', 'packed', 'offsets', 'y', 'padded', 'batch', ...PART_PARAMS], build: (f) => buildConv(f, config) };
}

interface ConvLocals {
  readonly image: Local;
  readonly groupImage: Local;
  readonly panelB: Local;
  readonly panelBias: Local;
  readonly panelY: Local;
  readonly rowImage: Local;
  readonly rowY: Local;
  readonly tileImage: Local;
  readonly tileY: Local;
  readonly acc: readonly (readonly [Local, Local])[];
  readonly b: readonly [Local, Local];
  readonly splat: Local;
  readonly kb: Local;
  readonly kt: Local;
  readonly a: Local;
  readonly lanes: readonly Local[];
  /** This part's first row (pixel, when flat) and how many. */
  readonly shareStart: Local;
  readonly shareCount: Local;
}

function declareLocals(f: FunctionBuilder): ConvLocals {
  const names = ['image', 'groupImage', 'panelB', 'panelBias', 'panelY', 'rowImage', 'rowY', 'tileImage', 'tileY', 'kb', 'kt', 'a'];
  const [image, groupImage, panelB, panelBias, panelY, rowImage, rowY, tileImage, tileY, kb, kt, a] = names.map((name) => f.local(name, 'i32'));
  return {
    image, groupImage, panelB, panelBias, panelY, rowImage, rowY, tileImage, tileY, kb, kt, a,
    acc: Array.from({ length: TILE_ROWS }, (_, r) => [f.local(`acc${r}_0`, 'v128'), f.local(`acc${r}_1`, 'v128')] as const),
    b: [f.local('b0', 'v128'), f.local('b1', 'v128')],
    splat: f.local('splat', 'v128'),
    lanes: Array.from({ length: 4 }, (_, index) => f.local(`lanes${index}`, 'v128')),
    shareStart: f.local('shareStart', 'i32'),
    shareCount: f.local('shareCount', 'i32'),
  };
}

function buildConv(f: FunctionBuilder, config: ConvKernelConfig): Expr[] {
  const i = f.i32;
  const t = declareLocals(f);
  const [n, g, panel, row] = ['n', 'g', 'panel', 'row'].map((name) => f.local(name, 'i32'));
  const { image } = config;
  const imageBytes = 4 * image.channels * image.input[0] * image.input[1] * image.input[2];
  const outputPlane = config.output[0] * config.output[1] * config.output[2];
  const perGroupOut = config.outChannels / config.group;
  const padding = needsPadding(image);
  const groupImageBytes = 4 * (config.inChannels / config.group) * image.padded[0] * image.padded[1] * image.padded[2];
  const panels = (width: number): Expr[] => panelBody(f, config, t, width, row);
  const wholePanels = Math.floor(perGroupOut / PANEL_WIDTH);
  const tailWidth = perGroupOut % PANEL_WIDTH;
  const perGroup: Expr[] = [
    t.groupImage.set(i.add(t.image.get(), i.mul(g.get(), i.const(groupImageBytes)))),
    f.for(panel, i.const(0), i.const(wholePanels), 1, setPanel(f, config, t, n, g, panel, outputPlane).concat(panels(PANEL_WIDTH))),
    ...(tailWidth > 0 ? [panel.set(i.const(wholePanels)), ...setPanel(f, config, t, n, g, panel, outputPlane), ...panels(tailWidth)] : []),
  ];
  const [od, oh, ow] = config.output;
  return [
    t.shareCount.set(i.const(isFlat(config) ? od * oh * ow : od * oh)),
    ...rowShare(f, t.shareCount, t.shareStart, isFlat(config) ? TILE_ROWS : 1),
    f.for(n, i.const(0), f.get('batch'), 1, [
      t.image.set(i.add(f.get('x'), i.mul(n.get(), i.const(imageBytes)))),
      ...(padding ? [...copyPadded(f, image, t.image, f.v('padded')), t.image.set(f.get('padded'))] : []),
      f.for(g, i.const(0), i.const(config.group), 1, perGroup),
    ]),
  ];
}

/** Points the panel locals at group g, panel p: its packed weight, its bias, its first output channel plane. */
function setPanel(f: FunctionBuilder, config: ConvKernelConfig, t: ConvLocals, n: Local, g: Local, panel: Local, outputPlane: number): Expr[] {
  const i = f.i32;
  const perGroupOut = config.outChannels / config.group;
  const panels = Math.ceil(perGroupOut / PANEL_WIDTH);
  const biasBytes = config.hasBias ? panels * PANEL_ROW_BYTES : 0;
  const firstChannel = i.add(i.mul(n.get(), i.const(config.outChannels)), i.add(i.mul(g.get(), i.const(perGroupOut)), i.shl(panel.get(), 3)));
  return [
    // panelB holds the group's packed start first
    t.panelB.set(i.add(f.get('packed'), i.mul(g.get(), i.const(4 * groupPackedFloats(config))))),
    t.panelBias.set(i.add(t.panelB.get(), i.shl(panel.get(), 5))),
    t.panelB.set(i.add(t.panelB.get(), i.add(i.const(biasBytes), i.mul(panel.get(), i.const(convDepth(config) * PANEL_ROW_BYTES))))),
    t.panelY.set(i.add(f.get('y'), i.mul(firstChannel, i.const(4 * outputPlane)))),
  ];
}

/** This part's output rows of one panel: tiles of 4 pixels, then the row's tail tile (flat: this part's tiles of the one row, the tail in the last part). */
function panelBody(f: FunctionBuilder, config: ConvKernelConfig, t: ConvLocals, width: number, row: Local): Expr[] {
  const i = f.i32;
  const [od, oh, ow] = config.output;
  const [sd, sh, sw] = config.strides;
  const [, hp, wp] = config.image.padded;
  const flat = isFlat(config);
  const rowLength = flat ? od * oh * ow : ow;
  const tile = f.local(`tile${width}`, 'i32');
  // row r = (z, y): window origin (z·sd, y·sh, 0) in the padded image
  const rowImage = flat ? t.groupImage.get() : i.add(t.groupImage.get(), i.mul(i.add(i.mul(i.mul(i.divS(row.get(), i.const(oh)), i.const(sd)), i.const(hp)), i.mul(i.remS(row.get(), i.const(oh)), i.const(sh))), i.const(4 * wp)));
  const tileAt = (pixel: Expr): Expr[] => [
    t.tileImage.set(i.add(t.rowImage.get(), i.mul(pixel, i.const(4 * (flat ? 1 : sw))))),
    t.tileY.set(i.add(t.rowY.get(), i.shl(tile.get(), 2))),
  ];
  const wholeTiles = Math.floor(rowLength / TILE_ROWS);
  const tail = rowLength % TILE_ROWS;
  const tailTile = (): Expr[] => (tail > 0 ? [tile.set(i.const(wholeTiles * TILE_ROWS)), ...tileAt(tile.get()), ...convTile(f, config, t, tail, width)] : []);
  const shareEnd = (): Expr => i.add(t.shareStart.get(), t.shareCount.get());
  if (flat) {
    return [
      row.set(i.const(0)),
      t.rowImage.set(rowImage),
      t.rowY.set(t.panelY.get()),
      f.for(tile, t.shareStart.get(), i.sub(shareEnd(), i.const(TILE_ROWS - 1)), TILE_ROWS, [...tileAt(tile.get()), ...convTile(f, config, t, TILE_ROWS, width)]),
      ...(tail > 0 ? [f.if(i.eq(shareEnd(), i.const(rowLength)), tailTile())] : []),
    ];
  }
  return [
    f.for(row, t.shareStart.get(), shareEnd(), 1, [
      t.rowImage.set(rowImage),
      t.rowY.set(i.add(t.panelY.get(), i.mul(row.get(), i.const(4 * rowLength)))),
      f.for(tile, i.const(0), i.const(wholeTiles * TILE_ROWS), TILE_ROWS, [...tileAt(tile.get()), ...convTile(f, config, t, TILE_ROWS, width)]),
      ...tailTile(),
    ]),
  ];
}

/** One tile: `rows` pixels × `width` channels over all K, then the NCHW store. */
function convTile(f: FunctionBuilder, config: ConvKernelConfig, t: ConvLocals, rows: number, width: number): Expr[] {
  const i = f.i32;
  const v = f.f32x4;
  const halves = width > 4 ? 2 : 1;
  const pixelBytes = 4 * (isFlat(config) ? 1 : config.strides[2]);
  const init: Expr[] = [];
  for (let r = 0; r < rows; r++) for (let h = 0; h < halves; h++) init.push(t.acc[r][h].set(config.hasBias ? v.load(t.panelBias.get(), 16 * h) : v.zero()));
  const step: Expr[] = [t.a.set(i.add(t.tileImage.get(), i.load(t.kt.get())))];
  for (let h = 0; h < halves; h++) step.push(t.b[h].set(v.load(t.kb.get(), 16 * h)));
  for (let r = 0; r < rows; r++) {
    step.push(t.splat.set(v.loadSplat(t.a.get(), r * pixelBytes)));
    for (let h = 0; h < halves; h++) step.push(t.acc[r][h].set(v.fma(t.splat.get(), t.b[h].get(), t.acc[r][h].get())));
  }
  step.push(t.kt.set(i.add(t.kt.get(), i.const(4))));
  const end = i.add(t.panelB.get(), i.const(convDepth(config) * PANEL_ROW_BYTES));
  const relu: Expr[] = [];
  if (config.relu) for (let r = 0; r < rows; r++) for (let h = 0; h < halves; h++) relu.push(t.acc[r][h].set(v.max(t.acc[r][h].get(), v.zero())));
  return [...init, t.kt.set(f.get('offsets')), f.for(t.kb, t.panelB.get(), end, PANEL_ROW_BYTES, step), ...relu, ...storeTile(f, config, t, rows, width)];
}

/** Stores the tile into NCHW: whole 4×4 blocks transposed to one vector per channel, anything partial lane by lane. */
function storeTile(f: FunctionBuilder, config: ConvKernelConfig, t: ConvLocals, rows: number, width: number): Expr[] {
  const planeBytes = 4 * config.output[0] * config.output[1] * config.output[2];
  const statements: Expr[] = [];
  for (let h = 0; h < (width > 4 ? 2 : 1); h++) {
    const channels = Math.min(4, width - 4 * h);
    if (rows === TILE_ROWS) {
      statements.push(...transpose4(f, t, h));
      for (let j = 0; j < channels; j++) statements.push(f.f32x4.store(t.tileY.get(), t.lanes[j].get(), (4 * h + j) * planeBytes));
      continue;
    }
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < channels; j++) statements.push(f.f32.store(t.tileY.get(), f.f32x4.extract(t.acc[r][h].get(), j), (4 * h + j) * planeBytes + 4 * r));
    }
  }
  return statements;
}

/** lanes[j] = channel 4h + j of the 4 pixels (a 4×4 transpose of acc[0..3][h]). */
function transpose4(f: FunctionBuilder, t: ConvLocals, h: number): Expr[] {
  const s = f.lanes.shuffle32;
  const [r0, r1, r2, r3] = t.acc.map((pair) => pair[h]);
  const [l0, l1, l2, l3] = t.lanes;
  return [
    t.b[0].set(s(r0.get(), r1.get(), [0, 4, 1, 5])),
    t.b[1].set(s(r2.get(), r3.get(), [0, 4, 1, 5])),
    t.splat.set(s(r0.get(), r1.get(), [2, 6, 3, 7])),
    l3.set(s(r2.get(), r3.get(), [2, 6, 3, 7])),
    l0.set(s(t.b[0].get(), t.b[1].get(), [0, 1, 4, 5])),
    l1.set(s(t.b[0].get(), t.b[1].get(), [2, 3, 6, 7])),
    l2.set(s(t.splat.get(), l3.get(), [0, 1, 4, 5])),
    l3.set(s(t.splat.get(), l3.get(), [2, 3, 6, 7])),
  ];
}

/**
 * Packs a weight computed at run time (a graph input) into the layout
 * {@link convKernel} reads, group by group: the bias zero-padded to whole
 * panels, then the panels of Wᵀ (gemm-pack.ts). Parameters: w, bias
 * (pointer, or 0 without one), packed.
 */
export function convPackKernel(config: ConvKernelConfig): KernelSpec {
  const perGroupOut = config.outChannels / config.group;
  const depth = convDepth(config);
  return {
    name: `conv_pack_m${perGroupOut}_k${depth}_g${config.group}${config.hasBias ? '_bias' : ''}`,
    params: ['w', 'bias', 'packed'],
    build(f) {
      const i = f.i32;
      const [g, source, destination, k, n] = ['g', 'source', 'destination', 'k', 'n'].map((name) => f.local(name, 'i32'));
      const biasBytes = config.hasBias ? Math.ceil(perGroupOut / PANEL_WIDTH) * PANEL_ROW_BYTES : 0;
      const groupStart = (): Expr => i.add(f.get('packed'), i.mul(g.get(), i.const(4 * groupPackedFloats(config))));
      const bias = config.hasBias
        ? [f.memory.fill(groupStart(), i.const(0), i.const(biasBytes)), f.memory.copy(groupStart(), i.add(f.get('bias'), i.mul(g.get(), i.const(4 * perGroupOut))), i.const(4 * perGroupOut))]
        : [];
      return [
        k.set(i.const(depth)),
        n.set(i.const(perGroupOut)),
        f.for(g, i.const(0), i.const(config.group), 1, [
          ...bias,
          source.set(i.add(f.get('w'), i.mul(g.get(), i.const(4 * perGroupOut * depth)))),
          destination.set(i.add(groupStart(), i.const(biasBytes))),
          ...packAtRuntime(f, { source, destination, k, n, transposed: true, scale: 1 }),
        ]),
      ];
    },
  };
}
