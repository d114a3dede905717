import stringWidth from 'string-width';

/**
 * Learner-supplied text (names, titles, check messages) ends up on the instructor's terminal.
 * It must not be able to move the cursor, recolour the screen, or reverse text direction.
 */

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), and two-byte ESC sequences.
const ANSI_ESCAPE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]?|\u009b[0-?]*[ -/]*[@-~]/g;
// C0 and C1 controls, DEL, and the bidirectional overrides/isolates (Trojan-Source style reordering).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** One line of plain text, at most `max` characters, ending with … when cut. */
export function safeText(text: string, max: number): string {
  const plain = text.replace(ANSI_ESCAPE, '').replace(/[\r\n\t]+/g, ' ').replace(CONTROL, '').replace(/ {2,}/g, ' ').trim();
  if (plain.length <= max) return plain;
  let cut = Math.max(0, max - 1);
  // Never split a surrogate pair (an emoji): half of one is not text.
  if (cut > 0 && /[\ud800-\udbff]/.test(plain[cut - 1]!)) cut--;
  return `${plain.slice(0, cut)}…`;
}

/** True when the text is already what `safeText` would make of it (ignoring length). */
export function isSafeText(text: string): boolean {
  return !/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text);
}

/**
 * At most `columns` terminal columns (CJK and emoji take two), cut between graphemes so a
 * family emoji, a flag or an accented letter is never split; ends with … when cut.
 */
export function fitColumns(text: string, columns: number): string {
  if (stringWidth(text) <= columns) return text;
  let out = '';
  let used = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    const width = stringWidth(segment);
    if (used + width > columns - 1) break;
    out += segment;
    used += width;
  }
  return `${out}…`;
}
