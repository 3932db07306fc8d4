// Operation types for swarm worker processes in tests (loaded with --operations).
const fs = require('node:fs');
const path = require('node:path');
const { setTimeout, clearTimeout } = require('node:timers');
const { z } = require('zod');

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/**
 * test.count: appends "<op id> <pid>" to executions.log (O_APPEND: whole lines, even from several
 * processes), waits `holdMs`, and, with `gate`, first leaves a marker and waits for the gate file.
 */
module.exports = [
  {
    type: 'test.count',
    params: z.strictObject({ holdMs: z.number().int().min(0).default(0), gate: z.string().optional(), failTimes: z.number().int().optional() }),
    async run(params, ctx) {
      const root = ctx.workspace.root;
      fs.appendFileSync(path.join(root, 'executions.log'), `${ctx.opId} ${process.pid}\n`);
      if (params.gate) {
        fs.writeFileSync(path.join(root, `started-${ctx.opId}-${process.pid}`), '');
        while (!fs.existsSync(path.join(root, params.gate))) await sleep(20, ctx.signal);
      }
      if (params.holdMs > 0) await sleep(params.holdMs, ctx.signal);
      if (params.failTimes !== undefined) {
        const count = fs.readFileSync(path.join(root, 'executions.log'), 'utf8').split('\n').filter((l) => l.startsWith(`${ctx.opId} `)).length;
        if (count <= params.failTimes) throw Object.assign(new Error(`planned failure ${count}`), { code: 'PLANNED_FAILURE' });
      }
      return { pid: process.pid };
    },
  },
];
