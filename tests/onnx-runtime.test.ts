import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRESETS, type PresetName } from '@scratchnet/cli';
import { CNN_ARCHITECTURES, type CnnArchitectureName, type ModelSpec, Tensor, buildModel, fit, parseArchitecture, predict, useFastestBackend } from '@scratchnet/core';
import { loadOfflineDigits } from '@scratchnet/datasets/node';
import { exportOnnx } from '@scratchnet/model-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWithOnnx, compareRows, hasOnnx, runOnnx } from './onnx-helpers.js';

/**
 * Every preset (and core's cnn-32-64, a CNN architecture without one), trained briefly on the offline digits (real weights, batch-norm statistics away
 * from 0/1), exported to ONNX and run by ONNX Runtime (onnxruntime-node, its bundled CPU build):
 * its probabilities match scratchnet's on 1,000 real test digits within 1e-5, with the same
 * arg-max. Then the ONNX checker (Debian's python3-onnx) passes every export with full_check.
 */
const TEST_IMAGES = 1000;
const dir = mkdtempSync(join(tmpdir(), 'scratchnet-onnx-runtime-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI's presets, and core's CNN architectures that are not one (cnn-32-64). */
const MODELS = [...Object.keys(PRESETS), ...Object.keys(CNN_ARCHITECTURES).filter((name) => !(name in PRESETS))] as Array<PresetName | CnnArchitectureName>;

function presetSpec(name: PresetName | CnnArchitectureName): ModelSpec {
  if (!(name in PRESETS)) return parseArchitecture(CNN_ARCHITECTURES[name as CnnArchitectureName]);
  const p = PRESETS[name as PresetName] as { arch: string; activations?: string; dropout?: number; loss?: string };
  const output = p.loss === 'mse' ? 'sigmoid' : 'identity';
  if (p.arch.includes('x28x28')) return parseArchitecture(p.arch, { output });
  return parseArchitecture(p.arch, { activations: p.activations ?? 'relu', dropout: p.dropout ?? 0, output });
}

const exported: string[] = [];
const figures: Record<string, { probabilities: number; logits: number; sameArgmax: number }> = {};

describe('ONNX Runtime runs every exported preset and agrees with scratchnet on 1,000 real test digits', () => {
  let digits: Awaited<ReturnType<typeof loadOfflineDigits>>;
  beforeAll(async () => {
    await useFastestBackend();
    digits = await loadOfflineDigits();
  });
  afterAll(() => console.log('onnx-runtime figures', JSON.stringify(figures)));

  it.each(MODELS)('%s', async (preset) => {
    const spec = presetSpec(preset);
    const model = buildModel(spec, { seed: 3 });
    const loss = (PRESETS[preset as PresetName] as { loss?: string } | undefined)?.loss === 'mse' ? 'mse' : 'cross_entropy';
    await fit(model, digits.train.subset(Array.from({ length: 256 }, (_, i) => i)), { epochs: 1, batchSize: 64, seed: 1, loss, optimizer: { type: 'adam', lr: 0.002 } });
    model.eval();
    const bytes = exportOnnx({ model, classNames: digits.test.classNames.slice(), training: { dataset: { name: 'offline-digits' }, hyperparameters: { lr: 0.002 }, seed: 1, epochs: 1, finalMetrics: {}, history: [] } });
    const path = join(dir, `${preset}.onnx`);
    writeFileSync(path, bytes);
    exported.push(path);

    const shape = spec.inputShape ?? [spec.inputSize];
    const x = new Tensor([TEST_IMAGES, spec.inputSize]);
    digits.test.gather(Int32Array.from({ length: TEST_IMAGES }, (_, i) => i), 0, TEST_IMAGES, x.data, new Int32Array(TEST_IMAGES));
    const logits = Float32Array.from(model.forward(x).data);
    const ours = predict(model, x).data;

    const theirs = await runOnnx(bytes, x.data, [TEST_IMAGES, ...shape]);
    const p = compareRows(ours, theirs.probabilities, 10);
    // A sigmoid-output model's logits are what its last layer reads, which scratchnet does not expose: compare probabilities only.
    const endsInSigmoid = spec.layers.at(-1)?.type === 'sigmoid';
    const l = endsInSigmoid ? undefined : compareRows(logits, theirs.logits, 10);
    figures[preset] = { probabilities: p.maxDiff, logits: l?.maxDiff ?? Number.NaN, sameArgmax: p.sameArgmax };
    expect(p.maxDiff).toBeLessThanOrEqual(1e-5);
    expect(p.sameArgmax).toBe(TEST_IMAGES);
  });

  it.skipIf(!hasOnnx)('onnx.checker.check_model(full_check=True) passes every export', () => {
    expect(exported.length).toBe(MODELS.length);
    expect(checkWithOnnx(exported)).toBe('');
  });
});
