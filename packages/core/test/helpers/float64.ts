import { type Backend, createJsBackend } from '../../src/backend/index.js';

/**
 * The reference backend with float64 buffers. The JS kernels and the layers are plain loops
 * over indexable arrays, so handing them Float64Array buffers runs the very same code in double
 * precision. Gradient checks use it so that central differences are accurate to ~1e-9 and a
 * tight tolerance (relative error < 1e-6) is meaningful; float32 rounding would otherwise swamp
 * the finite differences.
 */
export const float64Backend: Backend = {
  ...createJsBackend(),
  name: 'js-float64',
  allocate: (n) => new Float64Array(n) as unknown as Float32Array,
};

/** A float64 buffer typed as the Float32Array the APIs expect. */
export function float64(values: ArrayLike<number>): Float32Array {
  return Float64Array.from(values) as unknown as Float32Array;
}
