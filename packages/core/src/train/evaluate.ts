import type { Dataset } from '../data/dataset.js';
import { ConfigError, ErrorCode } from '../errors.js';
import { getBatchLoss } from '../losses/index.js';
import type { LossName } from '../losses/loss.js';
import type { Sequential } from '../model/sequential.js';
import { allocateBatchBuffers, type BatchBuffers, binaryThreshold, checkDatasetFits, gatherBatch, releaseBatchBuffers } from './batch-runner.js';
import { type ClassMetrics, classMetrics, predictedClass } from './metrics.js';

/** Result of `evaluate`. */
export interface Evaluation {
  /** Mean loss per example. */
  loss: number;
  accuracy: number;
  /** Examples evaluated. */
  count: number;
  /** confusion[trueClass][predictedClass] counts. */
  confusion: number[][];
  perClass: ClassMetrics[];
  classNames?: string[];
}

export interface EvaluateOptions {
  /** Examples per forward pass (default 256). */
  batchSize?: number;
  /** Loss to report (default 'cross_entropy'). */
  loss?: LossName;
  /** Names for the classes (default: the dataset's). */
  classNames?: readonly string[];
}

/**
 * Runs a model over a dataset in evaluation mode (dropout off) with buffers allocated once, so
 * `fit` can reuse one evaluator for validation every epoch.
 */
export class Evaluator {
  private readonly buffers: BatchBuffers;
  private readonly indices: Int32Array;
  private readonly confusionCounts: Int32Array;

  constructor(
    private readonly model: Sequential,
    private readonly data: Dataset,
    private readonly loss: LossName = 'cross_entropy',
    batchSize = 256,
  ) {
    if (!(Number.isInteger(batchSize) && batchSize > 0)) {
      throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `evaluate: batchSize must be a whole number ≥ 1, got ${batchSize}`);
    }
    checkDatasetFits(model, data, 'evaluate');
    getBatchLoss(loss);
    this.buffers = allocateBatchBuffers(model, Math.min(batchSize, Math.max(data.size, 1)), data);
    this.indices = new Int32Array(data.size);
    for (let i = 0; i < data.size; i++) this.indices[i] = i;
    const classes = Math.max(data.classCount, 2);
    this.confusionCounts = new Int32Array(classes * classes);
  }

  /** Loss, accuracy and the confusion counts (in `confusionCounts`) over the whole dataset. */
  run(): { loss: number; accuracy: number } {
    const { model, data, buffers } = this;
    const lossFn = getBatchLoss(this.loss);
    const cols = model.outputSize;
    const classes = Math.max(data.classCount, 2);
    const threshold = binaryThreshold(this.loss);
    const wasTraining = model.training;
    model.eval();
    this.confusionCounts.fill(0);
    let lossSum = 0;
    let correct = 0;
    try {
      for (let start = 0; start < data.size; start += buffers.batchSize) {
        const rows = Math.min(buffers.batchSize, data.size - start);
        gatherBatch(model, data, this.indices, start, rows, buffers);
        const out = model.forwardBatch(buffers.x, rows);
        lossSum += lossFn(model.backend, out, buffers.labels, null, rows, cols) * rows;
        for (let r = 0; r < rows; r++) {
          const predicted = predictedClass(out, r, cols, threshold);
          const actual = buffers.labels[r];
          if (predicted === actual) correct++;
          this.confusionCounts[actual * classes + predicted]++;
        }
      }
    } finally {
      if (wasTraining) model.train();
    }
    const n = Math.max(data.size, 1);
    return { loss: lossSum / n, accuracy: correct / n };
  }

  /** Hands the batch buffers back to the backend; the evaluator is unusable afterwards. */
  dispose(): void {
    releaseBatchBuffers(this.model, this.buffers);
  }

  /** Full evaluation with confusion matrix and per-class metrics. */
  evaluate(classNames?: readonly string[]): Evaluation {
    const { loss, accuracy } = this.run();
    const k = this.data.classCount;
    const stride = Math.max(k, 2);
    const confusion = Array.from({ length: k }, (_, r) => Array.from({ length: k }, (_, c) => this.confusionCounts[r * stride + c]));
    const names = classNames ?? this.data.classNames;
    return { loss, accuracy, count: this.data.size, confusion, perClass: classMetrics(confusion), ...(names ? { classNames: [...names] } : {}) };
  }
}

/**
 * Loss, accuracy, confusion matrix (row = true class) and per-class precision/recall/F1 of a
 * model over a dataset, in evaluation mode (the model's mode is restored afterwards).
 *
 * @throws ShapeError when the dataset's features or classes do not fit the model.
 */
export function evaluate(model: Sequential, data: Dataset, options: EvaluateOptions = {}): Evaluation {
  const evaluator = new Evaluator(model, data, options.loss, options.batchSize);
  try {
    return evaluator.evaluate(options.classNames);
  } finally {
    evaluator.dispose();
  }
}
