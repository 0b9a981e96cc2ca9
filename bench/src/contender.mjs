// One JavaScript contender in its own process (so its peak RSS is its own): scratchnet on the
// wasm, wasm+threads or js backend, TensorFlow.js on its cpu or wasm backend, or ConvNetJS
// (cnn-contenders.mjs). Same protocol as peers/mlp_peer.py: JSON commands on stdin, '@@BENCH '
// replies on stdout. An MLP config gives `layers` and `activations`; a CNN config gives `spec`, the
// ModelSpec core's parseArchitecture made of its architecture string.
//
//   node src/contender.mjs <kind> '<json config>'
import { createInterface } from 'node:readline';
import { convnetjs, convLayerProfile, tensorflowLayers } from './cnn-contenders.mjs';
import { readCachedData } from './data.mjs';

const [kind, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson);
const { layers: sizes, activations, batch, files, spec: cnnSpec } = config;
const seed = config.seed ?? 0;
const reply = (obj) => process.stdout.write(`@@BENCH ${JSON.stringify(obj)}\n`);
const { train, test } = readCachedData(files);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median µs of one call of `fn`, timed in groups of `group` calls (timer resolution). */
function latency(fn, iterations, group = 20) {
  for (let i = 0; i < 200; i++) fn();
  const samples = [];
  for (let g = 0; g < iterations / group; g++) {
    const t = performance.now();
    for (let i = 0; i < group; i++) fn();
    samples.push(((performance.now() - t) * 1000) / group);
  }
  return median(samples);
}

async function scratchnet() {
  const core = await import('@scratchnet/core');
  const { ImageDataset } = await import('@scratchnet/datasets');
  const backend =
    kind === 'scratchnet-js' ? core.createJsBackend() : await core.createWasmBackend({ threads: kind === 'scratchnet-wasm-threads' ? 2 : 1 });
  const spec = cnnSpec ?? core.parseArchitecture(sizes.join('-'), { activations: activations.join(',') });
  const model = core.buildModel(spec, { seed, backend });
  const optimizer = core.createOptimizer({ type: 'adam', lr: 1e-3 }, model.parameters(), backend);
  const classNames = Array.from({ length: 10 }, (_, i) => String(i));
  const trainSet = new ImageDataset({ images: train.images, labels: train.labels, rows: 28, cols: 28, classNames });
  const testSet = new ImageDataset({ images: test.images, labels: test.labels, rows: 28, cols: 28, classNames });
  let round = 0;
  return {
    info: { library: '@scratchnet/core', backend: backend.name, threads: backend.threads, variant: backend.variant ?? null },
    async epoch(maxSeconds) {
      const controller = new AbortController();
      let seen = 0;
      const start = performance.now();
      try {
        await core.fit(model, trainSet, {
          epochs: 1,
          batchSize: batch,
          optimizer,
          seed: seed + round++,
          signal: controller.signal,
          callbacks: {
            onBatchEnd: (info) => {
              seen = Math.min(train.size, (info.batch + 1) * batch);
              if ((performance.now() - start) / 1000 > maxSeconds) controller.abort();
            },
          },
        });
      } catch (error) {
        if (error?.code !== 'ABORTED') throw error;
      }
      return { samples: seen, seconds: (performance.now() - start) / 1000 };
    },
    // CNNs at core's default batch (256): at 1,000, cnn-32-64's activations alone take ~850 MB.
    evaluate: () => core.evaluate(model, testSet, { batchSize: cnnSpec ? 256 : 1000 }).accuracy,
    infer(iterations) {
      model.eval();
      const x = backend.allocate(784);
      for (let i = 0; i < 784; i++) x[i] = test.images[i] / 255;
      return latency(() => model.forwardBatch(x, 1), iterations);
    },
    layerProfile: (seconds) => convLayerProfile(core, backend, model, batch, seconds),
  };
}

