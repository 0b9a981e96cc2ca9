import { Rng } from '../random.js';
import { type AugmentConfig, augmentsAnything, validateAugmentConfig } from './augment-config.js';
import { StrokeThickener } from './augment-thickness.js';
import { ElasticBank } from './elastic-bank.js';

/** Stream ids of the augmentation generators, apart from the shuffle (seed, epoch) and dropout streams. */
const AUGMENT_STREAM = 0x61756731;
const ELASTIC_BANK_STREAM = 0x656c6173;

/** One example's affine transform. All zero (scale 1) is the identity. */
export interface WarpParams {
  /** Degrees, counter-clockwise as the image is displayed (rows going down). */
  rotate: number;
  /** Factor: above 1 enlarges. */
  scale: number;
  /** Degrees of horizontal shear: a row below the centre moves right for a positive angle. */
  shear: number;
  /** Pixels to the right. */
  shiftX: number;
  /** Pixels down. */
  shiftY: number;
}

/** Which bank field (and which of its 32 symmetries) displaces an example, or `bank` null for none. */
export interface ElasticPick {
  bank: ElasticBank | null;
  field: number;
  /** Bits: 1 mirror x, 2 mirror y, 4 negate dx, 8 negate dy, 16 swap the components. */
  variant: number;
}

/** Values within this of 0 or ±1 are snapped, so 90° turns map pixels onto pixels exactly. */
const SNAP = 1e-12;
const snap = (v: number) => (Math.abs(v) < SNAP ? 0 : Math.abs(Math.abs(v) - 1) < SNAP ? Math.sign(v) : v);

/**
 * Warps one [channels, height, width] image from `src` (at srcOffset) into `dst` (at dstOffset):
 * each output pixel p reads the input at A⁻¹(p + e(p) − t) about the image centre, where A is
 * rotate · shear · scale, t the shift and e the elastic displacement, by bilinear interpolation
 * with 0 outside the image. The identity (and a whole-pixel shift) copies values exactly.
 */
export function warpImage(
  src: Float32Array,
  srcOffset: number,
  dst: Float32Array,
  dstOffset: number,
  channels: number,
  height: number,
  width: number,
  params: WarpParams,
  elastic: ElasticPick | null = null,
): void {
  const theta = (params.rotate * Math.PI) / 180;
  const cos = snap(Math.cos(theta));
  const sin = snap(Math.sin(theta));
  const tan = snap(Math.tan((params.shear * Math.PI) / 180));
  const s = params.scale;
  // A = s·R·Sh with R = [[cos, sin], [−sin, cos]] (y down) and Sh = [[1, tan], [0, 1]]; det A = s².
  const a00 = s * cos;
  const a01 = s * (cos * tan + sin);
  const a10 = -s * sin;
  const a11 = s * (cos - sin * tan);
  const det = s * s;
  const i00 = a11 / det;
  const i01 = -a01 / det;
  const i10 = -a10 / det;
  const i11 = a00 / det;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const plane = height * width;

  const bank = elastic?.bank ?? null;
  let fieldX = 0;
  let fieldY = 0;
  let signX = 1;
  let signY = 1;
  let mirrorX = false;
  let mirrorY = false;
  if (bank && elastic) {
    const v = elastic.variant;
    const base = elastic.field * 2 * plane;
    fieldX = v & 16 ? base + plane : base;
    fieldY = v & 16 ? base : base + plane;
    mirrorX = (v & 1) !== 0;
    mirrorY = (v & 2) !== 0;
    signX = v & 4 ? -1 : 1;
    signY = v & 8 ? -1 : 1;
  }
  const fields = bank?.fields;
  const shiftX = params.shiftX;
  const shiftY = params.shiftY;

  for (let y = 0; y < height; y++) {
    const fieldRow = (mirrorY ? height - 1 - y : y) * width;
    const v0 = y - cy - shiftY;
    for (let x = 0; x < width; x++) {
      let u = x - cx - shiftX;
      let v = v0;
      if (fields) {
        const f = fieldRow + (mirrorX ? width - 1 - x : x);
        u += signX * fields[fieldX + f];
        v += signY * fields[fieldY + f];
      }
      const sx = cx + i00 * u + i01 * v;
      const sy = cy + i10 * u + i11 * v;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const out = dstOffset + y * width + x;
      if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height) {
        for (let c = 0; c < channels; c++) dst[out + c * plane] = 0;
        continue;
      }
      const fx = sx - x0;
      const fy = sy - y0;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      const at = srcOffset + y0 * width + x0;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height) {
        for (let c = 0; c < channels; c++) {
          const i = at + c * plane;
          dst[out + c * plane] = w00 * src[i] + w01 * src[i + 1] + w10 * src[i + width] + w11 * src[i + width + 1];
        }
      } else {
        // At the border: corners outside the image read 0.
        const in00 = x0 >= 0 && y0 >= 0;
        const in01 = x0 + 1 < width && y0 >= 0;
        const in10 = x0 >= 0 && y0 + 1 < height;
        const in11 = x0 + 1 < width && y0 + 1 < height;
        for (let c = 0; c < channels; c++) {
          const i = at + c * plane;
          let sum = 0;
          if (in00) sum += w00 * src[i];
          if (in01) sum += w01 * src[i + 1];
          if (in10) sum += w10 * src[i + width];
          if (in11) sum += w11 * src[i + width + 1];
          dst[out + c * plane] = sum;
        }
      }
    }
  }
}

