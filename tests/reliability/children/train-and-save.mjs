// Child process for the kill -9 test: trains the 'kill-save' task forever, resuming from the
// checkpoint at argv[2] when there is one, and saves a checkpoint after every epoch.
// stdout protocol, one line each: "resumed E" once, then "saving E" / "saved E" around every
// save, E = epochs completed. argv[3] = "unsafe" writes non-atomically (the negative control).
// It loads its modules first, prints "ready", then waits for a line on stdin before touching the
// checkpoint, so the test can start the next child while the current one is still running.
import { createWriteStream, existsSync } from 'node:fs';
import { fit } from '@scratchnet/core';
import { encodeCheckpoint } from '@scratchnet/model-format';
import { loadModelFile, saveCheckpoint } from '@scratchnet/model-format/node';
import { TASKS, buildTaskModel, classNamesOf, syntheticDataset } from './training-setup.mjs';

const [path, mode = 'atomic'] = process.argv.slice(2);
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();
const task = TASKS['kill-save'];
const data = syntheticDataset(task.data);

let model = buildTaskModel(task);
let resumeFrom;
if (existsSync(path)) {
  const loaded = await loadModelFile(path);
  model = loaded.model;
  resumeFrom = loaded.trainer;
}
process.stdout.write(`resumed ${resumeFrom?.epoch ?? 0}\n`);

const save = mode === 'unsafe' ? naiveSave : (input) => saveCheckpoint(path, input);

/** What the atomic save protects against: truncate the file in place, then stream the bytes in. */
async function naiveSave(input) {
  const bytes = encodeCheckpoint(input);
  const out = createWriteStream(path);
  for (let offset = 0; offset < bytes.length; offset += 1 << 16) {
    if (!out.write(bytes.subarray(offset, offset + (1 << 16)))) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

await fit(model, data, {
  ...task.fit,
  epochs: 1_000_000,
  resumeFrom,
  yieldEveryMs: 1_000_000,
  callbacks: {
    async onEpochEnd(info) {
      const trainer = info.trainerState();
      const epochs = trainer.epoch;
      process.stdout.write(`saving ${epochs}\n`);
      await save({
        model,
        classNames: classNamesOf(task),
        training: {
          dataset: { name: 'synthetic', ...task.data },
          hyperparameters: { architecture: task.architecture, ...task.fit },
          seed: task.fit.seed,
          epochs,
          finalMetrics: { loss: info.loss, accuracy: info.accuracy },
          history: info.history.epochs.map((row) => ({ ...row })),
        },
        optimizer: trainer.optimizer,
        trainer,
      });
      process.stdout.write(`saved ${epochs}\n`);
    },
  },
});
