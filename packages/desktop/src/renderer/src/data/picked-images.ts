import { DEFAULT_TEST_SPLIT, resizeArea } from '@scratchnet/datasets';
import type { DatasetBytes, PickedDataset } from '../../../shared/bridge-api.js';
import { DesktopError, DesktopErrorCode } from '../../../shared/desktop-error.js';
import { splitTest } from './dataset-catalog.js';

const SIDE = 28;
const IMAGE_NAME = /\.(png|jpe?g)$/i;

/**
 * A folder the user picked in the browser (`<input webkitdirectory>`) as a data set, the way the
 * desktop's main process reads one with @scratchnet/datasets: one subfolder per class (optionally
 * under train/ and test/, else the CLI's fixed-seed 10% test split), images decoded by the
 * browser (createImageBitmap), turned to luma and area-resized to 28×28. Files that are not
 * images, or do not decode, are skipped and counted.
 */
export async function decodePickedImages(files: readonly File[]): Promise<PickedDataset> {
  const entries: Array<{ file: File; split: 'train' | 'test' | 'all'; className: string }> = [];
  let nonImages = 0;
  for (const file of files) {
    const parts = (file.webkitRelativePath || file.name).split('/');
    // [root, class, …, file] or [root, train|test, class, …, file]
    const splitFolder = parts.length >= 4 && (parts[1] === 'train' || parts[1] === 'test') ? (parts[1] as 'train' | 'test') : undefined;
    const className = splitFolder ? parts[2] : parts.length >= 3 ? parts[1] : undefined;
    if (!className || className.startsWith('.')) continue;
    if (!IMAGE_NAME.test(file.name)) {
      nonImages++;
      continue;
    }
    entries.push({ file, split: splitFolder ?? 'all', className });
  }
  const classNames = [...new Set(entries.map((e) => e.className))].sort();
  if (classNames.length < 2) {
    throw new DesktopError(DesktopErrorCode.INVALID_FILE, `found ${classNames.length === 0 ? 'no class folders of images' : `one class folder ('${classNames[0]}')`}; pick a folder with one subfolder of PNG or JPEG images per class, at least two`);
  }
  const decoded: Array<{ pixels: Uint8Array; label: number; split: string }> = [];
  let unreadable = 0;
  for (const entry of entries) {
    const pixels = await decodeToGrey(entry.file).catch(() => null);
    if (pixels) decoded.push({ pixels, label: classNames.indexOf(entry.className), split: entry.split });
    else unreadable++;
  }
  const label = (files[0]?.webkitRelativePath || 'picked').split('/')[0];
  const bytes = (items: typeof decoded, suffix: string): DatasetBytes => {
    const images = new Uint8Array(items.length * SIDE * SIDE);
    items.forEach((item, i) => {
      images.set(item.pixels, i * SIDE * SIDE);
    });
    return { source: `${label}/${suffix}`, count: items.length, rows: SIDE, cols: SIDE, images, labels: Uint8Array.from(items, (item) => item.label) };
  };
  const hasSplit = decoded.some((d) => d.split === 'test');
  const { train, test } = hasSplit
    ? { train: bytes(decoded.filter((d) => d.split !== 'test'), 'train'), test: bytes(decoded.filter((d) => d.split === 'test'), 'test') }
    : splitTest(bytes(decoded, 'all'), DEFAULT_TEST_SPLIT);
  return { label, classNames, train, test, skipped: { nonImages, unreadable } };
}

/** One image file → 28×28 luma bytes (BT.601, as the Node loader), area-resized. */
async function decodeToGrey(file: File): Promise<Uint8Array> {
  const bitmap = await createImageBitmap(file);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  const { data, width, height } = context.getImageData(0, 0, bitmap.width, bitmap.height);
  bitmap.close();
  const grey = new Float32Array(width * height);
  for (let p = 0; p < grey.length; p++) grey[p] = 0.299 * data[4 * p] + 0.587 * data[4 * p + 1] + 0.114 * data[4 * p + 2];
  const resized = width === SIDE && height === SIDE ? grey : resizeArea({ width, height, data: grey }, SIDE, SIDE).data;
  return Uint8Array.from(resized, (v) => Math.min(255, Math.max(0, Math.round(v))));
}
