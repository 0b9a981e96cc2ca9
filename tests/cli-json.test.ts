/**
 * --json on every command, results on stdout and everything else on stderr, and in --json mode
 * an error is one JSON object on stderr: {"error":{"code","message","hint"}}.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, jsonLines, runCli, startHarness } from './cli-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  mkdirSync(join(h.root, 'empty'));
  const tiny = await runCli(h, ['train', '--dataset', 'tiny', '--arch', '784-8-5', '--epochs', '1', '--batch-size', '16', '--out', 'tiny.safetensors']);
  expect(tiny.code, tiny.stderr).toBe(0);
});
afterAll(() => h?.close());

/** The run's stderr as the one JSON error object it must be; stdout holds nothing. */
async function jsonError(args: string[]) {
  const run = await runCli(h, [...args, '--json']);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  return { code: run.code, error: JSON.parse(lines[0]).error as { code: string; message: string; hint?: string } };
}

describe('--json errors: one JSON object on stderr', () => {
  it('a bad flag value, an unknown flag and a flag combination core refuses: cli/BAD_FLAG, exit 2', async () => {
    const value = await jsonError(['train', '--optimizer', 'adma']);
    expect(value).toEqual({ code: 2, error: { code: 'cli/BAD_FLAG', message: expect.stringContaining("did you mean 'adam'") } });
    const unknown = await jsonError(['train', '--optimzer', 'adam']);
    expect(unknown).toMatchObject({ code: 2, error: { code: 'cli/BAD_FLAG', message: expect.stringContaining('--optimizer') } });
    const momentum = await jsonError(['train', '--dataset', 'tiny', '--optimizer', 'rmsprop', '--momentum', '0.9']);
    expect(momentum).toMatchObject({ code: 2, error: { code: 'cli/BAD_FLAG', message: expect.stringContaining('--momentum') } });
  });

  it('a missing model: cli/MODEL_NOT_FOUND with a hint, exit 1', async () => {
    const run = await jsonError(['info', 'nope.safetensors']);
    expect(run).toEqual({ code: 1, error: { code: 'cli/MODEL_NOT_FOUND', message: expect.stringContaining('nope.safetensors'), hint: expect.stringContaining('scratchnet-cli train') } });
  });

  it('a data error: a dataset/ code, exit 1', async () => {
    const run = await jsonError(['train', '--dataset', 'tiny', '--data-dir', 'empty', '--epochs', '1']);
    expect(run.code).toBe(1);
    expect(run.error.code).toMatch(/^dataset\/[A-Z_]+$/);
    expect(run.error.message).toContain('empty');
  });
});

describe('--json results on stdout', () => {
  it('info, eval, predict, data list, data path, data verify and completion each print JSON only', async () => {
    const commands = [
      ['info', 'tiny.safetensors'],
      ['eval', 'tiny.safetensors'],
      ['predict', 'tiny.safetensors', '--index', '2'],
      ['data', 'list'],
      ['data', 'path', 'tiny'],
      ['data', 'verify', 'tiny'],
      ['completion'],
    ];
    for (const args of commands) {
      const run = await runCli(h, [...args, '--json']);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      expect(jsonLines(run.stdout).length, args.join(' ')).toBeGreaterThan(0);
    }
  });

  it('play --json plays on stderr and prints the final score as JSON', async () => {
    const run = await runCli(h, ['play', 'tiny.safetensors', '--rounds', '2', '--seed', '1', '--json'], { input: '0\n1\n' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('round 2');
    expect(JSON.parse(run.stdout)).toMatchObject({ rounds: 2, human: expect.any(Number), model: expect.any(Number) });
  });
});

describe('tune --json', () => {
  it('prints start, one trial event per trial and done, and nothing else, on stdout', async () => {
    const run = await runCli(h, ['tune', '--dataset', 'tiny', '--lr', '0.01', '--hidden', '8', '--seeds', '1', '--epochs', '1', '--workers', '1', '--csv', 'tune.csv', '--out', 'tune.safetensors', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const events = jsonLines(run.stdout);
    expect(events.map((e) => e.event)).toEqual(['start', 'trial', 'done']);
    expect(run.stdout.trim().split('\n')).toHaveLength(3);
    expect(events[2].best).toMatchObject({ config: expect.stringContaining('hidden=8') });
  });
});

describe('streams: results on stdout, notices on stderr', () => {
  it('predict --index: the answer on stdout, the data notice not', async () => {
    const run = await runCli(h, ['predict', 'tiny.safetensors', '--index', '4']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^tiny test #4 {2}\(true: [^)]+\)\n {2}1\. /);
    expect(run.stdout).not.toMatch(/loading|notice/);
  });

  it('train: progress, epochs and the chart on stderr; the final figures on stdout', async () => {
    const run = await runCli(h, ['train', '--dataset', 'tiny', '--arch', '784-8-5', '--epochs', '2', '--batch-size', '16', '--out', 'streams.safetensors']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^loading tiny…\n/);
    expect(run.stderr).toMatch(/epoch 2\/2 +train loss/);
    expect(run.stderr).toContain('convergence');
    expect(run.stdout.trimEnd().split('\n')).toEqual([expect.stringMatching(/^test accuracy /), expect.stringMatching(/^saved streams\.safetensors/)]);
  });
});
