/**
 * The service the tests start: a small node HTTP server configured through its environment, so
 * each test describes the behaviour it needs in its manifest.
 *   PORT            port to listen on (127.0.0.1)
 *   ROUTES          JSON: { "GET /pets": { "status": 200, "type": "application/json", "body": ... } }
 *                   (a string body is sent as is, anything else as JSON)
 *   PID_FILE        writes its pid there once listening (and the child's pid to PID_FILE.child)
 *   START_DELAY_MS  listens only after this long
 *   HEALTHY_AFTER_MS  /health answers 503 until this long after listening
 *   NEVER_HEALTHY   /health always answers 503
 *   EXIT_AT_ONCE    writes this to stderr and exits with code 3 before listening
 *   REQUIRE_URL     fetched before listening; when it does not answer 2xx: message on stderr, exit 4
 *   STARTED_FILE    appends "<name> <Date.now()>\n" when listening (start order)
 *   SPAWN_CHILD     starts a child process that sleeps (same process group) and records its pid
 *   IGNORE_TERM     ignores SIGTERM (only SIGKILL stops it)
 * A route with "resetFirst": n drops the connection of its first n requests without answering.
 */
export const SERVICE_SCRIPT = String.raw`
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const { spawn } = require('node:child_process');
const env = process.env;
if (env.IGNORE_TERM) process.on('SIGTERM', () => {});
if (env.EXIT_AT_ONCE) {
  process.stderr.write(env.EXIT_AT_ONCE + '\n');
  process.exit(3);
}
const routes = JSON.parse(env.ROUTES || '{}');
let listeningAt = 0;
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const path = req.url.split('?')[0];
    if (path === '/health') {
      const healthy = !env.NEVER_HEALTHY && Date.now() - listeningAt >= Number(env.HEALTHY_AFTER_MS || 0);
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' });
      return res.end(healthy ? 'ok' : 'starting');
    }
    const route = routes[req.method + ' ' + path];
    if (route && route.resetFirst > 0) {
      route.resetFirst--;
      return req.socket.destroy();
    }
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ code: 404, message: 'no route ' + req.method + ' ' + path }));
    }
    const body = typeof route.body === 'string' ? route.body : route.body === undefined ? '' : JSON.stringify(route.body);
    const headers = route.type ? { 'content-type': route.type } : {};
    setTimeout(() => {
      res.writeHead(route.status || 200, headers);
      res.end(body);
    }, route.delayMs || 0);
  });
});
async function main() {
  if (env.REQUIRE_URL) {
    let ok = false;
    try {
      ok = (await fetch(env.REQUIRE_URL)).ok;
    } catch (error) {
      process.stderr.write('dependency unreachable: ' + error.message + '\n');
    }
    if (!ok) {
      process.stderr.write('required ' + env.REQUIRE_URL + ' is not up\n');
      process.exit(4);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, Number(env.START_DELAY_MS || 0)));
  if (env.SPAWN_CHILD) {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    if (env.PID_FILE) fs.writeFileSync(env.PID_FILE + '.child', String(child.pid));
  }
  server.listen(Number(env.PORT), '127.0.0.1', () => {
    listeningAt = Date.now();
    if (env.PID_FILE) fs.writeFileSync(env.PID_FILE, String(process.pid));
    if (env.STARTED_FILE) fs.appendFileSync(env.STARTED_FILE, (env.SERVICE_NAME || '?') + ' ' + Date.now() + '\n');
  });
}
main();
`;
