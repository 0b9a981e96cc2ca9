import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type DecodedBatch, decodeFiles, type ImageTarget } from './decode-image.js';

/** Files per job: big enough that a message costs little next to decoding, small enough for smooth progress. */
const BATCH = 256;
/** Below this many files, starting workers costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 2 * BATCH;

/** The worker script, built next to the Node entry (dist/image-worker.js); absent when running from source. */
function workerScript(): string | undefined {
  const path = fileURLToPath(new URL('./image-worker.js', import.meta.url));
  return existsSync(path) ? path : undefined;
}

/** How many decode workers: one per core (the main thread only merges results), at most 8. */
export function decodeWorkerCount(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * Decodes every file into one buffer, in order, on worker threads when there are enough files
 * (and the worker script is present), else on this thread. `onProgress` gets the files done.
 */
export async function decodeAll(
  paths: readonly string[],
  target: ImageTarget,
  onProgress: (done: number) => void = () => {},
  workers = decodeWorkerCount(),
): Promise<DecodedBatch> {
  const channels = target.channels ?? 3;
  const size = channels * target.rows * target.cols;
  const pixels = new Uint8Array(paths.length * size);
  const colour = new Uint8Array(paths.length);
  const failures: DecodedBatch['failures'] = [];
  const merge = (start: number, batch: DecodedBatch) => {
    pixels.set(batch.pixels, start * size);
    colour.set(batch.colour, start);
    for (const f of batch.failures) failures.push({ index: start + f.index, reason: f.reason });
  };
  const starts: number[] = [];
  for (let s = 0; s < paths.length; s += BATCH) starts.push(s);
  const script = workerScript();
  let done = 0;

  if (!script || paths.length < MIN_FILES_FOR_WORKERS) {
    for (const start of starts) {
      const slice = paths.slice(start, start + BATCH);
      merge(start, decodeFiles(slice, target));
      done += slice.length;
      onProgress(done);
      // Let timers and signals run between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } else {
    const pool = Array.from({ length: Math.min(workers, starts.length) }, () => new Worker(script));
    try {
      let next = 0;
      await Promise.all(
        pool.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              const send = () => {
                if (next >= starts.length) return resolve();
                const start = starts[next++];
                worker.postMessage({ id: start, paths: paths.slice(start, start + BATCH), target });
              };
              worker.on('message', (batch: DecodedBatch & { id: number }) => {
                merge(batch.id, batch);
                done += batch.colour.length;
                onProgress(done);
                send();
              });
              worker.on('error', reject);
              worker.on('exit', (code) => code !== 0 && reject(new Error(`image decode worker exited with code ${code}`)));
              send();
            }),
        ),
      );
    } finally {
      await Promise.all(pool.map((w) => w.terminate()));
    }
  }
  failures.sort((a, b) => a.index - b.index);
  return { pixels, colour, failures };
}
