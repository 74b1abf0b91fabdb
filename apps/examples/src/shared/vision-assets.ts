/**
 * The files the build step writes for the shapes-vision page (see
 * `node/precompile-programs.ts`) and the page fetches. Browser-safe.
 */
import type { PixelBox } from './box-mass.js';

/** One eval image: its label, target box and torch's predictions. */
export interface VisionEvalItem {
  readonly label: number;
  readonly box: PixelBox;
  readonly vit_pred: number;
  readonly cnn_pred: number;
}

/** torch's mean scores over the eval set (eval.json's `torch`). */
export interface TorchVisionScores {
  readonly 'vit-tiny': { readonly accuracy: number; readonly attention: readonly { readonly layer: number; readonly head: number | 'mean'; readonly mass_in_box: number }[] };
  readonly 'cnn-cbam': { readonly accuracy: number; readonly attention: readonly { readonly cbam: number; readonly grid: number; readonly mass_in_box: number }[] };
}

/** `shapes-eval.json`: eval.json without the per-shape details and logits. */
export interface VisionEvalSet {
  /** base64 of uint8 [N, 3, size, size] (NCHW, RGB). */
  readonly images_b64: string;
  readonly image_size: number;
  readonly class_names: readonly string[];
  readonly area_fraction: number;
  readonly torch: TorchVisionScores;
  readonly items: readonly VisionEvalItem[];
}

/** `shapes-manifest.json`: the precompiled wasm programs of the two with-attention exports. */
export interface VisionManifest {
  readonly programs: Readonly<Record<'vit-tiny' | 'cnn-cbam', { readonly model: string; readonly file: string; readonly bytes: number }>>;
}

/** Names of the generated files, relative to the page. */
export const VISION_FILES = { manifest: 'shapes-manifest.json', evalSet: 'shapes-eval.json' } as const;
