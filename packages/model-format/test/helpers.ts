import type { ModelSpec } from '@scratchnet/core';
import type { CheckpointContents } from '../src/index.js';

/** Deterministic values with varied signs, magnitudes and float32 bit patterns. */
export function wave(n: number, phase: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(phase + i * 1.7) * 0.9);
}

export const SMALL_SPEC: ModelSpec = {
  inputSize: 4,
  layers: [
    { type: 'dense', inputSize: 4, outputSize: 3 },
    { type: 'relu' },
    { type: 'dense', inputSize: 3, outputSize: 2 },
    { type: 'softmax' },
  ],
};

/** A small checkpoint's contents as raw tensors, with a training record. */
export function smallContents(): CheckpointContents {
  return {
    spec: SMALL_SPEC,
    tensors: new Map([
      ['0.weight', { shape: [3, 4], data: wave(12, 0.1) }],
      ['0.bias', { shape: [3], data: wave(3, 0.2) }],
      ['2.weight', { shape: [2, 3], data: wave(6, 0.3) }],
      ['2.bias', { shape: [2], data: wave(2, 0.4) }],
    ]),
    classNames: ['cat', 'dog'],
    training: {
      dataset: { name: 'toy-xor', examples: 64 },
      // Format v1–v3 fixtures stored `optimizer: { type: 'adam', lr: 0.01 }, loss: 'cross_entropy'`; v4 migrates them to this.
      hyperparameters: { optimizer: 'adam', lr: 0.01, batchSize: 16, loss: 'ce' },
      seed: 42,
      epochs: 3,
      finalMetrics: { loss: 0.25, accuracy: 0.9375 },
      history: [
        { epoch: 0, loss: 0.69, accuracy: 0.5 },
        { epoch: 1, loss: 0.41, accuracy: 0.8125 },
        { epoch: 2, loss: 0.25, accuracy: 0.9375 },
      ],
    },
  };
}

/** Bit patterns of a Float32Array, so that comparisons are exact (NaN-safe, -0 ≠ +0). */
export function bits(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

/** Rewrites the JSON header of a safetensors file (re-padding it), leaving the data buffer alone. */
export function editHeader(bytes: Uint8Array, edit: (header: Record<string, any>) => void): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  edit(header);
  return withHeaderText(JSON.stringify(header), bytes.subarray(8 + n));
}

/** A file made of the given header text and data buffer. */
export function withHeaderText(text: string, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}
