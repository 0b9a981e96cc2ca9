// Reference batch normalisation over [batch, channels, inner] buffers, per channel; statistics in
// float64 (one pass for the sums, as the docs of Backend.batchNormForward state).

export function batchNormForward(
  x: Float32Array,
  y: Float32Array,
  xhat: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  mean: Float32Array,
  invStd: Float32Array,
  runningMean: Float32Array,
  runningVar: Float32Array,
  batch: number,
  channels: number,
  inner: number,
  momentum: number,
  eps: number,
  training: boolean,
): void {
  const count = batch * inner;
  for (let c = 0; c < channels; c++) {
    let mu: number;
    let variance: number;
    if (training) {
      let sum = 0;
      for (let b = 0; b < batch; b++) {
        const from = (b * channels + c) * inner;
        for (let p = 0; p < inner; p++) sum += x[from + p];
      }
      mu = sum / count;
      let squares = 0;
      for (let b = 0; b < batch; b++) {
        const from = (b * channels + c) * inner;
        for (let p = 0; p < inner; p++) {
          const d = x[from + p] - mu;
          squares += d * d;
        }
      }
      variance = squares / count;
      const unbiased = count > 1 ? squares / (count - 1) : variance;
      runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mu;
      runningVar[c] = (1 - momentum) * runningVar[c] + momentum * unbiased;
    } else {
      mu = runningMean[c];
      variance = runningVar[c];
    }
    const inv = 1 / Math.sqrt(variance + eps);
    mean[c] = mu;
    invStd[c] = inv;
    const g = gamma[c];
    const shift = beta[c];
    // The float32 values just stored are what the backward pass reads: normalise with them too.
    const m32 = mean[c];
    const s32 = invStd[c];
    for (let b = 0; b < batch; b++) {
      const from = (b * channels + c) * inner;
      for (let p = 0; p < inner; p++) {
        const h = (x[from + p] - m32) * s32;
        xhat[from + p] = h;
        y[from + p] = g * xhat[from + p] + shift;
      }
    }
  }
}

export function batchNormBackward(
  dy: Float32Array,
  xhat: Float32Array,
  gamma: Float32Array,
  invStd: Float32Array,
  dx: Float32Array,
  dGamma: Float32Array,
  dBeta: Float32Array,
  batch: number,
  channels: number,
  inner: number,
  accumulate: boolean,
  training: boolean,
): void {
  const count = batch * inner;
  for (let c = 0; c < channels; c++) {
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let b = 0; b < batch; b++) {
      const from = (b * channels + c) * inner;
      for (let p = 0; p < inner; p++) {
        sumDy += dy[from + p];
        sumDyXhat += dy[from + p] * xhat[from + p];
      }
    }
    dGamma[c] = accumulate ? dGamma[c] + sumDyXhat : sumDyXhat;
    dBeta[c] = accumulate ? dBeta[c] + sumDy : sumDy;
    const k = gamma[c] * invStd[c];
    if (training) {
      const meanDy = sumDy / count;
      const meanDyXhat = sumDyXhat / count;
      for (let b = 0; b < batch; b++) {
        const from = (b * channels + c) * inner;
        for (let p = 0; p < inner; p++) dx[from + p] = k * (dy[from + p] - meanDy - xhat[from + p] * meanDyXhat);
      }
    } else {
      for (let b = 0; b < batch; b++) {
        const from = (b * channels + c) * inner;
        for (let p = 0; p < inner; p++) dx[from + p] = k * dy[from + p];
      }
    }
  }
}
