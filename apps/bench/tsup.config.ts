import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/main.ts', 'src/ort-web-worker.ts', 'src/ort-long-context-worker.ts', 'src/start-up-child.ts'],
  format: ['esm'],
  dts: false,
  clean: true,
  target: 'node20',
  // The peers and Ladon's packages load from node_modules (their wasm files sit beside their JS).
  external: ['onnxruntime-web', 'onnxruntime-node', /^@tensorflow\//, /^@ladon\//],
});
