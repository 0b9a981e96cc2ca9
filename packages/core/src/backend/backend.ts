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

/**
 * Geometry of a 2-D window op (convolution or pooling) over a batch of NCHW images: `batch`
 * images of `channels` × `height` × `width` in, windows of `kernelH` × `kernelW` moved by
 * `strideH`/`strideW` over the input padded by `padH`/`padW` on each side, giving `outH` × `outW`
 * positions (floor((size + 2·pad − kernel) / stride) + 1, as PyTorch computes them).
 */
export interface WindowGeometry {
  batch: number;
  channels: number;
  height: number;
  width: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  outH: number;
  outW: number;
}

/** The fields of {@link WindowGeometry} in the order kernels take them as plain integers. */
export const WINDOW_GEOMETRY_FIELDS = [
  'batch',
  'channels',
  'height',
  'width',
  'kernelH',
  'kernelW',
  'strideH',
  'strideW',
  'padH',
  'padW',
  'outH',
  'outW',
] as const satisfies ReadonlyArray<keyof WindowGeometry>;

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
   * `count` independent GEMMs, as {@link gemm} each: C_i = op(A_i) · op(B_i) (+ C_i when
   * `accumulate`), with A_i, B_i and C_i the i-th of `count` matrices stored back to back in a, b
   * and c (m·k, k·n and m·n floats apart). A Winograd layer's per-point products; a backend with
   * threads splits them by matrices.
   */
  gemmBatch(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    count: number,
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

  // --- elementwise and row kernels used by dropout, softmax and the elementwise losses ---

  /** y[i] = a[i] · b[i]. y may alias a or b. */
  multiply(a: Float32Array, b: Float32Array, y: Float32Array, n: number): void;

  /** Softmax backward per row: dx = y ⊙ (dy − Σ_c dy·y), y the softmax output. dx may alias dy. */
  softmaxBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, rows: number, cols: number): void;

  /**
   * Squared error against dense targets `t` (rows·cols values), or one-hot rows from `labels` when
   * `t` is null (with one column, the label itself is the target). Returns Σ (y − t)² (float64
   * sum); writes dy = 2·(y − t)·scale when `dy` is given.
   */
  squaredError(
    y: Float32Array,
    t: Float32Array | null,
    labels: Int32Array | null,
    dy: Float32Array | null,
    rows: number,
    cols: number,
    scale: number,
  ): number;

  /**
   * Binary cross-entropy with logits (sigmoid fused), targets as in {@link squaredError}. Returns
   * Σ max(z,0) − z·t + log(1 + e^−|z|); writes dz = (σ(z) − t)·scale when `dz` is given.
   */
  sigmoidCrossEntropy(
    z: Float32Array,
    t: Float32Array | null,
    labels: Int32Array | null,
    dz: Float32Array | null,
    rows: number,
    cols: number,
    scale: number,
  ): number;

  // --- convolution, pooling and batch normalisation over NCHW batches ---

  /**
   * Unfolds image windows into columns: col is [channels·kernelH·kernelW, batch·outH·outW] with
   * row (c, i, j) and column (b, oy, ox) holding x[b, c, oy·strideH − padH + i, ox·strideW − padW + j]
   * (0 outside the image). A convolution is then one GEMM: W [out, c·kh·kw] · col.
   */
  im2col(x: Float32Array, col: Float32Array, g: WindowGeometry): void;

  /** The adjoint of {@link im2col}: dx (batch × channels × height × width) = Σ of every column entry back at its pixel (overwrites dx). */
  col2im(col: Float32Array, dx: Float32Array, g: WindowGeometry): void;

  /**
   * Reorders [channels, batch, inner] into [batch, channels, inner] (the GEMM's channel-major
   * result into NCHW), adding bias[c] to every value of channel c when `bias` is given.
   */
  channelMajorToBatch(src: Float32Array, dst: Float32Array, bias: Float32Array | null, batch: number, channels: number, inner: number): void;

  /**
   * {@link channelMajorToBatch} with the activation that follows a convolution fused in:
   * dst[b, c, p] = act(src[c, b, p] + bias[c]). One pass instead of two over the layer's output;
   * for ReLU (what the layers fuse) the same values as the two kernels in turn.
   */
  channelMajorToBatchActivation(
    kind: ActivationKind,
    src: Float32Array,
    dst: Float32Array,
    bias: Float32Array | null,
    batch: number,
    channels: number,
    inner: number,
    alpha: number,
  ): void;

  /** Reorders [batch, channels, inner] into [channels, batch, inner]: the inverse of {@link channelMajorToBatch} without bias. */
  batchToChannelMajor(src: Float32Array, dst: Float32Array, batch: number, channels: number, inner: number): void;

  /** sums[c] (+)= Σ_{b, p} x[b, c, p] over a [batch, channels, inner] buffer (conv bias gradient). */
  channelSums(x: Float32Array, sums: Float32Array, batch: number, channels: number, inner: number, accumulate: boolean): void;

  /**
   * A convolution's output gradient for its GEMMs, in one pass: dst = dy reordered into
   * [channels, batch, inner] ({@link batchToChannelMajor}), masked by the ReLU that followed the
   * convolution (0 where its output y ≤ 0) when `y` is given, and dBias[c] (+)= Σ of channel c's
   * values (as {@link channelSums}) when `dBias` is given.
   */
  convOutputGradient(
    dy: Float32Array,
    y: Float32Array | null,
    dst: Float32Array,
    dBias: Float32Array | null,
    batch: number,
    channels: number,
    inner: number,
    accumulate: boolean,
  ): void;

  /**
   * Direct convolution (no im2col): y[b, o, oy, ox] = act(bias[o] + Σ_{c, i, j} weight[o, c, i, j] ·
   * x[b, c, oy·strideH − padH + i, ox·strideW − padW + j]), padding counted as zeros; `g.channels`
   * is the input's channels, `outChannels` the output's. The fast path for layers with a small
   * patch (channels·kernelH·kernelW), where the im2col GEMM has a tiny inner dimension.
   */
  convForward(
    kind: ActivationKind,
    x: Float32Array,
    weight: Float32Array,
    bias: Float32Array | null,
    y: Float32Array,
    outChannels: number,
    g: WindowGeometry,
    alpha: number,
  ): void;

  /**
   * The weight and bias gradients of {@link convForward} straight from its input: with
   * gy = dy ⊙ (y > 0) when `y` (a ReLU's output that followed the convolution) is given, else dy,
   * dWeight[o, c, i, j] (+)= Σ_{b, oy, ox} gy[b, o, oy, ox] · x[b, c, oy·strideH − padH + i, ox·strideW − padW + j]
   * and dBias[o] (+)= Σ gy[b, o, ·] (when dBias is given). No input gradient.
   */
  convWeightGradient(
    x: Float32Array,
    dy: Float32Array,
    y: Float32Array | null,
    dWeight: Float32Array,
    dBias: Float32Array | null,
    outChannels: number,
    g: WindowGeometry,
    accumulate: boolean,
  ): void;

  /**
   * The input gradient of a convolution from its output gradient in channel-major order (dy
   * [outChannels, batch, outH·outW], as convOutputGradient leaves it): dx[b, c, y, x] =
   * Σ_{o, i, j} weight[o, c, i, j] · dy[o, b, oy, ox] over the (oy, ox) with oy·strideH − padH + i = y
   * and ox·strideW − padW + j = x, i.e. col2im(weightᵀ · dy) without the column matrix. Overwrites dx.
   */
  convInputGradient(dy: Float32Array, weight: Float32Array, dx: Float32Array, outChannels: number, g: WindowGeometry): void;

  /**
   * Max pooling (padding counts as −∞, PyTorch's MaxPool2d). `argmax` receives, for each output,
   * the index (h·width + w) of the chosen input pixel within its image channel (the first maximum
   * in scan order); −1 when a window lies wholly in the padding.
   */
  maxPoolForward(x: Float32Array, y: Float32Array, argmax: Int32Array, g: WindowGeometry): void;

  /** dx = 0, then each dy value added at its argmax pixel. */
  maxPoolBackward(dy: Float32Array, argmax: Int32Array, dx: Float32Array, g: WindowGeometry): void;

  /** Average pooling with padding counted in the divisor (PyTorch's AvgPool2d default, count_include_pad). */
  avgPoolForward(x: Float32Array, y: Float32Array, g: WindowGeometry): void;

  /** dx = 0, then each dy / (kernelH·kernelW) spread over its window. */
  avgPoolBackward(dy: Float32Array, dx: Float32Array, g: WindowGeometry): void;

  /**
   * Batch normalisation over a [batch, channels, inner] buffer, per channel (inner = 1 for
   * BatchNorm1d, height·width for BatchNorm2d). Training: mean and biased variance of the batch
   * (float64 sums) go to `mean` and `invStd` = 1/√(var + eps), `xhat` = (x − mean)·invStd, and the
   * running statistics move by `momentum` (running_var with the unbiased variance, as PyTorch).
   * Evaluation: the running statistics normalise (copied into `mean` and `invStd`) and nothing is
   * updated.
   * Then y = gamma·xhat + beta.
   */
  batchNormForward(
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
  ): void;

  /**
   * Batch-norm backward: dGamma (+)= Σ dy·xhat, dBeta (+)= Σ dy, and, for a training-mode
   * forward (batch statistics), dx = gamma·invStd/N · (N·dy − Σdy − xhat·Σ dy·xhat) with
   * N = batch·inner; for an evaluation-mode forward (fixed statistics), dx = gamma·invStd·dy.
   */
  batchNormBackward(
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
  ): void;

  // --- Winograd F(2×2, r×r) for 3×3 and 5×5 stride-1 convolutions (js/winograd.ts explains the maths) ---
  // Winograd-domain buffers are [α²][channels][batch·tiles], α = r + 1, tiles = ⌈outH/2⌉·⌈outW/2⌉
  // per image; `g` is the convolution's input geometry (kernel 3×3 or 5×5, stride 1, any padding).

  /** V[ξ][c][t] = (Bᵀ d B)[ξ] for every α×α input tile d (stride 2, zeros outside the image). */
  winogradInput(x: Float32Array, v: Float32Array, g: WindowGeometry): void;

  /** y (NCHW, outChannels) = Aᵀ M A per tile + bias[o], then ReLU when `relu`; edge tiles write only the outputs that exist. */
  winogradOutput(m: Float32Array, bias: Float32Array | null, y: Float32Array, relu: boolean, outChannels: number, g: WindowGeometry): void;

  /**
   * dM = A gY Aᵀ per output tile, with gY = dy masked by `y` (a fused ReLU's output: 0 where
   * y ≤ 0) when given, zeros past the edge; dBias[o] (+)= Σ gY of channel o when given.
   */
  winogradOutputGradient(
    dy: Float32Array,
    y: Float32Array | null,
    dm: Float32Array,
    dBias: Float32Array | null,
    outChannels: number,
    g: WindowGeometry,
    accumulate: boolean,
  ): void;

  /** dx (overwritten) = Σ over tiles of B dV Bᵀ on each tile's input window, the padding's share dropped. */
  winogradInputGradient(dv: Float32Array, dx: Float32Array, g: WindowGeometry): void;

  /** U[ξ][o][c] = (G w[o, c] Gᵀ)[ξ] for a [outChannels, inChannels, kernel, kernel] weight. */
  winogradWeights(weight: Float32Array, u: Float32Array, outChannels: number, inChannels: number, kernel: number): void;

  /** dWeight[o, c] (+)= Gᵀ dU[·][o][c] G. */
  winogradWeightGradient(du: Float32Array, dWeight: Float32Array, outChannels: number, inChannels: number, kernel: number, accumulate: boolean): void;
}
