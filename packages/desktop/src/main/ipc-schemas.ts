import { z } from 'zod';
import { DATASET_NAMES, DATASET_SPLITS } from '../shared/bridge-api.js';
import { DIGIT_PIXELS, MAX_HANDWRITING_DIGITS } from '../shared/handwriting-files.js';

/** Largest checkpoint the app will write or read (a 784-784-784-784-10 network is ≈ 7.5 MB). */
export const MAX_CHECKPOINT_BYTES = 512 * 1024 * 1024;

/**
 * Argument schemas, one per invoke channel. Everything the renderer sends is validated here
 * before the main process touches a file: unknown keys are rejected, names are closed lists,
 * sizes are capped.
 */
export const loadDatasetArgs = z.tuple([z.strictObject({ name: z.enum(DATASET_NAMES), split: z.enum(DATASET_SPLITS) })]);

export const noArgs = z.tuple([]);

export const saveCheckpointArgs = z.tuple([
  z.strictObject({
    suggestedName: z
      .string()
      .min(1)
      .max(200)
      .refine(isPlainFileName, 'must be a plain file name without folders or control characters'),
    bytes: z
      .instanceof(Uint8Array)
      .refine((b) => b.length > 0 && b.length <= MAX_CHECKPOINT_BYTES, `must be 1 byte to ${MAX_CHECKPOINT_BYTES} bytes`),
  }),
]);

/** Some 28×28 drawings: sizes that agree, labels 0–9, at most MAX_HANDWRITING_DIGITS. */
const digitSet = z
  .strictObject({
    count: z.number().int().min(0).max(MAX_HANDWRITING_DIGITS),
    images: z.instanceof(Uint8Array),
    labels: z.instanceof(Uint8Array),
  })
  .refine((set) => set.images.length === set.count * DIGIT_PIXELS, { message: 'images must hold count × 784 bytes', path: ['images'] })
  .refine((set) => set.labels.length === set.count, { message: 'labels must hold count bytes', path: ['labels'] })
  .refine((set) => set.labels.every((label) => label <= 9), { message: 'every label must be a digit 0–9', path: ['labels'] });

/** The whole set of the user's drawings; the main process decides the folder and the file names. */
export const saveHandwritingArgs = z.tuple([z.strictObject({ train: digitSet, heldOut: digitSet })]);

/** A bare file name: the save dialog decides the folder, so no separators, parent references or control characters. */
export function isPlainFileName(name: string): boolean {
  if (name === '.' || name === '..') return false;
  for (const char of name) {
    if ('/\\:*?"<>|'.includes(char) || char.charCodeAt(0) < 0x20) return false;
  }
  return true;
}

/** Turns a zod failure into one line naming the argument path, for the renderer to show. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'arguments'}: ${issue.message}`).join('; ');
}
