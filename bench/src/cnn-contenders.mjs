// What the CNN rows add to the JavaScript contenders: ConvNetJS (npm `convnetjs`, pinned) trained
// with its own Trainer, a TF.js layers model built from the same ModelSpec, the per-layer timing of
// scratchnet's conv layers, and the flop counts the report divides by.
import { createRequire } from 'node:module';

/** A ReLU is mapped as the activation of the conv or dense layer before it; anywhere else it would be lost. */
function checkRelu(spec, i, library) {
  const before = spec.layers[i - 1]?.type;
  if (before !== 'conv2d' && before !== 'dense') throw new Error(`${library}: a ReLU after ${before ?? 'the input'} is not mapped`);
}

/** A kernel size, stride or padding given once (5) or as [h, w]: as [h, w]. */
const pair = (v) => (Array.isArray(v) ? v : [v, v]);

/** Zero padding [h, w] of a conv spec ('same' = (k-1)/2, stride 1, odd kernels). */
function convPadding(spec) {
  if (spec.padding === 'same') return pair(spec.kernelSize).map((k) => (k - 1) / 2);
  return pair(spec.padding ?? 0);
}

/**
 * Forward multiply-add flops of one example through each GEMM layer (conv: 2·out·Ho·Wo·in·kh·kw,
 * dense: 2·in·out), from core's `summarizeModel(spec)`.
 */
export function gemmLayerFlops(summary) {
  return summary.flatMap((l) => {
    if (l.spec.type === 'conv2d') {
      const [kh, kw] = pair(l.spec.kernelSize);
      const [out, ho, wo] = l.outputShape;
      return [{ index: l.index, type: 'conv2d', description: l.description, forward: 2 * out * ho * wo * l.spec.inChannels * kh * kw }];
    }
    if (l.spec.type === 'dense') return [{ index: l.index, type: 'dense', description: l.description, forward: 2 * l.spec.inputSize * l.spec.outputSize }];
    return [];
  });
}

/**
 * Training flops of one example: forward, weight gradient and input gradient are each the forward
 * count; layer 0 needs no input gradient (as for the MLP rows). Pooling, ReLU and Adam are not counted.
 */
