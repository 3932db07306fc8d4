// A bullmq coordinator in a process of its own, so a test can kill it:
// node coordinator.js REDIS_URL DIR RUN_ID PLAN_FILE   (env RECONNECT_FOR_MS: how long to survive a lost Redis)
const fs = require('node:fs');
const path = require('node:path');
const swarm = require('../../../dist/index.js');
const core = require('@sparc/batch-core');

const [url, dir, runId, planFile] = process.argv.slice(2);
const registry = core.createDefaultRegistry();
for (const handler of require(path.join(__dirname, 'count-handler.js'))) registry.register(handler);

swarm
  .runBullmqSwarm(JSON.parse(fs.readFileSync(planFile, 'utf8')), { redis: url, dir, runId, registry, tickMs: 200, leaseMs: 1500, ...(process.env.RECONNECT_FOR_MS ? { reconnectForMs: Number(process.env.RECONNECT_FOR_MS) } : {}) })
  .then((report) => process.stdout.write(`${JSON.stringify(report)}\n`))
  .catch((error) => {
    process.stderr.write(`${error.code ?? ''} ${error.message}\n`);
    process.exitCode = 1;
  });
