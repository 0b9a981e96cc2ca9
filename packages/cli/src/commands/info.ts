import { summarizeModel } from '@scratchnet/core';
import type { Command } from 'commander';
import { withExamples } from '../help/examples.js';
import { isOnnxPath, onnxInfo, openOnnxFile } from '../lib/onnx-io.js';
import { openModel } from '../lib/open-model.js';
import { formatTable, percent } from '../output/table.js';
import { terminalLine } from '../output/terminal-text.js';

/** `scratchnet-cli info <model>`: architecture, parameter count, format version, training record. */
export function registerInfoCommand(program: Command): void {
  const command = program
    .command('info')
    .description('show a checkpoint: architecture, parameters, format version, how it was trained')
    .argument('<model>', 'checkpoint file (.safetensors), or an ONNX model (.onnx): its graph summary')
    .option('--json', 'print the information as one JSON object')
    .action(async (path: string, flags: { json?: boolean }) => {
      if (isOnnxPath(path)) {
        const { lines, json } = onnxInfo(path, await openOnnxFile(path));
        process.stdout.write(flags.json ? `${JSON.stringify(json)}\n` : `${lines.map(terminalLine).join('\n')}\n`);
        return;
      }
      const { model, checkpoint } = await openModel(path);
      const training = checkpoint.training;
      if (flags.json) {
        const { trainerState: _, decoded: __, ...rest } = checkpoint;
        const layers = summarizeModel(checkpoint.spec).map(({ index, description, inputShape, outputShape, parameterCount }) => ({ index, description, inputShape, outputShape, parameters: parameterCount }));
        process.stdout.write(`${JSON.stringify({ ...rest, inputShape: model.inputShape, layers, parameters: model.parameterCount(), resumable: Boolean(checkpoint.trainerState) })}\n`);
        return;
      }
      const lines: string[] = [];
      lines.push(`file          ${path}`);
      lines.push(`format        scratchnet v${checkpoint.formatVersion} (written by ${checkpoint.libraryVersion})`);
      lines.push(`parameters    ${model.parameterCount().toLocaleString('en-US')}`);
      lines.push(`classes       ${checkpoint.classNames.join(', ')}`);
      lines.push(`input         [${model.inputShape.join(', ')}]`);
      lines.push('layers');
      // One row per nn.Sequential entry, as torchsummary prints it: what it is, what it outputs, what it learns.
      const rows = summarizeModel(checkpoint.spec).map((layer) => [
        `  ${String(layer.index).padStart(2)}  ${layer.description}`,
        `[${layer.outputShape.join(', ')}]`,
        layer.parameterCount.toLocaleString('en-US'),
      ]);
      lines.push(...formatTable([['  #   layer', 'output shape', 'parameters'], ...rows]).split('\n'));
      lines.push(`              total ${model.parameterCount().toLocaleString('en-US')} trainable parameters${model.buffers().length ? `, ${model.buffers().length} batch-norm buffers` : ''}`);
      if (training) {
        const h = training.hyperparameters;
        const dataset = training.dataset as Record<string, unknown>;
        lines.push('training');
        lines.push(`  data        ${dataset.name}${dataset.source ? ` (${dataset.source})` : ''}${dataset.train !== undefined ? `: ${dataset.train} train, ${dataset.validation} validation, ${dataset.test} test` : ''}`);
        lines.push(`  optimizer   ${h.optimizer ?? '?'} lr ${h.lr ?? '?'}, batch ${h.batchSize ?? '?'}, loss ${h.loss ?? '?'}, schedule ${h.schedule ?? 'constant'}, seed ${training.seed ?? 'none'}`);
        lines.push(`  epochs      ${training.epochs}${checkpoint.trainerState ? ` of ${h.epochs} (unfinished: resumable with --resume)` : ''}`);
        const last = training.history.at(-1);
        if (last) {
          lines.push(
            `  last epoch  train loss ${fmt(last.loss)} acc ${pct(last.accuracy)}${last.valLoss !== null && last.valLoss !== undefined ? `, val loss ${fmt(last.valLoss)} acc ${pct(last.valAccuracy)}` : ''}`,
          );
        }
        const m = training.finalMetrics;
        if (m.test_accuracy !== undefined && m.test_accuracy !== null) {
          lines.push(`  test        accuracy ${percent(m.test_accuracy)}, loss ${fmt(m.test_loss)}${m.seconds ? `, trained in ${m.seconds.toFixed(1)}s` : ''}`);
        }
      }
      // Every value here came from the file: each line is printed without control characters.
      process.stdout.write(`${lines.map(terminalLine).join('\n')}\n`);
    });
  withExamples(command, [
    ['scratchnet-cli info model.safetensors', 'layers, parameters and how the model was trained'],
    ['scratchnet-cli info model.safetensors --json', 'the same as one JSON object'],
  ]);
}

const fmt = (v: number | null | undefined) => (typeof v === 'number' ? v.toFixed(4) : '–');
const pct = (v: number | null | undefined) => (typeof v === 'number' ? percent(v) : '–');
