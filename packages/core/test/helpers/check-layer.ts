import type { Layer } from '../../src/layers/layer.js';
import { Rng } from '../../src/random.js';
import { float64 } from './float64.js';
import { maxRelativeError, numericGradient, sampleValues } from './gradient-check.js';

/**
 * Gradient check of one layer under the scalar L = Σ w ⊙ layer(x) with fixed random weights w
 * (so dL/dy = w). Returns the worst relative error for the input and for every parameter.
 * Forward passes draw dropout masks from a generator reset to the same seed each time, so the
 * function being differentiated is fixed.
 */
export function checkLayer(layer: Layer, rows: number, seed = 1, training = true): Record<string, { error: number; message: string }> {
  const x = float64(sampleValues(rows * layer.inputSize, seed));
  const w = float64(sampleValues(rows * layer.outputSize, seed + 7));
  const context = () => ({ training, rng: new Rng(seed) });
  const objective = (): number => {
    const y = layer.forward(x, rows, context());
    let sum = 0;
    for (let i = 0; i < rows * layer.outputSize; i++) sum += w[i] * y[i];
    return sum;
  };
  for (const p of layer.parameters) p.grad.data.fill(0);
  layer.forward(x, rows, context());
  const dx = Float64Array.from(layer.backward(w, rows, true)!.subarray(0, rows * layer.inputSize));
  const analytic: Record<string, ArrayLike<number>> = { input: dx };
  for (const p of layer.parameters) analytic[p.name] = Float64Array.from(p.grad.data);

  const results: Record<string, { error: number; message: string }> = {};
  results.input = maxRelativeError(analytic.input, numericGradient(objective, x));
  for (const p of layer.parameters) results[p.name] = maxRelativeError(analytic[p.name], numericGradient(objective, p.value.data));
  return results;
}
