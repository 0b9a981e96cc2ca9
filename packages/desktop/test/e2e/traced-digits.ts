/**
 * Pen strokes for the end-to-end tests, made from a 28×28 digit image (here a handwriting font's):
 * its ink is thinned to a one-pixel skeleton (Zhang & Suen 1984), the skeleton is walked into
 * strokes, and a "writer" (slant, rotation, width and height) places them on the canvas. The mouse then draws those strokes with the app's own brush.
 */

/** One stroke: points as fractions of the canvas (0–1). */
export type Stroke = Array<[number, number]>;

/** How one person writes: shear (slant), rotation in degrees, and the size of the digit on the canvas. */
export interface Writer {
  name: string;
  slant: number;
  rotate: number;
  width: number;
  height: number;
}

/** One person's hand, neither slanted nor turned (the traced images carry their own tilt), filling most of the canvas. */
export const ONE_HAND: Writer = { name: 'one hand', slant: 0, rotate: 0, width: 0.62, height: 0.62 };

/** Zhang–Suen thinning of the pixels ≥ `threshold` in a rows×cols image: 1 on the skeleton, 0 elsewhere. */
export function skeleton(image: ArrayLike<number>, rows: number, cols: number, threshold = 100): Uint8Array {
  const on = new Uint8Array(rows * cols);
  for (let i = 0; i < on.length; i++) on[i] = image[i] >= threshold ? 1 : 0;
  const at = (r: number, c: number) => (r < 0 || c < 0 || r >= rows || c >= cols ? 0 : on[r * cols + c]);
  let changed = true;
  while (changed) {
    changed = false;
    for (const pass of [0, 1]) {
      const remove: number[] = [];
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          if (!on[r * cols + c]) continue;
          // Neighbours P2…P9 clockwise from north.
          const p = [at(r - 1, c), at(r - 1, c + 1), at(r, c + 1), at(r + 1, c + 1), at(r + 1, c), at(r + 1, c - 1), at(r, c - 1), at(r - 1, c - 1)];
          const b = p.reduce((a, v) => a + v, 0);
          let a = 0;
          for (let k = 0; k < 8; k++) if (p[k] === 0 && p[(k + 1) % 8] === 1) a++;
          const [p2, , p4, , p6, , p8] = p;
          const ok = pass === 0 ? p2 * p4 * p6 === 0 && p4 * p6 * p8 === 0 : p2 * p4 * p8 === 0 && p2 * p6 * p8 === 0;
          if (b >= 2 && b <= 6 && a === 1 && ok) remove.push(r * cols + c);
        }
      }
      for (const i of remove) on[i] = 0;
      if (remove.length) changed = true;
    }
  }
  return on;
}

const NEIGHBOURS: Array<[number, number]> = [
  [0, 1], [1, 0], [0, -1], [-1, 0], // 4-neighbours first: smoother walks
  [1, 1], [1, -1], [-1, 1], [-1, -1],
];

/**
 * Walks a skeleton into strokes (pixel coordinates [x, y]): each starts at an end point where
 * there is one (a loop starts anywhere and closes on itself) and follows unvisited neighbours,
 * preferring to keep its direction. Spurs of one or two pixels are dropped.
 */
export function traceStrokes(mask: Uint8Array, rows: number, cols: number): Array<Array<[number, number]>> {
  const visited = new Uint8Array(mask.length);
  const isOn = (r: number, c: number) => r >= 0 && c >= 0 && r < rows && c < cols && mask[r * cols + c] === 1;
  const free = (r: number, c: number) => NEIGHBOURS.filter(([dr, dc]) => isOn(r + dr, c + dc) && !visited[(r + dr) * cols + c + dc]);
  const strokes: Array<Array<[number, number]>> = [];
  for (;;) {
    let start = -1;
    for (let i = 0; i < mask.length && start < 0; i++) if (mask[i] && !visited[i] && free(Math.floor(i / cols), i % cols).length === 1) start = i;
    for (let i = 0; i < mask.length && start < 0; i++) if (mask[i] && !visited[i]) start = i;
    if (start < 0) break;
    let r = Math.floor(start / cols);
    let c = start % cols;
    const stroke: Array<[number, number]> = [[c, r]];
    visited[start] = 1;
    let direction: [number, number] = [0, 0];
    for (;;) {
      const options = free(r, c);
      if (!options.length) break;
      options.sort((a, b) => b[0] * direction[0] + b[1] * direction[1] - (a[0] * direction[0] + a[1] * direction[1]));
      direction = options[0];
      r += direction[0];
      c += direction[1];
      visited[r * cols + c] = 1;
      stroke.push([c, r]);
    }
    // A loop ends next to where it began: close it.
    const [x0, y0] = stroke[0];
    const [x1, y1] = stroke[stroke.length - 1];
    if (stroke.length > 4 && Math.abs(x0 - x1) <= 1 && Math.abs(y0 - y1) <= 1) stroke.push([x0, y0]);
    if (stroke.length >= 3) strokes.push(stroke);
  }
  return strokes;
}

/** The strokes of one digit image as `writer` would put them on the canvas. */
export function writeDigit(image: ArrayLike<number>, writer: Writer, rows = 28, cols = 28): Stroke[] {
  const strokes = traceStrokes(skeleton(image, rows, cols), rows, cols);
  const points = strokes.flat();
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const span = Math.max(Math.max(...ys) - Math.min(...ys), 1);
  const angle = (writer.rotate * Math.PI) / 180;
  const place = ([x, y]: [number, number]): [number, number] => {
    // Normalised so the digit's height is 1, then slanted, rotated and sized by the writer.
    let u = (x - cx) / span;
    const v = (y - cy) / span;
    u -= writer.slant * v;
    const ru = u * Math.cos(angle) - v * Math.sin(angle);
    const rv = u * Math.sin(angle) + v * Math.cos(angle);
    return [0.5 + ru * writer.width, 0.5 + rv * writer.height];
  };
  // Every second point is plenty: the mouse moves in steps between them.
  const placed = strokes.map((stroke) => stroke.filter((_, i) => i % 2 === 0 || i === stroke.length - 1).map(place));
  // A slanted, rotated digit may reach past the canvas: shrink it about the centre to stay inside.
  const reach = Math.max(...placed.flat().map(([x, y]) => Math.max(Math.abs(x - 0.5), Math.abs(y - 0.5))));
  const shrink = Math.min(1, 0.44 / reach);
  return placed.map((stroke) => stroke.map(([x, y]): [number, number] => [0.5 + (x - 0.5) * shrink, 0.5 + (y - 0.5) * shrink]));
}