/**
 * Applies an AugmentConfig to batches in place. Each example's parameters come from a generator
 * reseeded from (seed, epoch, batch), so a batch is augmented the same way whether the run went
 * straight through or was resumed. All buffers are allocated here, once.
 */
export class Augmenter {
  private readonly source: Float32Array;
  private readonly strokeImage: Float32Array | null;
  private readonly thickImage: Float32Array | null;
  private readonly thickener: StrokeThickener;
  private readonly bank: ElasticBank | null;
  private readonly rng = new Rng(0);
  private readonly params: WarpParams = { rotate: 0, scale: 1, shear: 0, shiftX: 0, shiftY: 0 };
  private readonly pick: ElasticPick = { bank: null, field: 0, variant: 0 };
  private readonly geometric: boolean;
  readonly size: number;

  constructor(
    readonly config: AugmentConfig,
    readonly shape: readonly [number, number, number],
    readonly rowsCapacity: number,
    readonly seed: number,
  ) {
    validateAugmentConfig(config);
    const [c, h, w] = shape;
    this.size = c * h * w;
    this.source = new Float32Array(rowsCapacity * this.size);
    this.strokeImage = config.stroke ? new Float32Array(this.size) : null;
    this.thickImage = config.thickness ? new Float32Array(this.size) : null;
    this.thickener = new StrokeThickener(config.thickness ? h : 0, config.thickness ? w : 0);
    const elastic = config.elastic;
    this.bank = elastic?.alpha ? new ElasticBank(h, w, elastic.alpha, elastic.sigma, Rng.derive(seed, ELASTIC_BANK_STREAM)) : null;
    this.pick.bank = this.bank;
    this.geometric = Boolean(config.rotate || config.scale || config.shift || config.shear || this.bank);
  }

  /** True when the config changes anything (otherwise `fit` need not call apply). */
  get active(): boolean {
    return augmentsAnything(this.config);
  }

