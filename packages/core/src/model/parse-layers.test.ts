import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../backend/index.js';
import { CNN_ARCHITECTURES } from './architecture-presets.js';
import { buildModel } from './build-model.js';
import { summarizeModel } from './model-shapes.js';
import { parseArchitecture } from './parse-architecture.js';

describe('the layer-by-layer architecture syntax', () => {
  it('lenet5 is exactly the nn.Sequential of the issue, with torch names and 61,706 parameters', () => {
    const spec = parseArchitecture(CNN_ARCHITECTURES.lenet5);
    expect(spec.inputShape).toEqual([1, 28, 28]);
    expect(spec.inputSize).toBe(784);
    const summary = summarizeModel(spec);
    expect(summary.map((l) => l.description)).toEqual([
      'Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))',
      'ReLU()',
      'MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)',
      'Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))',
      'ReLU()',
      'MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)',
      'Flatten(start_dim=1, end_dim=-1)',
      'Linear(in_features=400, out_features=120, bias=True)',
      'ReLU()',
      'Linear(in_features=120, out_features=84, bias=True)',
      'ReLU()',
      'Linear(in_features=84, out_features=10, bias=True)',
    ]);
    expect(summary.map((l) => l.outputShape)).toEqual([[6, 28, 28], [6, 28, 28], [6, 14, 14], [16, 10, 10], [16, 10, 10], [16, 5, 5], [400], [120], [120], [84], [84], [10]]);
    expect(summary.reduce((n, l) => n + l.parameterCount, 0)).toBe(61706); // torch: sum(p.numel() for p in lenet5.parameters())
    expect(buildModel(spec, { backend: createJsBackend() }).parameterCount()).toBe(61706);
  });

  it('convnetjs-mnist ends in Linear(256,10); the 32/64 net in Linear(3136,128)', () => {
    const convnet = summarizeModel(parseArchitecture(CNN_ARCHITECTURES['convnetjs-mnist']));
    expect(convnet.at(-1)!.description).toBe('Linear(in_features=256, out_features=10, bias=True)');
    expect(convnet[5].description).toBe('MaxPool2d(kernel_size=3, stride=3, padding=0, dilation=1, ceil_mode=False)');
    const larger = summarizeModel(parseArchitecture(CNN_ARCHITECTURES['cnn-32-64']));
    expect(larger[7].description).toBe('Linear(in_features=3136, out_features=128, bias=True)');
  });

  it('reads stride, padding, HxW kernels, bias=false, bn by rank and an output activation', () => {
    const spec = parseArchitecture('3x32x32-conv(8,3x5,2,1,bias=false)-bn-leaky_relu(0.2)-avgpool(2,stride=1)-flatten-bn-dropout(0.1)-10', { output: 'softmax' });
    expect(spec.layers).toEqual([
      { type: 'conv2d', inChannels: 3, outChannels: 8, kernelSize: [3, 5], stride: 2, padding: 1, bias: false },
      { type: 'batch_norm2d', numFeatures: 8 },
      { type: 'leaky_relu', alpha: 0.2 },
      { type: 'avg_pool2d', kernelSize: 2, stride: 1 },
      { type: 'flatten' },
      { type: 'batch_norm1d', numFeatures: 8 * 15 * 14 },
      { type: 'dropout', rate: 0.1 },
      { type: 'dense', inputSize: 8 * 15 * 14, outputSize: 10 },
      { type: 'softmax' },
    ]);
  });

  it('names the token and what to write for every mistake', () => {
    expect(() => parseArchitecture('1x28x28-conv(6)-10')).toThrow(/token #2 'conv\(6\)': write conv\(outChannels, kernelSize\)/);
    expect(() => parseArchitecture('1x28x28-conv(6,5)-120')).toThrow(/token #3 '120'.*add a 'flatten' layer before it/);
    expect(() => parseArchitecture('1x28x28-pool(2)-flatten-10')).toThrow(/unknown layer 'pool'; valid layers: a size \(Linear\), conv, maxpool/);
    expect(() => parseArchitecture('1x28x28-conv(6,5,pading=2)')).toThrow(/unknown option 'pading'; valid options: stride, pad, padding, bias/);
    expect(() => parseArchitecture('1x4x4-maxpool(8)-flatten-2')).toThrow(/does not fit the input \[1, 4, 4\]/);
    expect(() => parseArchitecture('1x28x28-conv(6,4,pad=same)')).toThrow(/'same' needs an odd kernel/);
    expect(() => parseArchitecture('axb-conv(6,5)')).toThrow(/first token 'axb' must be the input shape/);
    expect(() => parseArchitecture('1x28x28-flatten-10', { activations: 'relu' })).toThrow(/write activations and dropout in it/);
  });
});
