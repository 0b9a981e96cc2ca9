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

/** A small canvas showing one image of `rows` × `cols` pixels. */
export function imageCanvas(pixels: ArrayLike<number>, rows: number, cols: number, scale: 1 | 255, className = 'thumb'): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.className = className;
  paintGrey(canvas, pixels, cols, rows, scale);
  return canvas;
}

/** Example `index` of a data set's bytes (one image of rows × cols). */
export function exampleImage(data: { rows: number; cols: number; images: Uint8Array }, index: number): Uint8Array {
  const pixels = data.rows * data.cols;
  return data.images.subarray(index * pixels, (index + 1) * pixels);
}
