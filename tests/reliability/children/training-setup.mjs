// Shared by the child processes and the in-process tests: one synthetic task, one model, one
// training configuration, so a run in a child and a run in the test are the same run.
import { createHash } from 'node:crypto';
import { Rng, Tensor, buildModel, parseArchitecture, tensorDataset } from '@scratchnet/core';

/**
 * `count` examples of `features` values in `classes` Gaussian blobs: learnable, so the loss falls
 * and the weights move every step, and fully determined by `seed`.
 */
export function syntheticDataset({ count, features, classes, seed, split = 0 }) {
  const centreRng = Rng.derive(seed, 0);
  const centres = Array.from({ length: classes }, () => Float32Array.from({ length: features }, () => centreRng.normal()));
  // Same centres for every split of one seed; different samples per split.
  const rng = Rng.derive(seed, 1 + split);
  const x = new Float32Array(count * features);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % classes;
    labels[i] = label;
    for (let f = 0; f < features; f++) x[i * features + f] = centres[label][f] + 0.8 * rng.normal();
  }
  return tensorDataset(new Tensor([count, features], x), labels, classes);
}

/** The task every crash/resume child trains on. `size` picks a variant. */
export const TASKS = {
  // Quick epochs but a ~0.9 MB checkpoint (weights + Adam slots), so saving is a large share of
  // each cycle and random kills land inside a save often.
  'kill-save': {
    architecture: '256-256-10',
    data: { count: 64, features: 256, classes: 10, seed: 11 },
    fit: { batchSize: 32, optimizer: { type: 'adam', lr: 0.001 }, seed: 5 },
  },
  // Dropout, Adam, a cosine schedule and validation: every piece of TrainerState matters.
  resume: {
    architecture: '24-32-16-4',
    dropout: 0.2,
    data: { count: 200, features: 24, classes: 4, seed: 3 },
    validation: { count: 60, features: 24, classes: 4, seed: 3, split: 1 },
    fit: { batchSize: 16, optimizer: { type: 'adam', lr: 0.01 }, schedule: { type: 'cosine' }, seed: 42 },
  },
};

/** Builds the task's model with a fixed initialisation seed. */
export function buildTaskModel(task, backend) {
  const spec = parseArchitecture(task.architecture, task.dropout ? { dropout: task.dropout } : {});
  return buildModel(spec, backend ? { seed: 1, backend } : { seed: 1 });
}

/** Class names for checkpoints of a task. */
export function classNamesOf(task) {
  return Array.from({ length: task.data.classes }, (_, i) => `class ${i}`);
}

/** SHA-256 over every parameter's bytes (state_dict order) and the history as JSON. */
export function weightsAndHistoryHash(model, history) {
  const hash = createHash('sha256');
  for (const [name, tensor] of model.stateDict()) {
    hash.update(name).update(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
  }
  return hash.update(JSON.stringify(history)).digest('hex');
}
