/**
 * Done-when test: 200 short trials over 4 `worker` processes, with the redis-server (append-only
 * file on) stopped and started again in the middle. Workers and the coordinator reconnect, and
 * the search ends with all 200 results, each once.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './cli-harness.js';
import { type CliProcess, startCli, stopCli } from './redis-queue-processes.js';
import { type RedisServer, redisServerInstalled, startRedis } from './redis-server.js';

let h: Harness;
let redis: RedisServer;
const running: CliProcess[] = [];

beforeAll(async () => {
  h = await startHarness();
  if (redisServerInstalled()) redis = await startRedis({ appendonly: true });
});
afterAll(async () => {
  await Promise.all(running.map((p) => stopCli(p)));
  await redis?.stop();
  await h?.close();
});

describe.skipIf(!redisServerInstalled())('tune --queue through a Redis restart', () => {
  it('200 short trials over 4 workers, Redis restarted once (appendonly): all 200 results, each once', async () => {
    const started = Date.now();
    // One of them runs two trials at a time (two child processes).
    const workers = Array.from({ length: 4 }, (_, i) => startCli(h, ['worker', '--queue', redis.url, '--lock-seconds', '10', '--concurrency', i === 0 ? '2' : '1', '--json']));
    running.push(...workers);
    // 10 learning rates × 5 widths × 4 seeds = 200 one-epoch trials on 200 digits.
    const lrs = Array.from({ length: 10 }, (_, i) => (0.001 * (i + 1)).toFixed(3)).join(',');
    const coordinator = startCli(h, ['tune', '--dataset', 'digits', '--train-limit', '250', '--lr', lrs, '--hidden', '4,6,8,10,12', '--batch-size', '50', '--epochs', '1', '--seeds', '4', '--val-split', '0.2', '--queue', redis.url, '--name', 'two-hundred', '--csv', 'trials.csv', '--out', 'best.safetensors', '--json']);
    running.push(coordinator);

    await coordinator.waitFor(() => coordinator.events.filter((e) => e.event === 'trial').length >= 50, 150_000);
    const before = coordinator.events.filter((e) => e.event === 'trial').length;
    await redis.restart();
    const end = await coordinator.exited;
    const seconds = (Date.now() - started) / 1000;
    expect(end.code, coordinator.stderr()).toBe(0);

    const trials = coordinator.events.filter((e) => e.event === 'trial');
    expect(trials).toHaveLength(200);
    expect(new Set(trials.map((t) => `${t.config}|${t.seed}`)).size).toBe(200);
    expect(readFileSync(join(h.root, 'trials.csv'), 'utf8').trim().split('\n')).toHaveLength(201);
    const zcard = (key: string) => Number(execFileSync('redis-cli', ['-p', String(redis.port), 'zcard', key], { encoding: 'utf8' }).trim());
    expect(zcard('bull:scratchnet-trials:completed')).toBe(200);
    // No trial completed twice across the four workers, and every worker outlived the restart.
    const completions = workers.flatMap((w) => w.events.filter((e) => e.event === 'completed').map((e) => e.job as string));
    expect(new Set(completions).size).toBe(completions.length);
    for (const w of workers) {
      expect(w.child.exitCode).toBe(null);
      w.child.kill('SIGTERM');
      expect((await w.exited).code).toBe(143);
    }
    console.log(`[tune-queue-restart] 200 trials on 4 workers, Redis restarted after ${before} results: all 200 in ${seconds.toFixed(1)}s; completions per worker ${workers.map((w) => w.events.filter((e) => e.event === 'completed').length).join('/')}`);
  });
});
