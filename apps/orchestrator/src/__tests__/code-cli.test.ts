import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { makeWorkspace, runCli } from '../cli/__tests__/run-cli';

/** Every file under `dir` (leaving out .sparc/, where journals and reports live) with its content. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (at: string): Promise<void> => {
    for (const entry of await fsp.readdir(at, { withFileTypes: true })) {
      const abs = path.join(at, entry.name);
      const rel = path.relative(dir, abs).split(path.sep).join('/');
      if (rel === '.sparc') continue;
      if (entry.isDirectory()) await walk(abs);
      else out[rel] = await fsp.readFile(abs, 'utf8');
    }
  };
  await walk(dir);
  return out;
}

describe('sparc code (CLI, built bin)', () => {
  let ws: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ ws, cleanup } = await makeWorkspace());
  });
  afterEach(() => cleanup());

  const crud = ['code', 'generate', 'crud', '--entity', 'TodoItem', '--fields', 'title:string,done:boolean,dueAt?:date'];

  it('generate crud --dry-run prints unified diffs on stdout and writes nothing', () => {
    const run = runCli([...crud, '--dir', ws, '--dry-run']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--- /dev/null\n+++ b/src/todo-item/todo-item.schema.ts\n');
    expect(run.stdout).toContain('+export const CreateTodoItemSchema = z.strictObject({\n');
    return expect(fsp.readdir(ws)).resolves.toEqual([]);
  });

  it('generate crud --json lists the files; a conflict on the next run exits 1 with nothing written', async () => {
    const first = runCli([...crud, '--dir', ws, '--json']);
    expect(first.status).toBe(0);
    const data = JSON.parse(first.stdout) as { status: string; created: string[]; updated: string[]; unchanged: string[]; skipped: string[] };
    expect(data.status).toBe('passed');
    expect(data.created).toContain('src/todo-item/todo-item.service.ts');
    expect(data.created).toHaveLength(9);

    await fsp.writeFile(path.join(ws, 'src/todo-item/todo-item.http.ts'), '// changed by hand\n');
    const before = await tree(ws);
    const second = runCli(['code', 'generate', 'crud', '--entity', 'TodoItem', '--fields', 'title:string,done:boolean,dueAt?:date,tags:string[]', '--dir', ws, '--json']);
    expect(second.status).toBe(1);
    const conflict = JSON.parse(second.stdout) as { status: string; conflicts: string[]; committed: boolean };
    expect(conflict.status).toBe('failed');
    expect(conflict.conflicts).toContain('src/todo-item/todo-item.http.ts');
    expect(conflict.committed).toBe(false);
    expect(await tree(ws)).toEqual(before);
  });

  it('generate --spec generates every entity with src/app.ts, src/main.ts and src/openapi.json', async () => {
    const spec = { name: 'demo', entities: [{ name: 'Order', fields: ['total:number'] }, { name: 'Customer', fields: ['email:string'] }] };
    await fsp.writeFile(path.join(ws, 'sparc.spec.json'), JSON.stringify(spec));
    const run = runCli(['code', 'generate', '--spec', 'sparc.spec.json', '--dir', ws, '--json']);
    expect(run.status).toBe(0);
    const data = JSON.parse(run.stdout) as { entities: string[]; created: string[] };
    expect(data.entities).toEqual(['Order', 'Customer']);
    expect(data.created).toEqual(expect.arrayContaining(['src/app.ts', 'src/main.ts', 'src/errors.ts', 'src/openapi.json', 'src/order/order.http.ts', 'src/customer/customer.http.ts']));
    expect(data.created).toHaveLength(20);
    expect(await fsp.readFile(path.join(ws, 'src/app.ts'), 'utf8')).toContain('createCustomerRouter(services.customer ?? new CustomerService())');
  });

  it('transform: a throw on one file exits 1, names the file and writes nothing', async () => {
    const files: Record<string, string> = { 'codemods/rename.cjs': "module.exports = (f) => { if (f.path.endsWith('f3.ts')) throw new Error('boom'); return f.source.replace('a', 'b'); };\n" };
    for (let i = 1; i <= 5; i++) files[`src/f${i}.ts`] = `export const a${i} = 'a';\n`;
    for (const [file, content] of Object.entries(files)) {
      await fsp.mkdir(path.dirname(path.join(ws, file)), { recursive: true });
      await fsp.writeFile(path.join(ws, file), content);
    }
    const before = await tree(ws);
    const run = runCli(['code', 'transform', '--dir', ws, '--transform', 'codemods/rename.cjs', '--glob', 'src/*.ts']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('transform failed on src/f3.ts: boom');
    expect(await tree(ws)).toEqual(before);

    const rest = runCli(['code', 'transform', '--dir', ws, '--transform', 'codemods/rename.cjs', '--glob', 'src/*.ts', '--continue-on-error', '--json']);
    expect(rest.status).toBe(0);
    expect(JSON.parse(rest.stdout)).toMatchObject({ status: 'warning', updated: ['src/f1.ts', 'src/f2.ts', 'src/f4.ts', 'src/f5.ts'], failures: [{ path: 'src/f3.ts', message: 'boom' }] });
  });

  it('modify with a wrong --expect exits 1; template variables that fail their schema exit 2', async () => {
    await fsp.mkdir(path.join(ws, 'src'));
    await fsp.writeFile(path.join(ws, 'src/a.ts'), 'oldName(); oldName();\n');
    const modify = runCli(['code', 'modify', '--dir', ws, '--glob', 'src/**/*.ts', '--find', 'oldName', '--replace', 'newName', '--expect', '1']);
    expect(modify.status).toBe(1);
    expect(modify.stdout).toContain('expected 1 replacement, found 2');
    expect(await fsp.readFile(path.join(ws, 'src/a.ts'), 'utf8')).toBe('oldName(); oldName();\n');

    await fsp.mkdir(path.join(ws, '.sparc/templates/note/files'), { recursive: true });
    await fsp.writeFile(path.join(ws, '.sparc/templates/note/schema.cjs'), 'module.exports = (z) => z.object({ title: z.string().min(3) });\n');
    await fsp.writeFile(path.join(ws, '.sparc/templates/note/files/{{title}}.md.hbs'), '# {{title}}\n');
    const template = runCli(['code', 'generate', 'note', '--dir', ws, '--vars', '{"title":"ab"}']);
    expect(template.status).toBe(2);
    expect(template.stdout + template.stderr).toContain('variable "title"');
    const ok = runCli(['code', 'generate', 'note', '--dir', ws, '--vars', '{"title":"hello"}']);
    expect(ok.status).toBe(0);
    expect(await fsp.readFile(path.join(ws, 'hello.md'), 'utf8')).toBe('# hello\n');
  });
});
