import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DatasetError, DatasetErrorCode } from '../../errors.js';
import { ImageDataset } from '../../image-dataset.js';
import { DEFAULT_TEST_SPLIT, splitTrainTest } from '../../splits.js';
import { openRegularFile } from '../regular-file.js';

export interface CsvOptions {
  /** The label column: its header name or 0-based index (default: a column headed "label", else the first). */
  labelColumn?: string | number;
  /** [channels, rows, cols] of one row's pixels (default: square grey when the count is a square, 3 square planes when a third of it is, else 1×1×n). */
  shape?: readonly [number, number, number];
  /** Class names by label (default: the numbers 0 … max label, or the sorted distinct labels when they are not numbers). */
  classNames?: readonly string[];
  /** A second CSV, same layout, as the test set; without one a fixed-seed share is held out. */
  testFile?: string;
  /** Share held out as the test set when there is no test file (default 0.1, fixed seed). */
  testSplit?: number;
}

export interface LoadedCsv {
  train: ImageDataset;
  test: ImageDataset;
  classNames: readonly string[];
  shape: readonly [number, number, number];
  /** Whether the first line was a header (detected: it has a cell that is not a number). */
  header: boolean;
}

interface ParsedCsv {
  header: boolean;
  pixels: Uint8Array;
  labels: string[];
  columns: number;
}

const bad = (file: string, line: number, what: string) =>
  new DatasetError(DatasetErrorCode.BAD_CSV, `${file}:${line}: ${what}`, { file });

/**
 * Reads a CSV of labelled images as Kaggle's MNIST and Fashion-MNIST CSVs lay them out: a label
 * column and one column per pixel (0–255, or 0–1 floats, which are scaled), an optional header
 * (detected), one image a row. Parsed line by line without a CSV library: the layout is numbers
 * only, so quoting rules never come into play, and a split on commas streams a 100 MB file in a
 * few seconds. A ragged row or a cell that is not a number is a BAD_CSV error naming the line.
 */
export async function loadCsv(file: string, options: CsvOptions = {}): Promise<LoadedCsv> {
  const main = await parseCsv(file, options.labelColumn);
  const testPart = options.testFile ? await parseCsv(options.testFile, options.labelColumn) : undefined;
  if (testPart && testPart.columns !== main.columns) {
    throw bad(options.testFile!, 1, `has ${testPart.columns} columns but ${file} has ${main.columns}; give both files the same layout`);
  }
  const pixelCount = main.columns - 1;
  const shape = options.shape ?? guessShape(pixelCount);
  if (shape[0] * shape[1] * shape[2] !== pixelCount) {
    throw new DatasetError(DatasetErrorCode.INVALID_ARGUMENT, `${file}: rows have ${pixelCount} pixel values, not the ${shape.join('×')} = ${shape[0] * shape[1] * shape[2]} asked for; give a size that matches`);
  }
  const allLabels = [...main.labels, ...(testPart?.labels ?? [])];
  const classNames = options.classNames ?? guessClassNames(allLabels);
  const index = new Map(classNames.map((name, i) => [name, i]));
  const toIndex = (labels: string[], source: string) =>
    Int32Array.from(labels, (label, row) => {
      const at = index.get(label) ?? (/^\d+$/.test(label) ? Number(label) : -1);
      if (!(at >= 0 && at < classNames.length)) throw bad(source, row + 1 + (main.header ? 1 : 0), `label '${label}' is not one of the ${classNames.length} classes`);
      return at;
    });
  const [channels, rows, cols] = shape;
  const make = (part: ParsedCsv, source: string, name: string) =>
    new ImageDataset({ images: part.pixels, labels: toIndex(part.labels, source), channels, rows, cols, classNames, name });
  const all = make(main, file, file);
  const { train, test } = testPart ? { train: all, test: make(testPart, options.testFile!, options.testFile!) } : splitTrainTest(all, options.testSplit ?? DEFAULT_TEST_SPLIT);
  if (train.size === 0) throw new DatasetError(DatasetErrorCode.NOT_ENOUGH_DATA, `${file}: has no rows of data; add a row per image (label, then pixel values)`, { file });
  return { train, test, classNames, shape, header: main.header };
}

function guessShape(pixels: number): [number, number, number] {
  const side = Math.round(Math.sqrt(pixels));
  if (side * side === pixels) return [1, side, side];
  const colourSide = Math.round(Math.sqrt(pixels / 3));
  if (3 * colourSide * colourSide === pixels) return [3, colourSide, colourSide];
  return [1, 1, pixels];
}

