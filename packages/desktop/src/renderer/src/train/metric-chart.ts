import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from '../ui/dom.js';

export interface ChartSeries {
  label: string;
  color: string;
  /** Few points (per epoch): drawn with markers. */
  sparse?: boolean;
}

/**
 * A live line chart (uPlot) of a training metric against epochs: a noisy per-window series and
 * a sparse per-epoch series. Redraws at most once per animation frame however fast points come.
 */
export class MetricChart {
  readonly element: HTMLElement;
  private plot: uPlot | null = null;
  private data: uPlot.AlignedData = [[]];
  private frame = 0;
  private readonly resizeObserver: ResizeObserver;

  constructor(
    readonly title: string,
    private readonly series: ChartSeries[],
    private readonly format: (value: number) => string,
    testId: string,
  ) {
    const body = h('div', { class: 'chart-body' });
    this.element = h('figure', { class: 'chart', 'data-testid': testId, 'data-points': 0 }, h('figcaption', {}, title), body);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(body);
    this.data = [[], ...series.map(() => [])];
  }

  /** Replaces the data: x plus one array per series (null = no point). */
  setData(x: number[], ...values: Array<Array<number | null>>): void {
    this.data = [x, ...values] as uPlot.AlignedData;
    const points = values.reduce((sum, v) => sum + v.filter((p) => p !== null).length, 0);
    this.element.setAttribute('data-points', String(points));
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.draw();
      });
    }
  }

  private draw(): void {
    const body = this.element.querySelector('.chart-body') as HTMLElement;
    if (!this.plot) {
      const width = Math.max(200, body.clientWidth);
      if (body.clientWidth === 0) return; // hidden tab: drawn when it becomes visible (resize)
      this.plot = new uPlot(this.options(width, 220), this.data, body);
      return;
    }
    this.plot.setData(this.data);
  }

  private resize(): void {
    const body = this.element.querySelector('.chart-body') as HTMLElement;
    if (body.clientWidth === 0) return;
    if (!this.plot) this.draw();
    else this.plot.setSize({ width: body.clientWidth, height: 220 });
  }

  private options(width: number, height: number): uPlot.Options {
    const axis = { stroke: '#9aa4b8', grid: { stroke: '#263045', width: 1 }, ticks: { stroke: '#263045', width: 1 } };
    return {
      width,
      height,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      axes: [
        { ...axis, label: 'epoch', labelSize: 18, size: 34 },
        { ...axis, values: (_u, ticks) => ticks.map((t) => this.format(t)), size: 56 },
      ],
      series: [
        { label: 'epoch', value: (_u, v) => (v == null ? '–' : v.toFixed(2)) },
        ...this.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: s.sparse ? 2.5 : 1.5,
          spanGaps: true,
          points: { show: s.sparse === true, size: 7, fill: s.color },
          value: (_u: uPlot, v: number | null) => (v == null ? '–' : this.format(v)),
        })),
      ],
    };
  }
}
