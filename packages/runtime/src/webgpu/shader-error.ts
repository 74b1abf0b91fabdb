/** The typed error for a WGSL kernel the device refused. */
import { LadonError, type ErrorLocation } from '@ladon/ir';

/** A WGSL kernel failed to compile or to build its pipeline; carries the kernel's name and the compiler's message. */
export class ShaderCompileError extends LadonError {
  constructor(
    /** The kernel's name in the program. */
    readonly kernel: string,
    /** What the WGSL compiler (Tint, or the browser's) said. */
    readonly shaderMessage: string,
    location: ErrorLocation = {},
  ) {
    super('E_BACKEND', `WGSL kernel '${kernel}' did not compile: ${shaderMessage}`, location);
  }

  override get name(): string {
    return 'ShaderCompileError';
  }
}
