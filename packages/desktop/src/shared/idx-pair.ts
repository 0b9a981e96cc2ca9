import { type Decompressor, decodeIdx, type IdxArray } from '@scratchnet/datasets';
import type { DatasetBytes } from './bridge-api.js';
import { DesktopError, DesktopErrorCode } from './desktop-error.js';

/** A file the user picked: its name and raw (possibly gzip-compressed) bytes. */
export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

/** Largest IDX payload accepted from a picked file (MNIST's training images are 47 MB). */
export const MAX_PICKED_IDX_BYTES = 256 * 1024 * 1024;

/**
 * Decodes two user-picked IDX files into one data set, in whichever order they were picked:
 * the 3-d ubyte file is the images, the 1-d ubyte file the labels. Used by the main process
 * (files from a dialog) and the web bridge (files from an <input>), so both accept the same files.
 */
export async function decodeIdxPair(files: NamedBytes[], decompress?: Decompressor): Promise<DatasetBytes> {
  if (files.length !== 2) {
    throw new DesktopError(DesktopErrorCode.INVALID_FILE, `Pick exactly two IDX files — the images and their labels (got ${files.length})`);
  }
  const decoded: Array<{ name: string; idx: IdxArray }> = [];
  for (const file of files) {
    decoded.push({ name: file.name, idx: await decodeIdx(file.bytes, { name: file.name, maxBytes: MAX_PICKED_IDX_BYTES, decompress }) });
  }
  const images = decoded.find((d) => d.idx.dims.length === 3);
  const labels = decoded.find((d) => d.idx.dims.length === 1);
  if (!images || !labels || images.idx.type !== 'ubyte' || labels.idx.type !== 'ubyte') {
    throw new DesktopError(
      DesktopErrorCode.INVALID_FILE,
      `Expected a ubyte images file [n, rows, cols] and a ubyte labels file [n]; got ${decoded.map((d) => `${d.name} ${d.idx.type} [${d.idx.dims.join(', ')}]`).join(' and ')}`,
    );
  }
  const [count, rows, cols] = images.idx.dims;
  if (labels.idx.dims[0] !== count) {
    throw new DesktopError(DesktopErrorCode.INVALID_FILE, `${images.name} has ${count} images but ${labels.name} has ${labels.idx.dims[0]} labels`);
  }
  if (rows * cols !== 784) {
    throw new DesktopError(DesktopErrorCode.INVALID_FILE, `${images.name} holds ${rows}×${cols} images; the app works with 28×28 images like MNIST`);
  }
  const labelBytes = labels.idx.data as Uint8Array;
  for (let i = 0; i < labelBytes.length; i++) {
    if (labelBytes[i] > 9) {
      throw new DesktopError(DesktopErrorCode.INVALID_FILE, `${labels.name}: label ${labelBytes[i]} at index ${i} is not a class 0–9`);
    }
  }
  return { source: images.name, count, rows, cols, images: images.idx.data as Uint8Array, labels: labelBytes };
}
