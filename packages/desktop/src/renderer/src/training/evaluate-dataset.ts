import { getBatchLoss, type Sequential } from '@scratchnet/core';
import type { ImageDataset } from '@scratchnet/datasets';
import { argmaxRow } from './batch-metrics.js';

const EVAL_BATCH = 256;

/**
 * Mean loss, accuracy, and each example's predicted class and probabilities, in evaluation mode.
 * The Inspect screen needs the per-example values (core's `evaluate` aggregates them).
 */
export function evaluateDataset(
  model: Sequential,
  data: ImageDataset,
): { loss: number; accuracy: number; predictions: Uint8Array; probabilities: Float32Array } {
  const classes = model.outputSize;
  const batch = Math.min(EVAL_BATCH, Math.max(1, data.size));
  const x = new Float32Array(batch * data.inputSize);
  const labels = new Int32Array(batch);
  const order = Int32Array.from({ length: data.size }, (_, i) => i);
  const predictions = new Uint8Array(data.size);
  const probabilities = new Float32Array(data.size * classes);
  const loss = getBatchLoss('cross_entropy');
  const wasTraining = model.training;
  model.eval();
  model.reserve(batch);
  let totalLoss = 0;
  let correct = 0;
  try {
    for (let start = 0; start < data.size; start += batch) {
      const rows = Math.min(batch, data.size - start);
      data.gather(order, start, rows, x, labels);
      const output = model.forwardBatch(x, rows);
      totalLoss += loss(model.backend, output, labels, null, rows, classes) * rows;
      const probs = probabilities.subarray(start * classes, (start + rows) * classes);
      model.backend.softmax(output.subarray(0, rows * classes), probs, rows, classes);
      for (let r = 0; r < rows; r++) {
        const best = argmaxRow(output, r * classes, classes);
        predictions[start + r] = best;
        if (best === labels[r]) correct++;
      }
    }
  } finally {
    if (wasTraining) model.train();
  }
  return { loss: data.size ? totalLoss / data.size : 0, accuracy: data.size ? correct / data.size : 0, predictions, probabilities };
}
