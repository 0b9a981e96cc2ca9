/** Files written next to a checkpoint: `model.safetensors` → `model.metrics.csv`, `model.loss.svg`. */
export function artifactPaths(checkpoint: string): { checkpoint: string; metricsCsv: string; lossSvg: string } {
  const stem = checkpoint.replace(/\.safetensors$/i, '');
  return { checkpoint, metricsCsv: `${stem}.metrics.csv`, lossSvg: `${stem}.loss.svg` };
}
