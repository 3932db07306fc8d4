import { makeWorkspace } from '../../__tests__/support/workspace';
import { discoverSuites } from './discover';

describe('discoverSuites', () => {
  it('prefers --suites, then tdd.suites of sparc.config.json', async () => {
    const ws = await makeWorkspace({
      'sparc.config.json': JSON.stringify({ tdd: { suites: { unit: 'packages/a', e2e: 'npm run e2e', jest: 'npx jest --selectProjects api', custom: { cwd: 'packages/a', config: 'jest.unit.js' } } } }),
      'packages/a/jest.config.js': 'module.exports = {};',
      'packages/b/jest.config.json': '{}',
    });
    try {
      expect((await discoverSuites(ws.workspace, ['b=packages/b/jest.config.json'])).suites).toEqual([
        { kind: 'jest', name: 'b', cwd: 'packages/b', config: 'jest.config.json', args: [], source: 'option' },
      ]);
      const fromConfig = await discoverSuites(ws.workspace, []);
      expect(fromConfig.from).toBe('sparc.config.json tdd.suites');
      expect(fromConfig.suites).toEqual([
        { kind: 'jest', name: 'unit', cwd: 'packages/a', args: [], source: 'config' },
        { kind: 'command', name: 'e2e', cwd: '', command: 'npm run e2e', source: 'config' },
        { kind: 'jest', name: 'jest', cwd: '', args: ['--selectProjects', 'api'], source: 'config' },
        { kind: 'jest', name: 'custom', cwd: 'packages/a', config: 'jest.unit.js', args: [], source: 'config' },
      ]);
    } finally {
      await ws.cleanup();
    }
  });

  it('finds one suite per workspace project: Nx test targets, jest configs, test scripts', async () => {
    const ws = await makeWorkspace({
      'package.json': JSON.stringify({ name: 'mono', workspaces: ['packages/*', 'apps/*'] }),
      'nx.json': '{}',
      'packages/core/package.json': JSON.stringify({ name: '@x/core' }),
      'packages/core/jest.config.ts': 'export default {};',
      'packages/cli/package.json': JSON.stringify({ name: '@x/cli', scripts: { test: 'jest --ci' } }),
      'packages/legacy/package.json': JSON.stringify({ name: 'legacy', scripts: { test: 'mocha' } }),
      'packages/none/package.json': JSON.stringify({ name: 'none', scripts: { test: 'echo "Error: no test specified" && exit 1' } }),
      'apps/web/project.json': JSON.stringify({ name: 'web', targets: { test: { executor: '@nx/jest:jest', options: { jestConfig: 'apps/web/jest.config.ts' } } } }),
      'tools/gen/project.json': JSON.stringify({ name: 'gen', targets: { test: { executor: 'nx:run-commands', options: { command: 'node check.js' } } } }),
    });
    try {
      const found = await discoverSuites(ws.workspace, []);
      expect(found.from).toBe('workspace projects');
      expect(found.suites).toEqual([
        { kind: 'jest', name: 'web', cwd: 'apps/web', config: 'jest.config.ts', args: [], source: 'nx-project' },
        { kind: 'jest', name: 'cli', cwd: 'packages/cli', args: ['--ci'], source: 'package-script' },
        { kind: 'jest', name: 'core', cwd: 'packages/core', config: 'jest.config.ts', args: [], source: 'jest-config' },
        { kind: 'command', name: 'legacy', cwd: 'packages/legacy', command: 'npm test', source: 'package-script' },
        { kind: 'command', name: 'gen', cwd: 'tools/gen', command: 'node check.js', source: 'nx-project' },
      ]);
    } finally {
      await ws.cleanup();
    }
  });

  it('splits a root jest config into its projects, else runs it as one suite, and says when there is nothing', async () => {
    const ws = await makeWorkspace({
      'jest.config.js': "module.exports = { projects: ['<rootDir>/libs/*', { displayName: 'inline', testMatch: ['**/x.test.js'] }] };",
      'libs/one/jest.config.js': 'module.exports = {};',
      'libs/two/placeholder.txt': '',
    });
    try {
      expect((await discoverSuites(ws.workspace, [])).suites).toEqual([
        { kind: 'jest', name: 'one', cwd: 'libs/one', config: 'jest.config.js', args: [], source: 'jest-projects' },
        { kind: 'jest', name: 'two', cwd: 'libs/two', args: [], source: 'jest-projects' },
        { kind: 'jest', name: 'inline', cwd: '', config: 'jest.config.js', args: ['--selectProjects', 'inline'], source: 'jest-projects' },
      ]);
      await ws.write('jest.config.js', "module.exports = { testEnvironment: 'node' };");
      expect((await discoverSuites(ws.workspace, [])).suites).toEqual([{ kind: 'jest', name: 'root', cwd: '', config: 'jest.config.js', args: [], source: 'jest-config' }]);
      await ws.workspace.deletePath('jest.config.js');
      await expect(discoverSuites(ws.workspace, [])).rejects.toMatchObject({ code: 'TDD_NO_SUITES' });
    } finally {
      await ws.cleanup();
    }
  });

  it('reads tdd.suites from a CommonJS sparc.config.cjs, and sees edits to it', async () => {
    const ws = await makeWorkspace({ 'sparc.config.cjs': "module.exports = { tdd: { suites: { unit: 'npm run unit' } } };" });
    try {
      expect((await discoverSuites(ws.workspace, [])).suites).toEqual([{ kind: 'command', name: 'unit', cwd: '', command: 'npm run unit', source: 'config' }]);
      await ws.write('sparc.config.cjs', "module.exports = { tdd: { suites: { all: 'jest --ci' } } };");
      expect((await discoverSuites(ws.workspace, [])).suites).toEqual([{ kind: 'jest', name: 'all', cwd: '', args: ['--ci'], source: 'config' }]);
    } finally {
      await ws.cleanup();
    }
  });

  it('names the bad field of a tdd section', async () => {
    const ws = await makeWorkspace({ 'sparc.config.json': JSON.stringify({ tdd: { suites: { 'bad name!': 'x' } } }) });
    try {
      await expect(discoverSuites(ws.workspace, [])).rejects.toMatchObject({ code: 'TDD_BAD_CONFIG', message: expect.stringMatching(/sparc.config.json: tdd.suites/) });
    } finally {
      await ws.cleanup();
    }
  });
});
