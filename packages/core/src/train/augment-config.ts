import type { Dataset } from '../data/dataset.js';
import { ConfigError, ErrorCode } from '../errors.js';
import type { Sequential } from '../model/sequential.js';

/**
 * Random distortions of the training images, drawn per example and per batch (`fit`'s `augment`).
 * Every field is optional and 0 (or absent) means "off"; each range is symmetric around "no
 * change". Pixel units are those of the model's input image.
 */
export interface AugmentConfig {
  /** Rotation about the image centre, uniform in [−rotate, rotate] degrees (0–180). */
  rotate?: number;
  /** Scale factor uniform in [1 − scale, 1 + scale] (0 ≤ scale < 1). */
  scale?: number;
  /** Translation uniform in [−shift, shift] pixels along each axis independently. */
  shift?: number;
  /** Horizontal shear uniform in [−shear, shear] degrees (0–60). */
  shear?: number;
  /**
   * Elastic distortion as in Simard, Steinkraus & Platt (2003): a displacement field of uniform
   * noise in [−1, 1] smoothed by a Gaussian of `sigma` pixels and scaled by `alpha` pixels. For
   * 28×28 digits the paper uses alpha 34, sigma 4.
   */
  elastic?: { alpha: number; sigma: number };
  /** Probability (0–1) of changing the stroke width: half thickened, half thinned, by about one pixel (grey dilation / erosion). */
  stroke?: number;
  /**
   * Stroke width changed by a fractional amount per example, uniform from `thin` pixels per side
   * thinner to `thick` pixels per side thicker (each 0–2): grey erosion or dilation by a disc with
   * an anti-aliased rim (StrokeThickener). Pens differ more than MNIST's did, and a drawing's
   * thick strokes, once thinned by preprocessing, keep the loops they closed.
   */
  thickness?: { thin: number; thick: number };
  /** Probability (0–1) of random erasing (Zhong et al. 2017): a rectangle of 2–20 % of the image, aspect 0.3–3.3, set to 0. */
  erase?: number;
}

export const AUGMENT_RANGES = {
  rotate: [0, 180],
  scale: [0, 0.95],
  shift: [0, 1024],
  shear: [0, 60],
  stroke: [0, 1],
  erase: [0, 1],
} as const;
export const AUGMENT_KEYS = [...Object.keys(AUGMENT_RANGES), 'elastic', 'thickness'] as ReadonlyArray<keyof AugmentConfig>;

/** Elastic parameters allowed: alpha in pixels of displacement, sigma in pixels of smoothing. */
export const ELASTIC_RANGES = { alpha: [0, 1000], sigma: [0.5, 50] } as const;

/** Thickness changes allowed, in pixels per side (StrokeThickener's window holds 2). */
export const THICKNESS_RANGES = { thin: [0, 2], thick: [0, 2] } as const;

/**
 * Checks an AugmentConfig, naming the field and its range.
 * @throws ConfigError INVALID_ARGUMENT
 */
export function validateAugmentConfig(config: AugmentConfig): void {
  const fail = (message: string): never => {
    throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `fit: augment.${message}`);
  };
  if (!config || typeof config !== 'object' || Array.isArray(config)) {
    throw new ConfigError(ErrorCode.INVALID_ARGUMENT, 'fit: augment must be an object such as { rotate: 10, shift: 2 }');
  }
  for (const key of Object.keys(config)) {
    if (!AUGMENT_KEYS.includes(key as keyof AugmentConfig)) fail(`${key} is not an augmentation; use ${AUGMENT_KEYS.join(', ')}`);
  }
  const inRange = (name: string, value: unknown, [lo, hi]: readonly [number, number]) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi) fail(`${name} must be a number in [${lo}, ${hi}], got ${value}`);
  };
  for (const [key, range] of Object.entries(AUGMENT_RANGES)) {
    const value = config[key as keyof typeof AUGMENT_RANGES];
    if (value !== undefined) inRange(key, value, range);
  }
  if (config.elastic !== undefined) {
    const elastic = config.elastic;
    if (!elastic || typeof elastic !== 'object') fail('elastic must be { alpha, sigma }, e.g. { alpha: 34, sigma: 4 }');
    inRange('elastic.alpha', elastic.alpha, ELASTIC_RANGES.alpha);
    inRange('elastic.sigma', elastic.sigma, ELASTIC_RANGES.sigma);
  }
  if (config.thickness !== undefined) {
    const thickness = config.thickness;
    if (!thickness || typeof thickness !== 'object') fail('thickness must be { thin, thick } in pixels per side, e.g. { thin: 0.3, thick: 1 }');
    inRange('thickness.thin', thickness.thin, THICKNESS_RANGES.thin);
    inRange('thickness.thick', thickness.thick, THICKNESS_RANGES.thick);
  }
}

/** True when the config changes anything (all zero or absent is "no augmentation"). */
export function augmentsAnything(config: AugmentConfig): boolean {
  return Boolean(config.rotate || config.scale || config.shift || config.shear || config.stroke || config.erase || config.elastic?.alpha || config.thickness?.thin || config.thickness?.thick);
}

/**
 * The [channels, height, width] of one example that augmentation works on: the model's 3-d input
 * shape, else the data set's 3-d `shape`, else — for a flat model whose input size is a perfect
 * square, such as 784 — one channel of side × side (row-major pixels, as MNIST stores them).
 * @throws ConfigError INVALID_ARGUMENT for examples that are not images.
 */
export function augmentImageShape(model: Sequential, data: Dataset): [number, number, number] {
  const fromModel = model.inputShape;
  if (fromModel.length === 3) return [fromModel[0], fromModel[1], fromModel[2]];
  const fromData = data.shape;
  if (fromData?.length === 3) return [fromData[0], fromData[1], fromData[2]];
  const side = Math.round(Math.sqrt(model.inputSize));
  if (fromModel.length === 1 && side * side === model.inputSize && side > 1) return [1, side, side];
  throw new ConfigError(
    ErrorCode.INVALID_ARGUMENT,
    `fit: augment needs image examples ([channels, height, width], or a square number of features), but the model takes [${fromModel.join(', ')}]${fromData ? ` and the data is [${fromData.join(', ')}]` : ''}`,
  );
}
