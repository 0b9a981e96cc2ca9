import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../backend/index.js';
import { ConfigError, ShapeError } from '../errors.js';
import { getBatchLoss } from '../losses/index.js';
import { Tensor, tensor } from '../tensor.js';
import { float64, float64Backend } from '../../test/helpers/float64.js';
import { maxRelativeError, numericGradient, sampleValues } from '../../test/helpers/gradient-check.js';
import { buildModel } from './build-model.js';
import { parseArchitecture } from './parse-architecture.js';

describe('Sequential', () => {
  it('names parameters as PyTorch nn.Sequential does and counts them', () => {
    const model = buildModel(parseArchitecture('784-256-128-10', { dropout: 0.1 }));
    expect(model.namedParameters().map(([name, p]) => [name, p.value.shape])).toEqual([
      ['0.weight', [256, 784]],
      ['0.bias', [256]],
      ['3.weight', [128, 256]],
      ['3.bias', [128]],
      ['6.weight', [10, 128]],
      ['6.bias', [10]],
    ]);
    expect(model.parameterCount()).toBe(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10);
  });

  it('same seed → identical initial weights; another seed → different', () => {
    const a = buildModel(parseArchitecture('6-5-3'), { seed: 4 });
    const b = buildModel(parseArchitecture('6-5-3'), { seed: 4 });
    const c = buildModel(parseArchitecture('6-5-3'), { seed: 5 });
    expect(Array.from(a.parameters()[0].value.data)).toEqual(Array.from(b.parameters()[0].value.data));
    expect(Array.from(a.parameters()[0].value.data)).not.toEqual(Array.from(c.parameters()[0].value.data));
  });

  it('3-layer network: float64 central-difference check of every parameter and the input', () => {
    for (const [activations, output, loss] of [
      ['tanh,selu', 'identity', 'cross_entropy'],
      ['relu,leaky_relu', 'sigmoid', 'mse'],
      ['sigmoid,relu', 'identity', 'bce'],
    ] as const) {
      const model = buildModel(parseArchitecture('5-7-6-3', { activations, output }), { seed: 2, backend: float64Backend });
      for (const p of model.parameters()) p.value.data.set(sampleValues(p.value.size, p.value.size, -0.8, 0.8, 0.01));
      const rows = 4;
      const x = float64(sampleValues(rows * 5, 9));
      const labels = Int32Array.from([0, 2, 1, 1]);
      const lossFn = getBatchLoss(loss);
      const objective = () => lossFn(float64Backend, model.forwardBatch(x, rows), labels, null, rows, 3);
      model.zeroGrad();
      const dOut = float64(new Array(rows * 3).fill(0));
      lossFn(float64Backend, model.forwardBatch(x, rows), labels, dOut, rows, 3);
      const dx = Float64Array.from(model.backwardBatch(dOut, rows, true)!.subarray(0, rows * 5));
      const inputCheck = maxRelativeError(dx, numericGradient(objective, x));
      expect(inputCheck.error, `${activations} input: ${inputCheck.message}`).toBeLessThan(1e-6);
      for (const p of model.parameters()) {
        const r = maxRelativeError(Float64Array.from(p.grad.data), numericGradient(objective, p.value.data));
        expect(r.error, `${activations} ${p.name}: ${r.message}`).toBeLessThan(1e-6);
      }
    }
  });

  it('runs Dense + activation fused, with the same numbers as layer-by-layer forward and backward', () => {
    const model = buildModel(parseArchitecture('4-6-5-3', { activations: 'leaky_relu,selu' }), { seed: 3 });
    const x = Float32Array.from(sampleValues(8, 4));
    const context = { training: false, rng: model.rng };
    let manual: Float32Array = x;
    for (const layer of model.layers) manual = layer.forward(manual, 2, context);
    const expected = Array.from(manual.subarray(0, 6));
    let grad: Float32Array = Float32Array.from([1, -2, 0.5, 3, 0, -1]);
    model.zeroGrad();
    for (let i = model.layers.length - 1; i >= 0; i--) grad = model.layers[i].backward(grad, 2, true)!;
    const expectedGrads = model.parameters().map((p) => Array.from(p.grad.data));
    const expectedInput = Array.from(grad.subarray(0, 8));

    model.eval().zeroGrad();
    expect(Array.from(model.forwardBatch(x, 2).subarray(0, 6))).toEqual(expected);
    const dx = model.backwardBatch(Float32Array.from([1, -2, 0.5, 3, 0, -1]), 2, true)!;
    expect(Array.from(dx.subarray(0, 8))).toEqual(expectedInput);
    expect(model.parameters().map((p) => Array.from(p.grad.data))).toEqual(expectedGrads);
  });

  it('Tensor forward/backward: shapes checked with both shapes in the message', () => {
    const model = buildModel(parseArchitecture('3-4-2'));
    expect(model.forward(tensor([[1, 2, 3]])).shape).toEqual([1, 2]);
    expect(() => model.forward(tensor([[1, 2]]))).toThrow(ShapeError);
    expect(() => model.forward(tensor([[1, 2]]))).toThrow(/input \[1, 2\] does not match the model input \[batch, 3\]/);
    expect(() => model.backward(tensor([[1, 2, 3]]))).toThrow(/gradient \[1, 3\] does not match the last output \[1, 2\]/);
    const dx = model.backward(tensor([[1, -1]]));
    expect(dx.shape).toEqual([1, 3]);
  });

  it('accepts [batch, 28, 28] when the first layer is Flatten', () => {
    const model = buildModel({ inputSize: 4, layers: [{ type: 'flatten' }, { type: 'dense', inputSize: 4, outputSize: 1 }] });
    expect(model.forward(new Tensor([3, 2, 2])).shape).toEqual([3, 1]);
    expect(() => buildModel(parseArchitecture('4-1')).forward(new Tensor([3, 2, 2]))).toThrow(ShapeError);
  });

  it('dropout is active in train() and a pass-through in eval()', () => {
    const model = buildModel(parseArchitecture('20-50-2', { dropout: 0.5 }), { seed: 1 });
    const x = tensor(sampleValues(40, 3), [2, 20]);
    expect(model.training).toBe(true);
    const trainA = model.forward(x).data;
    const trainB = model.forward(x).data;
    expect(Array.from(trainA)).not.toEqual(Array.from(trainB));
    model.eval();
    expect(model.training).toBe(false);
    expect(Array.from(model.forward(x).data)).toEqual(Array.from(model.forward(x).data));
  });

  it('stateDict copies; loadStateDict round-trips and names what does not fit', () => {
    const a = buildModel(parseArchitecture('3-4-2'), { seed: 1 });
    const b = buildModel(parseArchitecture('3-4-2'), { seed: 2 });
    const state = a.stateDict();
    state.get('0.bias')!.data[0] = 42;
    expect(a.parameters()[1].value.data[0]).toBe(0);
    b.loadStateDict(a.stateDict());
    expect(Array.from(b.parameters()[0].value.data)).toEqual(Array.from(a.parameters()[0].value.data));
    b.loadStateDict(Object.fromEntries(state));
    expect(b.parameters()[1].value.data[0]).toBe(42);

    const wrong = buildModel(parseArchitecture('3-5-2'));
    expect(() => wrong.loadStateDict(a.stateDict())).toThrow(ShapeError);
    expect(() => wrong.loadStateDict(a.stateDict())).toThrow(/'0.weight' has shape \[4, 3\] but the model expects \[5, 3\]/);
    const deeper = buildModel(parseArchitecture('3-4-4-2'));
    expect(() => deeper.loadStateDict(a.stateDict())).toThrow(ConfigError);
    expect(() => deeper.loadStateDict(a.stateDict())).toThrow(/missing: 4.weight, 4.bias/);
  });

  it('zeroGrad clears gradients that backward accumulated', () => {
    const model = buildModel(parseArchitecture('3-2'), { backend: createJsBackend() });
    model.forward(tensor([[1, 2, 3]]));
    model.backward(tensor([[1, 1]]));
    expect(model.parameters()[0].grad.data.some((g) => g !== 0)).toBe(true);
    model.zeroGrad();
    expect(model.parameters().every((p) => p.grad.data.every((g) => g === 0))).toBe(true);
  });
});

describe('buildModel size limit', () => {
  it('refuses a model too large to allocate with a typed error naming the parameter count, before allocating', () => {
    const spec = parseArchitecture('784-100000000-10');
    expect(() => buildModel(spec)).toThrow(ConfigError);
    expect(() => buildModel(spec)).toThrow(/79,500,000,010 parameters.*use smaller layer sizes/);
  });
});
