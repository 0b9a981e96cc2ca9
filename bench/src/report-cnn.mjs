// The CNN part of BENCHMARKS.md (issue #12): throughput, ratios against PyTorch and ConvNetJS with
// the issue's targets, the fraction of the WASM-SIMD peak the conv layers reach, accuracy, memory.

const fmt = (v, digits = 0) => (v === null || v === undefined || Number.isNaN(v) ? '–' : Number(v).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/** Issue #12's speed targets per preset: [peer group, minimum ratio of the best scratchnet]. */
const CNN_TARGETS = {
  'convnetjs-mnist': [
    ['torch', 1.0],
    ['convnetjs', 30],
  ],
  lenet5: [['torch', 1.0]],
  'cnn-32-64': [['torch', 0.7]],
};
const GROUP_LABEL = { torch: 'PyTorch (best of 1/2 threads)', convnetjs: 'ConvNetJS', 'tfjs-cpu': 'TF.js cpu', 'tfjs-wasm': 'TF.js wasm' };

/** A module as PyTorch prints it, without the arguments left at their defaults. */
const compact = (description) =>
  description
    .replace(/, stride=\(1, 1\)|, padding=0, dilation=1, ceil_mode=False|, bias=True|start_dim=1, end_dim=-1|in_features=|out_features=/g, '')
    .replace(/kernel_size=\((\d+), \1\)/, 'kernel_size=$1')
    .replace(/padding=\((\d+), \1\)/, 'padding=$1');

function best(network, group) {
  const list = Object.values(network.contenders).filter((c) => c.group === group && c.samplesPerSecond);
  return list.sort((a, b) => b.samplesPerSecond - a.samplesPerSecond)[0] ?? null;
}

/** Peak GFLOP/s for a contender's thread count (null when the run measured no peak). */
function peakFor(report, id) {
  if (!report.peak) return null;
  return id.endsWith('threads') || id === 'torch-2t' ? report.peak.allThreads : report.peak.oneThread;
}

const percent = (gflops, peak) => (peak ? `${fmt((100 * gflops) / peak, 0)} %` : '–');

export function renderCnnSection(report, networks) {
  const lines = [];
  const push = (...l) => lines.push(...l);
  const ids = [...new Set(networks.flatMap((n) => Object.keys(n.contenders)))];
  const labels = Object.fromEntries(networks.flatMap((n) => Object.values(n.contenders).map((c) => [c.id, c.label])));
  const header = () => push(`| network | ${ids.map((id) => labels[id]).join(' | ')} |`, `|---|${ids.map(() => '---:').join('|')}|`);
  const errors = [...new Set(networks.flatMap((n) => Object.values(n.contenders).filter((c) => c.error).map((c) => `${c.label}: \`${c.error}\``)))];
  const footnote = (c) => `failed (${errors.findIndex((e) => e.startsWith(`${c.label}:`)) + 1})`;
  const convnetjs = networks.flatMap((n) => Object.values(n.contenders)).find((c) => c.id === 'convnetjs' && c.info);

  push('## Convolutional networks', '');
  push(
    '- Same protocol as the MLP rows: every contender in its own process, one epoch of each in turn per round, ' +
      `round 0 not counted, epochs capped at ${report.capSeconds} s, median over ${report.rounds} rounds, the same Fashion-MNIST bytes (images as 1×28×28). ` +
      'scratchnet (through `fit()`), PyTorch and TF.js (wasm: it fails, below) train with Adam (lr 1e-3) and softmax cross-entropy on the same layer layout, module for module:',
  );
  for (const n of networks) push(`  - **${n.name}** (batch ${n.batch}, \`${n.arch}\`): ${n.modules.map(compact).join(' → ')}`);
  const convnetjsRows = networks.filter((n) => n.contenders.convnetjs).map((n) => n.name);
  const convnetjsEpochs = networks.flatMap((n) => n.contenders.convnetjs?.epochs ?? []);
  const convnetjsSamples = convnetjsEpochs.reduce((sum, e) => sum + e.samples, 0) / (convnetjsEpochs.length || 1);
  push(
    `- ConvNetJS (${convnetjs?.info.library ?? 'npm convnetjs, pinned'}) trains only its own MNIST demo net (${convnetjsRows.join(', ') || 'not run'}), one example at a time with its own Trainer. ` +
      'The npm release has no Adam, so it runs the trainer of its MNIST demo: ' +
      `\`${JSON.stringify(convnetjs?.info.trainer ?? { method: 'adadelta', batch_size: 20, l2_decay: 0.001 })}\`. ` +
      `It sees the same full 28×28 images as the others (the demo trained on random 24×24 crops, which give the same Linear(256, 10)). ` +
      `At its speed the ${report.capSeconds} s cap means it is measured on ${fmt(convnetjsSamples)} samples per round on average, not on full epochs.`,
  );
  push(
    '- A contender that cannot train a network is listed with the error it raised: TF.js 4.22\'s wasm backend has no gradient kernel for convolution filters. ' +
      'Not run on CNNs: scratchnet-js and numpy (no CNN), TF.js cpu (2–22 samples/s in a trial run on the loaded machine; one batch of cnn-32-64 took 25–30 s).',
    '',
  );

  push('### Training throughput (samples/s, median epoch)', '');
  header();
  for (const n of networks) push(`| ${n.name} | ${ids.map((id) => { const c = n.contenders[id]; return c?.error ? footnote(c) : fmt(c?.samplesPerSecond); }).join(' | ')} |`);
  push('');
  errors.forEach((e, i) => push(`(${i + 1}) ${e}`, ''));
  push('Samples per CPU-second (all threads of the process):', '');
  header();
  for (const n of networks) push(`| ${n.name} | ${ids.map((id) => fmt(n.contenders[id]?.samplesPerCpuSecond)).join(' | ')} |`);
  push('');

  push('### Ratios and targets: best scratchnet (wasm, 1 or 2 threads) over each peer', '');
  const groups = ['torch', 'convnetjs'];
  push(`| network | best scratchnet | ${groups.map((g) => `vs ${GROUP_LABEL[g]}`).join(' | ')} | target (issue #12) |`, `|---|---|${groups.map(() => '---:').join('|')}|---|`);
  for (const n of networks) {
    const ours = best(n, 'scratchnet');
    const ratio = (g) => {
      const peer = best(n, g);
      return ours && peer ? ours.samplesPerSecond / peer.samplesPerSecond : null;
    };
    const targets = (CNN_TARGETS[n.preset] ?? []).map(([g, t]) => {
      const r = ratio(g);
      return `${r === null ? '? (not measured)' : r >= t ? '✅ met' : '❌ missed'}: ≥ ${t}× ${GROUP_LABEL[g]}`;
    });
    push(
      `| ${n.name} | ${ours ? `${fmt(ours.samplesPerSecond)} (${ours.id})` : '–'} | ${groups.map((g) => (ratio(g) === null ? '–' : `${ratio(g).toFixed(2)}×`)).join(' | ')} | ${targets.join('<br>') || '–'} |`,
    );
  }
  push('');

  push('### Fraction of the WASM-SIMD peak', '');
  push(
    (report.peak
      ? `Peak measured in this run (src/wasm-peak.mjs): **${fmt(report.peak.oneThread, 1)} GFLOP/s on 1 thread, ${fmt(report.peak.allThreads, 1)} on ${report.peak.threads}**. `
      : 'This run measured no peak (--no-gemm): GFLOP/s only. ') +
    'Flops from the layer shapes: a conv layer does 2·out·Hₒ·Wₒ·in·kh·kw per example forward, a dense layer 2·in·out; training counts the weight gradient and the input gradient at the same cost each (no input gradient for layer 0). Pooling, ReLU and the optimizer are not counted. ' +
      'These are a direct convolution\'s flops: a layer convolved by Winograd multiplies 4 times per output where the direct form does 9 (F(2×2, 3×3): scratchnet\'s 3×3 stride-1 layers of ≥ 8 channels, and oneDNN\'s in PyTorch) or 9 times where it does 25 (F(2×2, 5×5): scratchnet\'s 5×5 stride-1 layers of ≥ 8 channels, convnetjs-mnist\'s second), so its effective figure can pass 100 % of the peak.',
    '',
  );
  push('Whole network (effective training GFLOP/s = samples/s × training flops per example):', '');
  push('| network | flops/example | contender | samples/s | effective GFLOP/s | % of peak (same thread count) |', '|---|---:|---|---:|---:|---:|');
  for (const n of networks) {
    for (const id of ['scratchnet-wasm', 'scratchnet-wasm-threads', 'torch-1t', 'torch-2t']) {
      const c = n.contenders[id];
      if (!c?.samplesPerSecond) continue;
      const g = (c.samplesPerSecond * n.flopsPerSample) / 1e9;
      push(`| ${n.name} | ${fmt(n.flopsPerSample / 1e6, 2)} M | ${c.label} | ${fmt(c.samplesPerSecond)} | ${fmt(g, 1)} | ${percent(g, peakFor(report, id))} |`);
    }
  }
  push('');
  push(
    'Conv layers alone: after training, each conv layer is timed by itself at the row\'s batch on a batch that went through the layers before it, ' +
      'forward and backward in pairs (scratchnet: im2col, GEMM, col2im and bias included, or for a small-patch stride-1 layer the direct kernels, or for a 3×3 or 5×5 stride-1 layer of ≥ 8 channels the Winograd transforms and GEMMs; PyTorch: the module through autograd), medians of repeated calls. ' +
      'PyTorch\'s percentages are of the WASM peak too, for scale (its kernels use 512-bit vectors).',
    '',
  );
  push('| network | layer | contender | forward µs | backward µs | forward GFLOP/s | fwd + bwd GFLOP/s | % of peak (same thread count) |', '|---|---|---|---:|---:|---:|---:|---:|');
  for (const n of networks) {
    for (const id of ['scratchnet-wasm', 'scratchnet-wasm-threads', 'torch-1t', 'torch-2t']) {
      const c = n.contenders[id];
      if (!c?.convLayers?.length) continue;
      let flops = 0;
      let micros = 0;
      for (const p of c.convLayers) {
        const layer = n.gemmLayers.find((l) => l.index === p.index);
        const stepFlops = p.rows * (p.needInputGradient ? 3 : 2) * layer.forward;
        flops += stepFlops;
        micros += p.stepMicros;
        const g = stepFlops / p.stepMicros / 1e3;
        push(`| ${n.name} | ${p.index}: ${compact(layer.description)} | ${c.label} | ${fmt(p.forwardMicros)} | ${fmt(p.backwardMicros)} | ${fmt((p.rows * layer.forward) / p.forwardMicros / 1e3, 1)} | ${fmt(g, 1)} | ${percent(g, peakFor(report, id))} |`);
      }
      const g = flops / micros / 1e3;
      push(`| ${n.name} | **all conv layers** | ${c.label} | | | | **${fmt(g, 1)}** | **${percent(g, peakFor(report, id))}** |`);
    }
  }
  push('');

  push('### Test accuracy and peak memory', '');
  push('Test accuracy after the warm-up and measured rounds ("ep" = epochs of training data seen; capped contenders see less, so accuracies are not comparable across contenders):', '');
  header();
  for (const n of networks) {
    push(`| ${n.name} | ${ids.map((id) => { const c = n.contenders[id]; return c?.testAccuracy === undefined ? '–' : `${(100 * c.testAccuracy).toFixed(1)} % (${c.epochsTrained.toFixed(2)} ep)`; }).join(' | ')} |`);
  }
  push('', 'Peak RSS of each contender\'s process (MB):', '');
  header();
  for (const n of networks) push(`| ${n.name} | ${ids.map((id) => fmt(n.contenders[id]?.peakRssMB)).join(' | ')} |`);
  push('');
  return lines;
}
