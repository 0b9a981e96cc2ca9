import type { Backend } from '../backend/backend.js';
import { type LayerSpec, type Shape, shapeSize } from '../model/spec.js';
import type { Parameter } from '../parameter.js';
import { asShape, ensureBuffer, type ForwardContext, type Layer, type LayerBuffer, releaseBuffers } from './layer.js';

/**
 * A parameter-free layer whose output has its input's width (activations, softmax): owns the
 * output and input-gradient buffers, sized for the largest batch seen, and hands them back to the
 * backend on dispose. Subclasses implement forward and backward over those buffers.
 */
export abstract class SameSizeLayer implements Layer {
  abstract readonly spec: LayerSpec;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly parameters: readonly Parameter[] = [];
  readonly buffers: readonly LayerBuffer[] = [];
  protected output: Float32Array | null = null;
  protected inputGradient: Float32Array | null = null;

  constructor(
    shape: number | Shape,
    protected readonly backend: Backend,
  ) {
    this.inputShape = this.outputShape = asShape(shape);
    this.inputSize = this.outputSize = shapeSize(this.inputShape);
  }

  reserve(rows: number): void {
    this.output = ensureBuffer(this.backend, this.output, rows * this.inputSize);
    this.inputGradient = ensureBuffer(this.backend, this.inputGradient, rows * this.inputSize);
  }

  dispose(): void {
    releaseBuffers(this.backend, this.output, this.inputGradient);
    this.output = null;
    this.inputGradient = null;
  }

  abstract forward(x: Float32Array, rows: number, context: ForwardContext): Float32Array;
  abstract backward(dy: Float32Array, rows: number, needInputGradient: boolean): Float32Array | null;
}
