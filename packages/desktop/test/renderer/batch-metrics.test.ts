import { describe, expect, it } from 'vitest';
import { argmaxRow, ThroughputMeter } from '../../src/renderer/src/training/batch-metrics.js';
import { count, duration, loss, percent } from '../../src/renderer/src/ui/format.js';

describe('progress numbers', () => {
  it('picks the largest value of a row (the first on ties)', () => {
    const values = Float32Array.from([0.1, 0.7, 0.2, /* row 2 */ 0.5, 0.5, 0.1]);
    expect(argmaxRow(values, 0, 3)).toBe(1);
    expect(argmaxRow(values, 3, 3)).toBe(0);
  });

  it('smooths throughput so the time left does not jump with each batch', () => {
    const meter = new ThroughputMeter(0.5);
    expect(meter.eta(1000)).toBe(Number.POSITIVE_INFINITY);
    expect(meter.record(1000, 1)).toBe(1000);
    expect(meter.record(3000, 1)).toBe(2000); // halfway between 1000 and 3000
    expect(meter.eta(4000)).toBe(2);
    expect(meter.record(10, 0)).toBe(2000); // a zero-length window changes nothing
  });

  it('formats what the stats show', () => {
    expect(percent(0.92345)).toBe('92.3%');
    expect(percent(Number.NaN)).toBe('–');
    expect(duration(42.2)).toBe('43 s');
    expect(duration(185)).toBe('3 min 05 s');
    expect(duration(3720)).toBe('1 h 02 min');
    expect(duration(Number.POSITIVE_INFINITY)).toBe('–');
    expect(count(12345.6)).toBe('12,346');
    expect(loss(0.123456)).toBe('0.1235');
  });
});
