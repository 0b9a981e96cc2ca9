export function adamUpdate(
  param: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  n: number,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  weightDecay: number,
  decoupled: boolean,
  step: number,
): void {
  const correction1 = 1 - beta1 ** step;
  const correction2 = 1 - beta2 ** step;
  const stepSize = lr / correction1;
  const sqrtCorrection2 = Math.sqrt(correction2);
  const decay = decoupled ? 1 - lr * weightDecay : 1;
  const l2 = decoupled ? 0 : weightDecay;
  for (let i = 0; i < n; i++) {
    const g = grad[i] + l2 * param[i];
    const mi = beta1 * m[i] + (1 - beta1) * g;
    const vi = beta2 * v[i] + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    param[i] = param[i] * decay - (stepSize * mi) / (Math.sqrt(vi) / sqrtCorrection2 + eps);
  }
}

export function sgdUpdate(
  param: Float32Array,
  grad: Float32Array,
  velocity: Float32Array,
  n: number,
  lr: number,
  momentum: number,
  nesterov: boolean,
  weightDecay: number,
): void {
  for (let i = 0; i < n; i++) {
    let g = grad[i] + weightDecay * param[i];
    if (momentum !== 0) {
      const vi = momentum * velocity[i] + g;
      velocity[i] = vi;
      g = nesterov ? g + momentum * vi : vi;
    }
    param[i] -= lr * g;
  }
}

export function rmspropUpdate(
  param: Float32Array,
  grad: Float32Array,
  square: Float32Array,
  n: number,
  lr: number,
  rho: number,
  eps: number,
  weightDecay: number,
): void {
  for (let i = 0; i < n; i++) {
    const g = grad[i] + weightDecay * param[i];
    const s = rho * square[i] + (1 - rho) * g * g;
    square[i] = s;
    param[i] -= (lr * g) / (Math.sqrt(s) + eps);
  }
}
