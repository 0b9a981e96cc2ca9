import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DatasetError, DatasetErrorCode } from '../errors.js';
import { ImageDataset } from '../image-dataset.js';
import { DEFAULT_TEST_SPLIT, splitTrainTest } from '../splits.js';
import { loadCsv } from './csv/load-csv.js';
import { type ImageFolderOptions, loadImageFolder } from './image-folder/load-image-folder.js';
import { readIdxFile } from './idx-files.js';

/** What a user's data path holds. */
export type LocalDataKind = 'idx' | 'image-folder' | 'csv';

export interface LocalDataInfo {
  kind: LocalDataKind;
  /** For idx: the files found by role (train images and labels, and test ones when present). For csv: train (and test) files. */
  files: { trainImages?: string; trainLabels?: string; testImages?: string; testLabels?: string; train?: string; test?: string };
}

const IDX_ROLES = {
  trainImages: /^train.*images.*idx3/i,
  trainLabels: /^train.*labels.*idx1/i,
  testImages: /^(t10k|test).*images.*idx3/i,
  testLabels: /^(t10k|test).*labels.*idx1/i,
} as const;

/**
 * What a path holds: a .csv file; a folder with IDX files (train-images…idx3…, train-labels…idx1…
 * and optionally t10k-/test- ones, .gz or not, by the official names or Kaggle's
 * `train-images.idx3-ubyte`); a folder of CSVs (train*.csv, test*.csv, or a single one); or a
 * folder of class subfolders of images. NOT_AVAILABLE, saying what was looked for, otherwise.
 */
