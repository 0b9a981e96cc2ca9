import type { Backend } from '../backend/backend.js';
import type { Sequential } from '../model/sequential.js';
import { argmaxRows, type Tensor } from '../tensor.js';

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
  else if (activation === 'sigmoid') applySigmoid(model.backend, out.data, rows * cols);
  return out;
}

/** Predicted class index per row (arg-max of the outputs). */
export function predictClasses(model: Sequential, x: Tensor): Int32Array {
  return argmaxRows(predict(model, x, { activation: 'none' }));
}

function applySigmoid(backend: Backend, values: Float32Array, n: number): void {
  backend.activationForward('sigmoid', values, values, n, 0);
}
