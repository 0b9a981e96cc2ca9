import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '../errors.js';
import { Dense } from '../layers/dense.js';
import { Tensor } from '../tensor.js';
import { buildModel } from './build-model.js';
import { conv2d, dense, dropout, flatten, input, maxPool2d, relu, batchNorm2d, tanh } from './layer-factories.js';
import { parseArchitecture } from './parse-architecture.js';
import { Sequential } from './sequential.js';
import { sequential } from './sequential-factory.js';

describe('layers composed by hand, as in torch', () => {
  it('sequential(dense(784, 128), relu(), dense(128, 10)) is the model parseArchitecture builds, weights and all', () => {
    const byHand = new Sequential([dense(784, 128), relu(), dropout(0.1), dense(128, 10)], { seed: 3 });
    const parsed = buildModel(parseArchitecture('784-128-10', { dropout: 0.1 }), { seed: 3 });
    expect(byHand).toBeInstanceOf(Sequential);
    expect(byHand.spec).toEqual(parsed.spec);
    for (const [name, t] of parsed.stateDict()) expect([...byHand.stateDict().get(name)!.data], name).toEqual([...t.data]);
    expect(sequential(dense(784, 128), relu(), dense(128, 10)).outputShape).toEqual([10]);
  });

  it('open sizes come from the layer before: dense(10), conv2d(null, …), batchNorm2d()', () => {
    const model = sequential(input(1, 28, 28), conv2d(null, 6, 5, { padding: 2 }), batchNorm2d(), relu(), maxPool2d(2), flatten(), dense(10));
    expect(model.inputShape).toEqual([1, 28, 28]);
    expect(model.spec.layers[0]).toMatchObject({ type: 'conv2d', inChannels: 1, outChannels: 6 });
    expect(model.spec.layers[1]).toMatchObject({ type: 'batch_norm2d', numFeatures: 6 });
    expect(model.spec.layers.at(-1)).toEqual({ type: 'dense', inputSize: 6 * 14 * 14, outputSize: 10 });
    expect(model.forward(new Tensor([2, 1, 28, 28])).shape).toEqual([2, 10]);
  });

  it('a size that does not fit the layer before is a ShapeError naming the layer and both sizes', () => {
    expect(() => sequential(dense(784, 128), relu(), dense(100, 10))).toThrow(ShapeError);
    expect(() => sequential(dense(784, 128), relu(), dense(100, 10))).toThrow(/layer 2 \(dense\) expects 100 inputs but the layer before gives \[128\].*dense\(128, 10\)/);
    expect(() => sequential(input(1, 28, 28), conv2d(3, 6, 5))).toThrow(/expects 3 input channels but the layer before gives \[1, 28, 28\]/);
    expect(() => sequential(input(1, 28, 28), conv2d(1, 6, 5), dense(10))).toThrow(/put flatten\(\) before it/);
  });

  it('what cannot be a model is a ConfigError, never a TypeError', () => {
    expect(() => sequential(conv2d(1, 6, 5))).toThrow(ConfigError); // no input shape
    expect(() => sequential(relu())).toThrow(/start with input\(1, 28, 28\)/);
    expect(() => new Sequential([dense(4, 3), 7 as never])).toThrow(/layer 1 is number, not a layer/);
    expect(() => new Sequential({ inputSize: 4, layers: [] } as never, undefined as never, undefined as never)).toThrow(ConfigError);
    expect(() => sequential(dense(4, 3), { type: 'bogus' } as never)).toThrow(/unknown layer type 'bogus'/);
    expect(() => sequential(dense(4, 3), dropout(2))).toThrow(ConfigError);
  });

  it('new Sequential([new Dense(4, 3)]) works and keeps the layer’s weights (was a raw TypeError)', () => {
    const layer = new Dense(4, 3);
    const model = new Sequential([layer, tanh(), dense(2)]);
    expect(model.namedParameters().map(([name]) => name)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect([...model.layers[0].parameters[0].value.data]).toEqual([...layer.weight.value.data]);
    expect(model.forward(new Tensor([1, 4], Float32Array.of(1, 2, 3, 4))).shape).toEqual([1, 2]);
    expect(() => new Sequential([dense(5, 4), new Dense(3, 2)])).toThrow(/was built for input \[3\] but the layer before gives \[4\]/);
  });
});
