import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root (tests/reliability/helpers → ../../..). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A child-process script under tests/reliability/children. */
export function childScript(name: string): string {
  return join(repoRoot, 'tests', 'reliability', 'children', name);
}

/** The built CLI entry, run as a subprocess exactly as a user would. */
export const cliBin = join(repoRoot, 'packages', 'cli', 'bin', 'scratchnet-cli.js');

/** A fresh temporary directory. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `scratchnet-reliability-${prefix}-`));
}
