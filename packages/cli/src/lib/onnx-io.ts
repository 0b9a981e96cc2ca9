import { existsSync, statSync } from 'node:fs';
import { summarizeModel } from '@scratchnet/core';
import { type OnnxModel, type OnnxValueInfo, importOnnx } from '@scratchnet/model-format';
import { readOnnxFile } from '@scratchnet/model-format/node';
import { CliError, CliErrorCode } from '../errors/cli-error.js';
import { refuseNonRegular } from './regular-file.js';

/** True for a path the CLI treats as an ONNX model rather than a checkpoint. */
export function isOnnxPath(path: string): boolean {
  return path.toLowerCase().endsWith('.onnx');
}

/**
 * Reads and decodes an .onnx file with model-format's bounds, turning "no such file" into
 * MODEL_NOT_FOUND and refusing FIFOs and devices (NOT_A_FILE) before opening them, as for checkpoints.
 */
export async function openOnnxFile(path: string): Promise<OnnxModel> {
  if (!existsSync(path)) throw new CliError(CliErrorCode.MODEL_NOT_FOUND, `ONNX file '${path}' does not exist`);
  if (!statSync(path).isDirectory()) refuseNonRegular(path, 'ONNX file');
  return readOnnxFile(path);
}

const dims = (v: OnnxValueInfo) => `[${(v.dims ?? []).map((d) => d ?? '?').join(', ')}]`;

/** The lines `info` prints for an .onnx file: producer, opset, inputs and outputs, the node chain, and what scratchnet would import. */
export function onnxInfo(path: string, model: OnnxModel): { lines: string[]; json: Record<string, unknown> } {
  const { graph } = model;
  const opset = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version;
  const parameters = [...graph.initializers.values()].reduce((n, t) => n + (t.floats?.length ?? 0), 0);
  const inputs = graph.inputs.filter((i) => !graph.initializers.has(i.name));
  let imported: { layers: string[]; classNames: string[] } | undefined;
  let problem: string | undefined;
  try {
    const contents = importOnnx(model);
    imported = { layers: summarizeModel(contents.spec).map((l) => `${l.description} → [${l.outputShape.join(', ')}]`), classNames: contents.classNames };
  } catch (error) {
    problem = (error as Error).message;
  }
  const json = {
    file: path,
    producer: { name: model.producerName, version: model.producerVersion },
    irVersion: model.irVersion,
    opset,
    inputs: inputs.map((v) => ({ name: v.name, shape: v.dims ?? null })),
    outputs: graph.outputs.map((v) => ({ name: v.name, shape: v.dims ?? null })),
    nodes: graph.nodes.map((n) => ({ name: n.name, op: n.opType })),
    initializers: graph.initializers.size,
    parameters,
    metadata: Object.keys(model.metadata),
    importable: problem === undefined,
    ...(imported ? { layers: imported.layers, classNames: imported.classNames } : { problem }),
  };
  const lines = [
    `file          ${path}`,
    `format        ONNX (IR version ${model.irVersion}, opset ${opset ?? '?'}), produced by ${model.producerName || '?'} ${model.producerVersion}`,
    `inputs        ${inputs.map((v) => `${v.name} ${dims(v)}`).join(', ')}`,
    `outputs       ${graph.outputs.map((v) => `${v.name} ${dims(v)}`).join(', ')}`,
    `weights       ${graph.initializers.size} initializers, ${parameters.toLocaleString('en-US')} float values`,
    `graph         ${graph.nodes.length} nodes`,
    ...graph.nodes.map((n, i) => `  ${String(i).padStart(2)}  ${n.opType.padEnd(18)} ${n.name}`),
  ];
  if (Object.keys(model.metadata).length) lines.push(`metadata      ${Object.keys(model.metadata).join(', ')}`);
  if (imported) {
    lines.push(`classes       ${imported.classNames.join(', ')}`);
    lines.push('imports as');
    lines.push(...imported.layers.map((l, i) => `  ${String(i).padStart(2)}  ${l}`));
  } else lines.push(`imports as    not importable: ${problem}`);
  return { lines, json };
}
