import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CNN_ARCHITECTURES, Tensor, buildModel, fit, parseArchitecture, useFastestBackend } from '@scratchnet/core';
import { loadOfflineDigits } from '@scratchnet/datasets/node';
import { saveCheckpoint } from '@scratchnet/model-format/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * PyTorch loads scratchnet's CNN presets, for real: lenet5 and fashion-cnn (batch norm with its
 * running statistics and I64 num_batches_tracked) are trained briefly on the offline digits and
 * saved; PyTorch (Debian's python3-torch) rebuilds them from the file's own metadata with the
 * model-format README's snippet, load_state_dict(strict=True), and predicts the same 1,000 real
 * test digits. Skipped where /usr/bin/python3 cannot import torch.
 */
const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
const hasSafetensors = hasTorch && spawnSync(PYTHON, ['-c', 'import safetensors.torch'], { encoding: 'utf8' }).status === 0;
const TEST_IMAGES = 1000;

const readme = readFileSync(new URL('../packages/model-format/README.md', import.meta.url), 'utf8');
const rebuildSnippet = [...readme.slice(readme.indexOf('## Load in PyTorch')).matchAll(/```python\n([\s\S]*?)```/g)][1][1];
const shimSource = readFileSync(new URL('./model-format-pytorch-interop.test.ts', import.meta.url), 'utf8');

const dir = mkdtempSync(join(tmpdir(), 'scratchnet-cnn-interop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The safetensors stand-in of the MLP interop test (Debian has no python3-safetensors), reused. */
function writeShim(): void {
  const shim = /const SAFETENSORS_SHIM = \{\n {2}'__init__\.py': `([\s\S]*?)`,\n {2}'torch\.py': `([\s\S]*?)`,\n\};/.exec(shimSource)!;
  mkdirSync(join(dir, 'shim', 'safetensors'), { recursive: true });
  writeFileSync(join(dir, 'shim', 'safetensors', '__init__.py'), shim[1]);
  writeFileSync(join(dir, 'shim', 'safetensors', 'torch.py'), shim[2]);
}

describe.skipIf(!hasTorch)('PyTorch loads scratchnet CNN checkpoints (strict) and agrees on 1,000 real test digits', () => {
  let digits: Awaited<ReturnType<typeof loadOfflineDigits>>;
  beforeAll(async () => {
    await useFastestBackend();
    digits = await loadOfflineDigits();
    if (!hasSafetensors) writeShim();
  });

  it.each(['lenet5', 'fashion-cnn'] as const)('%s', async (preset) => {
    const model = buildModel(parseArchitecture(CNN_ARCHITECTURES[preset]), { seed: 2 });
    // A short training run: real weights, and batch-norm running statistics far from their initial 0/1.
    await fit(model, digits.train.subset(Array.from({ length: 1024 }, (_, i) => i)), { epochs: 1, batchSize: 64, seed: 1, optimizer: { type: 'adam', lr: 0.002 } });
    model.eval();
    const path = join(dir, `${preset}.safetensors`);
    await saveCheckpoint(path, { model, classNames: digits.test.classNames.slice() });

    const x = new Tensor([TEST_IMAGES, 1, 28, 28]);
    const labels = new Int32Array(TEST_IMAGES);
    digits.test.gather(Int32Array.from({ length: TEST_IMAGES }, (_, i) => i), 0, TEST_IMAGES, x.data, labels);
    writeFileSync(join(dir, 'input.f32'), x.data);
    const ours = model.forward(x);

    const harness = `
import numpy as np
x = torch.from_numpy(np.fromfile("input.f32", dtype=np.float32).reshape(-1, *spec["inputShape"]))
with torch.no_grad():
    model(x).numpy().astype(np.float32).tofile("torch.f32")
`;
    const script = rebuildSnippet.replace('with safe_open("model.safetensors"', `with safe_open("${preset}.safetensors"`).replace('load_file("model.safetensors")', `load_file("${preset}.safetensors")`);
    const env = { ...process.env, PYTHONPATH: hasSafetensors ? '' : join(dir, 'shim') };
    const run = spawnSync(PYTHON, ['-c', `${script}${harness}`], { cwd: dir, encoding: 'utf8', env });
    expect(run.status, run.stderr).toBe(0);
    const theirs = new Float32Array(readFileSync(join(dir, 'torch.f32')).buffer.slice(0));
    expect(theirs.length).toBe(ours.data.length);
    let worst = 0;
    let sameArgmax = 0;
    for (let r = 0; r < TEST_IMAGES; r++) {
      let a = 0;
      let b = 0;
      for (let c = 0; c < 10; c++) {
        const i = r * 10 + c;
        worst = Math.max(worst, Math.abs(theirs[i] - ours.data[i]));
        if (ours.data[i] > ours.data[r * 10 + a]) a = c;
        if (theirs[i] > theirs[r * 10 + b]) b = c;
      }
      if (a === b) sameArgmax++;
    }
    console.log(`${preset}: largest |torch − scratchnet| logit = ${worst.toExponential(2)} over ${TEST_IMAGES}×10; same class on ${sameArgmax}/${TEST_IMAGES}`);
    expect(worst).toBeLessThanOrEqual(1e-4);
    expect(sameArgmax).toBe(TEST_IMAGES);
  }, 120_000);
});
