import { CNN_ARCHITECTURES, Tensor, buildModel, parseArchitecture } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { FormatError, decodeCheckpoint, encodeCheckpoint, expectedStateTensors, loadModel, readSafetensors } from '../src/index.js';
import { editHeader } from './helpers.js';

const ARCH = '1x12x12-conv(4,5,pad=2,bias=false)-bn-relu-maxpool(2)-conv(6,3)-relu-avgpool(2)-flatten-bn-dropout(0.2)-3';

function trainedLikeModel() {
  const model = buildModel(parseArchitecture(ARCH), { seed: 4 });
  // Running statistics and a batch count as training would leave them.
  const state = model.stateDict();
  state.get('1.running_mean')!.data.set([0.1, -0.2, 0.3, 0.05]);
  state.get('1.running_var')!.data.set([1.5, 0.7, 2.25, 0.9]);
  state.get('1.num_batches_tracked')!.data[0] = 4321;
  state.get('8.num_batches_tracked')!.data[0] = 4321;
  model.loadStateDict(state);
  return model;
}

describe('convolutional checkpoints (format v3)', () => {
  it('store the state_dict as PyTorch names and types it: conv weight [out, in, kh, kw], F32 running statistics, I64 num_batches_tracked', () => {
    const model = trainedLikeModel();
    const bytes = encodeCheckpoint({ model, classNames: ['a', 'b', 'c'] });
    const file = readSafetensors(bytes);
    expect([...file.tensors.keys()]).toEqual([
      '0.weight',
      '1.weight',
      '1.bias',
      '1.running_mean',
      '1.running_var',
      '1.num_batches_tracked',
      '4.weight',
      '4.bias',
      '8.weight',
      '8.bias',
      '8.running_mean',
      '8.running_var',
      '8.num_batches_tracked',
      '10.weight',
      '10.bias',
    ]);
    expect(file.tensors.get('0.weight')!.shape).toEqual([4, 1, 5, 5]);
    expect(file.tensors.get('1.num_batches_tracked')).toMatchObject({ dtype: 'I64', shape: [] });
    expect(new DataView(file.tensors.get('1.num_batches_tracked')!.bytes.buffer, file.tensors.get('1.num_batches_tracked')!.bytes.byteOffset).getBigInt64(0, true)).toBe(4321n);
    expect(file.tensors.get('8.running_var')).toMatchObject({ dtype: 'F32', shape: [24] });
  });

  it('round-trip bit for bit and the loaded model predicts exactly as the saved one (eval mode, running statistics)', () => {
    const model = trainedLikeModel().eval();
    const { model: loaded, spec } = loadModel(encodeCheckpoint({ model, classNames: ['a', 'b', 'c'] }));
    expect(spec).toEqual(model.spec);
    expect(loaded.inputShape).toEqual([1, 12, 12]);
    const x = new Tensor([3, 1, 12, 12], Float32Array.from({ length: 3 * 144 }, (_, i) => Math.sin(i * 0.37)));
    expect(Array.from(loaded.forward(x).data)).toEqual(Array.from(model.forward(x).data));
    for (const [name, t] of model.stateDict()) expect(Array.from(loaded.stateDict().get(name)!.data), name).toEqual(Array.from(t.data));
  });

  it('every preset architecture encodes and decodes', () => {
    for (const [name, arch] of Object.entries(CNN_ARCHITECTURES)) {
      const model = buildModel(parseArchitecture(arch), { seed: 1 });
      const decoded = decodeCheckpoint(encodeCheckpoint({ model, classNames: Array.from({ length: 10 }, (_, i) => String(i)) }));
      expect(decoded.spec, name).toEqual(model.spec);
      expect([...decoded.tensors.keys()], name).toEqual([...model.stateDict().keys()]);
    }
  });

  it('refuses a buffer stored with the wrong dtype, and a spec whose shapes do not chain, naming the problem', () => {
    const bytes = encodeCheckpoint({ model: trainedLikeModel(), classNames: ['a', 'b', 'c'] });
    const floatCount = editHeader(bytes, (header) => {
      const entry = header['1.num_batches_tracked'] as { dtype: string; data_offsets: [number, number] };
      entry.dtype = 'F64';
    });
    expect(() => decodeCheckpoint(floatCount)).toThrow(FormatError);
    expect(() => decodeCheckpoint(floatCount)).toThrow(/1\.num_batches_tracked/);
    const badSpec = { inputSize: 144, inputShape: [1, 12, 12], layers: [{ type: 'conv2d' as const, inChannels: 2, outChannels: 4, kernelSize: 3 }] };
    expect(() => expectedStateTensors(badSpec)).toThrow(/expects 2 input channels but the previous layer gives 1/);
  });
});
