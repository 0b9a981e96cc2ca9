/** One continuous stroke: points in canvas pixels with the brush width at each point. */
export interface Stroke {
  points: Array<{ x: number; y: number; width: number }>;
}

/**
 * A drawing surface for mouse, touch and pen through pointer events. Strokes are kept as data so
 * undo can redraw without them; pen pressure varies the width. Ink is drawn opaque on a
 * transparent canvas, which the digit preprocessing reads through the alpha channel.
 */
export class DrawingCanvas {
  brushSize = 22;
  private readonly strokes: Stroke[] = [];
  private current: Stroke | null = null;
  private readonly context: CanvasRenderingContext2D;
  private readonly listeners = new Set<() => void>();

  constructor(readonly canvas: HTMLCanvasElement) {
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('This browser cannot draw on a canvas');
    this.context = context;
    canvas.style.touchAction = 'none'; // keep touch drawing from scrolling the page
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.up(e));
    canvas.addEventListener('pointercancel', (e) => this.up(e));
  }

  /** Called after every change (each new point, undo, clear). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get strokeCount(): number {
    return this.strokes.length;
  }

  get isEmpty(): boolean {
    return this.strokes.length === 0;
  }

  clear(): void {
    this.strokes.length = 0;
    this.current = null;
    this.redraw();
  }

  undo(): void {
    if (this.current) this.current = null;
    this.strokes.pop();
    this.redraw();
  }

  /** The canvas pixels (RGBA), as the preprocessing expects them. */
  pixels(): ImageData {
    return this.context.getImageData(0, 0, this.canvas.width, this.canvas.height);
  }

  private down(event: PointerEvent): void {
    if (event.button !== 0 && event.pointerType === 'mouse') return;
    event.preventDefault();
    this.canvas.setPointerCapture(event.pointerId);
    this.current = { points: [this.point(event)] };
    this.strokes.push(this.current);
    this.redraw();
  }

  private move(event: PointerEvent): void {
    const stroke = this.current;
    if (!stroke) return;
    // Coalesced events recover the points the browser merged between frames (smoother curves).
    const events = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
    for (const e of events.length ? events : [event]) stroke.points.push(this.point(e));
    // Redrawing every stroke as one smooth path is cheap at this size (well under a millisecond)
    // and avoids the seams that drawing segment by segment leaves at each joint.
    this.redraw();
  }

  private up(event: PointerEvent): void {
    if (!this.current) return;
    if (this.canvas.hasPointerCapture(event.pointerId)) this.canvas.releasePointerCapture(event.pointerId);
    this.current = null;
    this.changed();
  }

  private point(event: PointerEvent): { x: number; y: number; width: number } {
    const rect = this.canvas.getBoundingClientRect();
    const scaleX = this.canvas.width / rect.width;
    const scaleY = this.canvas.height / rect.height;
    // Mice report pressure 0.5 while pressed; pens and some touch screens report real pressure.
    const pressure = event.pointerType === 'pen' && event.pressure > 0 ? 0.4 + event.pressure * 1.2 : 1;
    return { x: (event.clientX - rect.left) * scaleX, y: (event.clientY - rect.top) * scaleY, width: this.brushSize * scaleX * pressure };
  }

  /**
   * Draws a stroke: one path smoothed with quadratic curves through the midpoints when the width
   * is constant (mouse, touch), or segment by segment when pen pressure varies it.
   */
  private drawStroke(stroke: Stroke): void {
    const ctx = this.context;
    const points = stroke.points;
    ctx.strokeStyle = '#ffffff';
    ctx.fillStyle = '#ffffff';
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    if (points.length === 1) {
      ctx.beginPath();
      ctx.arc(points[0].x, points[0].y, points[0].width / 2, 0, Math.PI * 2);
      ctx.fill();
      return;
    }
    const constant = points.every((p) => p.width === points[0].width);
    if (!constant) {
      for (let i = 1; i < points.length; i++) {
        ctx.lineWidth = (points[i].width + points[i - 1].width) / 2;
        ctx.beginPath();
        ctx.moveTo(points[i - 1].x, points[i - 1].y);
        ctx.lineTo(points[i].x, points[i].y);
        ctx.stroke();
      }
      return;
    }
    ctx.lineWidth = points[0].width;
    ctx.beginPath();
    ctx.moveTo(points[0].x, points[0].y);
    for (let i = 1; i < points.length - 1; i++) {
      const mx = (points[i].x + points[i + 1].x) / 2;
      const my = (points[i].y + points[i + 1].y) / 2;
      ctx.quadraticCurveTo(points[i].x, points[i].y, mx, my);
    }
    const last = points[points.length - 1];
    ctx.lineTo(last.x, last.y);
    ctx.stroke();
  }

  private redraw(): void {
    this.context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    for (const stroke of this.strokes) this.drawStroke(stroke);
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
