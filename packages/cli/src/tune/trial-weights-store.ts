import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';

/** Redis key of a finished trial's checkpoint bytes (one per job id: a rerun overwrites, never adds). */
export const weightsKey = (jobId: string) => `scratchnet:trial-weights:${jobId}`;

/** Default cap on one trial's checkpoint kept in Redis: small MLPs and CNNs fit many times over. */
export const DEFAULT_REDIS_WEIGHTS_CAP = 16 << 20;

/** A trial checkpoint's file name in an --artifacts folder. */
export const artifactName = (jobId: string) => `${jobId}.safetensors`;

/**
 * Where a worker keeps each finished trial's checkpoint: in a shared `--artifacts` folder when one
 * is given (written to a temporary name and renamed, so a reader never sees half a file), else in
 * Redis if it is at most `cap` bytes. Returns where it went, or a reason it could not be kept.
 */
export async function storeTrialWeights(
  redis: Redis,
  jobId: string,
  bytes: Uint8Array,
  place: { artifacts?: string; cap: number },
): Promise<{ where: 'redis' | 'artifacts' } | { refused: string }> {
  if (place.artifacts) {
    mkdirSync(place.artifacts, { recursive: true });
    const path = join(place.artifacts, artifactName(jobId));
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
    return { where: 'artifacts' };
  }
  if (bytes.length > place.cap) {
    const mb = (n: number) => (n < 2 ** 20 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 2 ** 20).toFixed(1)} MB`);
    return { refused: `the trial's checkpoint is ${mb(bytes.length)}, over the ${mb(place.cap)} Redis cap; start the workers with --artifacts <shared folder>` };
  }
  await redis.set(weightsKey(jobId), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  return { where: 'redis' };
}

/** Reads a trial's checkpoint back from where its worker put it (undefined when it is gone). */
export async function loadTrialWeights(redis: Redis, jobId: string, where: 'redis' | 'artifacts', artifacts: string | undefined): Promise<Uint8Array | undefined> {
  if (where === 'artifacts') {
    if (!artifacts) return undefined;
    try {
      return readFileSync(join(artifacts, artifactName(jobId)));
    } catch {
      return undefined;
    }
  }
  const bytes = await redis.getBuffer(weightsKey(jobId));
  return bytes ?? undefined;
}
