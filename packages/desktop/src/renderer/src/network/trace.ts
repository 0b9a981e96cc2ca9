import type { LayerOutput } from './layer-probe.js';

/** Layers that map unit i to unit i: a trace passes straight through them. */
const ELEMENTWISE = new Set(['relu', 'leaky_relu', 'sigmoid', 'tanh', 'selu', 'softmax', 'identity', 'dropout', 'batch_norm1d']);

/** What a column of the activations picture shows: one value per unit (a channel's mean for images). */
export function unitValues(output: { shape: readonly number[]; values: Float32Array }): Float32Array {
  if (output.shape.length < 2) return output.values;
  const channels = output.shape[0];
  const size = output.values.length / channels;
  const means = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let k = 0; k < size; k++) sum += output.values[c * size + k];
    means[c] = sum / size;
  }
  return means;
}

/** A link of the trace: unit `from` of column `layer - 1` feeds unit `to` of column `layer` with `contribution` (weight × activation). */
export interface TraceLink {
  layer: number;
  from: number;
  to: number;
  contribution: number;
}

export interface Trace {
  /** Traced units per column (column i = layer i's output; -1 = the input). */
  units: Map<number, number[]>;
  links: TraceLink[];
  /** The layer where the trace stopped (a layer it cannot follow, e.g. a convolution), or -1 when it reached the input. */
  stoppedAt: number;
}

/**
 * Follows the prediction back through the network: from the output unit `start`, at each dense
 * layer the `perUnit` inputs with the largest positive contribution weight[j][i] × activation[i]
 * to each traced unit (at most `perColumn` per column, the strongest kept); elementwise layers
 * (activations, dropout, batch norm over features) pass units straight through; flatten maps a
 * value to its channel. Convolutions and pooling end the trace.
 */
export function traceBack(
  outputs: LayerOutput[],
  input: Float32Array,
  denseWeight: (index: number) => { inputs: number; data: Float32Array } | null,
  start: number,
  perUnit = 2,
  perColumn = 4,
): Trace {
  const units = new Map<number, number[]>();
  const links: TraceLink[] = [];
  let current = [start];
  units.set(outputs.length - 1, current);
  for (let layer = outputs.length - 1; layer >= 0; layer--) {
    const type = outputs[layer].type;
    const below = layer === 0 ? { shape: [input.length], values: input } : outputs[layer - 1];
    let next: number[];
    if (ELEMENTWISE.has(type)) {
      next = current;
      for (const unit of current) links.push({ layer, from: unit, to: unit, contribution: 0 });
    } else if (type === 'flatten' && below.shape.length >= 2) {
      const size = below.values.length / below.shape[0];
      next = [...new Set(current.map((unit) => Math.floor(unit / size)))];
      for (const unit of current) links.push({ layer, from: Math.floor(unit / size), to: unit, contribution: 0 });
    } else if (type === 'dense' && layer > 0) {
      const weight = denseWeight(layer);
      if (!weight) return { units, links, stoppedAt: layer };
      const best = new Map<number, number>();
      for (const j of current) {
        const row = weight.data.subarray(j * weight.inputs, (j + 1) * weight.inputs);
        const scored: Array<[number, number]> = [];
        for (let i = 0; i < weight.inputs; i++) {
          const c = row[i] * below.values[i];
          if (c > 0) scored.push([i, c]);
        }
        scored.sort((a, b) => b[1] - a[1]);
        for (const [i, c] of scored.slice(0, perUnit)) {
          links.push({ layer, from: i, to: j, contribution: c });
          best.set(i, Math.max(best.get(i) ?? 0, c));
        }
      }
      next = [...best.entries()].sort((a, b) => b[1] - a[1]).slice(0, perColumn).map(([i]) => i);
      // Keep only the links into the units that stay traced.
      for (let k = links.length - 1; k >= 0; k--) if (links[k].layer === layer && !next.includes(links[k].from)) links.splice(k, 1);
    } else {
      return { units, links, stoppedAt: layer === 0 && type === 'dense' ? -1 : layer };
    }
    if (layer > 0) units.set(layer - 1, next);
    current = next;
  }
  return { units, links, stoppedAt: -1 };
}
