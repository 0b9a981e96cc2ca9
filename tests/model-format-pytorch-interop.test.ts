import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, buildModel, parseArchitecture, randomNormal } from '@scratchnet/core';
import type { ModelSpec, Sequential, Tensor } from '@scratchnet/core';
import { saveCheckpoint } from '@scratchnet/model-format/node';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * PyTorch interop, for real: scratchnet saves, PyTorch (Debian's python3-torch) loads the file with
 * the README's own snippets, and both predict on the same inputs. Skipped when /usr/bin/python3
 * cannot import torch.
 */
const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
const hasSafetensors = hasTorch && spawnSync(PYTHON, ['-c', 'import safetensors.torch'], { encoding: 'utf8' }).status === 0;

/**
 * Stand-in for the `safetensors` package where it is not installed (Debian has no python3-safetensors):
 * the same two entry points, written from the file format specification.
 */
const SAFETENSORS_SHIM = {
  '__init__.py': `
# "torch" would be shadowed by the safetensors.torch submodule once it is imported.
import json, struct, torch as _torch
DTYPES = {"F32": _torch.float32, "F64": _torch.float64, "F16": _torch.float16, "BF16": _torch.bfloat16,
          "I64": _torch.int64, "I32": _torch.int32, "I16": _torch.int16, "I8": _torch.int8, "U8": _torch.uint8, "BOOL": _torch.bool}
class safe_open:
    def __init__(self, path, framework, device="cpu"):
        with open(path, "rb") as f:
            data = f.read()
        (n,) = struct.unpack("<Q", data[:8])
        self._header = json.loads(data[8:8 + n])
        self._data = data[8 + n:]
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return False
    def metadata(self):
        return self._header.get("__metadata__")
    def keys(self):
        return [k for k in self._header if k != "__metadata__"]
    def get_tensor(self, name):
        info = self._header[name]
        begin, end = info["data_offsets"]
        return _torch.frombuffer(bytearray(self._data[begin:end]), dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
`,
  'torch.py': `
from . import safe_open
def load_file(path, device="cpu"):
    with safe_open(path, framework="pt") as f:
        return {k: f.get_tensor(k) for k in f.keys()}
`,
};

const readme = readFileSync(new URL('../packages/model-format/README.md', import.meta.url), 'utf8');
const pytorchSection = readme.slice(readme.indexOf('## Load in PyTorch'));
const snippets = [...pytorchSection.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]);

const dir = mkdtempSync(join(tmpdir(), 'scratchnet-interop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a README snippet next to model.safetensors, then PyTorch's prediction on input.json. */
function torchPredict(snippet: string, x: Tensor): number[][] {
  writeFileSync(join(dir, 'input.json'), JSON.stringify(Array.from({ length: x.shape[0] }, (_, r) => [...x.data.subarray(r * x.shape[1], (r + 1) * x.shape[1])])));
  const harness = `\nwith torch.no_grad():\n    x = torch.tensor(json.load(open("input.json")), dtype=torch.float32)\n    print(json.dumps(model.eval()(x).tolist()))\n`;
  const env = { ...process.env, PYTHONPATH: hasSafetensors ? '' : join(dir, 'shim') };
  const run = spawnSync(PYTHON, ['-c', `import json\n${snippet}${harness}`], { cwd: dir, encoding: 'utf8', env });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

function expectClose(torchOut: number[][], ours: Tensor): void {
  const [rows, cols] = ours.shape;
  expect(torchOut.length).toBe(rows);
  let worst = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) worst = Math.max(worst, Math.abs(torchOut[r][c] - ours.data[r * cols + c]));
  console.log(`largest |torch − scratchnet| = ${worst.toExponential(2)} over ${rows}×${cols} outputs`);
  expect(worst).toBeLessThan(1e-5);
}

async function save(spec: ModelSpec, seed: number): Promise<Sequential> {
  const model = buildModel(spec, { seed }).eval();
  // Give every bias a non-zero value (biases often start at 0, which would hide a bias mix-up).
  for (const [, p] of model.namedParameters()) if (p.name.endsWith('bias')) p.value.data.forEach((_, i, a) => { a[i] = 0.05 * Math.sin(i + 1); });
  const slots = Object.fromEntries(model.namedParameters().map(([name, p]) => [`m/${name}`, new Float32Array(p.value.size)]));
  await saveCheckpoint(join(dir, 'model.safetensors'), {
    model,
    classNames: Array.from({ length: model.outputSize }, (_, i) => String(i)),
    optimizer: { type: 'adam', step: 1, learningRate: 0.001, slots },
  });
  return model;
}

describe.skipIf(!hasTorch)('PyTorch loads scratchnet checkpoints', () => {
  if (!hasSafetensors) {
    mkdirSync(join(dir, 'shim', 'safetensors'), { recursive: true });
    for (const [name, text] of Object.entries(SAFETENSORS_SHIM)) writeFileSync(join(dir, 'shim', 'safetensors', name), text);
  }

  it('the README has a five-line snippet and a rebuild-from-metadata snippet', () => {
    expect(snippets).toHaveLength(2);
    expect(snippets[0].trim().split('\n')).toHaveLength(5);
    expect(snippets[0]).toContain('from safetensors.torch import load_file');
  });

  it('five lines: load_state_dict(strict) into nn.Sequential(Linear(784,128), ReLU, Linear(128,10)) predicts the same', async () => {
    const model = await save(parseArchitecture('784-128-10'), 3);
    const x = randomNormal([16, 784], new Rng(7));
    expectClose(torchPredict(snippets[0], x), model.forward(x));
  });

  it('rebuild from metadata: every activation, dropout (eval) and softmax predict the same', async () => {
    const spec = parseArchitecture('20-16-12-10-8-6-4', { activations: ['relu', 'leaky_relu', 'tanh', 'sigmoid', 'selu'], dropout: 0.2, output: 'softmax' });
    const model = await save(spec, 5);
    const x = randomNormal([32, 20], new Rng(8), 0, 2);
    expectClose(torchPredict(snippets[1], x), model.forward(x));
  });
});
