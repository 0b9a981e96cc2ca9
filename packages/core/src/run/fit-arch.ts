import { isLayerArchitecture } from '../model/parse-layers.js';

/**
 * For a user's own data (the CLI's `--data-dir` folder, the desktop's picked folder): the architecture with its input and output following the data — a sizes
 * architecture (784-128-10) gets the flattened input size and the class count at its ends, a
 * layer-by-layer one (1x28x28-conv(…)-…-10) the data's CxHxW and the class count (the layers in
 * between compute their shapes from it). A JSON spec is returned as it is.
 */
export function fitArchToData(arch: string, data: { shape: readonly number[]; classCount: number }): string {
  const text = arch.trim();
  const inputs = data.shape.reduce((a, b) => a * b, 1);
  if (/^\d+(-\d+)+$/.test(text)) {
    const sizes = text.split('-');
    return [String(inputs), ...sizes.slice(1, -1), String(data.classCount)].join('-');
  }
  if (isLayerArchitecture(text) && /^\d+(x\d+)+-/i.test(text) && /-\d+$/.test(text)) {
    return text.replace(/^\d+(x\d+)+/i, data.shape.join('x')).replace(/-\d+$/, `-${data.classCount}`);
  }
  return arch;
}
