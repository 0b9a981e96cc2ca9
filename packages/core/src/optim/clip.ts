import type { Backend } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import { ConfigError, ErrorCode } from '../errors.js';
import type { Parameter } from '../parameter.js';
import { describe } from './optimizer-config.js';

/** Added to the norm before dividing, as PyTorch's `clip_grad_norm_` does, so a zero norm is safe. */
const NORM_EPSILON = 1e-6;

/**
 * The L2 norm of all the parameters' gradients taken together, √(Σ over every gradient entry of g²),
 * accumulated in float64 by `backend.sumOfSquares`.
 */
export function globalGradientNorm(parameters: readonly Parameter[], backend: Backend = getBackend()): number {
  let sum = 0;
  for (const p of parameters) sum += backend.sumOfSquares(p.grad.data, p.grad.data.length);
  return Math.sqrt(sum);
}

/**
 * Clips gradients in place to a global L2 norm of at most `maxNorm`, like PyTorch's
 * `torch.nn.utils.clip_grad_norm_`: when the norm exceeds `maxNorm`, every gradient is multiplied
 * by maxNorm / (norm + 1e-6), which keeps their direction.
 *
 * A non-finite norm (a NaN or Inf gradient) leaves the gradients untouched — scaling would only
 * spread the NaN or zero everything silently — and is returned so the caller can stop training.
 *
 * @returns the global gradient norm before clipping.
 * @throws ConfigError (INVALID_ARGUMENT) when maxNorm is not a finite number > 0.
 */
export function clipGradientNorm(parameters: readonly Parameter[], maxNorm: number, backend: Backend = getBackend()): number {
  if (typeof maxNorm !== 'number' || !Number.isFinite(maxNorm) || maxNorm <= 0) {
    throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `clipGradientNorm: maxNorm must be a finite number > 0, got ${describe(maxNorm)}`);
  }
  const norm = globalGradientNorm(parameters, backend);
  if (!Number.isFinite(norm)) return norm;
  const coefficient = maxNorm / (norm + NORM_EPSILON);
  if (coefficient < 1) {
    for (const p of parameters) backend.scale(p.grad.data, p.grad.data.length, coefficient);
  }
  return norm;
}
