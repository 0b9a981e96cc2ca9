/** Largest change of stroke width the kernel supports, in pixels per side (its window is 5×5). */
export const MAX_THICKNESS_CHANGE = 2;
const WINDOW = 2 * MAX_THICKNESS_CHANGE + 1;

/**
 * Changes the stroke width of images by a fractional number of pixels per side: grey dilation
 * (delta > 0) or erosion (delta < 0) by a disc of radius |delta| with an anti-aliased rim. Each
 * pixel takes the max over its neighbours o of weight(o) · ink(p + o), weight = clamp(|delta| + 1
 * − |o|, 0, 1): a hard edge then moves out by |delta| and the pixel it crosses is covered by the
 * fraction it would be (a pen |delta| px wider on each side). Erosion is the same on 1 − ink, with
 * the outside counting as paper. delta 0 copies the image. The offsets, weights and a padded
 * copy of the image live in buffers allocated once per image size.
 */
export class StrokeThickener {
  private readonly offset = new Int32Array(WINDOW * WINDOW);
  private readonly weight = new Float64Array(WINDOW * WINDOW);
  /** One channel with a MAX_THICKNESS_CHANGE border, so the inner loop needs no bounds checks. */
  private padded: Float32Array;

  /** For images of `height` × `width` (larger ones grow the buffer once). */
  constructor(height = 28, width = 28) {
    this.padded = new Float32Array((width + 2 * MAX_THICKNESS_CHANGE) * (height + 2 * MAX_THICKNESS_CHANGE));
  }

  /**
   * Writes image `src` (at srcOffset, [channels, height, width]) into `out` (at outOffset) with its
   * strokes `delta` pixels per side thicker (thinner when negative), |delta| ≤ MAX_THICKNESS_CHANGE.
   */
  apply(src: Float32Array, srcOffset: number, out: Float32Array, outOffset: number, channels: number, height: number, width: number, delta: number): void {
    const border = MAX_THICKNESS_CHANGE;
    const stride = width + 2 * border;
    // The Augmenter sizes it for its shape; a larger image grows it once.
    if (this.padded.length < stride * (height + 2 * border)) this.padded = new Float32Array(stride * (height + 2 * border));
    const { offset, weight, padded } = this;
    const r = Math.min(Math.abs(delta), MAX_THICKNESS_CHANGE);
    let taps = 0;
    for (let y = -border; y <= border; y++) {
      for (let x = -border; x <= border; x++) {
        if (x === 0 && y === 0) continue;
        const w = Math.min(1, r + 1 - Math.sqrt(x * x + y * y));
        if (w <= 0) continue;
        offset[taps] = y * stride + x;
        weight[taps] = w;
        taps++;
      }
    }
    const thin = delta < 0;
    const plane = height * width;
    for (let c = 0; c < channels; c++) {
      const from = srcOffset + c * plane;
      const to = outOffset + c * plane;
      // Dilation of ink, or of paper (1 − ink) for thinning; outside the image is paper.
      padded.fill(thin ? 1 : 0);
      for (let y = 0; y < height; y++) {
        const row = (y + border) * stride + border;
        for (let x = 0; x < width; x++) padded[row + x] = thin ? 1 - src[from + y * width + x] : src[from + y * width + x];
      }
      for (let y = 0; y < height; y++) {
        const row = (y + border) * stride + border;
        for (let x = 0; x < width; x++) {
          const at = row + x;
          let best = padded[at];
          for (let t = 0; t < taps; t++) {
            const candidate = weight[t] * padded[at + offset[t]];
            if (candidate > best) best = candidate;
          }
          out[to + y * width + x] = thin ? 1 - best : best;
        }
      }
    }
  }
}