async function tensorflow() {
  const tf = await import('@tensorflow/tfjs');
  if (kind === 'tfjs-wasm') await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend(kind === 'tfjs-wasm' ? 'wasm' : 'cpu');
  await tf.ready();
  const model = cnnSpec ? tensorflowLayers(tf, cnnSpec) : tf.sequential();
  for (let i = 1; !cnnSpec && i < sizes.length; i++) {
    const last = i === sizes.length - 1;
    model.add(tf.layers.dense({ units: sizes[i], inputShape: i === 1 ? [sizes[0]] : undefined, activation: last ? 'linear' : activations[i - 1] }));
  }
  // A CNN takes images as [rows, 28, 28, 1] (TF.js's channels-last layout; one channel, same bytes).
  const inputShape = (rows) => (cnnSpec ? [rows, 28, 28, 1] : [rows, 784]);
  const optimizer = tf.train.adam(1e-3);
  const x = new Float32Array(batch * 784);
  const labels = new Int32Array(batch);
  const order = Int32Array.from({ length: train.size }, (_, i) => i);
  let state = seed + 1;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  return {
    info: { library: `@tensorflow/tfjs ${tf.version.tfjs}`, backend: tf.getBackend(), threads: 'library default' },
    async epoch(maxSeconds) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      const start = performance.now();
      let seen = 0;
      for (let b = 0; b < train.size; b += batch) {
        const rows = Math.min(batch, train.size - b);
        for (let r = 0; r < rows; r++) {
          const src = order[b + r] * 784;
          for (let p = 0; p < 784; p++) x[r * 784 + p] = train.images[src + p] / 255;
          labels[r] = train.labels[order[b + r]];
        }
        tf.tidy(() => {
          const xs = tf.tensor(x.subarray(0, rows * 784), inputShape(rows));
          const ys = tf.oneHot(tf.tensor1d(labels.subarray(0, rows), 'int32'), 10);
          optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true })));
        });
        seen += rows;
        if ((performance.now() - start) / 1000 > maxSeconds) break;
      }
      return { samples: seen, seconds: (performance.now() - start) / 1000 };
    },
    evaluate() {
      let correct = 0;
      for (let b = 0; b < test.size; b += 1000) {
        const rows = Math.min(1000, test.size - b);
        const xs = Float32Array.from(test.images.subarray(b * 784, (b + rows) * 784), (v) => v / 255);
        const predicted = tf.tidy(() => model.predict(tf.tensor(xs, inputShape(rows))).argMax(1).dataSync());
        for (let i = 0; i < rows; i++) if (predicted[i] === test.labels[b + i]) correct++;
      }
      return correct / test.size;
    },
    infer(iterations) {
      const xs = Float32Array.from(test.images.subarray(0, 784), (v) => v / 255);
      return latency(() => tf.tidy(() => model.predict(tf.tensor2d(xs, [1, 784])).dataSync()), iterations, 10);
    },
  };
}

const contender = kind.startsWith('tfjs')
  ? await tensorflow()
  : kind === 'convnetjs'
    ? await convnetjs(cnnSpec, { batch, seed, train, test })
    : await scratchnet();
reply({ ready: true, info: contender.info });
for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line);
  try {
    if (command.cmd === 'epoch') {
      const cpu = process.cpuUsage();
      const result = await contender.epoch(command.maxSeconds ?? 1e9);
      const used = process.cpuUsage(cpu);
      reply({ ...result, cpuSeconds: (used.user + used.system) / 1e6 });
    }
    else if (command.cmd === 'evaluate') reply({ accuracy: contender.evaluate() });
    else if (command.cmd === 'infer') reply({ medianMicros: contender.infer(command.iterations ?? 2000) });
    else if (command.cmd === 'layerProfile') reply({ layers: contender.layerProfile(command.seconds ?? 0.3) });
    else if (command.cmd === 'exit') {
      reply({ peakRssMB: process.resourceUsage().maxRSS / 1024 });
      process.exit(0);
    }
  } catch (error) {
    // Reported as data, so the table can say why (TF.js wasm cannot train a convolution).
    reply({ error: error?.message ?? String(error) });
  }
}
