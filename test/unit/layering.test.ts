// The layering rule of docs/architecture.md, checked on the TypeScript sources: no import cycle
// between files (type imports included) and none between the folders of src/. A failure lists
// each group of files (or folders) that import each other.
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
    const text = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
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

/** The groups of nodes that reach each other (Tarjan's strongly connected components), larger than one. */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

const files = fileGraph();

test('the checker reads the sources and sees a cycle when there is one', () => {
  assert.ok(files.size > 100, `expected the sources under ${src}`);
  assert.ok(files.get('core/imposter.ts')!.includes('core/stub.ts'));
  assert.deepEqual(
    cycles(
      new Map([
        ['a', ['b']],
        ['b', ['c']],
        ['c', ['a']],
        ['d', ['a']],
      ]),
    ),
    [['a', 'b', 'c']],
  );
  assert.deepEqual(
    cycles(
      new Map([
        ['a', ['b']],
        ['b', []],
        ['c', ['a', 'b']],
      ]),
    ),
    [],
  );
});

test('no import cycle between the files of src/ (type imports included)', () => {
  assert.deepEqual(cycles(files), []);
});

test('no import cycle between the folders of src/', () => {
  assert.deepEqual(cycles(folderGraph(files)), []);
});

/** The `Layers:` line of docs/architecture.md: folders from the top layer down. */
function documentedLayers(): string[][] {
  const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
  const line = /^Layers: (.+)$/m.exec(doc);
  assert.ok(line, 'docs/architecture.md has a line starting "Layers: "');
  return line[1]!.split('→').map((layer) => layer.split(',').map((folder) => folder.trim()));
}

test('each folder imports only from the layers beneath it (the line in docs/architecture.md)', () => {
  const layers = documentedLayers();
  const layerOf = new Map(layers.flatMap((folders, i) => folders.map((folder) => [folder, i] as const)));
  const graph = folderGraph(files);
  assert.deepEqual([...graph.keys()].filter((f) => !layerOf.has(f)).sort(), [], 'folders missing from the Layers line');
  const upward: string[] = [];
  for (const [from, targets] of graph) {
    // Folders of one layer are independent of each other, so only a layer further right will do.
    for (const to of targets) if (layerOf.get(to)! <= layerOf.get(from)!) upward.push(`${from} -> ${to}`);
  }
  assert.deepEqual(upward.sort(), [], 'imports that go up the Layers line or across one layer');
});

test('the contracts are a leaf: they import only types of the folders beneath responses', () => {
  const imports = files.get('contracts/index.ts');
  assert.ok(imports, 'src/contracts/index.ts exists');
  assert.deepEqual(
    imports.filter((f) => !/^(model|logging|injection|templates)\//.test(f)),
    [],
  );
  const text = readFileSync(join(src, 'contracts/index.ts'), 'utf8');
  assert.doesNotMatch(text, /^import (?!type )/m, 'contracts import types only');
});

test('the imposter core knows no extension: core/ imports neither rift/ nor imposterConfig/', () => {
  const offending = [...files].filter(([f, targets]) => f.startsWith('core/') && targets.some((t) => /^(rift|imposterConfig)\//.test(t)));
  assert.deepEqual(
    offending.map(([f]) => f),
    [],
  );
});
