import { existsSync, statSync } from 'node:fs';
import type { ModelSpec, Sequential, TrainerState } from '@scratchnet/core';
import { type DecodedCheckpoint, type TrainingRecord, modelFromCheckpoint } from '@scratchnet/model-format';
import { readCheckpoint, saveCheckpoint } from '@scratchnet/model-format/node';
import { CliError, CliErrorCode } from '../errors/cli-error.js';
import { refuseNonRegular } from './regular-file.js';

export type TrainingRecordInput = TrainingRecord;

/** A checkpoint as the CLI uses it. */
export interface LoadedCheckpoint {
  path: string;
  spec: ModelSpec;
  decoded: DecodedCheckpoint;
  classNames: string[];
  training?: TrainingRecord;
  trainerState?: TrainerState;
  formatVersion: number;
  libraryVersion: string;
}

/**
 * Reads a checkpoint, turning "no such file" into MODEL_NOT_FOUND (exit 1 with what to do) and
 * refusing FIFOs and devices (NOT_A_FILE) before opening them; every other problem is a FormatError from model-format whose code the top level maps.
 */
export async function loadCheckpointFile(path: string): Promise<LoadedCheckpoint> {
  if (!existsSync(path)) {
    throw new CliError(CliErrorCode.MODEL_NOT_FOUND, `model file '${path}' does not exist`);
  }
  // A FIFO would block the read forever and /dev/zero never end; a folder gets the reader's own message.
  const stats = statSync(path);
  if (!stats.isDirectory()) refuseNonRegular(path, 'model file');
  const decoded = await readCheckpoint(path);
  return {
    path,
    spec: decoded.spec,
    decoded,
    classNames: decoded.classNames,
    training: decoded.training,
    trainerState: decoded.trainer,
    formatVersion: decoded.formatVersion,
    libraryVersion: decoded.libraryVersion,
  };
}

/** The checkpoint's model with its weights, in eval mode. */
export function modelOf(checkpoint: LoadedCheckpoint): Sequential {
  return modelFromCheckpoint(checkpoint.decoded);
}

/** Writes a checkpoint atomically (model-format writes a temporary file and renames it). */
export async function saveCheckpointFile(
  path: string,
  contents: { model: Sequential; classNames: readonly string[]; training: TrainingRecord; trainerState?: TrainerState },
): Promise<void> {
  await saveCheckpoint(path, {
    model: contents.model,
    classNames: [...contents.classNames],
    training: contents.training,
    trainer: contents.trainerState,
  });
}
