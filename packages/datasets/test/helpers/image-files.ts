import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export type Pixel = (x: number, y: number) => [number, number, number];

/** PNG bytes of a width × height image; `grey` writes colour type 0 (one channel), else RGB. */
export function pngBytes(width: number, height: number, pixel: Pixel, grey = false): Buffer {
  const png = new PNG({ width, height, colorType: grey ? 0 : 2, inputColorType: 6, inputHasAlpha: true });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      png.data.set([r, g, b, 255], 4 * (y * width + x));
    }
  }
  return PNG.sync.write(png, { colorType: grey ? 0 : 2, inputColorType: 6, inputHasAlpha: true });
}

/** JPEG bytes (quality 95) of a width × height RGB image. */
export function jpegBytes(width: number, height: number, pixel: Pixel): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([...pixel(x, y), 255], 4 * (y * width + x));
  return jpeg.encode({ width, height, data }, 95).data;
}

export async function put(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}
