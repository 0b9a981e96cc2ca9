/**
 * Renders a greyscale image (values in [0, 1], row-major) two pixel rows per text line with the
 * upper half block '▀': its foreground colour is the top pixel, its background the bottom one,
 * from the 24-step grey ramp of 256-colour terminals. Without colour (a pipe, a log) each pair of
 * rows becomes one shade character instead, so the picture still reads and no control codes leak.
 */
export function drawHalfBlocks(pixels: ArrayLike<number>, width: number, height: number, colour: boolean): string {
  const lines: string[] = [];
  const at = (x: number, y: number) => (y < height ? Math.min(1, Math.max(0, pixels[y * width + x])) : 0);
  for (let y = 0; y < height; y += 2) {
    let line = '';
    for (let x = 0; x < width; x++) {
      const top = at(x, y);
      const bottom = at(x, y + 1);
      if (colour) {
        line += `\x1b[38;5;${greyCode(top)};48;5;${greyCode(bottom)}m▀`;
      } else {
        line += SHADES[Math.min(SHADES.length - 1, Math.floor(((top + bottom) / 2) * SHADES.length))];
      }
    }
    lines.push(colour ? `${line}\x1b[0m` : line);
  }
  return lines.join('\n');
}

const SHADES = [' ', '░', '▒', '▓', '█'];

/** 0 → 16 (black), then the grey ramp 232…255, 1 → 231 (white). */
function greyCode(value: number): number {
  if (value <= 0.02) return 16;
  if (value >= 0.98) return 231;
  return 232 + Math.round(value * 23);
}
