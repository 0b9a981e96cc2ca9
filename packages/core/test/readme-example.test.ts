import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tmpDir = `${packageDir}.scratchnet-tmp`;
const examplePath = `${tmpDir}/readme-example.ts`;

afterAll(() => rmSync(examplePath, { force: true }));

describe('README example', () => {
  it('runs as written (against the package source) and learns its task', async () => {
    const readme = readFileSync(`${packageDir}README.md`, 'utf8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toHaveLength(1);
    const source = blocks[0].replace("from '@scratchnet/core'", `from ${JSON.stringify(`${packageDir}src/index.ts`)}`);
    expect(source).not.toContain('@scratchnet/core');
    mkdirSync(tmpDir, { recursive: true });
    writeFileSync(examplePath, source);
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    try {
      await import(pathToFileURL(examplePath).href);
    } finally {
      log.mockRestore();
    }
    expect(lines.filter((l) => l.startsWith('epoch '))).toHaveLength(5);
    const accuracy = Number(/^accuracy ([\d.]+)/.exec(lines.find((l) => l.startsWith('accuracy ')) ?? '')?.[1]);
    expect(accuracy).toBeGreaterThan(0.95);
    expect(lines[lines.length - 1]).toBe('5 2,10');
  });
});
