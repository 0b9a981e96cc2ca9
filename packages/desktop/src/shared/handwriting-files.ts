import { decodeIdx, encodeIdx } from '@scratchnet/datasets';
import { DesktopError, DesktopErrorCode } from './desktop-error.js';
import type { NamedBytes } from './idx-pair.js';

/**
 * "Teach it your handwriting" keeps the user's drawings as an MNIST-style folder: the standard
 * four file names, uncompressed, 28×28 ubyte images (already through the same MNIST
 * preprocessing as the Draw view) and ubyte labels 0–9. The training drawings are the train
 * files; the drawings held out to measure accuracy are the t10k (test) files, so
 * `scratchnet-cli train/eval --data-dir <folder>` reads the same split the app uses.
 * Shared by the main process (files on disk), the web bridge (IndexedDB) and the Teach view
 * (download/upload), so all three read and write exactly the same bytes.
 */
export const HANDWRITING_FILE_NAMES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  heldOutImages: 't10k-images-idx3-ubyte',
  heldOutLabels: 't10k-labels-idx1-ubyte',
} as const;

export const DIGIT_ROWS = 28;
export const DIGIT_COLS = 28;
export const DIGIT_PIXELS = DIGIT_ROWS * DIGIT_COLS;
/** More drawings than anyone will make by hand (78 MB of images); caps IPC messages and files. */
export const MAX_HANDWRITING_DIGITS = 100_000;

/** Some 28×28 digit images and their labels: `images` holds count × 784 bytes. */
export interface DigitSet {
  count: number;
  images: Uint8Array;
  labels: Uint8Array;
}

/** The user's drawings: those the model may train on, and those kept back to test it. */
export interface HandwritingSplits {
  train: DigitSet;
  heldOut: DigitSet;
}

/** The drawings as stored, with where they are (a folder in Electron, "browser storage" on the web). */
export interface StoredHandwriting extends HandwritingSplits {
  location: string;
}

export function emptyDigitSet(): DigitSet {
  return { count: 0, images: new Uint8Array(0), labels: new Uint8Array(0) };
}

/** Throws INVALID_FILE unless `set` is `count` 28×28 images with labels 0–9 (and not too many). */
export function checkDigitSet(set: DigitSet, what: string): void {
  const { count, images, labels } = set;
  if (!Number.isInteger(count) || count < 0 || count > MAX_HANDWRITING_DIGITS) {
    throw new DesktopError(DesktopErrorCode.INVALID_FILE, `${what}: ${count} drawings is outside 0–${MAX_HANDWRITING_DIGITS}`);
  }
  if (images.length !== count * DIGIT_PIXELS || labels.length !== count) {
    throw new DesktopError(
      DesktopErrorCode.INVALID_FILE,
      `${what}: ${count} drawings need ${count * DIGIT_PIXELS} image bytes and ${count} labels, got ${images.length} and ${labels.length}`,
    );
  }
  const bad = labels.findIndex((label) => label > 9);
  if (bad >= 0) throw new DesktopError(DesktopErrorCode.INVALID_FILE, `${what}: label ${labels[bad]} of drawing ${bad} is not a digit 0–9`);
}

/** The four IDX files for a set of drawings, under their standard names. */
export function encodeHandwritingFiles(splits: HandwritingSplits): NamedBytes[] {
  const files: NamedBytes[] = [];
  const pair = (set: DigitSet, imagesName: string, labelsName: string, what: string) => {
    checkDigitSet(set, what);
    files.push({ name: imagesName, bytes: encodeIdx({ type: 'ubyte', dims: [set.count, DIGIT_ROWS, DIGIT_COLS], data: set.images }) });
    files.push({ name: labelsName, bytes: encodeIdx({ type: 'ubyte', dims: [set.count], data: set.labels }) });
  };
  pair(splits.train, HANDWRITING_FILE_NAMES.trainImages, HANDWRITING_FILE_NAMES.trainLabels, 'training drawings');
  pair(splits.heldOut, HANDWRITING_FILE_NAMES.heldOutImages, HANDWRITING_FILE_NAMES.heldOutLabels, 'held-out drawings');
  return files;
}

/**
 * Reads the files back by their standard names (others are ignored; a `.gz` suffix is accepted).
 * A pair that is entirely absent is an empty set; half a pair, or a pair that disagrees, is an
 * INVALID_FILE error naming the file.
 */
export async function decodeHandwritingFiles(files: readonly NamedBytes[]): Promise<HandwritingSplits> {
  const byName = new Map(files.map((file) => [file.name.replace(/\.gz$/, ''), file]));
  const pair = async (imagesName: string, labelsName: string, what: string): Promise<DigitSet> => {
    const imagesFile = byName.get(imagesName);
    const labelsFile = byName.get(labelsName);
    if (!imagesFile && !labelsFile) return emptyDigitSet();
    if (!imagesFile || !labelsFile) {
      throw new DesktopError(DesktopErrorCode.INVALID_FILE, `${what}: found ${imagesFile ? imagesName : labelsName} without ${imagesFile ? labelsName : imagesName}; keep both files of the pair together`);
    }
    const images = await decodeIdx(imagesFile.bytes, { name: imagesFile.name, maxBytes: MAX_HANDWRITING_DIGITS * DIGIT_PIXELS + 16 });
    const labels = await decodeIdx(labelsFile.bytes, { name: labelsFile.name, maxBytes: MAX_HANDWRITING_DIGITS + 8 });
    const [count, rows, cols] = images.dims;
    if (images.type !== 'ubyte' || labels.type !== 'ubyte' || images.dims.length !== 3 || labels.dims.length !== 1 || rows !== DIGIT_ROWS || cols !== DIGIT_COLS) {
      throw new DesktopError(
        DesktopErrorCode.INVALID_FILE,
        `${what}: expected ubyte images [n, 28, 28] and ubyte labels [n]; got ${imagesFile.name} ${images.type} [${images.dims.join(', ')}] and ${labelsFile.name} ${labels.type} [${labels.dims.join(', ')}]`,
      );
    }
    const set = { count, images: images.data as Uint8Array, labels: labels.data as Uint8Array };
    checkDigitSet(set, `${what} (${imagesFile.name}, ${labelsFile.name})`);
    return set;
  };
  return {
    train: await pair(HANDWRITING_FILE_NAMES.trainImages, HANDWRITING_FILE_NAMES.trainLabels, 'training drawings'),
    heldOut: await pair(HANDWRITING_FILE_NAMES.heldOutImages, HANDWRITING_FILE_NAMES.heldOutLabels, 'held-out drawings'),
  };
}
