/** counts[t][p] = how many examples of true class t were predicted as p. */
export function confusionMatrix(labels: ArrayLike<number>, predictions: ArrayLike<number>, classes: number): number[][] {
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) counts[labels[i]][predictions[i]]++;
  return counts;
}

/** Recall per class: the fraction of each true class predicted correctly (NaN for an absent class). */
export function perClassAccuracy(matrix: number[][]): number[] {
  return matrix.map((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total ? row[t] / total : Number.NaN;
  });
}

export interface GalleryFilter {
  /** Only misclassified examples. */
  mistakesOnly: boolean;
  /** Only this true class (null = any). */
  trueClass: number | null;
  /** Only this predicted class (null = any). */
  predictedClass: number | null;
}

/** Indices of the examples that pass the filter, most confident mistakes first when showing mistakes. */
export function filterExamples(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  probabilities: Float32Array,
  classes: number,
  filter: GalleryFilter,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (filter.mistakesOnly && labels[i] === predictions[i]) continue;
    if (filter.trueClass !== null && labels[i] !== filter.trueClass) continue;
    if (filter.predictedClass !== null && predictions[i] !== filter.predictedClass) continue;
    out.push(i);
  }
  if (filter.mistakesOnly) {
    const confidence = (i: number) => probabilities[i * classes + predictions[i]];
    out.sort((a, b) => confidence(b) - confidence(a) || a - b);
  }
  return out;
}

/** A colour for a heat-map cell: neutral grey at 0, saturated at `max`; the diagonal in green. */
export function heatColour(value: number, max: number, diagonal: boolean): string {
  if (value <= 0) return 'rgba(148, 163, 184, 0.06)';
  const [r, g, b] = diagonal ? [46, 204, 113] : [255, 107, 107];
  return `rgba(${r}, ${g}, ${b}, ${heatAlpha(value, max).toFixed(3)})`;
}

function heatAlpha(value: number, max: number): number {
  return 0.15 + 0.8 * (max > 0 ? Math.sqrt(value / max) : 0);
}

/**
 * Whether a cell is saturated enough to need dark text: past this opacity light text on the dark
 * theme's panel drops under 3:1 (the cells' numbers are large bold text), and dark text is above it.
 */
export function heatNeedsDarkText(value: number, max: number): boolean {
  return value > 0 && heatAlpha(value, max) >= 0.6;
}
