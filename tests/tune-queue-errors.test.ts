/**
 * `tune --queue` and `worker` against a real, password-protected redis-server: clear one-line
 * errors for a malformed URL and an unreachable server, the password never printed, stable job
 * ids, a diverging trial recorded as failed once (never retried), a crashed trial retried, a
 * re-run enqueuing only the missing trials, and SIGTERM handing a running trial back to the queue.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { trialJobId } from '@scratchnet/cli/tune';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, jsonLines, runCli, startHarness } from './cli-harness.js';
import { type CliProcess, startCli as startProcess, stopCli } from './redis-queue-processes.js';
import { type RedisServer, freePort, redisServerInstalled, startRedis } from './redis-server.js';

const PASSWORD = 'hunter2-s3cret';
let h: Harness;
let redis: RedisServer;
const started: CliProcess[] = [];
/** Every process a test starts is ended after the file, whatever the test's outcome. */
const startCli = (...args: Parameters<typeof startProcess>) => {
  const p = startProcess(...args);
  started.push(p);
  return p;
};

beforeAll(async () => {
  h = await startHarness();
  if (redisServerInstalled()) redis = await startRedis({ password: PASSWORD });
});
afterAll(async () => {
  await Promise.all(started.map((p) => stopCli(p)));
  await redis?.stop();
  await h?.close();
});

/** A small search on a slice of the offline digits. */
const search = (name: string, extra: string[]) => ['tune', '--dataset', 'digits', '--train-limit', '400', '--hidden', '8', '--epochs', '1', '--val-split', '0.2', '--queue', redis.url, '--name', name, '--csv', `${name}.csv`, '--out', `${name}.safetensors`, '--json', ...extra];

describe('tune --queue / worker: errors', () => {
  it('a malformed --queue URL is a usage error (exit 2) naming the problem, on one line', async () => {
    for (const [url, why] of [
      ['http://127.0.0.1:6379/0', 'the scheme must be redis:// or rediss://'],
      ['redis://127.0.0.1:0/0', 'the port must be 1…65535'],
      ['redis://127.0.0.1:6379/cache', 'the database must be a number'],
      ['not a url', 'not a URL'],
    ]) {
      const run = await runCli(h, ['worker', '--queue', url]);
      expect(run.code, url).toBe(2);
      expect(run.stderr.split('\n')[0]).toContain(why);
      expect(run.stderr).toContain('give --queue as redis://');
    }
    const tune = await runCli(h, ['tune', '--queue', 'redis://127.0.0.1:1/0']);
    expect(tune.code).toBe(2);
    expect(tune.stderr).toContain('--queue needs --name <search>');
  });

  it('an unreachable Redis is one clear error (exit 1) with what to do', async () => {
    const port = await freePort();
    const run = await runCli(h, ['tune', '--dataset', 'digits', '--queue', `redis://127.0.0.1:${port}/0`, '--name', 'x']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: cannot reach Redis at redis://127.0.0.1:${port}/0: connect ECONNREFUSED 127.0.0.1:${port}\n  start Redis there (\`redis-server --port <port>\`), or check the host and port in --queue\n`);
  });

  it('never prints the password: errors, --json errors, and malformed URLs', async () => {
    const port = await freePort();
    const url = `redis://admin:${PASSWORD}@127.0.0.1:${port}/0`;
    const text = await runCli(h, ['worker', '--queue', url]);
    const json = await runCli(h, ['worker', '--queue', url, '--json']);
    const bad = await runCli(h, ['worker', '--queue', `redis://admin:${PASSWORD}@127.0.0.1:0/zz`, '--json']);
    for (const run of [text, json, bad]) {
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);
      expect(run.stderr).toContain('admin:***@127.0.0.1');
    }
    expect(JSON.parse(json.stderr).error.code).toBe('cli/QUEUE_UNREACHABLE');
    expect(JSON.parse(bad.stderr).error.code).toBe('cli/BAD_QUEUE_URL');
  });
});

