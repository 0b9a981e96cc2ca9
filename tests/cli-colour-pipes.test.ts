/**
 * CLI manners on the terminal side: colour only where it belongs (NO_COLOR, FORCE_COLOR,
 * TERM=dumb), and a quiet exit when the reader of a pipe goes away (`| head -1`).
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, type Harness, runCli, startHarness } from './cli-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const tiny = await runCli(h, ['train', '--dataset', 'tiny', '--arch', '784-8-5', '--epochs', '1', '--batch-size', '16', '--out', 'tiny.safetensors']);
  expect(tiny.code, tiny.stderr).toBe(0);
});
afterAll(() => h?.close());

const ESC = '\u001b';

describe('colour', () => {
  it('predict --show: FORCE_COLOR draws 256-colour blocks, NO_COLOR (even with FORCE_COLOR) draws shades with no escape byte', async () => {
    const args = ['predict', 'tiny.safetensors', '--index', '3', '--show'];
    const forced = await runCli(h, args, { env: { FORCE_COLOR: '1' } });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain(`${ESC}[38;5;`);
    for (const env of [{ NO_COLOR: '1' }, { NO_COLOR: '1', FORCE_COLOR: '1' }, { TERM: 'dumb' }, {}]) {
      const plain = await runCli(h, args, { env });
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stdout + plain.stderr, JSON.stringify(env)).not.toContain(ESC);
      expect(plain.stdout).toMatch(/[ ░▒▓█]{28}/);
    }
  });

  it('play: NO_COLOR output has no escape bytes', async () => {
    const run = await runCli(h, ['play', 'tiny.safetensors', '--rounds', '1', '--seed', '2'], { input: '0\n', env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('final score after 1 round');
    expect(run.stdout + run.stderr).not.toContain(ESC);
  });
});

describe('a pipe closed early', () => {
  /** Runs `scratchnet-cli <args> | <reader>` in bash and returns the CLI's exit status and stderr. */
  function piped(args: string, reader: string) {
    const script = `node ${JSON.stringify(CLI)} ${args} 2>"$ERR" | ${reader}; echo "\${PIPESTATUS[0]}"`;
    const err = `${h.root}/pipe-${Math.random().toString(36).slice(2)}.err`;
    const run = spawnSync('bash', ['-c', script], { cwd: h.root, env: { ...h.env, ERR: err }, encoding: 'utf8' });
    return { status: Number(run.stdout.trim().split('\n').at(-1)), stderr: spawnSync('cat', [err], { encoding: 'utf8' }).stdout };
  }

  it('data list | true (the reader is gone before the first write): exit 0, nothing on stderr', () => {
    const run = piped('data list', 'true');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('data list | head -1 and info | head -1: exit 0, no stack trace', () => {
    for (const args of ['data list', 'info tiny.safetensors']) {
      const run = piped(args, 'head -1 >/dev/null');
      expect(run.stderr, args).toBe('');
      expect(run.status, args).toBe(0);
    }
  });
});
