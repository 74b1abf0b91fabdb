/** The machine and package versions the report records beside the numbers. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { packageVersion } from './footprint.js';
import { loadLadonRuntime } from './ladon-runner.js';

/** Where the benchmark ran. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  /** V8's wasm flags given on the command line (e.g. relaxed SIMD), if any. */
  readonly nodeFlags: readonly string[];
  readonly relaxedSimd: boolean;
  readonly packages: Readonly<Record<string, string>>;
}

/** The packages whose versions the report lists. */
export const REPORTED_PACKAGES = [
  '@ladon/ir',
  '@ladon/compiler',
  '@ladon/runtime',
  '@ladon/onnx',
  'onnxruntime-web',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-wasm',
  'binaryen',
] as const;

/** The CPU model from /proc/cpuinfo (or what os.cpus() says elsewhere). */
export function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('model name'));
    if (line) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // not Linux: fall through
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function versionOf(name: string): string {
  try {
    return packageVersion(name);
  } catch {
    return 'not installed';
  }
}

/** Collects the machine facts and package versions. */
export async function describeMachine(): Promise<MachineInfo> {
  const runtime = await loadLadonRuntime();
  return {
    cpuModel: cpuModel(),
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    nodeFlags: process.execArgv.filter((flag) => flag.includes('wasm')),
    relaxedSimd: runtime.relaxedSimdSupported(),
    packages: Object.fromEntries(REPORTED_PACKAGES.map((name) => [name, versionOf(name)])),
  };
}
