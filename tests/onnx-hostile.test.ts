import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CNN_ARCHITECTURES, Tensor, buildModel, parseArchitecture } from '@scratchnet/core';
import { FormatError, encodeCheckpoint, exportOnnx, importOnnx, loadModel } from '@scratchnet/model-format';
import { readOnnxFile } from '@scratchnet/model-format/node';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Field, floatTensor, graph, int64Tensor, model, msg, node, tensor, validDense, valueInfo } from './onnx-hostile-files.js';
import { FuzzTally, runHostileCase } from './reliability/helpers/hostile-runner.js';
import { KiB } from './reliability/helpers/memory.js';
import { scaled } from './reliability/helpers/scale.js';

/**
 * Hostile .onnx files through importOnnx and, when accepted, the checkpoint and model built from
 * the result: random bytes, real exports (an MLP with its training record, LeNet-5) with bytes
 * flipped, cut or appended, and crafted files that lie in one way each (huge declared sizes,
 * lengths past the end, cycles, unknown ops, branches, external data, bad metadata). Every case
 * must give a working model or a FormatError with a code — no other exception, no hang, no
 * ArrayBuffer growth beyond the cap.
 */
const RUNS = scaled('RELIABILITY_FUZZ_RUNS', 4000, 100_000);
const SEED = Number(process.env.RELIABILITY_SEED ?? 20261130);
/**
 * Allowed ArrayBuffer growth per case: the imported float copies of the weights (≤ the file), then
 * for an accepted file the checkpoint it becomes (tensors, data buffer, file: 3×), the decoded
 * copies, the model's parameters and gradients, its forward buffers, and slack.
 */
const capFor = (input: Uint8Array) => 12 * input.length + 256 * KiB;
const HANG_MS = 2000;

const tally = new FuzzTally();
afterAll(() => console.log(`[reliability] fuzz-onnx: ${JSON.stringify({ seed: SEED, capBytes: '12×input + 256 KiB', ...tally.summary() })}`));

/** Import, then prove an accepted file usable: saved as a checkpoint, rebuilt, one forward pass. */
function importAndRun(bytes: Uint8Array): unknown {
  const contents = importOnnx(bytes);
  const { model: built, spec } = loadModel(encodeCheckpoint(contents));
  if (spec.inputSize <= 4096) built.forward(new Tensor([2, spec.inputSize], new Float32Array(2 * spec.inputSize).fill(0.5)));
  return built;
}

const samples: Uint8Array[] = [];
beforeAll(() => {
  const mlp = buildModel(parseArchitecture('784-16-16-10', { activations: 'relu' }), { seed: 1 });
  const training = { dataset: { name: 'synthetic' }, hyperparameters: { lr: 0.01 }, seed: 42, epochs: 1, finalMetrics: { loss: 1 }, history: [{ epoch: 0, loss: 1.5, accuracy: 0.5 }] };
  samples.push(exportOnnx({ model: mlp, classNames: Array.from({ length: 10 }, (_, i) => `c${i}`), training }));
  const lenet = buildModel(parseArchitecture(CNN_ARCHITECTURES.lenet5), { seed: 1 });
  samples.push(exportOnnx({ model: lenet, classNames: Array.from({ length: 10 }, (_, i) => String(i)) }));
});

const mutated = fc
  .record({
    sample: fc.nat(),
    flips: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
    cut: fc.option(fc.nat(), { nil: undefined }),
    extra: fc.uint8Array({ maxLength: 16 }),
  })
  .map(({ sample, flips, cut, extra }) => {
    const base = samples[sample % samples.length];
    const bytes = new Uint8Array(base.length + extra.length);
    bytes.set(base);
    bytes.set(extra, base.length);
    // Flips land in the structure (the nodes come first, the weights after) half the time.
    for (const { at, value } of flips) bytes[at % 2 === 0 ? (at >> 1) % Math.min(bytes.length, 2048) : (at >> 1) % bytes.length] = value;
    return cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
  });

/**
 * Random graphs that are valid protobuf: nodes of supported and unknown ops wired to earlier or
 * later values (so chains, branches and cycles), attributes and initializer dims drawn from nasty
 * integers, input shapes of any rank. These reach the importer's graph and shape checks.
 */
