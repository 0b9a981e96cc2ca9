import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CNN_ARCHITECTURES, Tensor, buildModel, parseArchitecture, predict, summarizeModel } from '@scratchnet/core';
import { saveCheckpoint } from '@scratchnet/model-format/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, runCli, startHarness } from './cli-harness.js';
import { compareRows, runOnnx } from './onnx-helpers.js';
import { graph, model, node } from './onnx-hostile-files.js';

/**
 * The CLI's ONNX path, through the built binary: export a checkpoint (fashion-cnn: batch norm, dropout),
 * run it in ONNX Runtime, print its graph summary with `info`, import it back, and the refusals
 * (an unsupported op named with its node, a damaged file, an unknown --format).
 */
let h: Harness;
const classNames = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const spec = parseArchitecture(CNN_ARCHITECTURES['fashion-cnn']);
const net = buildModel(spec, { seed: 5 }).eval();
beforeAll(async () => {
  h = await startHarness();
  await saveCheckpoint(join(h.root, 'cnn.safetensors'), { model: net, classNames });
});
afterAll(() => h?.close());

describe('scratchnet-cli export / import / info on .onnx', () => {
  it('exports a checkpoint that ONNX Runtime runs, shows it with info, and imports it back', async () => {
    const exported = await runCli(h, ['export', 'cnn.safetensors', '--format', 'onnx', '--out', 'cnn.onnx']);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/wrote cnn\.onnx \([\d,]+ bytes\): ONNX opset 13, input \[batch, 1, 28, 28\] → logits and probabilities \[batch, 10\]/);

    const x = new Tensor([8, 784], Float32Array.from({ length: 8 * 784 }, (_, i) => ((i * 7919) % 256) / 255));
    const ort = await runOnnx(readFileSync(join(h.root, 'cnn.onnx')), x.data, [8, 1, 28, 28]);
    expect(compareRows(predict(net, x).data, ort.probabilities, 10).maxDiff).toBeLessThanOrEqual(1e-5);

    const info = await runCli(h, ['info', 'cnn.onnx']);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('ONNX (IR version 7, opset 13), produced by scratchnet 0.1.0');
    expect(info.stdout).toContain('inputs        input [batch, 1, 28, 28]');
    expect(info.stdout).toContain('outputs       logits [batch, 10], probabilities [batch, 10]');
    expect(info.stdout).toContain('BatchNormalization');
    expect(info.stdout).toContain('classes       zero, one, two');
    const infoJson = JSON.parse((await runCli(h, ['info', 'cnn.onnx', '--json'])).stdout);
    expect(infoJson).toMatchObject({ opset: 13, importable: true, producer: { name: 'scratchnet' } });

    const imported = await runCli(h, ['import', 'cnn.onnx', '--out', 'back.safetensors']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/wrote back\.safetensors: \d+ layers, [\d,]+ parameters, 10 classes/);
    const back = JSON.parse((await runCli(h, ['info', 'back.safetensors', '--json'])).stdout);
    expect(back.classNames).toEqual(classNames);
    // Dropout is gone (inference only); every other layer and every weight came back.
    expect(back.parameters).toBe(net.parameterCount());
    const kept = summarizeModel({ ...spec, layers: spec.layers.filter((l) => l.type !== 'dropout') });
    expect(back.layers.map((l: { description: string }) => l.description)).toEqual(kept.map((l) => l.description));
  });

  it("runs the model-format README's three lines from a checkpoint to ONNX Runtime", async () => {
    const readme = readFileSync(new URL('../packages/model-format/README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## ONNX'));
    const shell = /```sh\n(.*)\n```/.exec(section)![1];
    const js = /```js\n([\s\S]*?)```/.exec(section)![1];
    const mlp = buildModel(parseArchitecture('784-32-10', { activations: 'tanh' }), { seed: 2 }).eval();
    await saveCheckpoint(join(h.root, 'model.safetensors'), { model: mlp, classNames });
    const args = shell.replace(/^npx -y pnpm@10 scratchnet-cli /, '').split(' ');
    expect((await runCli(h, args)).code).toBe(0);
    const pixels = Float32Array.from({ length: 784 }, (_, i) => (i % 29) / 29);
    const program = `import * as ort from 'onnxruntime-node';\nconst pixels = new Float32Array(${JSON.stringify(Array.from(pixels))});\n${js.replace("'model.onnx'", JSON.stringify(join(h.root, 'model.onnx')))}\nprocess.stdout.write(JSON.stringify(Array.from(probabilities.data)));`;
    // Run from tests/, where onnxruntime-node resolves, as a user's project would.
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], { cwd: fileURLToPath(new URL('.', import.meta.url)), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const ours = predict(mlp, new Tensor([1, 784], pixels)).data;
    expect(compareRows(ours, JSON.parse(run.stdout), 10).maxDiff).toBeLessThanOrEqual(1e-5);
  });

  it('refuses an unsupported op naming it and its node, a damaged file, and an unknown format', async () => {
    writeFileSync(join(h.root, 'lstm.onnx'), model(graph({ nodes: [node('LSTM', ['x'], ['y'], '/rnn/LSTM')] })));
    const lstm = await runCli(h, ['import', 'lstm.onnx', '--out', 'lstm.safetensors']);
    expect(lstm.code).toBe(1);
    expect(lstm.stderr).toContain('ONNX node "/rnn/LSTM" (LSTM): op LSTM is not supported');

    writeFileSync(join(h.root, 'cut.onnx'), readFileSync(join(h.root, 'cnn.onnx')).subarray(0, 1000));
    const cut = await runCli(h, ['import', 'cut.onnx', '--out', 'cut.safetensors']);
    expect(cut.code).toBe(1);
    expect(cut.stderr.split('\n')[0]).toMatch(/^error: ONNX/);

    const info = await runCli(h, ['info', 'lstm.onnx']);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('not importable: ONNX node "/rnn/LSTM" (LSTM)');

    const format = await runCli(h, ['export', 'cnn.safetensors', '--format', 'tflite', '--out', 'x.tflite']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("'tflite' is not a format scratchnet exports");

    const missing = await runCli(h, ['import', 'nothing.onnx', '--out', 'x.safetensors']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("'nothing.onnx' does not exist");
  });
});