function guessClassNames(labels: string[]): string[] {
  const distinct = [...new Set(labels)];
  if (distinct.every((l) => /^\d+$/.test(l))) {
    const max = Math.max(...distinct.map(Number));
    return Array.from({ length: max + 1 }, (_, i) => String(i));
  }
  return distinct.sort();
}

/** The cells of a line, unquoted where a cell is wrapped in double quotes. */
function cells(line: string): string[] {
  return line.split(',').map((cell) => {
    const t = cell.trim();
    return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
  });
}

const isNumber = (cell: string) => cell !== '' && Number.isFinite(Number(cell));

async function parseCsv(file: string, labelColumn: string | number | undefined): Promise<ParsedCsv> {
  // Refuses FIFOs and devices before reading, as every other file the package opens.
  const { handle } = await openRegularFile(file);
  await handle.close();
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  let header = false;
  let columns = 0;
  let labelAt = 0;
  let lineNumber = 0;
  let rows = 0;
  let pixels = new Float32Array(0);
  const labels: string[] = [];
  let maxValue = 0;
  let fractional = false;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const row = cells(lineNumber === 1 ? line.replace(/^\uFEFF/, '') : line);
    if (columns === 0) {
      columns = row.length;
      if (columns < 2) throw bad(file, lineNumber, 'has one column; expected a label column and one column per pixel, separated by commas');
      header = row.some((cell) => !isNumber(cell));
      labelAt = labelIndex(header ? row : undefined, labelColumn, columns, file);
      pixels = new Float32Array(1024 * (columns - 1));
      if (header) continue;
    }
    if (row.length !== columns) {
      throw bad(file, lineNumber, `has ${row.length} cells where the ${header ? 'header' : 'first row'} has ${columns}; every row needs a label and the same number of pixel values`);
    }
    if ((rows + 1) * (columns - 1) > pixels.length) {
      const grown = new Float32Array(pixels.length * 2);
      grown.set(pixels);
      pixels = grown;
    }
    let at = rows * (columns - 1);
    for (let c = 0; c < columns; c++) {
      if (c === labelAt) continue;
      const cell = row[c];
      const value = Number(cell);
      if (cell === '' || !Number.isFinite(value)) {
        throw bad(file, lineNumber, `column ${c + 1} is '${cell.length > 20 ? `${cell.slice(0, 20)}…` : cell}', not a number; pixel values must be numbers from 0 to 255 (or 0 to 1)`);
      }
      if (value < 0 || value > 255) throw bad(file, lineNumber, `column ${c + 1} is ${value}, outside 0–255; pixel values must be numbers from 0 to 255 (or 0 to 1)`);
      if (value > maxValue) maxValue = value;
      if (!fractional && !Number.isInteger(value)) fractional = true;
      pixels[at++] = value;
    }
    if (row[labelAt] === '') throw bad(file, lineNumber, `the label (column ${labelAt + 1}) is empty; every row needs a label`);
    labels.push(row[labelAt]);
    rows++;
  }
  if (columns === 0) throw new DatasetError(DatasetErrorCode.NOT_ENOUGH_DATA, `${file}: is empty; add a row per image (label, then pixel values)`, { file });
  // 0–1 floats (a normalised export) are scaled to bytes; 0–255 values are rounded.
  const scale = fractional && maxValue <= 1 ? 255 : 1;
  const bytes = new Uint8Array(rows * (columns - 1));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(pixels[i] * scale);
  return { header, pixels: bytes, labels, columns };
}

function labelIndex(header: string[] | undefined, labelColumn: string | number | undefined, columns: number, file: string): number {
  if (typeof labelColumn === 'number') {
    if (!(Number.isInteger(labelColumn) && labelColumn >= 0 && labelColumn < columns)) {
      throw new DatasetError(DatasetErrorCode.INVALID_ARGUMENT, `${file}: label column ${labelColumn} is outside the ${columns} columns (0-based)`);
    }
    return labelColumn;
  }
  if (!header) {
    if (labelColumn !== undefined) throw new DatasetError(DatasetErrorCode.INVALID_ARGUMENT, `${file}: has no header, so the label column cannot be named '${labelColumn}'; give its index`);
    return 0;
  }
  const wanted = (labelColumn ?? 'label').toLowerCase();
  const found = header.findIndex((name) => name.toLowerCase() === wanted);
  if (found >= 0) return found;
  if (labelColumn !== undefined) throw bad(file, 1, `has no column named '${labelColumn}'`);
  return 0;
}