const nastyInt = fc.oneof(fc.integer({ min: -2, max: 8 }), fc.constantFrom(0, 2 ** 31, 2 ** 32 + 1, 2 ** 53, -(2 ** 40)));
const OPS = ['Gemm', 'MatMul', 'Add', 'Conv', 'MaxPool', 'AveragePool', 'Pad', 'BatchNormalization', 'Flatten', 'Reshape', 'Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Selu', 'Softmax', 'Identity', 'Dropout', 'Constant', 'Shape', 'Gather', 'Unsqueeze', 'Concat', 'Loop'];
const ATTRS = ['transB', 'alpha', 'kernel_shape', 'strides', 'pads', 'dilations', 'group', 'axis', 'epsilon', 'ceil_mode', 'count_include_pad', 'mode', 'value'];
const randomGraphs = fc
  .record({
    inputDims: fc.array(fc.oneof(nastyInt, fc.constant('batch')), { minLength: 0, maxLength: 5 }),
    nodes: fc.array(
      fc.record({
        op: fc.constantFrom(...OPS),
        inputs: fc.array(fc.nat({ max: 12 }), { minLength: 0, maxLength: 5 }),
        attrs: fc.array(fc.record({ name: fc.constantFrom(...ATTRS), value: fc.oneof(nastyInt, fc.array(nastyInt, { maxLength: 5 }), fc.double({ noNaN: false }).map((f) => ({ f32: f }))) }), { maxLength: 4 }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    inits: fc.array(fc.record({ dims: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 4 }), int64: fc.boolean() }), { maxLength: 4 }),
    outputs: fc.array(fc.nat({ max: 12 }), { minLength: 1, maxLength: 2 }),
  })
  .map(({ inputDims, nodes, inits, outputs }) => {
    // Values: v0 is the input, node i writes v(i+1), initializers are p0…; inputs pick among all of them.
    const names = ['v0', ...nodes.map((_, i) => `v${i + 1}`), ...inits.map((_, i) => `p${i}`)];
    const pick = (n: number) => names[n % names.length];
    const initializers = inits.map(({ dims, int64 }, i) => {
      const size = dims.reduce((a, b) => a * b, 1);
      return int64 ? int64Tensor(`p${i}`, Array.from({ length: Math.min(size, 8) }, (_, k) => k - 1)) : floatTensor(`p${i}`, dims, Array.from({ length: size }, (_, k) => k / 7));
    });
    const graphNodes = nodes.map(({ op, inputs, attrs }, i) => {
      const unique = new Map(attrs.map((a) => [a.name, a.value]));
      return node(op, inputs.map(pick), [`v${i + 1}`], `n${i}`, [...unique].map(([name, value]): [string, number | number[] | { f32: number }] => [name, value]));
    });
    return model(graph({ nodes: graphNodes, initializers, inputs: [valueInfo('v0', inputDims)], outputs: outputs.map((o) => valueInfo(pick(o), ['batch'])) }));
  });

/** Crafted files, each wrong in one way, with the code it must be refused with. */
const relu = (i: string, o: string, name = `relu_${o}`) => node('Relu', [i], [o], name);
const w = floatTensor('w', [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]);
const b = floatTensor('b', [2], [0, 0]);
const gemm = (i: string, o: string, name = 'gemm') => node('Gemm', [i, 'w', 'b'], [o], name, [['transB', 1]]);
const nested = (depth: number): Uint8Array => {
  let g = graph({ nodes: [relu('x', 'y')] });
  for (let i = 0; i < depth; i++) g = graph({ nodes: [node('If', ['c'], ['y'], `if${i}`, [['then_branch', { graph: g }]])] });
  return g;
};
const CRAFTED: Array<[string, Uint8Array, string]> = [
  ['a valid model', validDense(), 'accepted'],
  ['empty file', new Uint8Array(0), 'TRUNCATED'],
  ['a graph length of 2^40 bytes', msg([[1, 7], [7, { rawLength: 2 ** 40, bytes: new Uint8Array(8) }]]), 'TRUNCATED'],
  ['a string length past the end', msg([[1, 7], [2, { rawLength: 1000, bytes: new Uint8Array(3) }]]), 'TRUNCATED'],
  ['an eleven-byte varint', Uint8Array.from([8, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1]), 'BAD_ONNX'],
  ['wire type 7', Uint8Array.from([0x0f, 0]), 'BAD_ONNX'],
  ['no graph', msg([[1, 7], [8, msg([[2, 13]])]]), 'BAD_ONNX'],
  ['ir_version 0', model(graph({ nodes: [] }), { ir: 0 }), 'BAD_ONNX'],
  ['opset 99', model(graph({ nodes: [gemm('x', 'y')], initializers: [w, b] }), { opset: 99 }), 'UNSUPPORTED_VERSION'],
  ['weights declared [2^31, 2^31] holding 8 floats', model(graph({ nodes: [gemm('x', 'y')], initializers: [floatTensor('w', [2 ** 31, 2 ** 31], [1, 2, 3, 4, 5, 6, 7, 8]), b] })), 'BAD_OFFSETS'],
  ['weights declared [1e15] holding 8 floats', model(graph({ nodes: [gemm('x', 'y')], initializers: [floatTensor('w', [1e15], [1, 2, 3, 4, 5, 6, 7, 8]), b] })), 'BAD_OFFSETS'],
  ['a negative dim', model(graph({ nodes: [gemm('x', 'y')], initializers: [floatTensor('w', [-2, -4], [1, 2, 3, 4, 5, 6, 7, 8]), b] })), 'BAD_OFFSETS'],
  ['65 dims', model(graph({ nodes: [gemm('x', 'y')], initializers: [floatTensor('w', Array(65).fill(1), [1]), b] })), 'LIMIT_EXCEEDED'],
  ['raw data not a multiple of 4', model(graph({ nodes: [gemm('x', 'y')], initializers: [tensor('w', [2, 4], new Uint8Array(31)), b] })), 'BAD_OFFSETS'],
  ['an int64 shape of 2^20 values', model(graph({ nodes: [node('Reshape', ['x', 's'], ['y'], 'reshape')], initializers: [tensor('s', [2 ** 20], new Uint8Array(8 * 2 ** 20), 7)] })), 'LIMIT_EXCEEDED'],
  ['a two-node cycle', model(graph({ nodes: [relu('b', 'a', 'n1'), relu('a', 'b', 'n2'), relu('b', 'y', 'n3')] })), 'BAD_ONNX'],
  ['a self-loop', model(graph({ nodes: [relu('y', 'y', 'loop')] })), 'BAD_ONNX'],
  ['a cycle of Identities feeding a weight', model(graph({ nodes: [node('Identity', ['wb'], ['wa'], 'i1'), node('Identity', ['wa'], ['wb'], 'i2'), node('Gemm', ['x', 'wa', 'b'], ['y'], 'gemm', [['transB', 1]])], initializers: [b] })), 'UNSUPPORTED_OP'],
  ['19,999 Identities on the chain', model(msg(Array.from({ length: 19_999 }, (_, i): Field => [1, node('Identity', [i ? `v${i}` : 'x'], [i === 19_998 ? 'y' : `v${i + 1}`], `n${i}`)]))), 'UNSUPPORTED_OP'],
  ['a view pattern whose Shape reads another value', model(graph({ nodes: [relu('x', 'h', 'r'), node('Shape', ['x'], ['s'], 'shape'), node('Gather', ['s', 'zero'], ['g'], 'gather'), node('Unsqueeze', ['g', 'axes'], ['u'], 'unsqueeze'), node('Concat', ['u', 'minus1'], ['t'], 'concat', [['axis', 0]]), node('Reshape', ['h', 't'], ['y'], 'reshape')], initializers: [int64Tensor('axes', [0]), int64Tensor('minus1', [-1]), tensor('zero', [], new Uint8Array(8), 7)] })), 'UNSUPPORTED_OP'],
  ['a value produced twice', model(graph({ nodes: [relu('x', 'y', 'n1'), relu('x', 'y', 'n2')] })), 'BAD_ONNX'],
  ['a dangling value', model(graph({ nodes: [relu('nowhere', 'y')] })), 'BAD_ONNX'],
  ['an unknown op', model(graph({ nodes: [node('NonMaxSuppression', ['x'], ['y'], 'nms')] })), 'UNSUPPORTED_OP'],
  ['a custom domain', model(graph({ nodes: [node('Relu', ['x'], ['y'], 'custom', [], 'com.example')] })), 'UNSUPPORTED_OP'],
  ['If with a subgraph nested 1,000 deep', model(nested(1000)), 'UNSUPPORTED_OP'],
  ['a skip connection', model(graph({ nodes: [relu('x', 'h', 'r1'), node('Add', ['x', 'h'], ['y'], 'add')], outputs: [valueInfo('y', ['batch', 4])] })), 'UNSUPPORTED_OP'],
  ['a stray node', validDense([relu('x', 'stray', 'stray')]), 'UNSUPPORTED_OP'],
  ['two inputs', model(graph({ nodes: [relu('x', 'y')], inputs: [valueInfo('x', ['batch', 4]), valueInfo('z', ['batch', 4])] })), 'UNSUPPORTED_OP'],
  ['a symbolic feature dim', model(graph({ nodes: [relu('x', 'y')], inputs: [valueInfo('x', ['batch', 'n'])] })), 'UNSUPPORTED_OP'],
  ['an int input', model(graph({ nodes: [relu('x', 'y')], inputs: [valueInfo('x', ['batch', 4], 7)] })), 'UNSUPPORTED_OP'],
  ['a grouped conv', model(graph({ nodes: [node('Conv', ['x', 'w'], ['y'], 'conv', [['group', 2]])], initializers: [floatTensor('w', [2, 1, 1, 1], [1, 1])], inputs: [valueInfo('x', ['batch', 2, 3, 3])] })), 'UNSUPPORTED_OP'],
  ['a dilated max pool', model(graph({ nodes: [node('MaxPool', ['x'], ['y'], 'pool', [['kernel_shape', [2, 2]], ['dilations', [2, 2]]])], inputs: [valueInfo('x', ['batch', 1, 4, 4])] })), 'UNSUPPORTED_OP'],
  ['a kernel of 2^31', model(graph({ nodes: [node('MaxPool', ['x'], ['y'], 'pool', [['kernel_shape', [2 ** 31, 2 ** 31]]])], inputs: [valueInfo('x', ['batch', 1, 4, 4])] })), 'UNSUPPORTED_OP'],
  ['Gemm weights that do not fit', model(graph({ nodes: [gemm('x', 'y')], initializers: [floatTensor('w', [2, 3], [1, 2, 3, 4, 5, 6]), b] })), 'UNSUPPORTED_OP'],
  ['weights in an external file', model(graph({ nodes: [gemm('x', 'y')], initializers: [msg([[1, 2], [1, 4], [2, 1], [8, 'w'], [14, 1]]), b] })), 'UNSUPPORTED_OP'],
  ['a reshape that is not a flatten', model(graph({ nodes: [node('Reshape', ['x', 's'], ['y'], 'reshape')], initializers: [int64Tensor('s', [-1, 2, 2])] })), 'UNSUPPORTED_OP'],
  ['wrong class count', validDense([], [['class_names', '["a","b","c"]']]), 'CLASS_COUNT_MISMATCH'],
  ['class names not JSON', validDense([], [['class_names', '[not json']]), 'BAD_METADATA'],
  ['a duplicate metadata key', validDense([], [['class_names', '["a","b"]'], ['class_names', '["c","d"]']]), 'DUPLICATE_KEY'],
  ['a training history of 200,000 epochs', validDense([], [['training', JSON.stringify({ dataset: { name: 'x' }, hyperparameters: {}, seed: null, epochs: 1, finalMetrics: {}, history: Array.from({ length: 200_000 }, (_, epoch) => ({ epoch })) })]]), 'LIMIT_EXCEEDED'],
  ['30,000 nodes', model(msg(Array.from({ length: 30_000 }, (_, i): Field => [1, relu(`v${i}`, `v${i + 1}`, `n${i}`)]))), 'LIMIT_EXCEEDED'],
];

describe('hostile .onnx files', () => {
  it.each(CRAFTED)('%s → %s', async (_what, bytes, expected) => {
    const outcome = await runHostileCase(tally, capFor(bytes), HANG_MS, () => importAndRun(bytes));
    expect(outcome.kind === 'accepted' ? 'accepted' : outcome.code.replace('FormatError:', '')).toBe(expected);
  });

  it(`importOnnx: ${RUNS} fuzzed cases, each a working model or a coded FormatError, within the allocation cap`, async () => {
    for (const sample of samples) expect(importAndRun(sample)).toBeTruthy();
    const input = fc.oneof({ weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }) }, { weight: 3, arbitrary: mutated }, { weight: 4, arbitrary: randomGraphs });
    await fc.assert(
      fc.asyncProperty(input, async (bytes) => {
        const outcome = await runHostileCase(tally, capFor(bytes), HANG_MS, () => importAndRun(bytes));
        if (outcome.kind === 'rejected') expect(outcome.code).toMatch(/^FormatError:/);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(tally.maxCaseMs).toBeLessThan(HANG_MS);
    expect(tally.codes.size).toBeGreaterThanOrEqual(5);
  });

  it('2 GB sparse files are refused from a few small reads (readOnnxFile walks the announced structure first)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scratchnet-onnx-sparse-'));
    try {
      const size = 2000 * 2 ** 20;
      // All zeros; a graph field announcing 2^40 bytes; one announcing exactly the rest of the file, which holds zeros.
      const heads: Array<[string, Uint8Array, string]> = [
        ['zeros', new Uint8Array(0), 'BAD_ONNX'],
        ['lying length', msg([[7, { rawLength: 2 ** 40, bytes: new Uint8Array(0) }]]), 'TRUNCATED'],
        ['fitting length', msg([[7, { rawLength: size - 6, bytes: new Uint8Array(0) }]]), 'BAD_ONNX'],
      ];
      for (const [name, head, code] of heads) {
        const path = join(dir, `${name}.onnx`);
        writeFileSync(path, head);
        truncateSync(path, size);
        const outcome = await runHostileCase(tally, 256 * KiB, HANG_MS, () => readOnnxFile(path));
        expect(outcome.kind === 'rejected' && outcome.code).toBe(`FormatError:${code}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a refusal names the op and the node', () => {
    const bytes = model(graph({ nodes: [node('LSTM', ['x'], ['y'], '/rnn/LSTM')] }));
    expect(() => importOnnx(bytes)).toThrow(FormatError);
    expect(() => importOnnx(bytes)).toThrow(/node "\/rnn\/LSTM" \(LSTM\): op LSTM is not supported/);
  });
});
