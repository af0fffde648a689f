// The layering rule of docs/architecture.md, checked on the TypeScript sources: no import cycle
// between files (type imports included) and none between the folders of src/. A cycle found
// here is printed as the path that closes it, so the import to move is plain to see.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// dist/test/unit/ -> the repository root.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) files.push(path);
  }
  return files;
}

// `import … from './x.js'`, `import type …`, `export … from`, `import('./x.js')`; comments are stripped first.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Each file under src/ (relative, with .ts) and the src/ files it imports. */
function fileGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const targets = new Set<string>();
    for (const [, spec] of text.matchAll(IMPORT)) {
      const target = resolve(dirname(file), spec!).replace(/\.js$/, '.ts');
      if (target.startsWith(src + '/')) targets.add(relative(src, target));
    }
    graph.set(relative(src, file), [...targets]);
  }
  return graph;
}

/** The top folder of src/ a file belongs to (`protocols/http/httpReply.ts` -> `protocols`). */
const folderOf = (file: string): string => file.split('/')[0]!;

function folderGraph(files: Map<string, string[]>): Map<string, string[]> {
  const graph = new Map<string, Set<string>>();
  for (const [file, targets] of files) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const target of targets) if (folderOf(target) !== from) edges.add(folderOf(target));
  }
  return new Map([...graph].map(([k, v]) => [k, [...v]]));
}

/** One cycle of the graph as a path `a -> b -> a`, or undefined when there is none (depth-first). */
function findCycle(graph: Map<string, string[]>): string | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string | undefined => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next].join(' -> ');
      if (state.get(next) === undefined) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    if (state.get(node) !== undefined) continue;
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

const files = fileGraph();

test('the checker reads the sources and sees a cycle when there is one', () => {
  assert.ok(files.size > 100, `expected the sources under ${src}`);
  assert.ok(files.get('core/imposter.ts')!.includes('core/stub.ts'));
  assert.equal(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]])), 'a -> b -> c -> a');
  assert.equal(findCycle(new Map([['a', ['b']], ['b', []], ['c', ['a', 'b']]])), undefined);
});

test('no import cycle between the files of src/ (type imports included)', () => {
  assert.equal(findCycle(files), undefined);
});

test('no import cycle between the folders of src/', () => {
  assert.equal(findCycle(folderGraph(files)), undefined);
});

test('the contracts module is a leaf: it imports only model/ and logging/ types', () => {
  const imports = files.get('responses/contracts.ts');
  assert.ok(imports, 'src/responses/contracts.ts exists');
  assert.deepEqual(imports.filter((f) => !f.startsWith('model/') && !f.startsWith('logging/')), []);
});

test('the imposter core knows no extension: core/ imports neither rift/ nor imposterConfig/', () => {
  const offending = [...files].filter(([f, targets]) => f.startsWith('core/') && targets.some((t) => /^(rift|imposterConfig)\//.test(t)));
  assert.deepEqual(offending.map(([f]) => f), []);
});
