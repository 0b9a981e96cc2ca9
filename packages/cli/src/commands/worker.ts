import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SIGNAL_EXIT_CODES, type StopSignal } from '../errors/describe-error.js';
import { withExamples } from '../help/examples.js';
import { parsePositiveInteger, parsePositiveNumber } from '../options/parse-values.js';
import { Reporter, pickOutputMode } from '../output/reporter.js';
import { checkQueueReachable, parseQueueUrl } from '../tune/queue-url.js';
import { DEFAULT_REDIS_WEIGHTS_CAP } from '../tune/trial-weights-store.js';

interface WorkerFlags {
  queue: string;
  concurrency: string;
  idleExit?: string;
  dataDir?: string;
  artifacts?: string;
  weightsCap: string;
  lockSeconds: string;
  json?: boolean;
}

const STOP_SIGNALS: StopSignal[] = ['SIGINT', 'SIGTERM'];

/** `scratchnet-cli worker`: runs the trials `tune --queue` puts on a Redis queue, on this machine. */
export function registerWorkerCommand(program: Command): void {
  const command = program
    .command('worker')
    .description('run trials of `tune --queue` searches from a Redis queue (start one on every machine)')
    .requiredOption('--queue <url>', 'the Redis server holding the queue: redis://[:password@]host:port/db')
    .option('--concurrency <n>', 'trials run side by side, each in its own process', '1')
    .option('--idle-exit <seconds>', 'exit when there has been nothing to do for this long (default: wait for ever)')
    .option('--data-dir <dir>', 'folder holding the IDX files (else the cache, system folders and mirrors, as for train)')
    .option('--artifacts <dir>', "keep each trial's checkpoint in this shared folder instead of in Redis")
    .option('--weights-cap <MB>', 'largest trial checkpoint kept in Redis', String(DEFAULT_REDIS_WEIGHTS_CAP >> 20))
    .option('--lock-seconds <s>', "how long a trial stays claimed after its worker stops renewing the lock (a SIGKILLed worker's trial is rerun after this)", '30')
    .option('--json', 'one JSON object per line on stdout (events: start, active, progress (each epoch), completed, failed, handed-back, end)')
    .action(async (flags: WorkerFlags) => {
      process.exitCode = await runWorker(flags);
    });
  withExamples(command, [
    ['scratchnet-cli worker --queue redis://10.0.0.5:6379/0 --concurrency 2', 'two trials at a time from the queue on 10.0.0.5'],
    ['scratchnet-cli worker --queue redis://127.0.0.1:6379/0 --idle-exit 60 --artifacts /shared/trials', 'exit after a minute without work; checkpoints in a shared folder'],
  ]);
}

async function runWorker(flags: WorkerFlags): Promise<number> {
  const reporter = new Reporter(pickOutputMode(flags.json));
  const queue = parseQueueUrl(flags.queue);
  const concurrency = parsePositiveInteger('--concurrency', flags.concurrency, 2, 256);
  const idleExitSeconds = flags.idleExit === undefined ? undefined : parsePositiveNumber('--idle-exit', flags.idleExit, 60);
  const weightsCap = Math.round(parsePositiveNumber('--weights-cap', flags.weightsCap, 16) * 2 ** 20);
  const lockMs = Math.round(parsePositiveNumber('--lock-seconds', flags.lockSeconds, 30) * 1000);
  const redisVersion = await checkQueueReachable(queue);

  const controller = new AbortController();
  let stoppedBy: StopSignal | undefined;
  const onSignal = (signal: StopSignal) => {
    if (stoppedBy) process.exit(SIGNAL_EXIT_CODES[signal]); // a second signal: give up at once
    stoppedBy = signal;
    reporter.note(`${signal}: handing running trials back to the queue, then exiting`);
    controller.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);

  reporter.event('start', { queue: queue.redacted, redis: redisVersion, concurrency, pid: process.pid });
  reporter.note(`worker ${process.pid}: ${concurrency} trial${concurrency === 1 ? '' : 's'} at a time from ${queue.redacted} (Redis ${redisVersion})${idleExitSeconds === undefined ? '' : `; exits after ${idleExitSeconds}s idle`}`);
  try {
    const { runQueueWorker } = await import('../tune/queue-worker.js');
    const end = await runQueueWorker({
      queue,
      concurrency,
      idleExitSeconds,
      dataDir: flags.dataDir,
      artifacts: flags.artifacts === undefined ? undefined : resolve(flags.artifacts),
      weightsCap,
      lockMs,
      signal: controller.signal,
      onNote: (text) => reporter.note(text),
      onEvent: (type, data) => reporter.event(type, data),
    });
    reporter.event('end', { ...end, ...(stoppedBy ? { signal: stoppedBy } : {}) });
    reporter.note(`worker ${process.pid} done (${end.reason === 'idle' ? 'idle' : stoppedBy}): ${end.completed} completed, ${end.failed} failed, ${end.handedBack} handed back`);
    return stoppedBy ? SIGNAL_EXIT_CODES[stoppedBy] : 0;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  }
}
