import { exportOnnx } from '@scratchnet/model-format';
import { saveOnnxFile } from '@scratchnet/model-format/node';
import type { Command } from 'commander';
import { badFlag } from '../errors/cli-error.js';
import { withExamples } from '../help/examples.js';
import { loadCheckpointFile } from '../lib/checkpoint-io.js';
import { terminalLine } from '../output/terminal-text.js';

/** `scratchnet-cli export <model> --format onnx --out model.onnx`: a checkpoint as an ONNX model for ONNX Runtime and other runtimes. */
export function registerExportCommand(program: Command): void {
  const command = program
    .command('export')
    .description('export a checkpoint to ONNX (opset 13, dynamic batch; outputs logits and probabilities)')
    .argument('<model>', 'checkpoint file (.safetensors)')
    .option('--format <format>', 'output format (only onnx)', 'onnx')
    .requiredOption('--out <file>', 'where to write the .onnx file')
    .action(async (path: string, flags: { format: string; out: string }) => {
      if (flags.format !== 'onnx') throw badFlag(`--format: '${flags.format}' is not a format scratchnet exports; the only one is onnx`);
      if (flags.out.trim() === '') throw badFlag("--out: '' is not a file name; try --out model.onnx");
      const checkpoint = await loadCheckpointFile(path);
      const { spec, tensors } = checkpoint.decoded;
      const bytes = exportOnnx({ spec, tensors, classNames: checkpoint.classNames, training: checkpoint.training });
      await saveOnnxFile(flags.out, bytes);
      const shape = spec.inputShape ?? [spec.inputSize];
      process.stdout.write(
        `${terminalLine(`wrote ${flags.out} (${bytes.length.toLocaleString('en-US')} bytes): ONNX opset 13, input [batch, ${shape.join(', ')}] → logits and probabilities [batch, ${checkpoint.classNames.length}]`)}\n`,
      );
    });
  withExamples(command, [
    ['scratchnet-cli export model.safetensors --out model.onnx', 'the checkpoint as ONNX, for ONNX Runtime or any other ONNX runtime'],
  ]);
}
