import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * A full collection before each timed sample, so garbage left by one side is not paid for by the
 * next one. `npm run bench` starts node without --expose-gc, so the flag is switched on here.
 */
let collect;

export function forceGc() {
  // `run.mjs --no-gc` measures without it (see there why both views are reported).
  if (process.env.BENCH_FORCE_GC === '0') return;
  if (!collect) {
    if (typeof globalThis.gc === 'function') {
      collect = globalThis.gc;
    } else {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc');
    }
  }
  collect();
}
