/**
 * Text that came from a file (class names, data set names, checkpoint metadata, paths, error
 * messages quoting them) made safe to print: a checkpoint must not be able to clear the screen,
 * move the cursor, retitle the window or write the clipboard (OSC 52) of whoever runs `info`.
 *
 * Removed: escape sequences (CSI, OSC, DCS/SOS/PM/APC strings, two-character ESC forms) whole,
 * their 8-bit C1 forms, every other C0 and C1 control character except newline and tab, DEL, and
 * the Unicode bidirectional overrides that reorder what is shown.
 */
const SEQUENCES = new RegExp(
  [
    '\\x1b\\[[0-?]*[ -/]*[@-~]', // CSI … final byte
    '\\x1b\\][^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c)?', // OSC … BEL or ST (unterminated: to the end)
    '\\x1b[PX^_][^\\x1b\\x9c]*(?:\\x1b\\\\|\\x9c)?', // DCS, SOS, PM, APC strings
    '\\x1b[ -/]*[0-~]?', // other ESC forms (ESC c, ESC ( B …), or a lone ESC
    '\\x9b[0-?]*[ -/]*[@-~]', // 8-bit CSI
    '\\x9d[^\\x07\\x9c]*(?:\\x07|\\x9c)?', // 8-bit OSC
    '[\\x90\\x98\\x9e\\x9f][^\\x9c]*\\x9c?', // 8-bit string introducers
  ].join('|'),
  'g',
);
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** `text` without control characters; newlines and tabs are kept. */
export function terminalText(text: string): string {
  return String(text).replace(SEQUENCES, '').replace(CONTROLS, '');
}

/** `text` for a place on one line (a class name, a path): also newlines and tabs become spaces. */
export function terminalLine(text: unknown): string {
  return terminalText(String(text)).replace(/[\n\t]/g, ' ');
}
