/**
 * The kernels a program needs. Lowering requests kernels by name with a
 * generator; identical names are generated once. The set is emitted twice —
 * once with plain SIMD, once with relaxed-SIMD FMA — into two modules.
 * A kernel's name encodes everything baked into it (head size, scale, mask
 * kind, ...), so equal names mean equal code.
 */
import type { Expr, FunctionBuilder } from './binaryen-module.js';
import { WasmModule } from './binaryen-module.js';

/** One kernel: its exported name, i32 parameter names, and body generator. */
export interface KernelSpec {
  readonly name: string;
  readonly params: readonly string[];
  readonly build: (f: FunctionBuilder) => Expr[];
}

/** The kernels requested so far. */
export class KernelSet {
  private readonly kernels = new Map<string, KernelSpec>();

  /** Requests a kernel; returns its name (the first request with a name wins). */
  request(spec: KernelSpec): string {
    if (!this.kernels.has(spec.name)) this.kernels.set(spec.name, spec);
    return spec.name;
  }

  /** Names of the requested kernels. */
  get names(): string[] {
    return [...this.kernels.keys()];
  }

  /** Emits every kernel into a module; returns the binary and text. */
  async emit(relaxed: boolean): Promise<{ binary: Uint8Array; text: string }> {
    const module = await WasmModule.create(relaxed);
    for (const kernel of this.kernels.values()) module.addFunction(kernel.name, kernel.params, kernel.build);
    return module.finish();
  }
}

/** A kernel-name-safe rendering of a number (e.g. a scale baked into a kernel). */
export function nameNumber(value: number): string {
  return String(Math.fround(value)).replace('-', 'm').replace('.', 'p').replace('+', '');
}
