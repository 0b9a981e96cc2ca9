import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor, predict, useFastestBackend } from '@scratchnet/core';
import { loadOfflineDigits } from '@scratchnet/datasets/node';
import { encodeCheckpoint, exportOnnx, importOnnx, loadModel, readOnnx } from '@scratchnet/model-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PYTHON, checkWithOnnx, compareRows, hasOnnx, hasTorch, runOnnx } from './onnx-helpers.js';

/**
 * PyTorch (Debian's torch 1.13) trains an MLP and a LeNet-style CNN briefly on the offline digits
 * and exports each with torch.onnx.export at opset 13, with and without dynamic axes. scratchnet
 * imports each file (and a third model of the other patterns torch writes: Pad before
 * AveragePool, views, MatMul, Identity-shared weights), predicts the same 1,000 real test digits (same argmax, logits within 1e-4),
 * exports the model again, and ONNX Runtime agrees with both (and the checker passes the
 * re-export). Skipped where /usr/bin/python3 cannot import torch.
 */
const TEST_IMAGES = 1000;
const TRAIN_IMAGES = 2048;
const dir = mkdtempSync(join(tmpdir(), 'scratchnet-onnx-pytorch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TORCH_SCRIPT = `
import sys, numpy as np, torch, torch.nn as nn
torch.manual_seed(0)
torch.set_num_threads(1)
x_train = torch.from_numpy(np.fromfile("train.f32", dtype=np.float32).reshape(-1, 1, 28, 28))
y_train = torch.from_numpy(np.fromfile("train.i32", dtype=np.int32).astype(np.int64))
x_test = torch.from_numpy(np.fromfile("test.f32", dtype=np.float32).reshape(-1, 1, 28, 28))
class View(nn.Module):
    # x.view(x.size(0), -1): a constant Reshape with a static batch; Shape, Gather, Unsqueeze, Concat, Reshape with a dynamic one.
    def forward(self, x): return x.view(x.size(0), -1)
frozen = nn.BatchNorm1d(32, momentum=0.0)
frozen.weight.requires_grad_(False)
frozen.bias.requires_grad_(False)
models = {
    # Dropout is dropped by the export in eval mode; Flatten comes first, on the [N, 1, 28, 28] input.
    "mlp": nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 64), nn.Tanh(), nn.Linear(64, 10)),
    # LeNet-5 with a batch norm (torch folds it into the conv) and average pooling (torch writes Pad + AveragePool).
    "lenet": nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.BatchNorm2d(16), nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.LeakyReLU(0.1), nn.Linear(120, 84), nn.SELU(), nn.Linear(84, 10)),
    # The rest of what torch writes for an nn.Sequential: Pad + AveragePool with padding, a view,
    # MatMul for a Linear without bias, and a batch norm whose weights stay at 1/0 and 0/1, which
    # torch's export shares through Identity nodes.
    "patterns": nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(), nn.AvgPool2d(3, stride=2, padding=1),
        nn.MaxPool2d(2), View(), nn.Linear(196, 32, bias=False), frozen, nn.Sigmoid(), nn.Linear(32, 10)),
}
for name, model in models.items():
    optimizer = torch.optim.Adam(model.parameters(), lr=0.002)
    model.train()
    for epoch in range(2):
        for i in range(0, len(x_train), 64):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x_train[i:i+64]), y_train[i:i+64]).backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        model(x_test).numpy().astype(np.float32).tofile(name + ".torch.f32")
    example = x_test[:1]
    torch.onnx.export(model, example, name + ".onnx", opset_version=13, input_names=["x"], output_names=["logits"])
    torch.onnx.export(model, example, name + "-dynamic.onnx", opset_version=13, input_names=["x"], output_names=["logits"],
                      dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}})
`;

const figures: Record<string, Record<string, number>> = {};

describe.skipIf(!hasTorch)('scratchnet imports what torch.onnx.export writes, and agrees with PyTorch and ONNX Runtime on 1,000 real test digits', () => {
  const x = new Tensor([TEST_IMAGES, 784]);
  beforeAll(async () => {
    await useFastestBackend();
    const digits = await loadOfflineDigits();
    const train = new Float32Array(TRAIN_IMAGES * 784);
    const labels = new Int32Array(TRAIN_IMAGES);
    digits.train.gather(Int32Array.from({ length: TRAIN_IMAGES }, (_, i) => i), 0, TRAIN_IMAGES, train, labels);
    digits.test.gather(Int32Array.from({ length: TEST_IMAGES }, (_, i) => i), 0, TEST_IMAGES, x.data, new Int32Array(TEST_IMAGES));
    writeFileSync(join(dir, 'train.f32'), train);
    writeFileSync(join(dir, 'train.i32'), labels);
    writeFileSync(join(dir, 'test.f32'), x.data);
    const run = spawnSync(PYTHON, ['-W', 'ignore', '-c', TORCH_SCRIPT], { cwd: dir, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
  });
  afterAll(() => console.log('onnx-pytorch figures', JSON.stringify(figures)));

  it.each(['mlp', 'mlp-dynamic', 'lenet', 'lenet-dynamic', 'patterns', 'patterns-dynamic'])('%s', async (name) => {
    const file = readFileSync(join(dir, `${name}.onnx`));
    if (name.startsWith('patterns')) {
      // The patterns are really there (torch could change how it writes them).
      const ops = readOnnx(file).graph.nodes.map((n) => n.opType);
      expect(ops).toEqual(expect.arrayContaining(['Identity', 'Pad', 'MatMul', 'Reshape', ...(name.endsWith('dynamic') ? ['Shape', 'Gather', 'Unsqueeze', 'Concat'] : [])]));
    }
    const contents = importOnnx(file);
    const { model } = loadModel(encodeCheckpoint(contents));
    const torchLogits = new Float32Array(readFileSync(join(dir, `${name.replace('-dynamic', '')}.torch.f32`)).buffer.slice(0));
    const ours = Float32Array.from(model.forward(x).data);
    const vsTorch = compareRows(ours, torchLogits, 10);
    expect(vsTorch.sameArgmax).toBe(TEST_IMAGES);
    expect(vsTorch.maxDiff).toBeLessThanOrEqual(1e-4);

    // Exported again by scratchnet: ONNX Runtime agrees with scratchnet and with PyTorch.
    const again = exportOnnx(contents);
    const inputDims = contents.spec.inputShape ? [TEST_IMAGES, ...contents.spec.inputShape] : [TEST_IMAGES, 784];
    const ort = await runOnnx(again, x.data, inputDims);
    const probabilities = compareRows(predict(model, x).data, ort.probabilities, 10);
    const ortVsTorch = compareRows(ort.logits, torchLogits, 10);
    figures[name] = { scratchnetVsTorchLogits: vsTorch.maxDiff, ortVsScratchnetProbabilities: probabilities.maxDiff, ortVsTorchLogits: ortVsTorch.maxDiff };
    expect(probabilities.maxDiff).toBeLessThanOrEqual(1e-5);
    expect(probabilities.sameArgmax).toBe(TEST_IMAGES);
    expect(ortVsTorch.maxDiff).toBeLessThanOrEqual(1e-4);
    expect(ortVsTorch.sameArgmax).toBe(TEST_IMAGES);
    writeFileSync(join(dir, `${name}.scratchnet.onnx`), again);
    if (hasOnnx) expect(checkWithOnnx([join(dir, `${name}.scratchnet.onnx`)])).toBe('');
  });
});
