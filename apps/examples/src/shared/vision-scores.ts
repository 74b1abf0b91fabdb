/**
 * Per-image results of the two shapes-vision models from their
 * with-attention outputs (batch row `row`): predictions and the mass of
 * each attention map inside the target box — the ViT's CLS-to-patch
 * attention per layer and head and of the heads' mean, CBAM's spatial maps.
 * Browser-safe.
 */
import { argmax, clsToPatches, massInBox, type PixelBox } from './box-mass.js';

/** The ViT's patch grid (8 × 8 patches of 4 × 4 px), heads and tokens (CLS + 64 patches). */
export const VIT = { grid: 8, heads: 4, tokens: 65, layers: 2 } as const;
/** CBAM's spatial maps: 16 × 16 after the first block, 8 × 8 after the second. */
export const CBAM_GRIDS = [16, 8] as const;

/** Outputs of one run as flat arrays (any batch). */
export type Outputs = Readonly<Record<string, Float32Array>>;

/** The ViT's results on one image. */
export interface VitImageResult {
  readonly prediction: number;
  /** CLS-to-patch maps [layer][head] (64 weights each, row-major 8 × 8). */
  readonly maps: readonly (readonly Float32Array[])[];
  /** Mass in box [layer][head], then the heads' mean map as entry `heads`. */
  readonly masses: readonly (readonly number[])[];
}

/** The CNN's results on one image. */
export interface CnnImageResult {
  readonly prediction: number;
  readonly spatialMaps: readonly Float32Array[];
  readonly channelMaps: readonly Float32Array[];
  /** Mass in box of each spatial map. */
  readonly masses: readonly number[];
}

const CLASSES = 4;

/** The ViT's results on batch row `row`. */
export function vitImageResult(outputs: Outputs, row: number, box: PixelBox, imageSize: number): VitImageResult {
  const { heads, tokens, grid } = VIT;
  const maps = [outputs.attn_l0, outputs.attn_l1].map((attention) => {
    const rowAttention = attention.subarray(row * heads * tokens * tokens, (row + 1) * heads * tokens * tokens);
    return Array.from({ length: heads }, (_, head) => clsToPatches(rowAttention, head, tokens));
  });
  const masses = maps.map((layer) => {
    const mean = Float32Array.from({ length: grid * grid }, (_, patch) => layer.reduce((sum, map) => sum + map[patch], 0) / heads);
    return [...layer, mean].map((map) => massInBox(map, grid, imageSize, box));
  });
  return { prediction: argmax(outputs.logits.subarray(row * CLASSES, (row + 1) * CLASSES)), maps, masses };
}

/** The CNN's results on batch row `row`. */
export function cnnImageResult(outputs: Outputs, row: number, box: PixelBox, imageSize: number): CnnImageResult {
  const spatialMaps = CBAM_GRIDS.map((grid, index) => outputs[`spatial_attn_${index + 1}`].subarray(row * grid * grid, (row + 1) * grid * grid));
  const channelMaps = [1, 2].map((index) => {
    const channels = outputs[`channel_attn_${index}`];
    const perImage = channels.length / (outputs.logits.length / CLASSES);
    return channels.subarray(row * perImage, (row + 1) * perImage);
  });
  const masses = spatialMaps.map((map, index) => massInBox(map, CBAM_GRIDS[index], imageSize, box));
  return { prediction: argmax(outputs.logits.subarray(row * CLASSES, (row + 1) * CLASSES)), spatialMaps, channelMaps, masses };
}
