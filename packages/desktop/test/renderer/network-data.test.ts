import { buildModel, dense, parseArchitecture, relu, sequential } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { traceBack, unitValues } from '../../src/renderer/src/network/trace.js';
import { meanAbsoluteDifference, unitImages } from '../../src/renderer/src/network/unit-images.js';
import { histogram, layerStats, LayerStatsReporter, type LayerStatsReport } from '../../src/renderer/src/training/layer-histograms.js';

describe('layer histograms (counted in the training worker)', () => {
  it('counts values into equal bins over their own range, skipping non-finite ones', () => {
    const h = histogram([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, Number.NaN, Number.POSITIVE_INFINITY], 5);
    expect(h.min).toBe(0);
    expect(h.max).toBe(10);
    expect(h.counts).toEqual([2, 2, 2, 2, 2]); // [0,2) [2,4) [4,6) [6,8) [8,10]
    expect(h.mean).toBeCloseTo(4.6, 10);
    expect(h.std).toBeCloseTo(Math.sqrt((0 + 1 + 4 + 9 + 16 + 25 + 36 + 49 + 64 + 100) / 10 - 4.6 ** 2), 5);
    expect(histogram([3, 3, 3], 4).counts).toEqual([3, 0, 0, 0]);
    expect(histogram([], 3)).toEqual({ min: 0, max: 0, mean: 0, std: 0, counts: [0, 0, 0] });
  });

  it('reports every parameter of a model and a copy of its first weight matrix (a conv2d too)', () => {
    const model = buildModel(parseArchitecture('784-16-16-10'), { seed: 1 });
    const report = layerStats(model, 0, false);
    expect(report.histograms.map((p) => p.name)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']);
    expect(report.histograms[0].weights.counts.reduce((a, b) => a + b, 0)).toBe(16 * 784);
    expect(report.histograms.every((p) => p.gradients === null)).toBe(true);
    expect(report.firstLayer?.shape).toEqual([16, 784]);
    expect(report.firstLayer?.data).toEqual(model.namedParameters()[0][1].value.data);
    expect(report.firstLayer?.data).not.toBe(model.namedParameters()[0][1].value.data);
    const cnn = buildModel(parseArchitecture('1x28x28-conv(6,5,pad=2)-relu-maxpool(2)-flatten-10'), { seed: 1 });
    expect(layerStats(cnn, 0, true).firstLayer?.shape).toEqual([6, 1, 5, 5]);
  });

  it('throttles: at most one report per interval while batches run, always one at the start and at each epoch end', () => {
    const model = sequential(dense(4, 3), relu(), dense(3, 2));
    const reports: LayerStatsReport[] = [];
    let clock = 0;
    const reporter = new LayerStatsReporter(model, (r) => reports.push(r), () => clock);
    reporter.start();
    for (let batch = 1; batch <= 100; batch++) {
      clock += 20; // 100 batches, 20 ms apart: 2 s
      reporter.batch(batch / 100);
    }
    reporter.epoch(1);
    // start + one per 500 ms over 2 s + the epoch's end.
    expect(reports.length).toBe(1 + 4 + 1);
    expect(reports[0].epoch).toBe(0);
    expect(reports.at(-1)!.epoch).toBe(1);
    expect(reports[1].histograms[0].gradients).not.toBeNull();
  });
});

describe('what the Network views draw', () => {
  it('lays out a dense layer’s rows as its input images, and sums a conv filter over its input channels', () => {
    const weights = Float32Array.from({ length: 2 * 6 }, (_, i) => i);
    const images = unitImages([2, 6], weights, [1, 2, 3]);
    expect([images.units, images.rows, images.cols]).toEqual([2, 2, 3]);
    expect([...images.pixels]).toEqual([...weights]);
    expect(images.limit).toBe(11);
    const conv = unitImages([1, 2, 2, 2], Float32Array.from([1, 2, 3, 4, 10, 20, 30, 40]), [2, 5, 5]);
    expect([...conv.pixels]).toEqual([11, 22, 33, 44]);
    // A shape that does not fit the inputs: one row.
    expect(unitImages([1, 5], new Float32Array(5), [1, 28, 28]).cols).toBe(5);
    expect(meanAbsoluteDifference([0, 2, 4], [1, 2, 1])).toBeCloseTo(4 / 3, 10);
  });

  it('traces the prediction back along the largest weight × activation, through activations and flatten', () => {
    // input [2] → dense(2→3) → relu → dense(3→2)
    const W1 = Float32Array.from([1, 0, /* unit 1 */ 0, 1, /* unit 2 */ 1, 1]);
    const W2 = Float32Array.from([0, 0, 0, /* class 1 */ 5, -1, 0.5]);
    const input = Float32Array.from([1, 2]);
    const h = Float32Array.from([1, 2, 3]);
    const outputs = [
      { index: 0, type: 'dense', description: '', shape: [3], values: h },
      { index: 1, type: 'relu', description: '', shape: [3], values: h },
      { index: 2, type: 'dense', description: '', shape: [2], values: Float32Array.from([0, 4.5]) },
    ];
    const weights = (i: number) => (i === 0 ? { inputs: 2, data: W1 } : i === 2 ? { inputs: 3, data: W2 } : null);
    const trace = traceBack(outputs, input, weights, 1, 2, 4);
    // Into class 1: unit 0 gives 5×1 = 5, unit 2 gives 0.5×3 = 1.5, unit 1 gives −2 (not positive).
    expect(trace.units.get(2)).toEqual([1]);
    expect(trace.units.get(1)).toEqual([0, 2]);
    expect(trace.units.get(0)).toEqual([0, 2]); // through the ReLU unchanged
    expect(trace.links.filter((l) => l.layer === 2).map((l) => [l.from, l.to, l.contribution])).toEqual([[0, 1, 5], [2, 1, 1.5]]);
    expect(trace.stoppedAt).toBe(-1);
    // A convolution ends the trace; flatten maps values to their channel.
    const conv = [
      { index: 0, type: 'conv2d', description: '', shape: [2, 1, 2], values: Float32Array.from([1, 1, 3, 3]) },
      { index: 1, type: 'flatten', description: '', shape: [4], values: Float32Array.from([1, 1, 3, 3]) },
    ];
    const stopped = traceBack(conv, new Float32Array(4), () => null, 3);
    expect(stopped.units.get(0)).toEqual([1]);
    expect(stopped.stoppedAt).toBe(0);
    expect([...unitValues(conv[0])]).toEqual([1, 3]);
  });
});
