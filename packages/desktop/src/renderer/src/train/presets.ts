import { CNN_ARCHITECTURES, type CnnArchitectureName, parseArchitecture, summarizeModel } from '@scratchnet/core';
import type { TrainConfig } from '../training/worker-protocol.js';

export interface Preset {
  id: string;
  label: string;
  /** Where the network comes from. */
  note: string;
  config: TrainConfig;
}

/** "61,706": the parameter count of one of core's CNNs, from the layer registry. */
function parameters(name: CnnArchitectureName): string {
  return summarizeModel(parseArchitecture(CNN_ARCHITECTURES[name])).reduce((sum, layer) => sum + layer.parameterCount, 0).toLocaleString('en-US');
}

/**
 * Starting points, most taken from the write-ups this project grew from. Each is only a
 * starting point: every field stays editable on the Train screen.
 */
export const PRESETS: readonly Preset[] = [
  {
    id: 'quick',
    label: 'Quick model — 784-64-10',
    note: 'Trains in seconds on the offline digits so you can start drawing.',
    config: { architecture: '784-64-10', activations: 'relu', dropout: 0, optimizer: 'adam', learningRate: 0.003, batchSize: 32, epochs: 5, seed: 1 },
  },
  {
    id: '3b1b',
    label: '3Blue1Brown — 784-16-16-10, ReLU, Adam',
    note: 'The network from the 3Blue1Brown series: two hidden layers of 16 with ReLU, trained with Adam (He initialisation).',
    config: { architecture: '784-16-16-10', activations: 'relu', dropout: 0, optimizer: 'adam', learningRate: 0.003, batchSize: 32, epochs: 10, seed: 1 },
  },
  {
    id: 'numpy-deep',
    label: 'NumPy network — 784-784-784-784-10, ReLU/SELU/tanh',
    note: 'Three hidden layers of 784 with ReLU, SELU and tanh, Adam, as in the NumPy write-up (94.6% test accuracy on MNIST). Slow in a browser.',
    config: { architecture: '784-784-784-784-10', activations: 'relu,selu,tanh', dropout: 0, optimizer: 'adam', learningRate: 0.001, batchSize: 100, epochs: 20, seed: 1 },
  },
  {
    id: 'dropout',
    label: 'One hidden layer with dropout — 784-50-10',
    note: 'A single hidden layer of 50 with dropout, as in the "Machine Learning from Scratch" write-up.',
    config: { architecture: '784-50-10', activations: 'sigmoid', dropout: 0.2, optimizer: 'adam', learningRate: 0.003, batchSize: 32, epochs: 10, seed: 1 },
  },
  {
    id: 'fashion',
    label: 'Hand-crafted Fashion-MNIST — 784-25-10',
    note: 'One hidden ReLU layer of 25 and batch size 100, from the Fashion-MNIST write-up.',
    config: { architecture: '784-25-10', activations: 'relu', dropout: 0, optimizer: 'adam', learningRate: 0.003, batchSize: 100, epochs: 15, seed: 1 },
  },
  // Convolutional networks: the layouts are core's CNN_ARCHITECTURES (shared with the CLI), written
  // layer by layer, so they carry their own activations and dropout.
  {
    id: 'lenet5',
    label: `LeNet-5 — convolutional, ${parameters('lenet5')} parameters`,
    note: 'Conv2d(1,6,5,padding=2) ReLU MaxPool2d(2) Conv2d(6,16,5) ReLU MaxPool2d(2) Flatten Linear(400,120) ReLU Linear(120,84) ReLU Linear(84,10).',
    config: { architecture: CNN_ARCHITECTURES.lenet5, activations: '', dropout: 0, optimizer: 'adam', learningRate: 0.001, batchSize: 64, epochs: 10, seed: 1 },
  },
  {
    id: 'convnetjs-mnist',
    label: `ConvNetJS MNIST demo — convolutional, ${parameters('convnetjs-mnist')} parameters`,
    note: 'The net of the ConvNetJS MNIST demo: Conv2d(1,8,5,padding=2) ReLU MaxPool2d(2) Conv2d(8,16,5,padding=2) ReLU MaxPool2d(3) Flatten Linear(256,10); batch size 20 as in the demo.',
    config: { architecture: CNN_ARCHITECTURES['convnetjs-mnist'], activations: '', dropout: 0, optimizer: 'adam', learningRate: 0.001, batchSize: 20, epochs: 10, seed: 1 },
  },
  {
    id: 'fashion-cnn',
    label: 'Fashion CNN — batch norm, 32 and 64 channels',
    note: 'Batch-normalised 3×3 convolutions of 32 and 64 channels, 2×2 pooling, dropout, Linear(3136,128), Linear(128,10): for Fashion-MNIST. Slow in a browser.',
    config: { architecture: CNN_ARCHITECTURES['fashion-cnn'], activations: '', dropout: 0, optimizer: 'adam', learningRate: 0.001, batchSize: 64, epochs: 15, seed: 1 },
  },
];

export const QUICK_PRESET = PRESETS[0];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
