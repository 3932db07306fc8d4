/** The help texts of `sparc swarm` and its subcommands. */
export const HELP = `Usage: sparc swarm run|worker|status [options]

Agents with types and capabilities work through a plan of tasks (batches, operations, mode runs),
in one process (--backend local, the default) or on worker processes on any number of machines
(--backend bullmq, through Redis).

Subcommands:
  run --plan FILE    run a plan and print its report
  worker --redis URL take tasks from Redis until stopped (Ctrl-C or SIGTERM)
  status [RUN]       a run's report, finished or not; without RUN, the runs known

Run "sparc swarm SUBCOMMAND --help" for its options. Several machines: packages/swarm/README.md.
`;

export const RUN_HELP = `Usage: sparc swarm run --plan FILE [--dir DIR] [--backend local|bullmq] [--redis URL]
                       [--topology T] [--run-id ID] [--json]
       sparc swarm run --resume RUN --redis URL [--dir DIR] [--json]

Runs a plan: { "topology"?, "agents": [{ "type", "count"?, "capabilities"?, "concurrency"? }],
"tasks": [{ "id", "capability", "batch" | "operation" | "mode": { "name", "options"? }, "dependsOn"?,
"priority"?, "retry"?, "timeoutMs"? }] } or "components": [{ "name", "modes", "agents"? }].
Topologies: mesh (shared queue per capability), hierarchical (a coordinator per group), star (the
least-loaded agent), ring (stages keep arrival order). Plan format: packages/swarm/README.md.

Options:
  --plan FILE             the plan (JSON)
  --dir DIR               workspace the tasks work on (default: current directory); local runs
                          keep their state in DIR/.sparc/swarm/<run>/
  --backend local|bullmq  in this process (default), or queued on Redis for "sparc swarm worker"s
  --redis URL             Redis for bullmq (redis://host:port[/db]); runs, results and agents live there
  --prefix P              key prefix shared with the workers (default: sparc)
  --topology T            mesh, hierarchical, star or ring (overrides the plan)
  --run-id ID             name the run (default: a time-based id)
  --resume RUN            bullmq: pick up a run whose coordinator stopped; finished tasks stay finished
  --json                  print { runId, status, tasks, agents, metrics } as one JSON document
  -h, --help              show this help

Exit codes: 0 every task succeeded, 1 a task failed or Redis cannot be reached, 2 invalid
arguments or plan (nothing ran).
`;

export const WORKER_HELP = `Usage: sparc swarm worker --redis URL [--dir DIR] [--agents N] [--types a,b] [options]

Starts N agents in this process that take tasks of bullmq swarm runs from Redis, until Ctrl-C or
SIGTERM (a second one quits at once). Start as many workers, on as many machines, as you like:
each needs the same workspace contents at DIR and the same Redis. A worker that dies mid-task
has the task retried on another one.

Options:
  --redis URL              Redis (redis://host:port[/db]; rediss:// for TLS)
  --dir DIR                workspace the tasks work on (default: current directory)
  --agents N               agents in this worker (default 1)
  --types a,b              agent types, given to the agents in turn (default coder)
  --capabilities a,b       extra capabilities of every agent (each has its type already)
  --concurrency N          tasks each agent runs at once (default 1)
  --prefix P               key prefix shared with the coordinator (default: sparc)
  --lock-duration MS       how long a task's lock lasts without renewal; a dead worker's task is
                           taken over after this (default 30000)
  --stalled-interval MS    how often to look for tasks of dead workers (default 15000)
  --heartbeat MS           how often the worker says it is alive (default 2000)
  --json                   on exit, print the worker's agents and counters as JSON
  -h, --help               show this help

Exit codes: 0 stopped by a signal, 1 Redis unreachable or lost, 2 invalid arguments.
`;

export const STATUS_HELP = `Usage: sparc swarm status [RUN] [--dir DIR | --redis URL] [--json]

A run's report: tasks, agents and metrics, whether the run finished, is running, or stopped
part-way (interrupted). Local runs are read from DIR/.sparc/swarm/, bullmq runs from Redis.
Without RUN, lists the runs.

Options:
  --dir DIR      workspace of a local run (default: current directory)
  --redis URL    Redis of a bullmq run
  --prefix P     key prefix (default: sparc)
  --json         print one JSON document
  -h, --help     show this help
`;
