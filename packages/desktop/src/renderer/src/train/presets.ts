import type { TrainConfig } from '../training/worker-protocol.js';

export interface Preset {
  id: string;
  label: string;
  /** Where the network comes from. */
  note: string;
  config: TrainConfig;
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
];

export const QUICK_PRESET = PRESETS[0];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
