import { DatasetError, DatasetErrorCode } from '../errors.js';
import { type ArchiveDatasetSpec, recordBytes } from './cifar-spec.js';

/**
 * Splits CIFAR binary records (label byte + C·H·W pixel bytes each) into pixel planes and labels.
 * The pixels are already C×H×W planes, so each record's bytes are copied as they are. Throws
 * LENGTH_MISMATCH when the bytes are not whole records and INCONSISTENT for a label out of range.
 */
export function readCifarRecords(bytes: Uint8Array, spec: Pick<ArchiveDatasetSpec, 'imageShape' | 'classNames'>, name: string): { images: Uint8Array; labels: Int32Array } {
  const size = recordBytes(spec);
  if (bytes.length % size !== 0) {
    throw new DatasetError(
      DatasetErrorCode.LENGTH_MISMATCH,
      `${name}: ${bytes.length} bytes are not whole records of ${size} bytes (1 label + ${size - 1} pixels); the file is truncated or not a CIFAR batch, fetch it again`,
      { file: name },
    );
  }
  const count = bytes.length / size;
  const images = new Uint8Array(count * (size - 1));
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = bytes[i * size];
    if (label >= spec.classNames.length) {
      throw new DatasetError(DatasetErrorCode.INCONSISTENT, `${name}: record ${i} has label ${label}, outside the ${spec.classNames.length} classes; the file is damaged, fetch it again`, { file: name });
    }
    labels[i] = label;
    images.set(bytes.subarray(i * size + 1, (i + 1) * size), i * (size - 1));
  }
  return { images, labels };
}
