import { describe, expect, it } from 'vitest';
import { drawHalfBlocks } from './half-blocks.js';
import { formatMetricsCsv } from './metrics-csv.js';
import { formatDuration, formatProgress } from './progress-bar.js';
import { drawSvgChart } from './svg-chart.js';
import { drawTerminalChart } from './terminal-chart.js';

describe('terminal output', () => {
  it('draws a falling loss from the top-left to the bottom-right', () => {
    const chart = drawTerminalChart([{ name: 'train loss', values: [2, 1, 0.5, 0.25], mark: '●' }], { height: 5 });
    const rows = chart.split('\n');
    expect(rows[0]).toMatch(/^2\.000 ┤●/);
    expect(rows[4]).toMatch(/^0\.250 ┤.*●$/);
    expect(chart).toContain('● train loss');
    expect(chart.includes('\u001b')).toBe(false); // plain characters only
  });

  it('formats progress and durations', () => {
    expect(formatDuration(75)).toBe('1m15s');
    expect(formatDuration(3.21)).toBe('3.2s');
    const line = formatProgress({ epoch: 2, epochs: 5, batch: 5, batches: 10, samplesPerSecond: 12_345, etaSeconds: 4, runningLoss: 0.31234 }, 10);
    expect(line).toBe('epoch 2/5 [█████░░░░░] 5/10  12.3k samples/s  ETA 4.0s  loss 0.3123');
  });

  it('half blocks: colour codes on a terminal, shade characters in a pipe', () => {
    const pixels = [0, 1, 1, 0]; // 2×2: top row black/white, bottom row white/black
    const colour = drawHalfBlocks(pixels, 2, 2, true);
    expect(colour).toBe('\x1b[38;5;16;48;5;231m▀\x1b[38;5;231;48;5;16m▀\x1b[0m');
    expect(drawHalfBlocks(pixels, 2, 2, false)).toBe('▒▒');
  });
});

describe('files next to the checkpoint', () => {
  it('writes one CSV row per epoch with empty cells for missing validation', () => {
    const csv = formatMetricsCsv([
      { epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, valLoss: 0.6, valAccuracy: 0.75, learningRate: 0.001, seconds: 1.23456 },
      { epoch: 2, trainLoss: 0.4, trainAccuracy: 0.85, learningRate: 0.0005, seconds: 1 },
    ]);
    expect(csv).toBe(
      'epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,seconds\n1,0.5,0.8,0.6,0.75,0.001,1.235\n2,0.4,0.85,,,0.0005,1\n',
    );
  });

  it('SVG chart has one polyline per series with one point per epoch', () => {
    const svg = drawSvgChart([
      { name: 'train loss', values: [1, 0.5, 0.2], mark: '●' },
      { name: 'validation loss', values: [1.1, 0.7, 0.4], mark: '○' },
    ]);
    const lines = [...svg.matchAll(/<polyline[^>]*points="([^"]*)"/g)].map((m) => m[1].split(' ').length);
    expect(lines).toEqual([3, 3]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });
});
