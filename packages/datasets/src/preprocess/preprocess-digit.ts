import { crop, inkBoundingBox } from './bounding-box.js';
import { placeByCentreOfMass } from './centre-of-mass.js';
import { type ImageInput, toInkMap } from './ink-map.js';
import { resizeArea } from './resize-area.js';

export interface PreprocessOptions {
  /** Side of the output frame (MNIST: 28). */
  frameSize?: number;
  /** The longer side of the ink is scaled to this many pixels (MNIST: 20). */
  boxSize?: number;
  /** Pixels at or below this ink level don't count towards the bounding box. */
  inkThreshold?: number;
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
  const frameSize = options.frameSize ?? 28;
  const boxSize = options.boxSize ?? 20;
  const ink = toInkMap(image);
  if (!ink) return null;
  const box = inkBoundingBox(ink, options.inkThreshold ?? 0.1);
  if (!box) return null;
  const glyph = crop(ink, box);
  const scale = boxSize / Math.max(box.width, box.height);
  const width = Math.max(1, Math.round(box.width * scale));
  const height = Math.max(1, Math.round(box.height * scale));
  const resized = resizeArea(glyph, width, height);
  return placeByCentreOfMass(resized, frameSize).data;
}
