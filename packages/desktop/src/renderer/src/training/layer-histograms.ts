import type { Sequential } from '@scratchnet/core';

/** Counts of values in `counts.length` equal bins spanning [min, max]. */
export interface Histogram {
  min: number;
  max: number;
  mean: number;
  std: number;
  counts: number[];
}

/** One trainable tensor's weights and (last batch's) gradients, as histograms. */
export interface ParameterHistograms {
  /** PyTorch state_dict name: '0.weight', '0.bias', … */
  name: string;
  shape: number[];
  weights: Histogram;
  /** Null before the first step (no gradient yet). */
  gradients: Histogram | null;
}

/** What the worker posts during training for the Network views (a `layer-stats` event's body). */
export interface LayerStatsReport {
  /** Epochs done, fractional inside an epoch (0 = untrained). */
  epoch: number;
  histograms: ParameterHistograms[];
  /** The first weighted layer's weights (a copy), for the live weights view. */
  firstLayer: { name: string; shape: number[]; data: Float32Array } | null;
}

export const HISTOGRAM_BINS = 30;
/** Reports come at most this often while an epoch runs (and always at its end)… */
export const STATS_INTERVAL_MS = 500;
/** …and at most this share of the worker's time goes to them (large nets report less often). */
const MAX_SHARE = 0.03;

/** A histogram of `values` over their own range; NaN and ±Infinity are left out of the counts. */
export function histogram(values: ArrayLike<number>, bins = HISTOGRAM_BINS): Histogram {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSquares += v * v;
    n++;
  }
  const counts = new Array<number>(bins).fill(0);
  if (n === 0) return { min: 0, max: 0, mean: 0, std: 0, counts };
  const width = max - min;
  const scale = width > 0 ? bins / width : 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - min) * scale))]++;
  }
  const mean = sum / n;
  return { min, max, mean, std: Math.sqrt(Math.max(0, sumSquares / n - mean * mean)), counts };
}

/** The histograms of every trainable tensor of a model and a copy of its first weight matrix. */
export function layerStats(model: Sequential, epoch: number, withGradients: boolean): LayerStatsReport {
  const histograms = model.parameters().map((p) => ({
    name: p.name,
    shape: [...p.value.shape],
    weights: histogram(p.value.data),
    gradients: withGradients ? histogram(p.grad.data) : null,
  }));
  const first = model.layers.find((layer) => layer.spec.type === 'dense' || layer.spec.type === 'conv2d');
  const weight = first?.parameters.find((p) => p.name.endsWith('.weight'));
  return {
    epoch,
    histograms,
    firstLayer: weight ? { name: weight.name, shape: [...weight.value.shape], data: weight.value.data.slice() } : null,
  };
}

/**
 * Throttles `layerStats` during a run: `start()` before the first step, `batch()` after each step
 * (reports at most every STATS_INTERVAL_MS, and less often when a report costs more than 3% of
 * the time), `epoch()` at each epoch's end. Runs in the training worker, never on the page.
 */
export class LayerStatsReporter {
  private last = Number.NEGATIVE_INFINITY;
  private interval = STATS_INTERVAL_MS;

  constructor(
    private readonly model: Sequential,
    private readonly post: (report: LayerStatsReport) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(epoch = 0): void {
    this.report(epoch, false);
  }

  batch(epoch: number): void {
    if (this.now() - this.last >= this.interval) this.report(epoch, true);
  }

  epoch(epochsDone: number): void {
    this.report(epochsDone, true);
  }

  private report(epoch: number, withGradients: boolean): void {
    const started = this.now();
    this.post(layerStats(this.model, epoch, withGradients));
    const finished = this.now();
    this.interval = Math.max(STATS_INTERVAL_MS, (finished - started) / MAX_SHARE);
    this.last = finished;
  }
}
