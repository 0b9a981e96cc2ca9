/**
 * Paints a greyscale image (floats in [0, 1] or bytes 0–255) into a canvas of the same pixel
 * size; CSS scales it up with `image-rendering: pixelated`. White ink on black, as the network sees it.
 */
export function paintGrey(canvas: HTMLCanvasElement, pixels: ArrayLike<number>, width: number, height: number, scale: 1 | 255): void {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const v = Math.round((pixels[i] / scale) * 255);
    image.data[i * 4] = v;
    image.data[i * 4 + 1] = v;
    image.data[i * 4 + 2] = v;
    image.data[i * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

/** A small canvas showing one image. */
export function imageCanvas(pixels: ArrayLike<number>, side: number, scale: 1 | 255, className = 'thumb'): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.className = className;
  paintGrey(canvas, pixels, side, side, scale);
  return canvas;
}
