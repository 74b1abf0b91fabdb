/**
 * Worker thread: onnxruntime-web at one thread count (given in workerData;
 * ORT fixes it per JS realm at the first session). It prepares sessions by
 * key, runs them on request and times each run here — creating the input
 * tensors, `session.run`, reading the output — so messaging is not counted.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createOrtCase, describeOrtFailure, loadOrtWeb, ORT_WEB_OPTIONS, type OrtCase } from './ort-runner.js';
import type { OrtWebModel, OrtWebReply, OrtWebRequest, OrtWebWorkerData } from './ort-web-protocol.js';
import { timedRun } from './runner.js';

const { threads } = workerData as OrtWebWorkerData;
const cases = new Map<string, OrtCase>();

async function prepare(model: OrtWebModel): Promise<OrtCase> {
  return createOrtCase(await loadOrtWeb(threads), model.onnx, ORT_WEB_OPTIONS, model.feeds, model.outputName);
}

async function handle(request: OrtWebRequest): Promise<Omit<OrtWebReply & { ok: true }, 'id'>> {
  switch (request.type) {
    case 'prepare':
      cases.set(request.key, await prepare(request));
      return { ok: true };
    case 'run': {
      const ortCase = cases.get(request.key);
      if (!ortCase) throw new Error(`no prepared session '${request.key}'`);
      return { ok: true, ...(await timedRun(() => ortCase.run())) };
    }
    case 'dispose':
      await cases.get(request.key)?.session.release();
      cases.delete(request.key);
      return { ok: true };
    case 'first-result': {
      const start = performance.now();
      const ortCase = await prepare(request);
      await ortCase.run();
      const ms = performance.now() - start;
      await ortCase.session.release();
      return { ok: true, ms };
    }
  }
}

parentPort!.on('message', (request: OrtWebRequest) => {
  handle(request).then(
    (reply) => parentPort!.postMessage({ id: request.id, ...reply } satisfies OrtWebReply),
    (error: unknown) => parentPort!.postMessage({ id: request.id, ok: false, reason: describeOrtFailure(error) } satisfies OrtWebReply),
  );
});
