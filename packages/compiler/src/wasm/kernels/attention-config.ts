/**
 * What an attention kernel bakes in, and the parameters it takes at run
 * time. Legend: B batch, Hq query heads, Hkv key/value heads (Hq = group ·
 * Hkv), Sq query rows, Skv keys (past + new), D the Q·K head size, Dv the V
 * head size. Strides are in elements, for the batch, head and row axes of
 * each tensor (the last axis is contiguous); they let one kernel read the
 * 3-D [B, S, H·D] and the 4-D [B, H, S, D] layouts alike.
 */
import { numberTag } from '@ladon/ir';
import { positionTags, type PositionConfig } from './attention-positions.js';

/** How the mask tensor marks keys. */
export type MaskKind = 'none' | 'bool' | 'float';

/** Everything baked into one attention kernel. */
export interface AttentionConfig {
  readonly headSize: number;
  readonly valueHeadSize: number;
  readonly scale: number;
  /** 0 disables softcap. */
  readonly softcap: number;
  readonly causal: boolean;
  readonly mask: MaskKind;
  /** -1 is unbounded. */
  readonly leftWindow: number;
  readonly rightWindow: number;
  /** A per-batch valid key count (`nonpad_kv_seqlen`, i64 [B]) is given. */
  readonly nonpad: boolean;
  /** A past KV prefix is included in the keys (the causal diagonal is offset by its length). */
  readonly past: boolean;
  /** Rotary tables and position biases (attention-positions.ts). */
  readonly positions: PositionConfig;
}

/** The i32 parameters every attention kernel takes, in order. */
export const ATTENTION_PARAMS = [
  'q', 'k', 'v', 'mask', 'out', 'nonpadPtr',
  'B', 'Hq', 'Hkv', 'Sq', 'Skv', 'pastLength',
  'qsb', 'qsh', 'qss', 'ksb', 'ksh', 'kss', 'vsb', 'vsh', 'vss', 'osb', 'osh', 'oss',
  'msb', 'msh', 'msq', 'maskWidth',
] as const;

/** The scratch buffers of the flash kernel, after {@link ATTENTION_PARAMS}. */
export const FLASH_SCRATCH_PARAMS = ['ktScratch', 'qScratch', 'sScratch', 'oScratch'] as const;

/** The extra parameters of the row kernel, after {@link ATTENTION_PARAMS}: the qk output and its row scratch. */
export const ROW_EXTRA_PARAMS = ['qkOut', 'rowScratch'] as const;

/** A kernel name that encodes the whole configuration. */
export function attentionKernelName(kind: 'flash' | 'rows', config: AttentionConfig, qkMode = -1): string {
  const parts = [
    `attention_${kind}`,
    `d${config.headSize}`,
    `dv${config.valueHeadSize}`,
    `s${numberTag(config.scale)}`,
    config.softcap > 0 ? `cap${numberTag(config.softcap)}` : '',
    config.causal ? 'causal' : '',
    config.mask !== 'none' ? `mask_${config.mask}` : '',
    config.leftWindow >= 0 ? `left${config.leftWindow}` : '',
    config.rightWindow >= 0 ? `right${config.rightWindow}` : '',
    config.nonpad ? 'nonpad' : '',
    config.past ? 'past' : '',
    qkMode >= 0 ? `qk${qkMode}` : '',
    ...positionTags(config.positions),
  ];
  return parts.filter(Boolean).join('_');
}
