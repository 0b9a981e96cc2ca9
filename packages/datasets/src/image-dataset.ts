import type { Dataset } from '@scratchnet/core';
import { DatasetError, DatasetErrorCode } from './errors.js';
import type { IdxArray } from './idx/idx-types.js';

/** byte / 255 as float32 for every byte value, so conversion is a table lookup. */
const BYTE_TO_UNIT = (() => {
  const table = new Float32Array(256);
  for (let b = 0; b < 256; b++) table[b] = b / 255;
  return table;
})();

export interface ImageDatasetInit {
  /** size · channels · rows · cols pixel bytes, image after image, each channel a row-major plane (C×H×W). */
  images: Uint8Array;
  /** One integer class per image, in [0, classCount). */
  labels: ArrayLike<number>;
  rows: number;
  cols: number;
  /** 1 (greyscale, the default) or 3 (RGB planes). */
  channels?: number;
  classNames: readonly string[];
  /** Used in error messages. */
  name?: string;
}

/** One image for display: `pixels[(k * rows + r) * cols + c]` is channel k's byte at row r, column c. */
export interface ImageView {
  rows: number;
  cols: number;
  channels: number;
  pixels: Uint8Array;
  label: number;
  className: string;
}

/**
 * Images (greyscale, or colour as three planes) kept as bytes (a quarter of the memory of float32) with integer labels.
 * Implements core's Dataset: `gather` turns bytes into float32 in [0, 1] straight into the
 * trainer's batch buffer.
 */
export class ImageDataset implements Dataset {
  readonly size: number;
  readonly inputSize: number;
  /** [channels, rows, cols], as convolutional models expect; MLPs read it flattened. */
  readonly shape: readonly number[];
  readonly classCount: number;
  readonly classNames: readonly string[];
  readonly rows: number;
  readonly cols: number;
  readonly channels: number;
  readonly images: Uint8Array;
  readonly labels: Int32Array;

  constructor(init: ImageDatasetInit) {
    const name = init.name ?? 'image data set';
    this.rows = init.rows;
    this.cols = init.cols;
    this.channels = init.channels ?? 1;
    this.inputSize = this.channels * init.rows * init.cols;
    this.shape = [this.channels, init.rows, init.cols];
    this.size = init.labels.length;
    this.classNames = init.classNames;
    this.classCount = init.classNames.length;
    if (init.images.length !== this.size * this.inputSize) {
      throw new DatasetError(
        DatasetErrorCode.INCONSISTENT,
        `${name}: ${init.images.length} pixel bytes do not make ${this.size} images of ${this.channels > 1 ? `${this.channels}×` : ''}${init.rows}×${init.cols}`,
      );
    }
    this.images = init.images;
    this.labels = init.labels instanceof Int32Array ? init.labels : Int32Array.from(init.labels);
    for (let i = 0; i < this.size; i++) {
      const label = this.labels[i];
      if (!(label >= 0 && label < this.classCount)) {
        throw new DatasetError(
          DatasetErrorCode.INCONSISTENT,
          `${name}: label ${label} of example ${i} is outside [0, ${this.classCount}) for classes ${this.classNames.join(', ')}`,
        );
      }
    }
  }

  /**
   * Builds a data set from decoded IDX images ([n, rows, cols] ubyte, or [n, channels, rows, cols]
   * for colour) and labels ([n] ubyte), checking that they fit together.
   */
  static fromIdx(images: IdxArray, labels: IdxArray, classNames: readonly string[], name = 'data set'): ImageDataset {
    if (images.type !== 'ubyte' || (images.dims.length !== 3 && images.dims.length !== 4)) {
      throw new DatasetError(
        DatasetErrorCode.INCONSISTENT,
        `${name}: images must be ubyte [n, rows, cols] or [n, channels, rows, cols], got ${images.type} [${images.dims.join(', ')}]`,
      );
    }
    if (labels.type !== 'ubyte' || labels.dims.length !== 1) {
      throw new DatasetError(
        DatasetErrorCode.INCONSISTENT,
        `${name}: labels must be ubyte [n], got ${labels.type} [${labels.dims.join(', ')}]`,
      );
    }
    if (images.dims[0] !== labels.dims[0]) {
      throw new DatasetError(
        DatasetErrorCode.INCONSISTENT,
        `${name}: ${images.dims[0]} images but ${labels.dims[0]} labels`,
      );
    }
    return new ImageDataset({
      images: images.data as Uint8Array,
      labels: labels.data,
      rows: images.dims.at(-2)!,
      cols: images.dims.at(-1)!,
      channels: images.dims.length === 4 ? images.dims[1] : 1,
      classNames,
      name,
    });
  }

