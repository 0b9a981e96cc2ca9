import { mnistPreprocessOptions, preprocessDigit } from '@scratchnet/datasets';

/**
 * The 784 values the network sees for a drawing, made exactly as MNIST was: ink cropped to its
 * bounding box, the longer side scaled to 20 px with area averaging (aspect ratio kept), placed
 * in a 28×28 frame by its centre of mass, white on black in [0, 1]. The work is
 * `preprocessDigit` from @scratchnet/datasets with `mnistPreprocessOptions()`, exactly as the CLI's
 * `predict` calls it for a 28×28 model.
 *
 * Returns null for an empty canvas: "nothing to predict", not an error.
 */
export function digitInputFromCanvas(image: { width: number; height: number; data: ArrayLike<number> }): Float32Array | null {
  return preprocessDigit({ width: image.width, height: image.height, data: image.data, channels: 4 }, mnistPreprocessOptions());
}
