import { describe, expect, it } from 'vitest';
import { ConfigError, ErrorCode } from '../errors.js';
import { buildModel } from './build-model.js';
import { parseArchitecture } from './parse-architecture.js';
import { validateModelSpec } from './model-shapes.js';

describe('parseArchitecture', () => {
  it('lays out Linear, activation, [Dropout] … Linear like nn.Sequential', () => {
    const spec = parseArchitecture('784-256-128-10', { activations: 'relu,tanh', dropout: 0.2 });
    expect(spec).toEqual({
      inputSize: 784,
      layers: [
        { type: 'dense', inputSize: 784, outputSize: 256 },
        { type: 'relu' },
        { type: 'dropout', rate: 0.2 },
        { type: 'dense', inputSize: 256, outputSize: 128 },
        { type: 'tanh' },
        { type: 'dropout', rate: 0.2 },
        { type: 'dense', inputSize: 128, outputSize: 10 },
      ],
    });
  });

  it('applies one activation to every hidden layer, accepts arrays, leaky alpha and an output activation', () => {
    const spec = parseArchitecture('4-8-8-3', { activations: ['leaky_relu'], output: 'sigmoid', leakyAlpha: 0.1 });
    expect(spec.layers.map((l) => l.type)).toEqual(['dense', 'leaky_relu', 'dense', 'leaky_relu', 'dense', 'sigmoid']);
    expect(spec.layers[1]).toEqual({ type: 'leaky_relu', alpha: 0.1 });
    expect(parseArchitecture('2-3').layers).toEqual([{ type: 'dense', inputSize: 2, outputSize: 3 }]);
  });

  it('an unknown activation lists the valid ones', () => {
    const attempt = () => parseArchitecture('784-128-10', { activations: 'relu,swish' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/unknown activation 'swish'; valid activations: relu, leaky_relu, sigmoid, tanh, selu, softmax, identity/);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).code).toBe(ErrorCode.UNKNOWN_ACTIVATION);
    }
  });

  it('a bad size names the token', () => {
    expect(() => parseArchitecture('784-12x-10')).toThrow(/size #2 '12x' is not a positive whole number/);
    expect(() => parseArchitecture('784-0-10')).toThrow(/size #2 '0'/);
    expect(() => parseArchitecture('784--10')).toThrow(/size #2 ''/);
    expect(() => parseArchitecture('784')).toThrow(/at least an input and an output size/);
  });

  it('rejects a wrong number of activations, a bad dropout and a bad output', () => {
    expect(() => parseArchitecture('4-8-8-8-2', { activations: 'relu,tanh' })).toThrow(/2 activations .* for 3 hidden layers/);
    expect(() => parseArchitecture('4-8-2', { dropout: 1 })).toThrow(/dropout must be a rate in \[0, 1\), got 1/);
    expect(() => parseArchitecture('4-8-2', { output: 'tanh' as 'sigmoid' })).toThrow(/valid output activations: identity, softmax, sigmoid/);
  });
});

describe('validateModelSpec', () => {
  it('names the layer whose sizes do not chain', () => {
    const spec = parseArchitecture('4-8-2');
    spec.layers[2] = { type: 'dense', inputSize: 7, outputSize: 2 };
    expect(() => validateModelSpec(spec)).toThrow(/layer 2 \(dense\): expects 7 inputs but the previous layer gives 8/);
    expect(() => buildModel(spec)).toThrow(ConfigError);
  });

  it('rejects unknown layer types and initializers, listing valid ones', () => {
    expect(() => validateModelSpec({ inputSize: 2, layers: [{ type: 'conv' } as never] })).toThrow(/unknown layer type 'conv'; valid types: dense/);
    expect(() => validateModelSpec({ inputSize: 2, layers: [{ type: 'dense', inputSize: 2, outputSize: 2, init: 'magic' as never }] })).toThrow(
      /unknown initializer 'magic'; valid initializers: he_normal/,
    );
  });
});