  /** Writes examples indices[start … start+count) into x as float32 in [0, 1], labels into labels. No allocation. */
  gather(indices: ArrayLike<number>, start: number, count: number, x: Float32Array, labels: Int32Array): void {
    const n = this.inputSize;
    const images = this.images;
    const table = BYTE_TO_UNIT;
    for (let i = 0; i < count; i++) {
      const example = this.checkedIndex(indices[start + i], 'gather');
      const from = example * n;
      const to = i * n;
      for (let j = 0; j < n; j++) x[to + j] = table[images[from + j]];
      labels[i] = this.labels[example];
    }
  }

  /**
   * The trainer's fast path: copies the pixel bytes of the same examples into `bytes` (a native
   * copy per image) and their labels; the backend's `bytesToUnit` then gives exactly the floats
   * `gather` would.
   */
  gatherBytes(indices: ArrayLike<number>, start: number, count: number, bytes: Uint8Array, labels: Int32Array): void {
    const n = this.inputSize;
    for (let i = 0; i < count; i++) {
      const example = this.checkedIndex(indices[start + i], 'gatherBytes');
      bytes.set(this.images.subarray(example * n, example * n + n), i * n);
      labels[i] = this.labels[example];
    }
  }

  private checkedIndex(example: number, what: string): number {
    if (!(example >= 0 && example < this.size)) {
      throw new DatasetError(DatasetErrorCode.INVALID_ARGUMENT, `${what}: index ${example} is outside [0, ${this.size})`);
    }
    return example;
  }

  /** All images as one float32 array [size · inputSize] in [0, 1] (four times the memory of the bytes). */
  toFloat32(): Float32Array {
    const out = new Float32Array(this.images.length);
    const images = this.images;
    const table = BYTE_TO_UNIT;
    for (let i = 0; i < images.length; i++) out[i] = table[images[i]];
    return out;
  }

  /** Labels one-hot encoded as float32 [size · classCount]. */
  oneHot(): Float32Array {
    const out = new Float32Array(this.size * this.classCount);
    for (let i = 0; i < this.size; i++) out[i * this.classCount + this.labels[i]] = 1;
    return out;
  }

  /** One image for display; `pixels` is a view into the data set, not a copy. */
  image(index: number): ImageView {
    if (!(Number.isInteger(index) && index >= 0 && index < this.size)) {
      throw new DatasetError(DatasetErrorCode.INVALID_ARGUMENT, `image: index ${index} is outside [0, ${this.size})`);
    }
    const n = this.inputSize;
    const label = this.labels[index];
    return {
      rows: this.rows,
      cols: this.cols,
      channels: this.channels,
      pixels: this.images.subarray(index * n, (index + 1) * n),
      label,
      className: this.classNames[label],
    };
  }

  /** One image's first channel as rows of pixel values in [0, 1] (e.g. 28 arrays of 28), for printing or plotting. */
  imageGrid(index: number): number[][] {
    const { pixels } = this.image(index);
    const grid: number[][] = [];
    for (let r = 0; r < this.rows; r++) {
      grid.push(Array.from(pixels.subarray(r * this.cols, (r + 1) * this.cols), (b) => BYTE_TO_UNIT[b]));
    }
    return grid;
  }

  /** How many examples each class has. */
  classCounts(): number[] {
    const counts = new Array<number>(this.classCount).fill(0);
    for (let i = 0; i < this.size; i++) counts[this.labels[i]]++;
    return counts;
  }

  /** A new data set holding copies of the given examples, in the given order. */
  subset(indices: ArrayLike<number>): ImageDataset {
    const n = this.inputSize;
    const images = new Uint8Array(indices.length * n);
    const labels = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const example = indices[i];
      if (!(example >= 0 && example < this.size)) {
        throw new DatasetError(DatasetErrorCode.INVALID_ARGUMENT, `subset: index ${example} is outside [0, ${this.size})`);
      }
      images.set(this.images.subarray(example * n, (example + 1) * n), i * n);
      labels[i] = this.labels[example];
    }
    return new ImageDataset({ images, labels, rows: this.rows, cols: this.cols, channels: this.channels, classNames: this.classNames });
  }
}
