import type { Sequential } from '../model/sequential.js';
import { argmaxRows, Tensor } from '../tensor.js';

export interface PredictOptions {
  /**
   * How to turn outputs into probabilities. Default: none when the model already ends in a
   * softmax or sigmoid layer, otherwise softmax over the logits (a cross-entropy model); use
   * 'sigmoid' for a model trained with BCE.
   */
  activation?: 'softmax' | 'sigmoid' | 'none';
}

/** Class probabilities [batch, classes] for a [batch, inputSize] input, in evaluation mode. */
export function predict(model: Sequential, x: Tensor, options: PredictOptions = {}): Tensor {
  const wasTraining = model.training;
  model.eval();
  let out: Tensor;
  try {
    out = model.forward(x);
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

/** Predicted class index per row (arg-max of the outputs). */
export function predictClasses(model: Sequential, x: Tensor): Int32Array {
  return argmaxRows(predict(model, x, { activation: 'none' }));
}
