import { buildModel, parseArchitecture } from '@scratchnet/core';
import { encodeIdx } from '@scratchnet/datasets';
import { encodeCheckpoint, readSafetensors, writeSafetensors } from '@scratchnet/model-format';
import { forkCheckProcess } from '../../src/main/check-process.js';
import { createCheckpointValidator } from '../../src/main/checkpoint-validation.js';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** A real scratchnet checkpoint of a small seeded model. */
export function checkpointBytes(seed = 3, architecture = '784-8-10'): Uint8Array {
  const model = buildModel(parseArchitecture(architecture), { seed });
  return encodeCheckpoint({
    spec: model.spec,
    tensors: new Map(model.namedParameters().map(([name, p]) => [name, { shape: p.value.shape, data: p.value.data }])),
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  });
}

/** IDX images [n, 28, 28] and labels [n] with recognisable content: image i is filled with i, label i % 10. */
export function idxPair(n: number): { images: Uint8Array; labels: Uint8Array } {
  const pixels = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) pixels.fill(i % 256, i * 784, (i + 1) * 784);
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  return {
    images: encodeIdx({ type: 'ubyte', dims: [n, 28, 28], data: pixels }),
    labels: encodeIdx({ type: 'ubyte', dims: [n], data: labels }),
  };
}

/** A fresh temporary folder, removed by the returned cleanup. */
export async function tempDir(): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'scratchnet-desktop-'));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export const packageRoot = resolve(import.meta.dirname, '..', '..');
export const repoRoot = resolve(packageRoot, '..', '..');
/** The reference Fashion-MNIST files (absent on users' machines: tests skip). */
export const sharedFashionMnist = resolve(repoRoot, '..', 'shared', 'data', 'fashion-mnist');

/** The checkpoint checker as built (`electron-vite build`): the check process runs JavaScript, not the TypeScript source. */
export function builtCheckpointChecker(): string {
  const path = join(packageRoot, 'out', 'main', 'checkpoint-checker.js');
  if (!existsSync(path)) throw new Error(`${path} is missing: run the build first`);
  return path;
}

/** The app's checkpoint validator (default limits), forking the built checker under Node. */
export function appCheckpointValidator() {
  return createCheckpointValidator(forkCheckProcess(builtCheckpointChecker()));
}

/**
 * The hostile file of issue #19: a valid checkpoint rewritten as format v1 with a loss history of
 * `values` zeros (7.9 M ≈ 15.8 MB, just under the 16 MB header cap). Its tensor digest still
 * matches; decoding it on the main thread froze the app for 12–30 s and used 2.7 GB.
 */
export function hostileV1Checkpoint(values = 7_900_000): Uint8Array {
  const file = readSafetensors(checkpointBytes());
  const training = `{"history":{"loss":[${'0,'.repeat(values - 1)}0]}}`;
  return writeSafetensors([...file.tensors], { ...file.metadata, format_version: '1', training });
}
