import { atomicWriteFile } from '@scratchnet/model-format/node';
import { CliError, CliErrorCode } from '../errors/cli-error.js';
import { type EpochRow, formatMetricsCsv } from './metrics-csv.js';
import { drawSvgChart } from './svg-chart.js';

/**
 * The metrics CSV and loss chart next to the checkpoint, each written atomically (a reader, or a
 * crash, sees the previous file or the new one, never a truncated one). A failure names the file.
 */
export async function writeCharts(paths: { metricsCsv: string; lossSvg: string }, rows: readonly EpochRow[]): Promise<void> {
  const series = [
    { name: 'train loss', values: rows.map((r) => r.trainLoss), mark: '●' },
    { name: 'validation loss', values: rows.map((r) => r.valLoss ?? Number.NaN), mark: '○' },
  ];
  await writeSideFile(paths.metricsCsv, 'metrics file', formatMetricsCsv(rows));
  await writeSideFile(paths.lossSvg, 'loss chart', drawSvgChart(series, { title: 'Convergence', yLabel: 'loss' }));
}

export async function writeSideFile(path: string, what: string, text: string): Promise<void> {
  try {
    await atomicWriteFile(path, new TextEncoder().encode(text));
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new CliError(CliErrorCode.OUT_NOT_WRITABLE, `cannot write ${what} ${path}: ${reason}`, { cause });
  }
}
