/*
 * Child process for the crash tests: stages a transaction over the tree the test prepared
 * (creates, updates, deletes, a moved file, a removed folder and new folders) and commits it,
 * killing itself with SIGKILL at the requested phase (`none`: never). The tests run it compiled
 * (see __tests__/compile-for-child.ts); by hand it runs on the TypeScript sources with
 * `node -r ts-node/register/transpile-only crash-commit.js <root> <phase> <index>`.
 */
const { Workspace } = require('../workspace');

async function main() {
  const [root, killPhase, killIndex] = process.argv.slice(2);
  const workspace = await Workspace.open(root);
  const txn = workspace.transaction({ concurrency: 4 });
  await txn.writeFile('src/a.ts', 'export const a = 2;\n');
  await txn.editFile('lib/util/c.ts', [{ old: 'old c', new: 'new c' }]);
  await txn.writeFile('src/new.ts', 'export const fresh = true;\n');
  await txn.writeFile('fresh/deep/n.ts', 'export const n = 1;\n');
  await txn.deletePath('docs/readme.md');
  await txn.deletePath('gone', { recursive: true });
  await txn.movePath('src/b.ts', 'moved/b.ts');
  await txn.commit({
    onPhase(phase, detail) {
      if (phase === killPhase && (detail === undefined || detail.index === Number(killIndex))) process.kill(process.pid, 'SIGKILL');
    },
  });
  process.stdout.write('committed\n');
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(3);
});
