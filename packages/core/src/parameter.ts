import type { Tensor } from './tensor.js';

/** A trainable tensor and the gradient accumulated for it, named as in PyTorch's state_dict. */
export interface Parameter {
  /** e.g. '0.weight', '0.bias', '2.weight' */
  readonly name: string;
  readonly value: Tensor;
  readonly grad: Tensor;
}