  /** Augments rows [0, rows) of the batch `x` (rows × size floats) for (epoch, batch). */
  apply(x: Float32Array, rows: number, epoch: number, batch: number): void {
    const { config, params, pick, rng, source, size } = this;
    const [channels, height, width] = this.shape;
    rng.reseed(Rng.deriveSeed(this.seed, AUGMENT_STREAM, epoch, batch));
    const n = rows * size;
    for (let i = 0; i < n; i++) source[i] = x[i];
    for (let r = 0; r < rows; r++) {
      const offset = r * size;
      params.rotate = this.spread(config.rotate);
      params.scale = 1 + this.spread(config.scale);
      params.shiftX = this.spread(config.shift);
      params.shiftY = this.spread(config.shift);
      params.shear = this.spread(config.shear);
      if (this.bank) {
        pick.field = rng.int(this.bank.count);
        pick.variant = rng.int(32);
      }
      let from = source;
      let fromOffset = offset;
      if (this.strokeImage && rng.uniform() < (config.stroke ?? 0)) {
        changeStroke(source, offset, this.strokeImage, channels, height, width, rng.uniform() < 0.5);
        from = this.strokeImage;
        fromOffset = 0;
      }
      if (this.thickImage && config.thickness) {
        // One draw per example, uniform from `thin` px per side thinner to `thick` px thicker.
        const { thin, thick } = config.thickness;
        const delta = -thin + (thin + thick) * rng.uniform();
        this.thickener.apply(from, fromOffset, this.thickImage, 0, channels, height, width, delta);
        from = this.thickImage;
        fromOffset = 0;
      }
      if (this.geometric) warpImage(from, fromOffset, x, offset, channels, height, width, params, this.bank ? pick : null);
      else for (let i = 0; i < size; i++) x[offset + i] = from[fromOffset + i];
      if (config.erase && rng.uniform() < config.erase) this.erase(x, offset);
    }
  }

  /** Uniform in [−range, range]; draws nothing for an absent or zero range. */
  private spread(range: number | undefined): number {
    return range ? (2 * this.rng.uniform() - 1) * range : 0;
  }

  /** Random erasing: a rectangle of 2–20 % of the area with aspect ratio 0.3–3.3, all channels set to 0. */
  private erase(x: Float32Array, offset: number): void {
    const [channels, height, width] = this.shape;
    const rng = this.rng;
    const area = (0.02 + 0.18 * rng.uniform()) * height * width;
    const aspect = Math.exp(Math.log(0.3) + (Math.log(3.3) - Math.log(0.3)) * rng.uniform());
    const eh = Math.min(height, Math.max(1, Math.round(Math.sqrt(area * aspect))));
    const ew = Math.min(width, Math.max(1, Math.round(Math.sqrt(area / aspect))));
    const top = rng.int(height - eh + 1);
    const left = rng.int(width - ew + 1);
    for (let c = 0; c < channels; c++) {
      for (let y = top; y < top + eh; y++) {
        const row = offset + (c * height + y) * width;
        for (let xx = left; xx < left + ew; xx++) x[row + xx] = 0;
      }
    }
  }
}

/**
 * Grey dilation (thicken) or erosion (thin) of one image by a 2×2 square: each pixel takes the
 * max (or min) of itself and its neighbours to the right, below and diagonally (left and above
 * for thinning), so a stroke grows or shrinks by about one pixel — a 3×3 cross would change it by
 * two, which erases the 2-pixel strokes of 28×28 digits. Outside the image counts as background 0.
 */
function changeStroke(src: Float32Array, offset: number, out: Float32Array, channels: number, height: number, width: number, thicken: boolean): void {
  const plane = height * width;
  for (let c = 0; c < channels; c++) {
    const base = offset + c * plane;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = base + y * width + x;
        const v = src[i];
        if (thicken) {
          const right = x + 1 < width ? src[i + 1] : 0;
          const down = y + 1 < height ? src[i + width] : 0;
          const diagonal = x + 1 < width && y + 1 < height ? src[i + width + 1] : 0;
          out[c * plane + y * width + x] = Math.max(v, right, down, diagonal);
        } else {
          const left = x > 0 ? src[i - 1] : 0;
          const up = y > 0 ? src[i - width] : 0;
          const diagonal = x > 0 && y > 0 ? src[i - width - 1] : 0;
          out[c * plane + y * width + x] = Math.min(v, left, up, diagonal);
        }
      }
    }
  }
}
