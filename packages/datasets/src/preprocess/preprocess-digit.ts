import { crop, inkBoundingBox } from './bounding-box.js';
import { placeByCentreOfMass } from './centre-of-mass.js';
import { type GreyImage, type ImageInput, toInkMap } from './ink-map.js';
import { resizeArea } from './resize-area.js';
import { offsetStrokes, strokeWidth } from './stroke-width.js';

/**
 * Stroke widths of MNIST's digits in their 28×28 frames (`strokeWidth`, measured on the 8,000
 * offline training digits): 10th percentile 1.44 px, median 1.96, 90th 2.76. A drawing whose
 * strokes would come out thinner than the 10th percentile is brought up to it, thicker than the
 * median down to it (2.0). Thick strokes go to the median, not the 90th percentile, because a
 * broad pen on a small digit narrows the loops of 0, 6, 8 and 9 and thinning reopens them:
 * digits-cnn read 95.4 % of the tuning half of bench/drawings with 2.0, 94.0 % with 2.75, and
 * the held-out half 91.8 % against 91.3 % (the MNIST round trip: see bench/drawings/README.md).
 */
export const MNIST_STROKE_WIDTH_RANGE: readonly [number, number] = [1.45, 2.0];

export interface PreprocessOptions {
  /** Side of the output frame (MNIST: 28). */
  frameSize?: number;
  /** The longer side of the ink is scaled to this many pixels (MNIST: 20). */
  boxSize?: number;
  /** Pixels at or below this ink level don't count towards the bounding box. */
  inkThreshold?: number;
  /**
   * Scale the resized digit so its strongest pixel is full ink (default true). MNIST's digits
   * reach full ink (255) in 90 % of cases (measured on the 8,000 offline digits); a thin pen line
   * shrunk tenfold would otherwise be a faint grey trace unlike any of them. A no-op when the
   * strokes are at least a pixel wide after scaling, as MNIST's are.
   */
  fullInk?: boolean;
  /**
   * Stroke widths, in pixels of the output frame, that are left alone (default
   * MNIST_STROKE_WIDTH_RANGE; null: never change strokes). A drawing whose strokes would come out
   * thinner (a fine pen) or thicker (a broad brush on a small digit) is redrawn to the nearer edge
   * first, at its own resolution. MNIST needed no such step: its writers used the same kind of pen
   * on the same size of form. Only pictures with the digit at least twice the box size are
   * changed (a 28×28 data-set image is left as it is).
   */
  strokeWidthRange?: readonly [number, number] | null;
}

/**
 * The options for a model whose input is a `side`×`side` picture: MNIST's proportions (a 20-pixel
 * box in a 28-pixel frame) at that size. The CLI's `predict` and the desktop's Draw view both pass
 * these, so a drawing becomes the same input in both.
 */
export function mnistPreprocessOptions(side = 28): PreprocessOptions {
  const boxSize = Math.round((side * 20) / 28);
  const [thin, thick] = MNIST_STROKE_WIDTH_RANGE;
  return { frameSize: side, boxSize, inkThreshold: 0.1, fullInk: true, strokeWidthRange: [(thin * boxSize) / 20, (thick * boxSize) / 20] };
}

/**
 * Turns a picture of a digit (any size, grey/RGB/RGBA, either polarity) into the 28×28 input an
 * MNIST model expects: white ink on black in [0, 1], the ink's bounding box scaled (keeping its
 * aspect ratio, area-averaged) so its longer side is 20 px, then placed by centre of mass.
 * The CLI's `predict` and the desktop canvas both call this, so a drawing scores the same in both.
 *
 * Returns null for a picture with no ink (blank canvas), so callers can say so instead of failing.
 */
export function preprocessDigit(image: ImageInput, options: PreprocessOptions = {}): Float32Array | null {
  const { frameSize = 28, boxSize = 20, inkThreshold = 0.1, fullInk = true, strokeWidthRange = MNIST_STROKE_WIDTH_RANGE } = options;
  const ink = toInkMap(image);
  if (!ink) return null;
  const box = inkBoundingBox(ink, inkThreshold);
  if (!box) return null;
  let glyph = crop(ink, box);
  if (strokeWidthRange) glyph = normaliseStrokes(glyph, boxSize, strokeWidthRange, inkThreshold);
  const scale = boxSize / Math.max(glyph.width, glyph.height);
  const width = Math.max(1, Math.round(glyph.width * scale));
  const height = Math.max(1, Math.round(glyph.height * scale));
  const resized = resizeArea(glyph, width, height);
  if (fullInk) scaleToFullInk(resized.data);
  return placeByCentreOfMass(resized, frameSize).data;
}

function scaleToFullInk(data: Float32Array): void {
  let max = 0;
  for (let i = 0; i < data.length; i++) if (data[i] > max) max = data[i];
  if (max <= 0 || max >= 1) return;
  for (let i = 0; i < data.length; i++) data[i] /= max;
}

/**
 * The glyph with its strokes widened or narrowed so that, once its longer side is `boxSize`, they
 * are within `range` pixels wide. Offsetting by δ per side makes the width about w + 2δ and the
 * longer side L + 2δ, so the first try solves (w + 2δ)·boxSize/(L + 2δ) = t; the measured width
 * moves less than 2δ on curved strokes, so up to two secant steps follow (within 0.05 px). δ is
 * kept within ±L/4 and rounded to 1/1024 px; of the redraws (and the glyph as it was), the one
 * whose width comes closest to t is returned.
 */
function normaliseStrokes(glyph: GreyImage, boxSize: number, range: readonly [number, number], inkThreshold: number): GreyImage {
  const widthAfterScaling = (image: GreyImage) => (strokeWidth(image) * boxSize) / Math.max(image.width, image.height);
  const longer = Math.max(glyph.width, glyph.height);
  if (longer < 2 * boxSize) return glyph;
  const width = strokeWidth(glyph);
  const scaled = widthAfterScaling(glyph);
  const target = Math.min(Math.max(scaled, range[0]), range[1]);
  if (width === 0 || target === scaled) return glyph;
  let previous = { delta: 0, width: scaled };
  let delta = ((target * longer) / boxSize - width) / (1 - target / boxSize) / 2;
  let best = glyph;
  let miss = Math.abs(scaled - target);
  for (let step = 0; step < 3; step++) {
    // Within a quarter of the drawing's size (a secant step across a flat stretch can ask for
    // thousands of pixels), on a 1/1024-pixel grid so float rounding in the width sums cannot
    // move the result.
    delta = Math.round(Math.min(Math.max(delta, -longer / 4), longer / 4) * 1024) / 1024;
    const redrawn = offsetStrokes(glyph, delta);
    const box = inkBoundingBox(redrawn, inkThreshold);
    // Thinning a blob (a digit drawn with a pen as wide as its loops) can erase all but a speck:
    // a redraw whose longer side is under half the drawing's is not taken.
    if (!box || Math.max(box.width, box.height) < longer / 2) break;
    const candidate = crop(redrawn, box);
    const got = widthAfterScaling(candidate);
    // The redraw closest to the target is kept: on a blob the steps can move away from it.
    if (Math.abs(got - target) < miss) {
      best = candidate;
      miss = Math.abs(got - target);
    }
    if (Math.abs(got - target) < 0.05 || got === previous.width) break;
    const next = delta + ((target - got) * (delta - previous.delta)) / (got - previous.width);
    previous = { delta, width: got };
    delta = next;
  }
  return best;
}
