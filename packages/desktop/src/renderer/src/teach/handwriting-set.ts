import { DIGIT_PIXELS, type DigitSet, type HandwritingSplits } from '../../../shared/handwriting-files.js';

/** One labelled drawing: its 28×28 image as the network sees it (bytes 0–255, white ink on black). */
export interface Drawing {
  /** Stable within this page's lifetime (grid keys, deletion); not stored. */
  id: number;
  label: number;
  pixels: Uint8Array;
  /** Kept back as the user's own test set: never trained on. */
  heldOut: boolean;
}

/** One drawing in five is held out, so about 20 % of the set measures the model and never trains it. */
export const HOLD_OUT_EVERY = 5;

/**
 * Whether the next drawing is held out: the 5th, 10th, 15th… drawing while nothing is deleted,
 * and after deletions whichever keeps the held-out share at one in five. Decided when a drawing
 * is added and then kept (it is stored in the held-out files), so deleting a drawing never moves
 * another between training and testing.
 */
export function holdsOutNext(total: number, heldOut: number): boolean {
  return (heldOut + 1) * HOLD_OUT_EVERY <= total + 1;
}

/**
 * The user's drawings in memory: add, delete, and the two splits as the stored files hold them
 * (training drawings in the order drawn, then the held-out ones). Listeners hear every change.
 */
export class HandwritingSet {
  private readonly items: Drawing[] = [];
  private nextId = 1;
  private readonly listeners = new Set<() => void>();

  /** The set a store returned: training drawings first, then held-out ones, each in file order. */
  static fromSplits(splits: HandwritingSplits): HandwritingSet {
    const set = new HandwritingSet();
    set.append(splits.train, false);
    set.append(splits.heldOut, true);
    return set;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get all(): readonly Drawing[] {
    return this.items;
  }

  get size(): number {
    return this.items.length;
  }

  get training(): Drawing[] {
    return this.items.filter((d) => !d.heldOut);
  }

  get heldOut(): Drawing[] {
    return this.items.filter((d) => d.heldOut);
  }

  /** Adds a drawing (784 bytes) with its label 0–9; holds it out by `holdsOutNext`. */
  add(pixels: Uint8Array, label: number): Drawing {
    if (pixels.length !== DIGIT_PIXELS) throw new RangeError(`a drawing has ${DIGIT_PIXELS} pixels, not ${pixels.length}`);
    if (!Number.isInteger(label) || label < 0 || label > 9) throw new RangeError(`label ${label} is not a digit 0–9`);
    const drawing = { id: this.nextId++, label, pixels: pixels.slice(), heldOut: holdsOutNext(this.items.length, this.heldOut.length) };
    this.items.push(drawing);
    this.changed();
    return drawing;
  }

  /** Deletes a drawing; false if there is none with that id. */
  remove(id: number): boolean {
    const index = this.items.findIndex((d) => d.id === id);
    if (index < 0) return false;
    this.items.splice(index, 1);
    this.changed();
    return true;
  }

  /** Replaces everything (an upload); listeners hear one change. */
  replace(splits: HandwritingSplits): void {
    this.items.length = 0;
    this.append(splits.train, false);
    this.append(splits.heldOut, true);
    this.changed();
  }

  /** Both splits as the store writes them. */
  toSplits(): HandwritingSplits {
    return { train: toDigitSet(this.training), heldOut: toDigitSet(this.heldOut) };
  }

  private append(set: DigitSet, heldOut: boolean): void {
    for (let i = 0; i < set.count; i++) {
      this.items.push({ id: this.nextId++, label: set.labels[i], pixels: set.images.slice(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS), heldOut });
    }
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** Drawings packed into one images buffer and one labels buffer. */
export function toDigitSet(drawings: readonly Drawing[]): DigitSet {
  const images = new Uint8Array(drawings.length * DIGIT_PIXELS);
  const labels = new Uint8Array(drawings.length);
  drawings.forEach((d, i) => {
    images.set(d.pixels, i * DIGIT_PIXELS);
    labels[i] = d.label;
  });
  return { count: drawings.length, images, labels };
}

/** The network's 784 floats in [0, 1] (preprocessDigit's output) as stored bytes. */
export function digitBytes(input: Float32Array): Uint8Array {
  const bytes = new Uint8Array(input.length);
  for (let i = 0; i < input.length; i++) bytes[i] = Math.round(Math.min(1, Math.max(0, input[i])) * 255);
  return bytes;
}
