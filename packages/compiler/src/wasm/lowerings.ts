/**
 * The wasm lowering of each op. An op missing here makes compilation for
 * wasm fail with a typed error naming the node.
 */
import type { OpLowering } from './lowering-context.js';
import { lowerAttention } from './lower/attention.js';
import { lowerView } from './lower/views.js';

/** Lowerings by op name. */
export const WASM_LOWERINGS: Readonly<Record<string, OpLowering>> = {
  Attention: lowerAttention,
  Reshape: lowerView,
  Squeeze: lowerView,
  Unsqueeze: lowerView,
  Identity: lowerView,
};
