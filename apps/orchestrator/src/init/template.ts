import { servicePort } from './project-name';

export interface TemplateFile {
  /** Workspace-relative, posix separators. */
  path: string;
  content: string;
}

/** The swarm plan `sparc init` writes (`sparc swarm run --plan sparc.swarm.json`). */
export const SWARM_PLAN_FILE = 'sparc.swarm.json';

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function packageJson(name: string): string {
  return json({
    name,
    version: '0.1.0',
    private: true,
    description: `${name}: a workspace made by "sparc init"`,
    scripts: {
      build: 'tsc -p tsconfig.json',
      typecheck: 'tsc -p tsconfig.json --noEmit',
      start: 'node -r ts-node/register/transpile-only src/main.ts',
      test: 'jest',
    },
    dependencies: { zod: '^4.1.12' },
    devDependencies: {
      '@types/jest': '^30.0.0',
      '@types/node': '^20.19.0',
      jest: '^30.2.0',
      'ts-jest': '^29.4.15',
      'ts-node': '^10.9.2',
      typescript: '~5.9.3',
    },
  });
}

const TSCONFIG = json({
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'commonjs',
    moduleResolution: 'node',
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    outDir: 'dist',
    rootDir: 'src',
    types: ['node', 'jest'],
  },
  include: ['src/**/*.ts'],
});

const JEST_CONFIG = `/** ts-jest compiles the TypeScript sources and tests; type errors are tsc's job (npm run typecheck). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  transform: { '^.+\\\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
`;

const GITIGNORE = `node_modules/
dist/
coverage/
.sparc/
`;

const SLUGIFY = `/**
 * The lower-case words of \`text\` joined by "-", for URLs and file names:
 * "Hello, World!" → "hello-world". Accents are dropped ("Crème" → "creme").
 */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\\u0300-\\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
`;

const SLUGIFY_TEST = `import { slugify } from './slugify';

describe('slugify', () => {
  it('joins the lower-case words with dashes', () => {
    expect(slugify('Hello, World!')).toBe('hello-world');
  });

  it('drops accents', () => {
    expect(slugify('Crème brûlée')).toBe('creme-brulee');
  });

  it('gives an empty slug for text without letters or digits', () => {
    expect(slugify('¿?!')).toBe('');
  });
});
`;

function spec(name: string): string {
  const port = servicePort(name);
  return json({
    name,
    version: '0.1.0',
    description: `${name}: notes with tags, over HTTP.`,
    entities: [
      {
        name: 'Note',
        description: 'A short text a user keeps.',
        fields: ['title:string', 'body?:string', 'tags?:string[]', 'pinned:boolean'],
      },
    ],
    services: [
      {
        name: 'api',
        start: 'node -r ts-node/register/transpile-only src/main.ts',
        env: { PORT: String(port), HOST: '127.0.0.1' },
        url: `http://127.0.0.1:${port}`,
        health: '/health',
        expectStatus: 200,
        readinessTimeoutMs: 20000,
        openapi: 'src/openapi.json',
        probes: [
          { method: 'GET', path: '/notes', expectStatus: 200, maxMs: 1000 },
          { method: 'POST', path: '/notes', body: { title: 'First note', pinned: false }, expectStatus: 201, maxMs: 1000 },
          { method: 'POST', path: '/notes', body: { title: 42 }, expectStatus: 400, maxMs: 1000 },
        ],
      },
    ],
    requirements: [
      {
        id: 'NOTE-1',
        entity: 'Note',
        text: 'A user can keep notes and list them page by page.',
        acceptance: ['A valid note is created and can be read back by its id', 'A note without a title is refused with a validation error', 'The list is paged with offset and limit'],
      },
    ],
    targets: { src: 'src' },
  });
}

/** A pipeline for quick checks beside the default SPARC pipeline (`sparc run --pipeline check`). */
const CONFIG = json({
  pipelines: {
    check: {
      description: 'Spec and quality checks, no code generation',
      stages: [
        { name: 'specification', modes: ['spec'] },
        { name: 'quality', modes: ['security-review', 'optimization'] },
      ],
    },
  },
  modes: [],
  defaults: {},
});

/** The plan format of `sparc swarm run --plan FILE`. */
const SWARM_PLAN = json({
  topology: 'mesh',
  agents: [
    { type: 'architect', count: 1 },
    { type: 'reviewer', count: 1 },
    { type: 'tester', count: 2 },
  ],
  tasks: [
    { id: 'architecture', capability: 'architect', mode: { name: 'architect', options: {} } },
    {
      id: 'todo-scan',
      capability: 'reviewer',
      batch: { operations: [{ id: 'todos', type: 'search.grep', params: { pattern: 'TODO', include: ['src/**/*.ts'] } }] },
    },
    {
      id: 'tests',
      capability: 'tester',
      operation: { id: 'jest', type: 'exec', params: { command: 'npx', args: ['jest', '--ci'] } },
      dependsOn: ['architecture'],
    },
  ],
});

function readme(name: string): string {
  return `# ${name}

Made by \`sparc init\`. After \`npm install\`:

- \`npm test\`: the tests (jest with ts-jest)
- \`npm run typecheck\`: TypeScript, no output
- \`sparc run\`: the SPARC pipeline on \`sparc.spec.json\`; it generates the \`Note\` modules, their tests,
  \`src/app.ts\` and \`src/main.ts\`, then starts the \`api\` service and checks it
- \`sparc run --pipeline check\`: the spec and quality checks of \`sparc.config.json\`
- \`sparc swarm run --plan ${SWARM_PLAN_FILE}\`: the tasks of the swarm plan

Reports go to \`.sparc/reports/<run-id>/\`.
`;
}

/** Every file of a new workspace named `name`, in the order they are listed to the user. */
export function projectFiles(name: string): TemplateFile[] {
  return [
    { path: 'package.json', content: packageJson(name) },
    { path: 'tsconfig.json', content: TSCONFIG },
    { path: 'jest.config.js', content: JEST_CONFIG },
    { path: '.gitignore', content: GITIGNORE },
    { path: 'README.md', content: readme(name) },
    { path: 'src/slugify.ts', content: SLUGIFY },
    { path: 'src/slugify.test.ts', content: SLUGIFY_TEST },
    { path: 'sparc.spec.json', content: spec(name) },
    { path: 'sparc.config.json', content: CONFIG },
    { path: SWARM_PLAN_FILE, content: SWARM_PLAN },
  ];
}
