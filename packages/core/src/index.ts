export * from './errors.js';
export * from './error-table.js';
export * from './random.js';
export * from './tensor.js';
export * from './tensor-ops.js';
export * from './parameter.js';
export * from './backend/index.js';
export * from './optim/index.js';
export type * from './data/dataset.js';
export { tensorDataset } from './data/tensor-dataset.js';
export * from './init.js';
export {
  ACTIVATIONS,
  type Activation,
  DEFAULT_LEAKY_ALPHA,
  type LayerSpec,
  type LayerType,
  type ModelSpec,
  type Shape,
  type Size2d,
  isActivation,
  modelInputShape,
  shapeSize,
} from './model/spec.js';
export { type LayerSummary, stateDictShapes, summarizeModel, validateModelSpec } from './model/model-shapes.js';
export { type ArchitectureOptions, parseArchitecture } from './model/parse-architecture.js';
export { isLayerArchitecture, parseLayerArchitecture } from './model/parse-layers.js';
export { CNN_ARCHITECTURES, type CnnArchitectureName } from './model/architecture-presets.js';
export { type BuildModelOptions, buildModel } from './model/build-model.js';
export { Sequential } from './model/sequential.js';
export type { ForwardContext, Layer, LayerBuffer } from './layers/layer.js';
export type { BufferShape, LayerContext, LayerKind, LayerRegistry } from './layers/layer-kind.js';
export { LAYER_REGISTRY, LAYER_TYPES, layerKind } from './layers/registry.js';
export { Conv2d } from './layers/conv2d.js';
export { Pool2d } from './layers/pool2d.js';
export { BatchNorm } from './layers/batch-norm.js';
export { Dense } from './layers/dense.js';
export { ElementwiseActivation, LeakyReLU, ReLU, SELU, Sigmoid, Tanh } from './layers/activations.js';
export { Softmax } from './layers/softmax.js';
export { Identity } from './layers/identity.js';
export { Dropout } from './layers/dropout.js';
export { Flatten } from './layers/flatten.js';
export {
  binaryCrossEntropyLoss,
  binaryCrossEntropyWithLogits,
  computeLoss,
  getBatchLoss,
  LOSS_NAMES,
  type BatchLoss,
  type BatchTarget,
  type LossName,
  type LossTarget,
  meanSquaredError,
  meanSquaredErrorLoss,
  softmaxCrossEntropy,
  softmaxCrossEntropyLoss,
} from './losses/index.js';
export { fit } from './train/fit.js';
export { type AugmentConfig, AUGMENT_KEYS, AUGMENT_RANGES, ELASTIC_RANGES, augmentImageShape, validateAugmentConfig } from './train/augment-config.js';
export { Augmenter, type ElasticPick, type WarpParams, warpImage } from './train/augment.js';
export { ElasticBank } from './train/elastic-bank.js';
export { type EvaluateOptions, type Evaluation, Evaluator, evaluate } from './train/evaluate.js';
export { type PredictOptions, predict, predictClasses } from './train/predict.js';
export { type NestedNumbers, type PredictInput, toInputTensor } from './train/predict-input.js';
export { type ClassMetrics, classMetrics, confusionMatrix, predictedClass } from './train/metrics.js';
export { TrainingAbortedError } from './train/training-aborted-error.js';
export type * from './train/types.js';
export { OPTIMIZER_TYPES } from './optim/optimizer-types.js';
export {
  REQUIRED_RUN_SETTINGS,
  RUN_LOSSES,
  RUN_LOSS_NAMES,
  type RunLoss,
  type TrainingHyperparameters,
} from './run/hyperparameters.js';
export { DEFAULT_TRAINING_SETTINGS, TRAINING_PRESETS, TRAINING_PRESET_NAMES, type TrainingPreset, type TrainingPresetName, trainingPreset } from './run/presets.js';
export { parseScheduleText } from './run/schedule-text.js';
export { modelSpecForRun } from './run/run-model-spec.js';
export { checkRunOptimizer, MAX_RUN_BATCH_SIZE, MAX_RUN_EPOCHS, MAX_RUN_THREADS, RUN_SETTING_RULES, runSettingFlag } from './run/setting-rules.js';
export { MAX_IMAGE_SIDE, parseImageSizeText } from './run/image-size.js';
export { fitArchToData } from './run/fit-arch.js';
export { trainLimitIndices } from './run/train-limit.js';
export { MAX_SEED, parseChoice, parseFraction, parseNonNegativeInteger, parsePositiveInteger, parsePositiveNumber, parseSeed } from './run/setting-values.js';
export {
  avgPool2d,
  batchNorm1d,
  batchNorm2d,
  type Conv2dOptions,
  conv2d,
  dense,
  dropout,
  flatten,
  identity,
  type InputSpec,
  input,
  type LayerDraft,
  leakyRelu,
  maxPool2d,
  relu,
  selu,
  sigmoid,
  softmax,
  tanh,
} from './model/layer-factories.js';
export { type LayerInit, specFromLayers } from './model/spec-from-layers.js';
export { sequential } from './model/sequential-factory.js';
export { closest, editDistance } from './closest.js';
export { DEFAULT_ELASTIC, DIGITS_AUGMENT, formatAugmentSpec, parseAugmentSpec } from './train/augment-spec.js';
