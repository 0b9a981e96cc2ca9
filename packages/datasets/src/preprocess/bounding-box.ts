import type { GreyImage } from './ink-map.js';

/** An axis-aligned rectangle in pixels: columns [x, x + width), rows [y, y + height). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The smallest box holding every pixel brighter than `threshold` (faint specks below it are
 * ignored so they don't stretch the box). Null when no pixel qualifies.
 */
export function inkBoundingBox(image: GreyImage, threshold = 0.1): Box | null {
  let minX = image.width;
  let minY = image.height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.data[y * image.width + x] > threshold) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  if (maxX < 0) return null;
  return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/** Copies the pixels inside `box` into a new image. */
export function crop(image: GreyImage, box: Box): GreyImage {
  const data = new Float32Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    const start = (box.y + y) * image.width + box.x;
    data.set(image.data.subarray(start, start + box.width), y * box.width);
  }
  return { width: box.width, height: box.height, data };
}
