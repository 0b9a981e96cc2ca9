import type { Sequential } from '@scratchnet/core';
import type { ImageDataset } from '@scratchnet/datasets/node';
import { CliError, CliErrorCode } from '../errors/cli-error.js';
import { type LoadedCheckpoint, loadCheckpointFile, modelOf } from './checkpoint-io.js';
import { loadTestData } from './training-data.js';

/** A checkpoint turned back into a model ready for inference. */
export async function openModel(path: string): Promise<{ model: Sequential; checkpoint: LoadedCheckpoint }> {
  const checkpoint = await loadCheckpointFile(path);
  return { model: modelOf(checkpoint), checkpoint };
}

/** The loss the model was trained with (so eval reports the same loss train printed). */
export function trainedLoss(checkpoint: LoadedCheckpoint): 'cross_entropy' | 'mse' | 'bce' {
  const loss = checkpoint.training?.hyperparameters?.loss;
  return loss === 'mse' ? 'mse' : loss === 'bce' ? 'bce' : 'cross_entropy';
}

/**
 * The test set for a model: --dataset/--data-dir when given, else the data set recorded in the
 * checkpoint (name and data dir), else MNIST.
 */
export async function testSetFor(
  checkpoint: LoadedCheckpoint,
  flags: { dataset?: string; dataDir?: string },
  onNotice: (text: string) => void,
): Promise<{ name: string; test: ImageDataset }> {
  const recorded = checkpoint.training?.dataset as { name?: string; dataDir?: string; imageSize?: string; channels?: number } | undefined;
  const dataset = flags.dataset ?? recorded?.name ?? 'mnist';
  const dataDir = flags.dataDir ?? (flags.dataset ? undefined : recorded?.dataDir);
  // An image folder is brought to the size and channels the model was trained at.
  const shape = dataDir && dataDir === recorded?.dataDir ? { imageSize: recorded.imageSize, channels: recorded.channels } : {};
  const data = await loadTestData(dataset, dataDir, onNotice, shape);
  if (data.test.inputSize !== checkpoint.spec.inputSize) {
    throw new CliError(
      CliErrorCode.BAD_FLAG,
      `${dataDir ? `--data-dir ${dataDir}` : `--dataset ${dataset}`} has ${data.test.inputSize} inputs per image (${data.test.shape.join('x')}) but the model expects ${checkpoint.spec.inputSize}`,
    );
  }
  return data;
}
