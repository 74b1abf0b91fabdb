/**
 * What a WGSL attention kernel is specialised to (compile-time choices; the
 * sizes, strides and flags that do not change the code are uniforms). Its
 * own module so the kernel and its entry point both read it without
 * importing each other.
 */
import type { WgslElement } from '../kernel.js';
import type { PositionVariant } from './attention-positions.js';

/** What an attention kernel is specialised to (positions: rotary tables, ALiBi, relative bias). */
export interface AttentionVariant extends PositionVariant {
  readonly headSize: number;
  readonly vHeadSize: number;
  /** Element of Q, K, Y, a float mask and qk_matmul_output. */
  readonly element: WgslElement;
  /** Element of V. */
  readonly vElement: WgslElement;
  readonly mask: 'none' | 'bool' | 'float';
  readonly nonpad: boolean;
  /** The qk_matmul_output mode written, if that output is wanted. */
  readonly scores?: 0 | 1 | 2 | 3;
}
