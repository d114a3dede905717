// Renders a terminal capture with ANSI colours (`tmux capture-pane -e -p`) as an SVG picture, for
// the README's screenshots: node scripts/ansi-to-svg.mjs < capture.ansi > shot.svg
// (then e.g. `rsvg-convert -o shot.png shot.svg`). Only what the app uses: SGR colours (16, 256),
// bold, dim, italic, underline, inverse.
import { readFileSync } from 'node:fs';

const BASE = ['#1e1e2e', '#f38ba8', '#a6e3a1', '#f9e2af', '#89b4fa', '#cba6f7', '#89dceb', '#cdd6f4'];
const BRIGHT = ['#6c7086', '#f38ba8', '#a6e3a1', '#f9e2af', '#89b4fa', '#cba6f7', '#89dceb', '#ffffff'];
const FG = '#cdd6f4';
const BG = '#1e1e2e';

function color256(n) {
  if (n < 8) return BASE[n];
  if (n < 16) return BRIGHT[n - 8];
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const c = (x) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${c(Math.floor(i / 36))},${c(Math.floor(i / 6) % 6)},${c(i % 6)})`;
}

function parse(text) {
  const lines = [];
  let style = {};
  for (const raw of text.replace(/\r/g, '').split('\n')) {
    const cells = [];
    const re = /\u001b\[([0-9;]*)m|([^\u001b]+)|\u001b[^m]*?[A-Za-z]/g;
    let m;
    while ((m = re.exec(raw))) {
      if (m[1] !== undefined) {
        const codes = m[1] === '' ? [0] : m[1].split(';').map(Number);
        for (let i = 0; i < codes.length; i++) {
          const c = codes[i];
          if (c === 0) style = {};
          else if (c === 1) style = { ...style, bold: true };
          else if (c === 2) style = { ...style, dim: true };
          else if (c === 3) style = { ...style, italic: true };
          else if (c === 4) style = { ...style, underline: true };
          else if (c === 7) style = { ...style, inverse: true };
          else if (c === 22) style = { ...style, bold: false, dim: false };
          else if (c === 23) style = { ...style, italic: false };
          else if (c === 24) style = { ...style, underline: false };
          else if (c === 27) style = { ...style, inverse: false };
          else if (c >= 30 && c <= 37) style = { ...style, fg: BASE[c - 30] };
          else if (c >= 90 && c <= 97) style = { ...style, fg: BRIGHT[c - 90] };
          else if (c === 39) style = { ...style, fg: undefined };
          else if (c >= 40 && c <= 47) style = { ...style, bg: BASE[c - 40] };
          else if (c === 49) style = { ...style, bg: undefined };
          else if ((c === 38 || c === 48) && codes[i + 1] === 5) {
            style = { ...style, [c === 38 ? 'fg' : 'bg']: color256(codes[i + 2]) };
            i += 2;
          }
        }
      } else if (m[2] !== undefined) {
        for (const ch of m[2]) cells.push({ ch, style });
      }
    }
    lines.push(cells);
  }
  while (lines.length && lines[lines.length - 1].every((c) => c.ch === ' ')) lines.pop();
  return lines;
}

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function ansiToSvg(text, { columns = 100, title = 'kubelab' } = {}) {
  const lines = parse(text);
  const cw = 8.43;
  const lh = 19;
  const pad = 16;
  const top = 36;
  const width = Math.ceil(columns * cw + pad * 2);
  const height = Math.ceil(lines.length * lh + top + pad);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" rx="8" fill="${BG}"/>`,
    `<circle cx="20" cy="18" r="6" fill="#f38ba8"/><circle cx="40" cy="18" r="6" fill="#f9e2af"/><circle cx="60" cy="18" r="6" fill="#a6e3a1"/>`,
    `<text x="${width / 2}" y="23" fill="#9399b2" font-family="DejaVu Sans Mono" font-size="13" text-anchor="middle">${esc(title)}</text>`,
    `<g font-family="DejaVu Sans Mono, Symbola" font-size="14" xml:space="preserve">`,
  ];
  lines.forEach((cells, row) => {
    const y = top + row * lh + 14;
    let col = 0;
    while (col < cells.length) {
      const style = cells[col].style;
      let end = col;
      let run = '';
      while (end < cells.length && cells[end].style === style) run += cells[end++].ch;
      let fg = style.fg ?? FG;
      let bg = style.bg;
      if (style.inverse) [fg, bg] = [bg ?? BG, fg];
      const x = pad + col * cw;
      if (bg) out.push(`<rect x="${x}" y="${y - 14}" width="${run.length * cw}" height="${lh}" fill="${bg}"/>`);
      if (run.trim()) {
        const attrs = [`x="${x.toFixed(1)}"`, `y="${y}"`, `fill="${fg}"`, `textLength="${(run.length * cw).toFixed(1)}"`, 'lengthAdjust="spacingAndGlyphs"'];
        if (style.bold) attrs.push('font-weight="bold"');
        if (style.dim) attrs.push('opacity="0.6"');
        if (style.italic) attrs.push('font-style="italic"');
        if (style.underline) attrs.push('text-decoration="underline"');
        out.push(`<text ${attrs.join(' ')}>${esc(run)}</text>`);
      }
      col = end;
    }
  });
  out.push('</g></svg>');
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const columns = Number(process.argv[2] ?? 100);
  process.stdout.write(ansiToSvg(readFileSync(0, 'utf8'), { columns, title: process.argv[3] ?? 'kubelab' }));
}
