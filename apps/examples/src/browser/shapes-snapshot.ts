/**
 * What the shapes-vision page exposes as `window.ladonShapes`, so tests
 * (and the console) can read the numbers behind the pictures.
 */

/** Both models over the whole eval set. */
export interface ShapesTotals {
  readonly images: number;
  readonly vitCorrect: number;
  readonly cnnCorrect: number;
  /** Images whose argmax equals torch's. */
  readonly vitAgrees: number;
  readonly cnnAgrees: number;
  /** Mean mass in box [layer][head], the heads' mean map last. */
  readonly vitMass: readonly (readonly number[])[];
  /** Mean mass in box of CBAM 1 and 2's spatial maps. */
  readonly cnnMass: readonly number[];
  readonly vitMs: number;
  readonly cnnMs: number;
}

/** The page's state, as plain data. */
export interface ShapesSnapshot {
  readonly status: 'loading' | 'ready' | 'error';
  readonly error?: string;
  readonly loadMs?: number;
  /** Images shown so far. */
  readonly runs: number;
  /** The image shown. */
  readonly index?: number;
  readonly vit?: { readonly prediction: number; readonly masses: readonly (readonly number[])[]; readonly runMs: number };
  readonly cnn?: { readonly prediction: number; readonly masses: readonly number[]; readonly runMs: number };
  /** After "Score all 200". */
  readonly totals?: ShapesTotals;
}

declare global {
  interface Window {
    /** The shapes-vision page's latest state (see {@link ShapesSnapshot}). */
    ladonShapes?: ShapesSnapshot;
  }
}
