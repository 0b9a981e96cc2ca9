import type { Dataset } from '../data/dataset.js';
import { ConfigError, ErrorCode, TrainingError } from '../errors.js';
import { getBatchLoss } from '../losses/index.js';
import type { Sequential } from '../model/sequential.js';
import { createOptimizer, scheduledLearningRate, validateSchedule } from '../optim/index.js';
import type { Optimizer, OptimizerConfig, ScheduleConfig, ScheduleContext } from '../optim/types.js';
import { Rng } from '../random.js';
import { Augmenter } from './augment.js';
import { augmentImageShape, augmentsAnything, validateAugmentConfig } from './augment-config.js';
import { allocateBatchBuffers, binaryThreshold, checkDatasetFits, gatherBatch, releaseBatchBuffers } from './batch-runner.js';
import { EarlyStopping } from './early-stopping.js';
import { Evaluator } from './evaluate.js';
import { now, yieldToEventLoop } from './event-loop.js';
import { predictedClass } from './metrics.js';
import { checkResumable, copyHistory } from './trainer-state.js';
import { TrainingAbortedError } from './training-aborted-error.js';
import type { BatchEndInfo, EpochRecord, FitOptions, TrainerState, TrainingHistory } from './types.js';

/** Stream id of the dropout generator, so it never coincides with an epoch's shuffle stream. */
const DROPOUT_STREAM = 0x64726f70;

/**
 * Trains a model on a dataset: per epoch a seeded shuffle (`Rng.derive(seed, epoch)`), then per
 * batch forward → loss → backward → optimizer step, with the learning-rate schedule, validation,
 * callbacks, early stopping and cancellation. Deterministic for a given seed, and a run stopped
 * (abort or callback snapshot) and resumed with `resumeFrom` ends bit-identical to an
 * uninterrupted one. The per-batch path allocates nothing: batch buffers and every layer's
 * buffers are sized once for `batchSize`. With `augment`, each training batch is distorted after
 * gathering, with parameters drawn from `Rng.derive`-style streams of (seed, epoch, batch), so
 * augmentation keeps both properties.
 *
 * Leaves the model in evaluation mode.
 *
 * @throws TrainingError NON_FINITE_LOSS when a batch loss is NaN/Inf (weights are put back as they
 *   were at the start of that epoch); TrainingAbortedError (code ABORTED, with `.state`) when
 *   `signal` aborts; ConfigError / ShapeError for bad options or data that does not fit the model.
 */
