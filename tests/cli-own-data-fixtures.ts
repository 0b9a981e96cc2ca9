import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { encodeIdx } from '@scratchnet/datasets';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** A tiny seeded generator, so every fixture is the same on every run. */
export function seeded(seed = 1): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

export function write(path: string, bytes: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

/** RGBA bytes → PNG (RGBA, or grey when `grey`). */
export function png(width: number, height: number, rgba: Uint8Array, grey = false): Buffer {
  const image = new PNG({ width, height, colorType: grey ? 0 : 6 });
  image.data = Buffer.from(rgba);
  return PNG.sync.write(image, { colorType: grey ? 0 : 6 });
}

/** RGBA bytes → JPEG, quality 90. */
export function jpg(width: number, height: number, rgba: Uint8Array): Buffer {
  return jpeg.encode({ width, height, data: Buffer.from(rgba) }, 90).data;
}

/** Bright-half patterns: 'left', 'right' or 'top' half bright, the rest dark, with noise. */
export const HALVES: Record<string, (x: number, y: number, side: number) => boolean> = {
  left: (x, _y, side) => x < side / 2,
  right: (x, _y, side) => x >= side / 2,
  top: (_x, y, side) => y < side / 2,
};

export function halfImage(kind: string, side: number, rand: () => number): Uint8Array {
  const rgba = new Uint8Array(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const v = HALVES[kind](x, y, side) ? 190 + rand() * 65 : rand() * 60;
      rgba.set([v, v, v, 255], 4 * (y * side + x));
    }
  }
  return rgba;
}

/** A folder of class subfolders: `perClass` 28×28 grey half-images each, every third a JPEG, the rest PNG. */
export function writeHalvesFolder(dir: string, perClass: number): void {
  const rand = seeded(3);
  for (const kind of Object.keys(HALVES)) {
    for (let i = 0; i < perClass; i++) {
      const rgba = halfImage(kind, 28, rand);
      write(`${dir}/${kind}/${i}.${i % 3 === 0 ? 'jpg' : 'png'}`, i % 3 === 0 ? jpg(28, 28, rgba) : png(28, 28, rgba, i % 2 === 0));
    }
  }
}

/** Colour classes at 48×40 (resized to 32×32 by the loader): noisy red, green or blue. */
export const COLOURS: Record<string, [number, number, number]> = { red: [220, 30, 30], green: [30, 200, 40], blue: [30, 40, 220] };

export function writeColourFolder(dir: string, perClass: number): void {
  const rand = seeded(5);
  for (const [name, rgb] of Object.entries(COLOURS)) {
    for (let i = 0; i < perClass; i++) {
      const rgba = new Uint8Array(48 * 40 * 4);
      for (let p = 0; p < 48 * 40; p++) rgba.set([...rgb.map((c) => Math.max(0, Math.min(255, c + (rand() - 0.5) * 80))), 255], 4 * p);
      write(`${dir}/${name}/${i}.${i % 2 ? 'jpg' : 'png'}`, i % 2 ? jpg(48, 40, rgba) : png(48, 40, rgba));
    }
  }
}

/** The same half-images as a Kaggle-style CSV (header `label,pixel0,…`, string labels). */
export function writeHalvesCsv(path: string, rows: number): void {
  const rand = seeded(7);
  const kinds = Object.keys(HALVES);
  const lines = [['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',')];
  for (let r = 0; r < rows; r++) {
    const kind = kinds[r % kinds.length];
    const rgba = halfImage(kind, 28, rand);
    lines.push([kind, ...Array.from({ length: 784 }, (_, p) => Math.round(rgba[4 * p]))].join(','));
  }
  write(path, `${lines.join('\n')}\n`);
}

/** The half-images as IDX files under Kaggle's names (train-images.idx3-ubyte …), labels 0–2, with a classes.txt. */
export function writeHalvesIdx(dir: string, train: number, test: number): void {
  const rand = seeded(9);
  const kinds = Object.keys(HALVES);
  const make = (count: number) => {
    const images = new Uint8Array(count * 784);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      labels[i] = i % kinds.length;
      const rgba = halfImage(kinds[labels[i]], 28, rand);
      for (let p = 0; p < 784; p++) images[i * 784 + p] = rgba[4 * p];
    }
    return { images, labels };
  };
  for (const [prefix, count] of [['train', train], ['t10k', test]] as const) {
    const { images, labels } = make(count);
    write(`${dir}/${prefix}-images.idx3-ubyte`, encodeIdx({ type: 'ubyte', dims: [count, 28, 28], data: images }));
    write(`${dir}/${prefix}-labels.idx1-ubyte`, encodeIdx({ type: 'ubyte', dims: [count], data: labels }));
  }
  write(`${dir}/classes.txt`, `${kinds.join('\n')}\n`);
}

/**
 * CIFAR-10's unpacked binary batches (cifar-10-batches-bin/data_batch_1..5.bin, test_batch.bin),
 * `perBatch` records each: label byte then R, G, B planes; classes 0–2 are mostly red, green or blue.
 */
export function writeCifarBatches(dir: string, perBatch: number): void {
  const rand = seeded(13);
  const batch = (first: number) => {
    const bytes = new Uint8Array(perBatch * 3073);
    for (let r = 0; r < perBatch; r++) {
      const label = (first + r) % 3;
      bytes[r * 3073] = label;
      for (let k = 0; k < 3; k++) for (let p = 0; p < 1024; p++) bytes[r * 3073 + 1 + k * 1024 + p] = (k === label ? 160 : 20) + rand() * 90;
    }
    return bytes;
  };
  for (let b = 1; b <= 5; b++) write(`${dir}/cifar-10-batches-bin/data_batch_${b}.bin`, batch(b * perBatch));
  write(`${dir}/cifar-10-batches-bin/test_batch.bin`, batch(0));
}
