/**
 * Where training batches come from. `@scratchnet/datasets` implements this over images kept as
 * bytes; `tensorDataset` wraps in-memory tensors. `gather` must not allocate: the trainer hands in
 * preallocated batch buffers.
 */
export interface Dataset {
  /** Number of examples. */
  readonly size: number;
  /** Features per example, e.g. 784 (the product of `shape`). */
  readonly inputSize: number;
  /**
   * Optional shape of one example, channels first: [1, 28, 28] for greyscale images, [3, 32, 32]
   * for colour. Rows are stored flat (inputSize values, row-major); models check it against their
   * input shape.
   */
  readonly shape?: readonly number[];
  /** Number of classes; labels are integers in [0, classCount). */
  readonly classCount: number;
  /** Optional human-readable class names, length classCount. */
  readonly classNames?: readonly string[];
  /**
   * Writes examples indices[start], …, indices[start + count − 1] into x (row i at
   * i·inputSize) and their labels into labels[i].
   */
  gather(indices: ArrayLike<number>, start: number, count: number, x: Float32Array, labels: Int32Array): void;
  /**
   * Optional fast path for examples kept as bytes whose features are byte / 255 (images): writes
   * the raw bytes of the same examples as `gather` into `bytes` (row i at i·inputSize) and their
   * labels; the trainer turns them into features with the backend's `bytesToUnit` kernel. The
   * features must equal what `gather` writes.
   */
  gatherBytes?(indices: ArrayLike<number>, start: number, count: number, bytes: Uint8Array, labels: Int32Array): void;
}
