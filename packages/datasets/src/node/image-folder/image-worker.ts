import { parentPort } from 'node:worker_threads';
import { decodeFiles, type ImageTarget } from './decode-image.js';

/** A worker of the image-folder decode pool: one batch of paths in, its decoded planes out. */
parentPort?.on('message', (job: { id: number; paths: string[]; target: ImageTarget }) => {
  const batch = decodeFiles(job.paths, job.target);
  parentPort!.postMessage({ id: job.id, ...batch }, [batch.pixels.buffer as ArrayBuffer, batch.colour.buffer as ArrayBuffer]);
});
