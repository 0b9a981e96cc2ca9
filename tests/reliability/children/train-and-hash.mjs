// Child process for the determinism test: trains the 'resume' task for argv[2] epochs on the
// backend argv[3] (js | wasm) and prints one line: "sha256 <hex of weights and history>".
import { createJsBackend, createWasmBackend, fit } from '@scratchnet/core';
import { TASKS, buildTaskModel, syntheticDataset, weightsAndHistoryHash } from './training-setup.mjs';

const [epochs, backendName] = process.argv.slice(2);
const backend = backendName === 'wasm' ? await createWasmBackend() : createJsBackend();
const task = TASKS.resume;
const model = buildTaskModel(task, backend);
const history = await fit(model, syntheticDataset(task.data), {
  ...task.fit,
  epochs: Number(epochs),
  validation: syntheticDataset(task.validation),
});
process.stdout.write(`sha256 ${weightsAndHistoryHash(model, history)}\n`);
process.exit(0);

