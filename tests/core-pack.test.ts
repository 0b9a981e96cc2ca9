import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * @scratchnet/core used from another project: `pnpm pack` the built package, install the tarball
 * into a fresh project in the system temp directory (outside the workspace, so nothing resolves
 * through workspace links), then run an ESM consumer, a CommonJS consumer, and `tsc --noEmit`
 * over TypeScript consumers of both entry points (with no @types/node and full lib checking, so
 * the declarations must not lean on Node or DOM types).
 */
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const coreDir = join(repoRoot, 'packages', 'core');
const fixtures = join(repoRoot, 'tests', 'fixtures', 'core-consumer');
const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
let project = '';

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? ''}\n${e.message}`);
  }
}

beforeAll(() => {
  if (!existsSync(join(coreDir, 'dist', 'index.js')) || !existsSync(join(coreDir, 'dist', 'index.cjs'))) {
    throw new Error('packages/core/dist is missing: build first (npx -y pnpm@10 turbo run build --filter=@scratchnet/core)');
  }
  project = mkdtempSync(join(tmpdir(), 'scratchnet-core-consumer-'));
  run('npx', ['-y', 'pnpm@10', 'pack', '--pack-destination', project], coreDir);
  const tarball = readdirSync(project).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`pnpm pack left no tarball in ${project}`);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'core-consumer', private: true, version: '0.0.0' }));
  // A local tarball with no dependencies installs offline.
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--offline', `./${tarball}`], project);
  cpSync(fixtures, project, { recursive: true });
}, 180_000);

afterAll(() => {
  if (project && resolve(project).startsWith(resolve(tmpdir()))) rmSync(project, { recursive: true, force: true });
});

describe('@scratchnet/core from a packed tarball', () => {
  it('is installed outside the workspace, with dist and README but no sources or tests', () => {
    expect(resolve(project).startsWith(repoRoot)).toBe(false);
    const installed = join(project, 'node_modules', '@scratchnet', 'core');
    expect(readdirSync(installed).sort()).toEqual(expect.arrayContaining(['README.md', 'dist', 'package.json']));
    expect(existsSync(join(installed, 'src'))).toBe(false);
  });

  it('runs an ESM consumer (import), training XOR to 100 % with typed errors and a backend', () => {
    const out = JSON.parse(run(process.execPath, ['consumer.mjs'], project));
    expect(out).toMatchObject({ format: 'esm', epochs: 400, accuracy: 1, probabilityShape: [4, 2], unknownActivation: 'UNKNOWN_ACTIVATION' });
    expect(['js', 'wasm']).toContain(out.backend);
  });

  it('runs a CommonJS consumer (require)', () => {
    const out = JSON.parse(run(process.execPath, ['consumer.cjs'], project));
    expect(out).toMatchObject({ format: 'cjs', epochs: 400, accuracy: 1 });
    expect(out.shapeError).toMatch(/input \[1, 3\] does not match the model input \[batch, 2\]/);
  });

  it('type-checks TypeScript consumers of the import and require entries (tsc --noEmit)', () => {
    expect(run(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json'], project)).toBe('');
  });
});
