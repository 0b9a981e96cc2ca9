/** Largest change of stroke width the kernel supports, in pixels per side (its window is 5×5). */
export const MAX_THICKNESS_CHANGE = 2;
const WINDOW = 2 * MAX_THICKNESS_CHANGE + 1;

/**
 * Changes the stroke width of images by a fractional number of pixels per side: grey dilation
 * (delta > 0) or erosion (delta < 0) by a disc of radius |delta| with an anti-aliased rim. Each
 * pixel takes the max over its neighbours o of weight(o) · ink(p + o), weight = clamp(|delta| + 1
 * − |o|, 0, 1): a hard edge then moves out by |delta| and the pixel it crosses is covered by the
 * fraction it would be (a pen |delta| px wider on each side). Erosion is the same on 1 − ink, with
 * the outside counting as paper. delta 0 copies the image. The offsets and weights live in
 * buffers allocated once.
 */
export class StrokeThickener {
  private readonly dx = new Int32Array(WINDOW * WINDOW);
  private readonly dy = new Int32Array(WINDOW * WINDOW);
  private readonly weight = new Float64Array(WINDOW * WINDOW);

  /**
   * Writes image `src` (at srcOffset, [channels, height, width]) into `out` (at outOffset) with its
   * strokes `delta` pixels per side thicker (thinner when negative), |delta| ≤ MAX_THICKNESS_CHANGE.
   */
  apply(src: Float32Array, srcOffset: number, out: Float32Array, outOffset: number, channels: number, height: number, width: number, delta: number): void {
    const r = Math.min(Math.abs(delta), MAX_THICKNESS_CHANGE);
    const { dx, dy, weight } = this;
    let taps = 0;
    for (let y = -MAX_THICKNESS_CHANGE; y <= MAX_THICKNESS_CHANGE; y++) {
      for (let x = -MAX_THICKNESS_CHANGE; x <= MAX_THICKNESS_CHANGE; x++) {
        if (x === 0 && y === 0) continue;
        const w = Math.min(1, r + 1 - Math.sqrt(x * x + y * y));
        if (w <= 0) continue;
        dx[taps] = x;
        dy[taps] = y;
        weight[taps] = w;
        taps++;
      }
    }
    const thin = delta < 0;
    const plane = height * width;
    for (let c = 0; c < channels; c++) {
      const from = srcOffset + c * plane;
      const to = outOffset + c * plane;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          // Dilation of ink, or of paper (1 − ink) for thinning; outside the image is paper.
          let best = thin ? 1 - src[from + y * width + x] : src[from + y * width + x];
          for (let t = 0; t < taps; t++) {
            const yy = y + dy[t];
            const xx = x + dx[t];
            const inside = yy >= 0 && yy < height && xx >= 0 && xx < width;
            const v = inside ? src[from + yy * width + xx] : 0;
            const candidate = weight[t] * (thin ? 1 - v : v);
            if (candidate > best) best = candidate;
          }
          out[to + y * width + x] = thin ? 1 - best : best;
        }
      }
    }
  }
}