export function trainingFlops({ index, forward }) {
  return (index === 0 ? 2 : 3) * forward;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median wall time in µs of `forward` and of `backward`, called in pairs: 3 warm-up pairs, then at least 5 and `seconds`. */
function pairMicros(forward, backward, seconds) {
  for (let i = 0; i < 3; i++) {
    forward();
    backward();
  }
  const f = [];
  const b = [];
  const until = performance.now() + seconds * 1000;
  while (f.length < 5 || performance.now() < until) {
    const t0 = performance.now();
    forward();
    const t1 = performance.now();
    backward();
    f.push((t1 - t0) * 1000);
    b.push((performance.now() - t1) * 1000);
  }
  return { forwardMicros: median(f), backwardMicros: median(b) };
}

/**
 * Times every conv layer of a scratchnet model alone at `rows` rows, on a batch that went through
 * the layers before it: forward and backward (input gradient unless layer 0, as `fit` asks), in
 * pairs. Returns µs per call; the report turns them into GFLOP/s against the WASM peak.
 */
export function convLayerProfile(core, backend, model, rows, seconds = 0.3) {
  model.train();
  model.reserve(rows);
  const context = { training: true, rng: new core.Rng(1) };
  const x = backend.allocate(rows * model.inputSize);
  for (let i = 0; i < x.length; i++) x[i] = ((i * 7919) % 256) / 255;
  const profile = [];
  let input = x;
  model.layers.forEach((layer, index) => {
    if (layer.spec.type === 'conv2d') {
      const dy = backend.allocate(rows * layer.outputSize);
      for (let i = 0; i < dy.length; i++) dy[i] = (((i * 104729) % 201) - 100) * 1e-4;
      const layerInput = input;
      const needInputGradient = index > 0;
      const { forwardMicros, backwardMicros } = pairMicros(
        () => layer.forward(layerInput, rows, context),
        () => layer.backward(dy, rows, needInputGradient, true),
        seconds,
      );
      profile.push({ index, rows, needInputGradient, forwardMicros, backwardMicros, stepMicros: forwardMicros + backwardMicros });
      backend.release(dy);
    }
    input = layer.forward(input, rows, context);
  });
  backend.release(x);
  return profile;
}

/** The same network as TF.js layers (channels last; a ReLU after a conv or dense layer is fused into it). */
export function tensorflowLayers(tf, spec) {
  const [channels, height, width] = spec.inputShape;
  const model = tf.sequential();
  let first = { inputShape: [height, width, channels] };
  const input = () => {
    const options = first ?? {};
    first = null;
    return options;
  };
  spec.layers.forEach((l, i) => {
    const activation = spec.layers[i + 1]?.type === 'relu' ? 'relu' : 'linear';
    if (l.type === 'conv2d') {
      const [ph, pw] = convPadding(l);
      const [kh, kw] = pair(l.kernelSize);
      const padding = ph === 0 && pw === 0 ? 'valid' : ph === (kh - 1) / 2 && pw === (kw - 1) / 2 && pair(l.stride ?? 1).every((s) => s === 1) ? 'same' : null;
      if (!padding) throw new Error(`TF.js: conv padding ${ph}×${pw} is neither 'valid' nor 'same'`);
      model.add(tf.layers.conv2d({ ...input(), filters: l.outChannels, kernelSize: [kh, kw], strides: pair(l.stride ?? 1), padding, useBias: l.bias !== false, activation }));
    } else if (l.type === 'dense') model.add(tf.layers.dense({ ...input(), units: l.outputSize, activation }));
    else if (l.type === 'max_pool2d') {
      if (pair(l.padding ?? 0).some((p) => p !== 0)) throw new Error('TF.js: padded max-pool is not mapped');
      model.add(tf.layers.maxPooling2d({ ...input(), poolSize: pair(l.kernelSize), strides: pair(l.stride ?? l.kernelSize), padding: 'valid' }));
    } else if (l.type === 'flatten') model.add(tf.layers.flatten(input()));
    else if (l.type === 'relu') checkRelu(spec, i, 'TF.js');
    else throw new Error(`TF.js: layer type ${l.type} is not mapped`);
  });
  return model;
}

/**
 * ConvNetJS's layer definitions for a spec, as its MNIST demo writes them (a ReLU after a conv or
 * fc layer is its `activation`; the last dense layer is its softmax layer, which carries its own fc).
 */
function convnetjsLayers(spec) {
  const [channels, height, width] = spec.inputShape;
  const defs = [{ type: 'input', out_sx: width, out_sy: height, out_depth: channels }];
  spec.layers.forEach((l, i) => {
    const activation = spec.layers[i + 1]?.type === 'relu' ? { activation: 'relu' } : {};
    if (l.type === 'conv2d') {
      const [kh, kw] = pair(l.kernelSize);
      const [ph, pw] = convPadding(l);
      const [sh, sw] = pair(l.stride ?? 1);
      if (kh !== kw || ph !== pw || sh !== sw) throw new Error('ConvNetJS: only square kernels, strides and padding are mapped');
      defs.push({ type: 'conv', sx: kw, filters: l.outChannels, stride: sw, pad: pw, ...activation });
    } else if (l.type === 'max_pool2d') {
      const [kh, kw] = pair(l.kernelSize);
      const [sh, sw] = pair(l.stride ?? l.kernelSize);
      if (kh !== kw || sh !== sw || pair(l.padding ?? 0).some((p) => p !== 0)) throw new Error('ConvNetJS: only square unpadded pools are mapped');
      defs.push({ type: 'pool', sx: kw, stride: sw });
    } else if (l.type === 'dense') {
      const last = i === spec.layers.length - 1;
      defs.push(last ? { type: 'softmax', num_classes: l.outputSize } : { type: 'fc', num_neurons: l.outputSize, ...activation });
    } else if (l.type === 'relu') checkRelu(spec, i, 'ConvNetJS');
    else if (l.type !== 'flatten') throw new Error(`ConvNetJS: layer type ${l.type} is not mapped`);
  });
  return defs;
}

/**
 * ConvNetJS trains one example at a time (`trainer.train(x, y)`), updating every `batch_size`
 * examples. The npm release (0.3.0) has no Adam: it runs the trainer of its MNIST demo,
 * adadelta with batch 20 and l2_decay 0.001 (the batch comes from the row's config).
 */
export async function convnetjs(spec, { batch, seed, train, test }) {
  const { default: cnn } = await import('convnetjs');
  const { version } = createRequire(import.meta.url)('convnetjs/package.json');
  const net = new cnn.Net();
  net.makeLayers(convnetjsLayers(spec));
  const trainerOptions = { method: 'adadelta', batch_size: batch, l2_decay: 0.001 };
  const trainer = new cnn.Trainer(net, trainerOptions);
  const [channels, height, width] = spec.inputShape;
  const size = channels * height * width;
  const x = new cnn.Vol(width, height, channels, 0.0);
  // Vol stores (y·width + x)·depth + d: for one channel, the image's row-major bytes.
  const load = (images, i) => {
    for (let p = 0; p < size; p++) x.w[p] = images[i * size + p] / 255;
  };
  const order = Int32Array.from({ length: train.size }, (_, i) => i);
  let state = seed + 1;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  return {
    info: { library: `convnetjs ${version}`, backend: 'plain JavaScript', threads: 1, trainer: trainerOptions },
    async epoch(maxSeconds) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      const start = performance.now();
      let seen = 0;
      while (seen < train.size) {
        const end = Math.min(train.size, seen + batch);
        for (; seen < end; seen++) {
          load(train.images, order[seen]);
          trainer.train(x, train.labels[order[seen]]);
        }
        if ((performance.now() - start) / 1000 > maxSeconds) break;
      }
      return { samples: seen, seconds: (performance.now() - start) / 1000 };
    },
    evaluate() {
      let correct = 0;
      for (let i = 0; i < test.size; i++) {
        load(test.images, i);
        net.forward(x);
        if (net.getPrediction() === test.labels[i]) correct++;
      }
      return correct / test.size;
    },
  };
}
