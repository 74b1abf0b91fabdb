import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'tsup';

/**
 * `<version>+<hash>` over every source file of the compiler and of @ladon/ir
 * (whose op definitions, e.g. element-wise expressions, the compiler lowers):
 * the compiler's build identity (src/version.ts), part of the compile cache's key.
 */
function buildId(): string {
  const hash = createHash('sha256');
  for (const root of ['src', '../ir/src']) {
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts')).sort();
    for (const file of files) hash.update(`${root}/${file}`).update(readFileSync(path.join(root, file)));
  }
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  return `${version}+${hash.digest('hex').slice(0, 16)}`;
}

export default defineConfig({
  // compile-worker.js sits beside index.js: start-compile-worker.ts finds it with new URL('./compile-worker.js', import.meta.url).
  entry: { index: 'src/index.ts', 'compile-worker': 'src/worker/compile-worker.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: false, // the tarballs ship dist/ only; maps without the sources would point nowhere
  clean: true,
  target: 'es2022',
  define: { __LADON_COMPILER_BUILD__: JSON.stringify(buildId()) },
});
