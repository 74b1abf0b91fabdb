/**
 * scripts/system-requirements.sh, the first step of `npm test` and .ci/run:
 * run against a fake filesystem root (LADON_SYSTEM_ROOT, under which it
 * never installs anything), it stops with one line naming exactly what is
 * missing, and passes when everything is there.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/system-requirements.sh', import.meta.url));
const fakeRoots: string[] = [];

afterAll(() => {
  for (const root of fakeRoots) rmSync(root, { recursive: true, force: true });
});

/** A fake root holding the given files (paths relative to /). */
function fakeRoot(files: readonly string[]): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ladon-system-root-'));
  fakeRoots.push(root);
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), '');
    chmodSync(path.join(root, file), 0o755);
  }
  return root;
}

function check(root: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('bash', [SCRIPT], { encoding: 'utf8', env: { ...process.env, LADON_SYSTEM_ROOT: root }, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const CHROMIUM_FILES = ['usr/bin/chromium', 'usr/lib/chromium/vk_swiftshader_icd.json'];
const VULKAN_LOADER = 'usr/lib/x86_64-linux-gnu/libvulkan.so.1';

describe('scripts/system-requirements.sh', () => {
  it('stops with one line naming both packages when neither is there', () => {
    const outcome = check(fakeRoot([]));
    expect(outcome.status).toBe(1);
    expect(outcome.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^npm test needs chromium libvulkan1 .*: run `sudo apt-get install chromium libvulkan1` /)]);
  });

  it("names only what is missing; Chromium's private libvulkan is not the loader", () => {
    expect(check(fakeRoot([VULKAN_LOADER])).stderr).toMatch(/^npm test needs chromium \(.*`sudo apt-get install chromium`/);
    expect(check(fakeRoot([...CHROMIUM_FILES, 'usr/lib/chromium/libvulkan.so.1'])).stderr).toMatch(/^npm test needs libvulkan1 \(.*`sudo apt-get install libvulkan1`/);
    expect(check(fakeRoot(['usr/bin/chromium', VULKAN_LOADER])).stderr, 'chromium without SwiftShader').toMatch(/^npm test needs chromium /);
  });

  it('passes when Chromium, SwiftShader and the Vulkan loader are there (and Dawn finds an adapter)', () => {
    const outcome = check(fakeRoot([...CHROMIUM_FILES, VULKAN_LOADER]));
    expect(outcome.stderr).toBe('');
    expect(outcome.status).toBe(0);
  });
});
