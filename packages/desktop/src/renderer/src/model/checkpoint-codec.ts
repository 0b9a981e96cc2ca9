import type { ModelSpec } from '@scratchnet/core';
import { decodeModelFile, encodeCheckpoint, exportOnnx } from '@scratchnet/model-format';
import { describeArchitecture, type ModelSnapshot } from './model-snapshot.js';

/** The snapshot's model and records, as model-format takes them. */
function contentsOf(snapshot: ModelSnapshot) {
  return {
    spec: snapshot.spec,
    tensors: new Map(snapshot.tensors.map((t) => [t.name, { shape: t.shape, data: t.data }])),
    classNames: snapshot.classNames,
    training: snapshot.training,
  };
}

/** Encodes a snapshot as a scratchnet checkpoint (safetensors bytes). */
export function encodeSnapshot(snapshot: ModelSnapshot): Uint8Array {
  return encodeCheckpoint({ ...contentsOf(snapshot), trainer: snapshot.trainer });
}

/** The snapshot's model as ONNX bytes (opset 13; outputs logits and probabilities; class names and training record in its metadata). */
export function exportSnapshotOnnx(snapshot: ModelSnapshot): Uint8Array {
  return exportOnnx(contentsOf(snapshot));
}

/** Decodes checkpoint bytes, or an ONNX model's (fully validated by model-format), into a snapshot. */
export function decodeSnapshot(bytes: Uint8Array): ModelSnapshot {
  const checkpoint = decodeModelFile(bytes);
  const training = checkpoint.training;
  return {
    spec: checkpoint.spec as ModelSpec,
    tensors: [...checkpoint.tensors].map(([name, t]) => ({ name, shape: [...t.shape], data: t.data })),
    classNames: [...checkpoint.classNames],
    trainer: checkpoint.trainer,
    // Any writer's record (the CLI's too), migrated to the current layout by model-format.
    training: training ? { ...training, history: training.history.map((row) => ({ ...row })) } : undefined,
  };
}

/** A file name for the save dialog, e.g. "offline-digits-784-16-16-10.safetensors". */
export function suggestCheckpointName(snapshot: ModelSnapshot): string {
  const dataset = (snapshot.training?.dataset.name ?? 'model').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `${dataset || 'model'}-${describeArchitecture(snapshot.spec)}.safetensors`;
}
