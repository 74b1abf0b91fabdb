/**
 * The control block the calling thread and its workers share: one small
 * SharedArrayBuffer (apart from the wasm memory) holding a dispatch — which
 * kernel, how many parts, each part's arguments — and the counters the
 * threads synchronise on with Atomics. A dispatch:
 *   caller: writes kernel, parts and every part's arguments; sets `pending`
 *           to the worker count; bumps `generation` and notifies it; runs
 *           part 0 itself; waits until `pending` is 0.
 *   worker: waits on `generation`; runs its part when its index < parts;
 *           decrements `pending` (the last one notifies).
 * Every worker answers every dispatch, so none can lag a generation behind.
 * A kernel that traps records the first fault (its part and message).
 */

/** Slot indices (in the Int32Array view) and byte offsets of the control block. */
export interface ControlLayout {
  readonly generation: number;
  readonly command: number;
  readonly kernel: number;
  readonly parts: number;
  readonly argCount: number;
  readonly pending: number;
  /** 0, or the faulting part + 1. */
  readonly fault: number;
  readonly messageLength: number;
  /** `command` values. */
  readonly run: number;
  readonly stop: number;
  /** Where the fault message's UTF-8 bytes go, and their maximum length. */
  readonly messageByteOffset: number;
  readonly messageBytes: number;
  /** Where the arguments (f64) start; part p's arguments are at index p·maxArgs. */
  readonly argsByteOffset: number;
  readonly maxArgs: number;
  readonly maxParts: number;
}

/** The layout every pool uses. */
export const CONTROL_LAYOUT: ControlLayout = {
  generation: 0,
  command: 1,
  kernel: 2,
  parts: 3,
  argCount: 4,
  pending: 5,
  fault: 6,
  messageLength: 7,
  run: 0,
  stop: 1,
  messageByteOffset: 64,
  messageBytes: 448,
  argsByteOffset: 512,
  maxArgs: 64,
  maxParts: 64,
};

/** The calling thread's side of the control block. */
export class ControlBlock {
  readonly buffer: SharedArrayBuffer;
  private readonly slots: Int32Array;
  private readonly args: Float64Array;

  constructor(private readonly layout: ControlLayout = CONTROL_LAYOUT) {
    this.buffer = new SharedArrayBuffer(layout.argsByteOffset + layout.maxArgs * layout.maxParts * 8);
    this.slots = new Int32Array(this.buffer, 0, layout.messageByteOffset / 4);
    this.args = new Float64Array(this.buffer, layout.argsByteOffset);
  }

  /** Writes a dispatch of `kernel` with one argument list per part (part 0 is the caller's) and wakes the workers. */
  publish(kernel: number, partArgs: readonly (readonly number[])[], workers: number): void {
    const { layout, slots } = this;
    const count = partArgs[0].length;
    partArgs.forEach((values, part) => this.args.set(values, part * layout.maxArgs));
    slots[layout.kernel] = kernel;
    slots[layout.parts] = partArgs.length;
    slots[layout.argCount] = count;
    Atomics.store(slots, layout.fault, 0);
    Atomics.store(slots, layout.pending, workers);
    Atomics.add(slots, layout.generation, 1);
    Atomics.notify(slots, layout.generation);
  }

  /** Workers still running the current dispatch. */
  pending(): number {
    return Atomics.load(this.slots, this.layout.pending);
  }

  /** The slot array and index to wait on for `pending` to change. */
  get pendingSlot(): { readonly slots: Int32Array; readonly index: number } {
    return { slots: this.slots, index: this.layout.pending };
  }

  /** The first fault of the last dispatch: the part that trapped and its message. */
  fault(): { part: number; message: string } | undefined {
    const faulted = Atomics.load(this.slots, this.layout.fault);
    if (faulted === 0) return undefined;
    const length = Math.min(this.slots[this.layout.messageLength], this.layout.messageBytes);
    const bytes = new Uint8Array(this.buffer, this.layout.messageByteOffset, length).slice();
    return { part: faulted - 1, message: new TextDecoder().decode(bytes) };
  }

  /** Tells the workers to leave their loop. */
  stop(): void {
    Atomics.store(this.slots, this.layout.command, this.layout.stop);
    Atomics.add(this.slots, this.layout.generation, 1);
    Atomics.notify(this.slots, this.layout.generation);
  }
}
