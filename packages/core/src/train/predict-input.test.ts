import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '../errors.js';
import { dense, flatten, input, relu } from '../model/layer-factories.js';
import { sequential } from '../model/sequential-factory.js';
import { Tensor } from '../tensor.js';
import { predict, predictClasses } from './predict.js';

const model = sequential(dense(4, 8), relu(), dense(8, 3));
const rows = [
  [0.1, 0.2, 0.3, 0.4],
  [1, 0, -1, 0.5],
];
const expected = [...predict(model, new Tensor([2, 4], Float32Array.from(rows.flat()))).data];

describe('predict takes plain arrays and typed arrays (was a raw TypeError)', () => {
  it('number[][] rows, a typed array with or without a shape, {data, shape}: the same probabilities', () => {
    expect([...predict(model, rows).data]).toEqual(expected);
    expect([...predict(model, Float32Array.from(rows.flat())).data]).toEqual(expected);
    expect([...predict(model, rows.flat(), { shape: [2, 4] }).data]).toEqual(expected);
    expect([...predict(model, { data: Float64Array.from(rows.flat()), shape: [2, 4] }).data]).toEqual(expected);
    expect([...predict(model, rows[0], { shape: [4] }).data]).toEqual(expected.slice(0, 3)); // one example
    expect([...predictClasses(model, rows)]).toHaveLength(2);
  });

  it('images as number[][][] for a model that flattens', () => {
    const images = sequential(input(2, 2), flatten(), dense(3));
    const x = [
      [
        [1, 2],
        [3, 4],
      ],
    ];
    expect(predict(images, x).shape).toEqual([1, 3]);
  });

  it('wrong shapes are ShapeErrors naming what was given; non-numbers are ConfigErrors', () => {
    expect(() => predict(model, [[1, 2, 3, 4], [1, 2, 3]])).toThrow(ShapeError);
    expect(() => predict(model, [[1, 2, 3, 4], [1, 2, 3]])).toThrow(/x\[1\] has 3 entries but x\[0\] has 4/);
    expect(() => predict(model, [[1, 2, 3]])).toThrow(/input \[1, 3\] does not match the model input \[batch, 4\]/);
    expect(() => predict(model, new Float32Array(6))).toThrow(/6 values are not whole examples of the model's input \[4\]/);
    expect(() => predict(model, new Float32Array(8), { shape: [3, 4] })).toThrow(/holds 12 values but 8 were given/);
    expect(() => predict(model, [['a', 1, 2, 3]] as never)).toThrow(ConfigError);
    expect(() => predict(model, 'pixels' as never)).toThrow(ConfigError);
  });
});
