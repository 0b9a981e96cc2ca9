import type { Rng } from '../random.js';

/** Smoothed fields kept per fit; with 32 variants each (mirrors, signs, component swap) that is 512 distinct fields. */
export const ELASTIC_BANK_SIZE = 16;

/**
 * A bank of elastic displacement fields (Simard et al. 2003), smoothed once per fit. Blurring two
 * fresh noise fields per example per batch would cost more than the network's step; instead an
 * example picks a field from the bank and one of 32 symmetries of it (mirror in x and/or y,
 * negate either component, swap the components). Each symmetry of i.i.d. smoothed noise is
 * distributed exactly as a fresh field, so only the number of distinct fields is smaller.
 *
 * Layout: field k's x displacements then its y displacements, height × width each, row-major.
 */
export class ElasticBank {
  readonly fields: Float32Array;
  readonly count = ELASTIC_BANK_SIZE;

  constructor(
    readonly height: number,
    readonly width: number,
    alpha: number,
    sigma: number,
    rng: Rng,
  ) {
    const plane = height * width;
    this.fields = new Float32Array(this.count * 2 * plane);
    const kernel = gaussianKernel(sigma);
    const noise = new Float64Array(plane);
    const tmp = new Float64Array(plane);
    for (let f = 0; f < this.count * 2; f++) {
      for (let i = 0; i < plane; i++) noise[i] = 2 * rng.uniform() - 1;
      blur(noise, tmp, height, width, kernel);
      const out = f * plane;
      for (let i = 0; i < plane; i++) this.fields[out + i] = alpha * noise[i];
    }
  }
}

/** A normalised Gaussian of standard deviation sigma, truncated at 4 sigma (as scipy's gaussian_filter). */
function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.max(1, Math.ceil(4 * sigma));
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    kernel[i + radius] = Math.exp((-i * i) / (2 * sigma * sigma));
    sum += kernel[i + radius];
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  return kernel;
}

/** Separable blur of `image` in place; edges are mirrored (scipy's 'reflect'). */
function blur(image: Float64Array, tmp: Float64Array, height: number, width: number, kernel: Float64Array): void {
  const radius = (kernel.length - 1) >> 1;
  const reflect = (i: number, n: number) => {
    let j = i;
    // Repeat for kernels wider than the image.
    for (;;) {
      if (j < 0) j = -j - 1;
      else if (j >= n) j = 2 * n - j - 1;
      else return j;
    }
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] * image[y * width + reflect(x + k, width)];
      tmp[y * width + x] = sum;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] * tmp[reflect(y + k, height) * width + x];
      image[y * width + x] = sum;
    }
  }
}
