import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { assertInitializer, defaultInitializer, initialize, initializerScale } from './init.js';
import { buildModel } from './model/build-model.js';
import { parseArchitecture } from './model/parse-architecture.js';
import { Rng } from './random.js';

function stats(values: Float32Array): { mean: number; std: number; min: number; max: number } {
  let sum = 0;
  let sq = 0;
  for (const v of values) {
    sum += v;
    sq += v * v;
  }
  const mean = sum / values.length;
  return { mean, std: Math.sqrt(sq / values.length - mean * mean), min: Math.min(...values), max: Math.max(...values) };
}

describe('initializers', () => {
  const fanIn = 200;
  const fanOut = 100;
  const n = 40_000;
  it.each([
    ['he_normal', Math.sqrt(2 / fanIn)],
    ['xavier_normal', Math.sqrt(2 / (fanIn + fanOut))],
    ['lecun_normal', Math.sqrt(1 / fanIn)],
    ['standard_normal', 1],
    ['he_uniform', Math.sqrt(6 / fanIn) / Math.sqrt(3)],
    ['xavier_uniform', Math.sqrt(6 / (fanIn + fanOut)) / Math.sqrt(3)],
  ] as const)('%s has the standard deviation its formula gives (std %f)', (name, std) => {
    const values = new Float32Array(n);
    initialize(values, name, fanIn, fanOut, new Rng(1));
    const s = stats(values);
    // standard error of a sample std ≈ std/√(2n) ≈ 0.35 % here; allow 3 %
    expect(s.std / std).toBeGreaterThan(0.97);
    expect(s.std / std).toBeLessThan(1.03);
    expect(Math.abs(s.mean)).toBeLessThan(0.02 * std + 1e-9);
    if (name.endsWith('uniform')) {
      const bound = initializerScale(name, fanIn, fanOut);
      expect(s.max).toBeLessThanOrEqual(bound);
      expect(s.min).toBeGreaterThanOrEqual(-bound);
    }
  });

  it('zeros is all zeros', () => {
    const values = new Float32Array(10).fill(3);
    initialize(values, 'zeros', 1, 1, new Rng(1));
    expect(Array.from(values)).toEqual(new Array(10).fill(0));
  });

  it('defaults suit the activation that follows', () => {
    expect(defaultInitializer('relu')).toBe('he_normal');
    expect(defaultInitializer('leaky_relu')).toBe('he_normal');
    expect(defaultInitializer('selu')).toBe('lecun_normal');
    expect(defaultInitializer('tanh')).toBe('xavier_uniform');
    expect(defaultInitializer(undefined)).toBe('xavier_uniform');
    const model = buildModel(parseArchitecture('400-300-10', { activations: 'relu' }), { seed: 3 });
    expect(stats(model.parameters()[0].value.data).std).toBeCloseTo(Math.sqrt(2 / 400), 2);
    const layerInit = buildModel({ inputSize: 400, layers: [{ type: 'dense', inputSize: 400, outputSize: 300, init: 'zeros' }] });
    expect(model.parameters()[1].value.data.every((b) => b === 0)).toBe(true);
    expect(layerInit.parameters()[0].value.data.every((w) => w === 0)).toBe(true);
  });

  it('an unknown name lists the valid ones', () => {
    expect(() => assertInitializer('glorot')).toThrow(ConfigError);
    expect(() => assertInitializer('glorot')).toThrow(/valid initializers: he_normal, he_uniform, xavier_normal/);
  });
});
