import { summarizeModel } from '@scratchnet/core';
import { importOnnx } from '@scratchnet/model-format';
import { saveCheckpoint } from '@scratchnet/model-format/node';
import type { Command } from 'commander';
import { badFlag } from '../errors/cli-error.js';
import { withExamples } from '../help/examples.js';
import { openOnnxFile } from '../lib/onnx-io.js';
import { terminalLine } from '../output/terminal-text.js';

/** `scratchnet-cli import model.onnx --out model.safetensors`: an ONNX model (e.g. from torch.onnx.export) as a scratchnet checkpoint. */
export function registerImportCommand(program: Command): void {
  const command = program
    .command('import')
    .description('import an ONNX model (a sequential MLP or CNN, e.g. from torch.onnx.export) as a checkpoint')
    .argument('<model>', 'ONNX file (.onnx)')
    .requiredOption('--out <file>', 'where to write the checkpoint (.safetensors)')
    .action(async (path: string, flags: { out: string }) => {
      if (flags.out.trim() === '') throw badFlag("--out: '' is not a file name; try --out model.safetensors");
      const contents = importOnnx(await openOnnxFile(path));
      await saveCheckpoint(flags.out, contents);
      const layers = summarizeModel(contents.spec);
      const parameters = layers.reduce((n, l) => n + l.parameterCount, 0);
      process.stdout.write(
        `${terminalLine(`wrote ${flags.out}: ${layers.length} layers, ${parameters.toLocaleString('en-US')} parameters, ${contents.classNames.length} classes; \`scratchnet-cli info ${flags.out}\` lists them`)}\n`,
      );
    });
  withExamples(command, [
    ['scratchnet-cli import model.onnx --out model.safetensors', 'an ONNX MLP or CNN (e.g. from torch.onnx.export) as a checkpoint'],
    ['scratchnet-cli info model.safetensors', 'then list its layers'],
  ]);
}