export async function fit(model: Sequential, train: Dataset, options: FitOptions): Promise<TrainingHistory> {
  const { epochs, batchSize } = options;
  const positiveInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1;
  if (!positiveInt(epochs)) throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `fit: epochs must be a whole number ≥ 1, got ${epochs}`);
  if (!positiveInt(batchSize)) throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `fit: batchSize must be a whole number ≥ 1, got ${batchSize}`);
  if (train.size < 1) throw new ConfigError(ErrorCode.INVALID_ARGUMENT, 'fit: the training set is empty');
  checkDatasetFits(model, train, 'fit');
  if (options.validation) checkDatasetFits(model, options.validation, 'fit (validation data)');
  if (options.augment) validateAugmentConfig(options.augment);
  const augmentShape = options.augment && augmentsAnything(options.augment) ? augmentImageShape(model, train) : null;
  const lossName = options.loss ?? 'cross_entropy';
  const lossFn = getBatchLoss(lossName);
  checkOutputSuitsLoss(model, lossName);
  const parameters = model.parameters();
  const optimizer = resolveOptimizer(options.optimizer, model);
  // An optimizer fit created from a config is fit's to dispose of (its slots are backend buffers).
  const disposeOwnOptimizer = () => {
    if (optimizer !== options.optimizer) optimizer.dispose?.();
  };
  const baseLr = optimizer.config.lr;
  const schedule: ScheduleConfig = options.schedule ?? { type: 'constant' };
  validateSchedule(schedule, { baseLr, totalEpochs: epochs });
  const seed = options.seed ?? 0;
  const shuffle = options.shuffle ?? true;
  const yieldEveryMs = options.yieldEveryMs ?? 50;
  const { signal, callbacks = {} } = options;

  const size = train.size;
  const rowsCapacity = Math.min(batchSize, size);
  const stepsPerEpoch = Math.ceil(size / batchSize);

  // Run position and running totals: exactly what a TrainerState holds.
  const rng = Rng.derive(seed, DROPOUT_STREAM);
  let epoch = 0;
  let batch = 0;
  let globalStep = 0;
  let history: TrainingHistory = { epochs: [], stoppedEarly: false };
  const totals = { lossSum: 0, correct: 0, seen: 0 };
  const early = options.earlyStopping ? new EarlyStopping(options.earlyStopping, options.validation !== undefined, parameters) : null;

  if (options.resumeFrom) {
    const state = options.resumeFrom;
    try {
      checkResumable(state, { seed, batchSize, datasetSize: size });
      epoch = state.epoch;
      batch = state.batch;
      globalStep = state.globalStep;
      history = copyHistory(state.history);
      Object.assign(totals, state.epochTotals);
      rng.setState(state.rng);
      optimizer.loadStateDict(state.optimizer);
      if (early && state.earlyStopping) early.load(state.earlyStopping);
    } catch (error) {
      disposeOwnOptimizer();
      throw error;
    }
    if (history.stoppedEarly) {
      disposeOwnOptimizer();
      return finish();
    }
  }

  // Everything the per-batch path touches is allocated here, once.
  const indices = new Int32Array(size);
  const epochStartWeights = parameters.map((p) => new Float32Array(p.value.size));
  const cols = model.outputSize;
  const threshold = binaryThreshold(lossName);
  const backend = model.backend;
  // Only a warm-up changes the rate within an epoch, and only during its warm-up epochs.
  const warmupEpochs = schedule.type === 'warmup' ? schedule.warmupEpochs : 0;
  const scheduleContext: ScheduleContext = { epoch: 0, step: 0, stepsPerEpoch, totalEpochs: epochs };

  const captureState = (): TrainerState => ({
    version: 1,
    seed,
    batchSize,
    datasetSize: size,
    epoch,
    batch,
    globalStep,
    rng: [...rng.getState()],
    optimizer: optimizer.stateDict(),
    history: copyHistory(history),
    epochTotals: { ...totals },
    earlyStopping: early ? early.snapshot() : null,
  });
  const batchInfo: BatchEndInfo = {
    epoch: 0,
    batch: 0,
    batchesPerEpoch: stepsPerEpoch,
    globalStep: 0,
    loss: 0,
    progress: 0,
    learningRate: 0,
    trainerState: captureState,
  };

  const previousRng = model.rng;
  model.rng = rng;
  let lastYield = now();
  // Backend buffers: released in `finally`, since WebAssembly memory is not garbage-collected.
  const buffers = allocateBatchBuffers(model, rowsCapacity, train);
  // Training batches only: validation and evaluation read the data as it is.
  const augmenter = options.augment && augmentShape ? new Augmenter(options.augment, augmentShape, rowsCapacity, seed) : null;
  const evaluator = options.validation ? new Evaluator(model, options.validation, lossName, rowsCapacity) : null;
  try {
    for (; epoch < epochs; epoch++) {
      const epochStartTime = now();
      const samplesBefore = totals.seen;
      for (let i = 0; i < parameters.length; i++) epochStartWeights[i].set(parameters[i].value.data);
      for (let i = 0; i < size; i++) indices[i] = i;
      if (shuffle) Rng.derive(seed, epoch).shuffle(indices);
      scheduleContext.epoch = epoch;
      scheduleContext.step = 0;
      optimizer.learningRate = scheduledLearningRate(schedule, baseLr, scheduleContext);
      model.train();

      for (; batch < stepsPerEpoch; batch++) {
        if (now() - lastYield >= yieldEveryMs) {
          await yieldToEventLoop();
          lastYield = now();
        }
        if (signal?.aborted) throw new TrainingAbortedError(captureState(), signal.reason);
        if (epoch < warmupEpochs) {
          scheduleContext.step = batch;
          optimizer.learningRate = scheduledLearningRate(schedule, baseLr, scheduleContext);
        }
        const start = batch * batchSize;
        const rows = Math.min(batchSize, size - start);
        gatherBatch(model, train, indices, start, rows, buffers);
        augmenter?.apply(buffers.x, rows, epoch, batch);

        const output = model.forwardBatch(buffers.x, rows);
        const loss = lossFn(backend, output, buffers.labels, buffers.dOutput, rows, cols);
        if (!Number.isFinite(loss)) {
          for (let i = 0; i < parameters.length; i++) parameters[i].value.data.set(epochStartWeights[i]);
          throw nonFiniteLoss(loss, epoch, batch, optimizer.learningRate, firstNonFinite(buffers.x, rows * model.inputSize));
        }
        for (let r = 0; r < rows; r++) if (predictedClass(output, r, cols, threshold) === buffers.labels[r]) totals.correct++;
        // Overwrites the gradients: one pass fewer than zeroGrad + accumulate.
        model.backwardBatch(buffers.dOutput, rows, false, true);
        optimizer.step();
        globalStep++;
        totals.lossSum += loss * rows;
        totals.seen += rows;

        if (callbacks.onBatchEnd) {
          batchInfo.epoch = epoch;
          batchInfo.batch = batch;
          batchInfo.globalStep = globalStep;
          batchInfo.loss = loss;
          batchInfo.progress = globalStep / (epochs * stepsPerEpoch);
          batchInfo.learningRate = optimizer.learningRate;
          // The snapshot must say "this batch is done", so advance the position first.
          batch++;
          const pending = callbacks.onBatchEnd(batchInfo);
          if (pending) await pending;
          batch--;
        }
      }

      const validation = evaluator ? evaluator.run() : null;
      const record: EpochRecord = {
        epoch,
        loss: totals.lossSum / totals.seen,
        accuracy: totals.correct / totals.seen,
        ...(validation ? { valLoss: validation.loss, valAccuracy: validation.accuracy } : {}),
        learningRate: optimizer.learningRate,
      };
      history.epochs.push(record);
      const trained = totals.seen - samplesBefore;
      totals.lossSum = 0;
      totals.correct = 0;
      totals.seen = 0;
      const stop = early ? early.update(record) : false;
      if (early) history.bestEpoch = early.state.bestEpoch;
      if (stop) history.stoppedEarly = true;
      // From here on a snapshot describes the start of the next epoch.
      epoch++;
      batch = 0;
      if (callbacks.onEpochEnd) {
        const seconds = (now() - epochStartTime) / 1000;
        const pending = callbacks.onEpochEnd({
          ...record,
          seconds,
          samplesPerSecond: seconds > 0 ? trained / seconds : 0,
          history: copyHistory(history),
          trainerState: captureState,
        });
        if (pending) await pending;
      }
      epoch--;
      if (stop) break;
    }
  } finally {
    model.rng = previousRng;
    releaseBatchBuffers(model, buffers);
    evaluator?.dispose();
    disposeOwnOptimizer();
  }
  return finish();

  function finish(): TrainingHistory {
    early?.restoreBest();
    model.eval();
    return copyHistory(history);
  }
}

