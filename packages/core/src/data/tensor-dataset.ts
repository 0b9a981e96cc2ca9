import { ConfigError, ErrorCode, ShapeError, formatShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { Dataset } from './dataset.js';

/**
 * A Dataset over in-memory examples: `x` is [count, features] (or [count, …], flattened per
 * example) and `labels` holds one class index per example. `classCount` defaults to the largest
 * label + 1.
 *
 * @throws ShapeError when x and labels disagree on the example count; ConfigError for a bad label.
 */
export function tensorDataset(
  x: Tensor,
  labels: Int32Array | readonly number[],
  classCount?: number,
  classNames?: readonly string[],
): Dataset {
  const size = x.shape[0] ?? 0;
  if (x.rank < 2) throw new ShapeError('tensorDataset', `x must be [examples, features], got ${formatShape(x.shape)}`);
  if (labels.length !== size) {
    throw new ShapeError('tensorDataset', `x ${formatShape(x.shape)} has ${size} examples but labels [${labels.length}] has ${labels.length}`);
  }
  const inputSize = size > 0 ? x.size / size : x.shape.slice(1).reduce((a, b) => a * b, 1);
  const ints = Int32Array.from(labels);
  let maxLabel = -1;
  ints.forEach((label, i) => {
    if (label !== labels[i] || label < 0) {
      throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `tensorDataset: label ${labels[i]} at index ${i} is not a class index ≥ 0`);
    }
    if (label > maxLabel) maxLabel = label;
  });
  const classes = classCount ?? maxLabel + 1;
  if (!(Number.isInteger(classes) && classes > maxLabel && classes > 0)) {
    throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `tensorDataset: classCount ${classCount} must exceed the largest label ${maxLabel}`);
  }
  if (classNames && classNames.length !== classes) {
    throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `tensorDataset: ${classNames.length} class names for ${classes} classes`);
  }
  const data = x.data;
  return {
    size,
    inputSize,
    classCount: classes,
    ...(classNames ? { classNames: [...classNames] } : {}),
    gather(indices, start, count, xOut, labelsOut) {
      for (let i = 0; i < count; i++) {
        const example = indices[start + i];
        const from = example * inputSize;
        // copyWithin-style element loop: `set(subarray)` would allocate a view per example.
        for (let j = 0; j < inputSize; j++) xOut[i * inputSize + j] = data[from + j];
        labelsOut[i] = ints[example];
      }
    },
  };
}