export async function detectLocalData(path: string): Promise<LocalDataInfo> {
  const info = await stat(path).catch((cause) => {
    throw new DatasetError(DatasetErrorCode.NOT_AVAILABLE, `${path}: does not exist or cannot be read (${(cause as NodeJS.ErrnoException).code ?? cause}); give a folder of IDX files or class folders of images, or a .csv file`, { file: path, cause });
  });
  if (info.isFile()) {
    if (path.toLowerCase().endsWith('.csv')) return { kind: 'csv', files: { train: path } };
    throw new DatasetError(DatasetErrorCode.NOT_AVAILABLE, `${path}: is a file but not a .csv; give a .csv file, or a folder of IDX files or of class folders of images`, { file: path });
  }
  const entries = await readdir(path, { withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => e.name).sort();
  const idx: LocalDataInfo['files'] = {};
  for (const [role, pattern] of Object.entries(IDX_ROLES) as Array<[keyof typeof IDX_ROLES, RegExp]>) {
    const name = files.find((f) => pattern.test(f));
    if (name) idx[role] = join(path, name);
  }
  if (idx.trainImages && idx.trainLabels) return { kind: 'idx', files: idx };
  if (idx.trainImages || idx.trainLabels) {
    throw new DatasetError(
      DatasetErrorCode.NOT_AVAILABLE,
      `${path}: has ${basename((idx.trainImages ?? idx.trainLabels)!)} but no matching ${idx.trainImages ? 'train labels (train-labels-idx1-ubyte)' : 'train images (train-images-idx3-ubyte)'} file; add it`,
      { file: path },
    );
  }
  const csvs = files.filter((f) => f.toLowerCase().endsWith('.csv'));
  const dirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.'));
  if (csvs.length > 0 && dirs.length === 0) {
    const train = csvs.find((f) => /train/i.test(f)) ?? (csvs.length === 1 ? csvs[0] : undefined);
    const test = csvs.find((f) => /test/i.test(f) && f !== train);
    if (!train) throw new DatasetError(DatasetErrorCode.NOT_AVAILABLE, `${path}: holds ${csvs.length} CSV files and none is named train*.csv; name the training one train.csv (and the test one test.csv)`, { file: path });
    return { kind: 'csv', files: { train: join(path, train), ...(test ? { test: join(path, test) } : {}) } };
  }
  if (dirs.length > 0) return { kind: 'image-folder', files: {} };
  throw new DatasetError(
    DatasetErrorCode.NOT_AVAILABLE,
    `${path}: found no IDX files (train-images-idx3-ubyte…), no .csv and no class folders of images; give one of those`,
    { file: path },
  );
}

export interface LocalDataOptions extends Pick<ImageFolderOptions, 'imageSize' | 'channels' | 'cacheDir' | 'onProgress' | 'cache'> {
  /** Class names when the data does not name its classes (IDX, numeric CSV labels) and they fit; a classes.txt next to the data wins. */
  classNames?: readonly string[];
  onNotice?: (message: string) => void;
}

export interface LoadedLocalData {
  kind: LocalDataKind;
  train: ImageDataset;
  test: ImageDataset;
  classNames: readonly string[];
  /** True when the data came with its own test set; else one was held out with a fixed seed. */
  hasTestSet: boolean;
  /** Files an image folder skipped: not images by their extension, or images that could not be decoded (0 for IDX and CSV). */
  skipped: { nonImages: number; unreadable: number };
  notices: string[];
}

/**
 * Loads a user's own data, whatever detectLocalData finds: IDX files (checked for structure, not
 * against any digest), an image folder (loadImageFolder) or CSV (loadCsv). Data without a test
 * set gets one held out with the fixed TEST_SPLIT_SEED, so a later `eval` sees the same test set.
 */
export async function loadLocalData(path: string, options: LocalDataOptions = {}): Promise<LoadedLocalData> {
  const notices: string[] = [];
  const onNotice = (message: string) => {
    notices.push(message);
    options.onNotice?.(message);
  };
  const found = await detectLocalData(path);
  if (found.kind === 'image-folder') {
    const loaded = await loadImageFolder(path, { ...options, onNotice });
    return { kind: 'image-folder', train: loaded.train, test: loaded.test, classNames: loaded.classNames, hasTestSet: loaded.hasTestFolder, skipped: loaded.skipped, notices };
  }
  const listed = await readClassList(found.kind === 'csv' ? join(found.files.train!, '..') : path);
  if (found.kind === 'csv') {
    const loaded = await loadCsv(found.files.train!, { testFile: found.files.test, classNames: listed });
    return { kind: 'csv', train: loaded.train, test: loaded.test, classNames: loaded.classNames, hasTestSet: found.files.test !== undefined, skipped: NONE_SKIPPED, notices };
  }
  const { trainImages, trainLabels, testImages, testLabels } = found.files;
  const [images, labels] = await Promise.all([readIdxFile(trainImages!), readIdxFile(trainLabels!)]);
  const classCount = maxLabel(labels.data) + 1;
  const classNames = listed ?? (options.classNames && options.classNames.length >= classCount ? options.classNames : Array.from({ length: classCount }, (_, i) => String(i)));
  const all = ImageDataset.fromIdx(images, labels, classNames, basename(trainImages!));
  if (testImages && testLabels) {
    const [ti, tl] = await Promise.all([readIdxFile(testImages), readIdxFile(testLabels)]);
    return { kind: 'idx', train: all, test: ImageDataset.fromIdx(ti, tl, classNames, basename(testImages)), classNames, hasTestSet: true, skipped: NONE_SKIPPED, notices };
  }
  onNotice(`${path}: no test IDX files (t10k-images…/t10k-labels…), so ${Math.round(DEFAULT_TEST_SPLIT * 100)}% of the training images are held out as the test set`);
  const { train, test } = splitTrainTest(all);
  return { kind: 'idx', train, test, classNames, hasTestSet: false, skipped: NONE_SKIPPED, notices };
}

const NONE_SKIPPED = Object.freeze({ nonImages: 0, unreadable: 0 });

function maxLabel(labels: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] > max) max = labels[i];
  return max;
}

/** classes.txt in a folder, one name a line; undefined when absent. */
async function readClassList(dir: string): Promise<string[] | undefined> {
  const text = await readFile(join(dir, 'classes.txt'), 'utf8').catch(() => undefined);
  return text?.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
}
