import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
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

  it.skipIf(!existsSync(new URL('../dist/index.js', import.meta.url)))('built dist/index.js and its chunks import no Node built-in', () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const visit = (file: string, seen: Set<string>) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(new URL(`../dist/${file}`, import.meta.url), 'utf8');
      for (const [, s] of text.matchAll(/(?:import|export)[^'"]*?from\s*["']([^"']+)["']/g)) {
        expect(builtins.has(s), `dist/${file} imports ${s}`).toBe(false);
        if (s.startsWith('./')) visit(s.slice(2), seen);
      }
    };
    const seen = new Set<string>();
    visit('index.js', seen);
    expect(seen.size).toBeGreaterThan(1);
  });
});