describe.skipIf(!redisServerInstalled())('tune --queue / worker on a real redis-server', () => {
  it('the password may come from SCRATCHNET_REDIS_PASSWORD instead of the command line; a missing or wrong one is one clear error', async () => {
    const bare = redis.url.replace(/\/\/[^@]*@/, '//');
    expect(bare).not.toContain(PASSWORD);
    const missing = await runCli(h, ['worker', '--queue', bare, '--idle-exit', '1']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.split('\n')[0]).toMatch(/^error: Redis at redis:\/\/127\.0\.0\.1:\d+\/0 wants a password and no password was given \(NOAUTH.*\); set SCRATCHNET_REDIS_PASSWORD, or give it in --queue/);
    const wrong = await runCli(h, ['worker', '--queue', bare, '--idle-exit', '1'], { env: { SCRATCHNET_REDIS_PASSWORD: 'not-it' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/wants a password and the password was refused \(WRONGPASS/);
    expect(wrong.stderr).not.toContain('not-it');
    const fromEnv = await runCli(h, ['worker', '--queue', bare, '--idle-exit', '1', '--json'], { env: { SCRATCHNET_REDIS_PASSWORD: PASSWORD } });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(fromEnv.stdout + fromEnv.stderr).not.toContain(PASSWORD);
  });

  it('job ids are a stable hash of the trial: same trial same id, any field changed another id', () => {
    const trial = { search: 's', config: { lr: 0.01, batchSize: 64, hidden: '16', activations: 'relu', optimizer: 'adam' }, seed: 1, epochs: 2, dataset: 'digits', valSplit: 0.2 };
    const id = trialJobId(trial);
    // Pinned: a change here would orphan every stored search (a re-run would retrain everything).
    expect(id).toBe('t-5c44acc0a2dcd267521f7d64cea20975');
    expect(trialJobId({ valSplit: 0.2, dataset: 'digits', epochs: 2, seed: 1, config: { optimizer: 'adam', activations: 'relu', hidden: '16', batchSize: 64, lr: 0.01 }, search: 's' })).toBe(id);
    expect(trialJobId({ ...trial, trainLimit: undefined })).toBe(id);
    const others = [{ ...trial, seed: 2 }, { ...trial, search: 't' }, { ...trial, epochs: 3 }, { ...trial, config: { ...trial.config, lr: 0.02 } }, { ...trial, trainLimit: 100 }].map(trialJobId);
    expect(new Set([id, ...others]).size).toBe(6);
    expect(id).toBe(trialJobId(JSON.parse(JSON.stringify(trial))));
  });

  it('a diverging trial is recorded as failed with its reason, once (not retried); nothing prints the password', async () => {
    const coordinator = startCli(h, search('diverge', ['--lr', '0.01,1e30', '--optimizer', 'sgd', '--seeds', '1']));
    await coordinator.waitFor((e) => e.event === 'queued');
    const worker = startCli(h, ['worker', '--queue', redis.url, '--idle-exit', '3', '--json']);
    const end = await coordinator.exited;
    expect(end.code, coordinator.stderr()).toBe(0);
    expect((await worker.exited).code).toBe(0);
    const trials = coordinator.events.filter((e) => e.event === 'trial');
    expect(trials).toHaveLength(2);
    const diverged = trials.find((e) => e.lr === 1e30)!;
    expect(diverged.status, JSON.stringify(diverged) + worker.stderr()).toBe('diverged');
    expect(diverged.reason).toMatch(/^diverged in epoch 1: the loss became NaN or infinite/);
    // One attempt only: the worker failed it once, and it was never taken again.
    const failed = worker.events.filter((e) => e.event === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].attemptsMade).toBe(1);
    expect(worker.events.filter((e) => e.event === 'active')).toHaveLength(2);
    const rows = readFileSync(join(h.root, 'diverge.csv'), 'utf8').trim().split('\n');
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.includes(',1e+30,'))).toContain(',diverged,');
    for (const p of [coordinator, worker]) {
      expect(p.stdout() + p.stderr()).not.toContain(PASSWORD);
      expect(p.stdout()).toContain(':***@127.0.0.1');
    }
  });

  it('a re-run reuses finished trials and enqueues only the missing ones', async () => {
    const first = startCli(h, search('resume', ['--lr', '0.01', '--seeds', '2']));
    await first.waitFor((e) => e.event === 'queued');
    const w1 = startCli(h, ['worker', '--queue', redis.url, '--idle-exit', '2', '--json']);
    expect((await first.exited).code).toBe(0);
    await w1.exited;
    expect(first.events.find((e) => e.event === 'queued')).toMatchObject({ reused: 0, enqueued: 2 });

    // Same search, one more seed and one more learning rate: 2 finished, 4 to run.
    const second = startCli(h, search('resume', ['--lr', '0.01,0.003', '--seeds', '3']));
    await second.waitFor((e) => e.event === 'queued');
    expect(second.events.find((e) => e.event === 'queued')).toMatchObject({ reused: 2, enqueued: 4 });
    const w2 = startCli(h, ['worker', '--queue', redis.url, '--idle-exit', '2', '--json']);
    expect((await second.exited).code).toBe(0);
    await w2.exited;
    // The second worker ran exactly the four new trials.
    expect(w2.events.filter((e) => e.event === 'completed')).toHaveLength(4);
    const rows = readFileSync(join(h.root, 'resume.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => r.split(',').slice(0, 2).join(','))).size).toBe(6);
    const done = jsonLines(second.stdout()).find((e) => e.event === 'done')!;
    expect(done.testAccuracy).toBeGreaterThan(0.3);
  });

  it('weights go to a shared --artifacts folder when given, else to Redis under --weights-cap (over it: failed with the reason)', async () => {
    // --artifacts: one checkpoint file per trial, named by job id; the coordinator reads the best from there.
    const shared = join(h.root, 'shared-trials');
    const viaFolder = startCli(h, search('folder', ['--lr', '0.01', '--seeds', '2', '--artifacts', shared]));
    await viaFolder.waitFor((e) => e.event === 'queued');
    const w1 = startCli(h, ['worker', '--queue', redis.url, '--idle-exit', '2', '--artifacts', shared, '--json']);
    expect((await viaFolder.exited).code, viaFolder.stderr()).toBe(0);
    await w1.exited;
    const jobs = w1.events.filter((e) => e.event === 'completed').map((e) => e.job as string);
    expect(readdirSync(shared).sort()).toEqual(jobs.map((j) => `${j}.safetensors`).sort());
    expect(viaFolder.events.find((e) => e.event === 'done')?.testAccuracy).toBeGreaterThan(0.3);

    // A 1 KB cap and no folder: the checkpoint cannot be kept, so the trial fails for good, saying why.
    const capped = startCli(h, search('capped', ['--lr', '0.01', '--seeds', '1']));
    await capped.waitFor((e) => e.event === 'queued');
    const w2 = startCli(h, ['worker', '--queue', redis.url, '--idle-exit', '2', '--weights-cap', '0.001', '--json']);
    expect((await capped.exited).code).toBe(0);
    await w2.exited;
    const trial = capped.events.find((e) => e.event === 'trial')!;
    expect(trial.status).toBe('failed');
    expect(trial.reason).toMatch(/^the trial's checkpoint is [\d.]+ KB, over the 1\.0 KB Redis cap; start the workers with --artifacts <shared folder>$/);
    expect(w2.events.filter((e) => e.event === 'failed')).toHaveLength(1);
  });

  it('a crashed trial process fails that attempt only: the job is retried (backoff) and completes', async () => {
    const coordinator = startCli(h, ['tune', '--dataset', 'digits', '--lr', '0.003', '--hidden', '256', '--batch-size', '16', '--epochs', '10', '--seeds', '1', '--val-split', '0.2', '--queue', redis.url, '--name', 'crash', '--csv', 'crash.csv', '--out', 'crash.safetensors', '--json']);
    await coordinator.waitFor((e) => e.event === 'queued');
    const worker = startCli(h, ['worker', '--queue', redis.url, '--idle-exit', '2', '--json']);
    const taken = await worker.waitFor((e) => e.event === 'active');
    // Mid-trial: its first epoch is done. Then the worker's child running it dies (the worker stays up).
    await worker.waitFor((e) => e.event === 'progress' && e.job === taken.job && e.epoch === 1);
    let child: number | undefined;
    for (let tries = 0; !child && tries < 200; tries++) {
      const found = spawnSync('pgrep', ['-P', String(worker.child.pid), '-f', 'trial-process'], { encoding: 'utf8' }).stdout.trim();
      if (found) child = Number(found.split('\n')[0]);
      else await new Promise((r) => setTimeout(r, 50));
    }
    expect(child).toBeGreaterThan(0);
    process.kill(child!, 'SIGKILL');
    const failed = await worker.waitFor((e) => e.event === 'failed' && e.job === taken.job);
    expect(failed.reason).toMatch(/the trial process ended \(SIGKILL\) in the middle of the trial/);
    expect(failed.attemptsMade).toBe(1);
    await worker.waitFor((e) => e.event === 'completed' && e.job === taken.job);
    expect((await coordinator.exited).code, coordinator.stderr()).toBe(0);
    expect(coordinator.events.filter((e) => e.event === 'trial').map((e) => e.status)).toEqual(['done']);
    expect(worker.events.filter((e) => e.event === 'active' && e.job === taken.job)).toHaveLength(2);
    expect((await worker.exited).code).toBe(0);
  });

  it('SIGTERM: the worker hands its running trial back and exits 143; another worker runs it', async () => {
    const coordinator = startCli(h, ['tune', '--dataset', 'digits', '--lr', '0.003', '--hidden', '256', '--batch-size', '16', '--epochs', '10', '--seeds', '1', '--val-split', '0.2', '--queue', redis.url, '--name', 'handback', '--csv', 'handback.csv', '--out', 'handback.safetensors', '--json']);
    await coordinator.waitFor((e) => e.event === 'queued');
    const first = startCli(h, ['worker', '--queue', redis.url, '--json']);
    const taken = await first.waitFor((e) => e.event === 'active');
    // Mid-trial: after its first epoch.
    await first.waitFor((e) => e.event === 'progress' && e.job === taken.job && e.epoch === 1);
    first.child.kill('SIGTERM');
    const firstEnd = await first.exited;
    expect(firstEnd.code, first.stderr()).toBe(143);
    expect(first.events.find((e) => e.event === 'handed-back'), first.stderr()).toMatchObject({ job: taken.job });
    expect(first.events.some((e) => e.event === 'completed' || e.event === 'failed')).toBe(false);
    // Waiting again at once (no lock to expire): a second worker takes the same job and finishes it.
    const second = startCli(h, ['worker', '--queue', redis.url, '--idle-exit', '2', '--json', '--lock-seconds', '60']);
    expect((await second.waitFor((e) => e.event === 'active', 20_000)).job).toBe(taken.job);
    expect((await coordinator.exited).code).toBe(0);
    await stopCli(second, 'SIGTERM');
    expect(second.events.filter((e) => e.event === 'completed').map((e) => e.job)).toEqual([taken.job]);
  });
});
