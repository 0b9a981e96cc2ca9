import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const src = new URL('../src/', import.meta.url);

/** Every source file the "." entry reaches through relative imports. */
function reachableFrom(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(new URL(file, src), 'utf8');
    const specifiers = [...text.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'/g)].map((m) => m[1]);
    seen.set(file, specifiers);
    for (const s of specifiers) if (s.startsWith('./')) visit(s.slice(2).replace(/\.js$/, '.ts'));
  };
  visit(entry);
  return seen;
}

describe('the "." entry', () => {
  it('imports nothing Node-only, so it bundles for browsers and workers', () => {
    const graph = reachableFrom('index.ts');
    expect(graph.size).toBeGreaterThan(10);
    for (const [file, specifiers] of graph) {
      for (const s of specifiers) {
        expect(s.startsWith('./') || s === 'zod' || s === '@scratchnet/core', `${file} imports ${s}`).toBe(true);
      }
      expect(readFileSync(new URL(file, src), 'utf8'), file).not.toMatch(/\b(process|Buffer|require)\s*[.(]/);
    }
    expect(graph.has('node.ts')).toBe(false);
    expect(graph.has('atomic-write.ts')).toBe(false);
  });
});
