import type { Sequential } from '../model/sequential.js';
import { argmaxRows, Tensor } from '../tensor.js';
import { type PredictInput, toInputTensor } from './predict-input.js';

export interface PredictOptions {
  /**
   * How to turn outputs into probabilities. Default: none when the model already ends in a
   * softmax or sigmoid layer, otherwise softmax over the logits (a cross-entropy model); use
   * 'sigmoid' for a model trained with BCE.
   */
  activation?: 'softmax' | 'sigmoid' | 'none';
  /** The shape of flat values (a typed array or number[]): [batch, ...] or one example's shape. */
  shape?: readonly number[];
}

/**
 * Class probabilities [batch, classes], in evaluation mode, for a Tensor [batch, ...inputShape],
 * `number[][]` rows (`number[][][]` images), or flat values (typed array or number[]) with an
 * optional `shape`. @throws ShapeError naming the input's shape and the model's.
 */
export function predict(model: Sequential, x: PredictInput, options: PredictOptions = {}): Tensor {
  const input = toInputTensor(x, model.inputShape, options.shape);
  const wasTraining = model.training;
  model.eval();
  let out: Tensor;
  try {
    out = model.forward(input);
  } finally {
    if (wasTraining) model.train();
  }
  const last = model.layers[model.layers.length - 1]?.spec.type;
  const activation = options.activation ?? (last === 'softmax' || last === 'sigmoid' ? 'none' : 'softmax');
  const [rows, cols] = out.shape;
  if (activation === 'softmax') model.backend.softmax(out.data, out.data, rows, cols);
  if (activation !== 'sigmoid') return out;
  const probabilities = new Tensor(out.shape);
  model.backend.activationForward('sigmoid', out.data, probabilities.data, rows * cols, 0);
  return probabilities;
}

/** Predicted class index per row (arg-max of the outputs); takes what `predict` takes. */
export function predictClasses(model: Sequential, x: PredictInput, options: Pick<PredictOptions, 'shape'> = {}): Int32Array {
  return argmaxRows(predict(model, x, { ...options, activation: 'none' }));
}
