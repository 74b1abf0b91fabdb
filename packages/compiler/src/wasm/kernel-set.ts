/**
 * The kernels a program needs. Lowering requests kernels by name with a
 * generator; identical names are generated once. The set is emitted twice —
 * once with plain SIMD, once with relaxed-SIMD FMA — into two modules.
 * A kernel's name encodes everything baked into it (head size, scale, mask
 * kind, ...), so equal names mean equal code.
 */
import { LadonError, type WasmKernelSignature } from '@ladon/ir';
import type { KernelSignature } from '../lower/kernel-call.js';
import type { Expr, FunctionBuilder } from './binaryen-module.js';
import { WasmModule } from './binaryen-module.js';

/** One kernel: its exported name, i32 parameter names (its call signature), and body generator. */
export interface KernelSpec extends KernelSignature {
  readonly build: (f: FunctionBuilder) => Expr[];
  /** What the name stands for when it does not say it all (e.g. an element-wise expression): two requests of one name must agree. */
  readonly identity?: string;
}

/** The kernels requested so far. */
export class KernelSet {
  private readonly kernels = new Map<string, KernelSpec>();

  /** Requests a kernel; returns it (the first request with a name wins; a later one must have the same parameters and identity). */
  request(spec: KernelSpec): KernelSpec {
    const existing = this.kernels.get(spec.name);
    if (!existing) {
      this.kernels.set(spec.name, spec);
      return spec;
    }
    if (existing.params.join() !== spec.params.join() || existing.identity !== spec.identity) {
      throw new LadonError('E_INTERNAL', `two different kernels are named ${spec.name}`);
    }
    return existing;
  }

  /** Names of the requested kernels. */
  get names(): string[] {
    return [...this.kernels.keys()];
  }

  /** Every requested kernel's name and parameters (the program records them for its loader to check). */
  get signatures(): WasmKernelSignature[] {
    return [...this.kernels.values()].map(({ name, params }) => ({ name, params: [...params] }));
  }

  /** Emits every kernel into a module; returns the binary and text. */
  async emit(relaxed: boolean): Promise<{ binary: Uint8Array; text: string }> {
    const module = await WasmModule.create(relaxed);
    for (const kernel of this.kernels.values()) module.addFunction(kernel.name, kernel.params, kernel.build);
    return module.finish();
  }
}
