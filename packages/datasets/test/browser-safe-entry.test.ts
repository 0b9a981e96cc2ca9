import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const srcDir = resolve(__dirname, '..', 'src');
const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Every module reachable from a file through relative imports, with the bare specifiers each imports. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string) => {
    if (graph.has(file)) return;
    const source = readFileSync(file, 'utf8');
    const specifiers = [...source.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
    graph.set(file, specifiers.filter((s) => !s.startsWith('.')));
    for (const s of specifiers.filter((s) => s.startsWith('.'))) visit(resolve(dirname(file), s.replace(/\.js$/, '.ts')));
  };
  visit(entry);
  return graph;
}

describe('the "." entry is browser-safe', () => {
  it('reaches no Node built-in (node:fs, zlib, crypto …) through any import', () => {
    const graph = importGraph(resolve(srcDir, 'index.ts'));
    expect(graph.size).toBeGreaterThan(8);
    const offenders = [...graph].flatMap(([file, bare]) => bare.filter((s) => nodeBuiltins.has(s)).map((s) => `${file}: ${s}`));
    expect(offenders).toEqual([]);
    // Sanity check of the walker itself: the Node entry does reach node: modules.
    const nodeGraph = importGraph(resolve(srcDir, 'node.ts'));
    expect([...nodeGraph.values()].flat()).toContain('node:zlib');
  });
});
