/**
 * The short, closed list of numeric kernels every layer, loss and optimizer runs on.
 *
 * Kernels work on flat row-major Float32Array buffers with explicit sizes and never allocate.
 * `js/` is the readable reference implementation (the truth tests compare against); `wasm/` is
 * the fast one. Adding a kernel here makes the compiler point at every backend that lacks it.
 *
 * Buffers: any Float32Array is accepted. A backend may be faster on buffers it allocated itself
 * (`allocate`), e.g. because they already live in WebAssembly memory; layers and optimizers
 * therefore allocate their parameters, gradients and activations through `allocate`.
 */
export type ActivationKind = 'identity' | 'relu' | 'leaky_relu' | 'sigmoid' | 'tanh' | 'selu';

export interface Backend {
  /** 'js' or 'wasm' (or another name for a third-party backend). */
  readonly name: string;
  /** Threads the backend may use for one kernel (1 for the reference backend). */
  readonly threads: number;

  /** A zero-filled buffer of `length` floats, valid for the life of the backend. */
  allocate(length: number): Float32Array;
  /** Hands a buffer from `allocate` back; using it afterwards is undefined. Optional to call. */
  release(buffer: Float32Array): void;

  /**
   * General matrix multiply: C (m×n) = op(A) (m×k) · op(B) (k×n), plus C's old value when
   * `accumulate` is true. op(A) is A (stored m×k) or, when transA, Aᵀ (A stored k×m); likewise B
   * (stored k×n, or n×k when transB). No transposed copy is made.
   */
  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    accumulate: boolean,
  ): void;

  /**
   * Dense layer epilogue, fused: z[r,c] += bias[c] in place (z keeps the pre-activation for the
   * backward pass), then y = act(z). `y` may be `z` itself for 'identity'. `alpha` is LeakyReLU's
   * negative slope (ignored by the others).
   */
  biasActivationForward(
    kind: ActivationKind,
    z: Float32Array,
    bias: Float32Array | null,
    y: Float32Array,
    rows: number,
    cols: number,
    alpha: number,
  ): void;

  /** y = act(x), elementwise over n values. */
  activationForward(kind: ActivationKind, x: Float32Array, y: Float32Array, n: number, alpha: number): void;

  /**
   * dx = dy ⊙ act'(x), elementwise over n values. `x` is the activation's input, `y` its output
   * (sigmoid, tanh and selu use y to avoid recomputing). dx may alias dy.
   */
  activationBackward(
    kind: ActivationKind,
    x: Float32Array,
    y: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    n: number,
    alpha: number,
  ): void;

  /** dBias[c] (+)= Σ_r dz[r,c]. */
  biasGradient(dz: Float32Array, dBias: Float32Array, rows: number, cols: number, accumulate: boolean): void;

  /** Row-wise numerically stable softmax: y[r,:] = softmax(x[r,:]). y may alias x. */
  softmax(x: Float32Array, y: Float32Array, rows: number, cols: number): void;

  /**
   * Softmax cross-entropy fused with softmax, in one pass per row. `labels[r]` is the class
   * index of row r. Writes dLogits = (softmax(logits) − onehot) · scale and returns the SUM of
   * the per-row losses (−log p[label]), computed with log-sum-exp. `dLogits` may be null (loss only).
   */
  softmaxCrossEntropy(
    logits: Float32Array,
    labels: Int32Array,
    dLogits: Float32Array | null,
    rows: number,
    cols: number,
    scale: number,
  ): number;

  /**
   * One Adam/AdamW step over n parameters, in one pass. `step` is the 1-based step number for
   * bias correction. `weightDecay` is L2 added to the gradient when `decoupled` is false (Adam),
   * or decoupled decay p -= lr·wd·p when true (AdamW).
   */
  adamUpdate(
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
  ): void;

  /**
   * SGD with optional momentum (PyTorch convention: v = μv + g; p -= lr·v, or with Nesterov
   * p -= lr·(g + μv)) and L2 weight decay added to the gradient. `velocity` unused when momentum is 0.
   */
  sgdUpdate(
    param: Float32Array,
    grad: Float32Array,
    velocity: Float32Array,
    n: number,
    lr: number,
    momentum: number,
    nesterov: boolean,
    weightDecay: number,
  ): void;

  /** RMSProp (PyTorch convention): s = ρs + (1−ρ)g²; p -= lr·g / (√s + eps). */
  rmspropUpdate(
    param: Float32Array,
    grad: Float32Array,
    square: Float32Array,
    n: number,
    lr: number,
    rho: number,
    eps: number,
    weightDecay: number,
  ): void;

  /** Σ x[i]², accumulated in float64. */
  sumOfSquares(x: Float32Array, n: number): number;

  /** x[i] *= s. */
  scale(x: Float32Array, n: number, s: number): void;

  /**
   * x[i] = bytes[i] / 255 in float32 (correctly rounded division, so every backend gives the same
   * bits): pixel bytes to features in [0, 1]. The wasm backend runs it as one SIMD pass when
   * `bytes` views memory from {@link allocate} (a byte view of a float block, as `fit` makes);
   * anywhere else it falls back to the reference loop.
   */
  bytesToUnit(bytes: Uint8Array, x: Float32Array, n: number): void;
}
