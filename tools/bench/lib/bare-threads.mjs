import { Worker } from 'node:worker_threads';

/**
 * The most two (or n) threads of one process can do with a list of tasks on this machine, for
 * reference beside a pool: bare worker threads that take task numbers from one shared atomic
 * counter and run the export on the payloads they were given at start. Nothing travels per task
 * and no thread ever waits for the main thread, so what separates this from n× inline is the
 * machine itself (cores slowing each other down, other tenants), not dispatch.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const task = require(workerData.module)[workerData.exportName];
parentPort.on('message', (next) => {
  const done = [];
  for (let i = Atomics.add(next, 0, 1); i < workerData.payloads.length; i = Atomics.add(next, 0, 1)) done.push([i, task(workerData.payloads[i])]);
  parentPort.postMessage(done);
});
`;

/** The worker's next message, or its error; listeners are removed either way. */
function nextMessage(worker) {
  return new Promise((resolve, reject) => {
    const onMessage = (value) => {
      worker.off('error', onError);
      resolve(value);
    };
    const onError = (error) => {
      worker.off('message', onMessage);
      reject(error);
    };
    worker.once('message', onMessage).once('error', onError);
  });
}

export async function startBareThreads({ threads, module, exportName, payloads }) {
  const workers = Array.from({ length: threads }, () => new Worker(SOURCE, { eval: true, workerData: { module, exportName, payloads } }));
  await Promise.all(workers.map((worker) => new Promise((resolve, reject) => worker.once('online', resolve).once('error', reject))));
  return {
    /** Runs every payload once; results in payload order. */
    async runAll() {
      const next = new Int32Array(new SharedArrayBuffer(4));
      const parts = await Promise.all(
        workers.map((worker) => {
          const answer = nextMessage(worker);
          worker.postMessage(next);
          return answer;
        }),
      );
      const results = new Array(payloads.length);
      for (const part of parts) for (const [index, value] of part) results[index] = value;
      return results;
    },
    close: () => Promise.all(workers.map((worker) => worker.terminate())),
  };
}