/** Cross-entropy and BCE fuse their own softmax/sigmoid, so they need a model that outputs logits. */
function checkOutputSuitsLoss(model: Sequential, loss: string): void {
  const last = model.layers[model.layers.length - 1]?.spec.type;
  if ((loss === 'cross_entropy' || loss === 'bce') && (last === 'softmax' || last === 'sigmoid')) {
    throw new ConfigError(
      ErrorCode.INVALID_ARGUMENT,
      `fit: loss '${loss}' expects logits and applies its own ${loss === 'bce' ? 'sigmoid' : 'softmax'}, but the model already ends in ${last}; build it with output 'identity', or train with loss 'mse'`,
    );
  }
}

/** Index of the first NaN/Inf among the first n values, or −1. */
function firstNonFinite(values: Float32Array, n: number): number {
  for (let i = 0; i < n; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

function nonFiniteLoss(loss: number, epoch: number, batch: number, lr: number, badInput: number): TrainingError {
  const where = `the loss became ${loss} at epoch ${epoch + 1}, batch ${batch + 1}`;
  const restored = `The weights were put back as they were at the start of epoch ${epoch + 1}.`;
  const message =
    badInput >= 0
      ? `${where} because the input batch holds a non-finite value (feature ${badInput}); check the data for NaN or Infinity. ${restored}`
      : `${where} (learning rate ${lr}): training diverged, so try a lower learning rate (e.g. ${lr / 10}) or gradient clipping (clipNorm). ${restored}`;
  return new TrainingError(ErrorCode.NON_FINITE_LOSS, message);
}

function resolveOptimizer(optimizer: OptimizerConfig | Optimizer, model: Sequential): Optimizer {
  if (!optimizer || typeof optimizer !== 'object') {
    throw new ConfigError(ErrorCode.INVALID_ARGUMENT, "fit: options.optimizer must be a config such as { type: 'adam', lr: 0.001 } or an Optimizer");
  }
  if (typeof (optimizer as Optimizer).step !== 'function') {
    return createOptimizer(optimizer as OptimizerConfig, model.parameters(), model.backend);
  }
  const given = optimizer as Optimizer;
  const own = model.parameters();
  if (given.parameters.length !== own.length || given.parameters.some((p, i) => p.value !== own[i].value)) {
    throw new ConfigError(ErrorCode.INVALID_ARGUMENT, "fit: the optimizer was created for another model's parameters; create it with model.parameters()");
  }
  return given;
}
