import type { WindowGeometry } from '../backend/backend.js';
import { formatShape } from '../errors.js';
import type { Shape, Size2d } from '../model/spec.js';
import { checkSize2d, expectRank, invalidLayer, pair } from './layer-kind.js';

/** Kernel, stride and padding of a window layer (convolution or pooling), resolved to pairs. */
export interface WindowSettings {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
}

/** Positions a window of `kernel` moved by `stride` over `size` padded by `pad` on each side takes (PyTorch's floor rule). */
export function windowPositions(size: number, kernel: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - kernel) / stride) + 1;
}

/** Validates a window layer's kernel/stride/padding against its [channels, height, width] input. */
export function checkWindow(
  fields: { kernelSize: unknown; stride?: unknown; padding?: unknown },
  inputShape: Shape,
  where: string,
): void {
  expectRank(inputShape, 3, where, 'window layers take [channels, height, width] (set the model input shape, e.g. 1x28x28)');
  checkSize2d(fields.kernelSize, 'kernelSize', where, 1);
  if (fields.stride !== undefined) checkSize2d(fields.stride, 'stride', where, 1);
  if (fields.padding !== undefined && fields.padding !== 'same') checkSize2d(fields.padding, 'padding', where, 0);
}

/** Output [height, width] of a window over `inputShape`, refusing a window that does not fit. */
export function windowOutput(settings: WindowSettings, inputShape: Shape, where: string): [number, number] {
  const [, height, width] = inputShape;
  const outH = windowPositions(height, settings.kernel[0], settings.stride[0], settings.padding[0]);
  const outW = windowPositions(width, settings.kernel[1], settings.stride[1], settings.padding[1]);
  if (outH < 1 || outW < 1) {
    throw invalidLayer(
      where,
      `a ${settings.kernel.join('×')} window with padding ${settings.padding.join('×')} does not fit the input ${formatShape(inputShape)}; use a smaller kernel, more padding or fewer pooling layers before it`,
    );
  }
  return [outH, outW];
}

/** Resolves 'same' padding (stride 1 and odd kernels only, as PyTorch requires symmetric padding here). */
export function resolvePadding(padding: Size2d | 'same' | undefined, kernel: [number, number], stride: [number, number], where: string): [number, number] {
  if (padding === undefined) return [0, 0];
  if (padding !== 'same') return pair(padding);
  if (stride[0] !== 1 || stride[1] !== 1) throw invalidLayer(where, "padding 'same' needs stride 1");
  if (kernel[0] % 2 === 0 || kernel[1] % 2 === 0) throw invalidLayer(where, "padding 'same' needs an odd kernel size (e.g. 3 or 5); give the padding as numbers instead");
  return [(kernel[0] - 1) / 2, (kernel[1] - 1) / 2];
}

/** The kernel geometry for `rows` examples. */
export function geometryFor(rows: number, inputShape: Shape, settings: WindowSettings, out: [number, number]): WindowGeometry {
  return {
    batch: rows,
    channels: inputShape[0],
    height: inputShape[1],
    width: inputShape[2],
    kernelH: settings.kernel[0],
    kernelW: settings.kernel[1],
    strideH: settings.stride[0],
    strideW: settings.stride[1],
    padH: settings.padding[0],
    padW: settings.padding[1],
    outH: out[0],
    outW: out[1],
  };
}
