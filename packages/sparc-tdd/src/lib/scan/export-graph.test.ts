import { ExportGraph } from './export-graph';
import type { FileFacts } from './facts';
import { ModuleResolver } from './resolve';

function graphOf(facts: FileFacts[]): ExportGraph {
  const byFile = new Map(facts.map((f) => [f.file, f]));
  return new ExportGraph(byFile, new ModuleResolver(byFile.keys()));
}

const local = (name: string, line = 1) => ({ type: 'local' as const, name, line, kind: 'const' as const });

describe('ExportGraph', () => {
  it('follows renames and stars to the declaration, never forwarding default through a star', () => {
    const graph = graphOf([
      { file: 'a.ts', exports: [local('x'), local('default')], imports: [], errors: [] },
      { file: 'b.ts', exports: [{ type: 'star', from: './a' }, { type: 're-export', name: 'y', from: './a', imported: 'x' }], imports: [], errors: [] },
      { file: 'c.ts', exports: [{ type: 'star', from: './b' }], imports: [], errors: [] },
    ]);
    expect(graph.declarationsOf('c.ts', 'x')).toEqual(['a.ts#x']);
    expect(graph.declarationsOf('c.ts', 'y')).toEqual(['a.ts#x']);
    expect(graph.declarationsOf('c.ts', 'default')).toEqual([]);
    expect([...graph.exportedNames('c.ts')].sort()).toEqual(['x', 'y']);
  });

  it('lets a module’s own export shadow a starred one of the same name', () => {
    const graph = graphOf([
      { file: 'a.ts', exports: [local('x')], imports: [], errors: [] },
      { file: 'b.ts', exports: [{ type: 'star', from: './a' }, local('x', 3)], imports: [], errors: [] },
    ]);
    expect(graph.declarationsOf('b.ts', 'x')).toEqual(['b.ts#x']);
  });

  it('expands a namespace re-export to every declaration of its module', () => {
    const graph = graphOf([
      { file: 'a.ts', exports: [local('x'), local('y')], imports: [], errors: [] },
      { file: 'index.ts', exports: [{ type: 'namespace', name: 'ns', from: './a', line: 1 }], imports: [], errors: [] },
    ]);
    expect([...graph.declarationsOf('index.ts', 'ns')].sort()).toEqual(['a.ts#x', 'a.ts#y']);
    expect(graph.everyDeclarationOf('index.ts').sort()).toEqual(['a.ts#x', 'a.ts#y']);
  });

  it('ends at barrels that star-export each other instead of looping', () => {
    const graph = graphOf([
      { file: 'a.ts', exports: [{ type: 'star', from: './b' }, local('fromA')], imports: [], errors: [] },
      { file: 'b.ts', exports: [{ type: 'star', from: './a' }, local('fromB')], imports: [], errors: [] },
    ]);
    expect(graph.declarationsOf('a.ts', 'fromB')).toEqual(['b.ts#fromB']);
    expect(graph.declarationsOf('a.ts', 'nothing')).toEqual([]);
    expect([...graph.exportedNames('a.ts')].sort()).toEqual(['fromA', 'fromB']);
  });
});
