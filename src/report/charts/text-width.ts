// Text widths for vega's canvas-less renderer. Without a canvas, vega estimates every character at 0.8 em,
// which overstates label widths by half and pads charts with empty space; widths from a real font (widened
// to DejaVu Sans, the widest common sans-serif) keep the layout tight without overlaps.

// Helvetica's advance widths (1/1000 em) for ASCII 32..126.
const CHAR_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584,
  556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278,
  469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260,
  334, 584,
];
const WIDEN = 1.13;

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
}

/** Width in pixels of a text mark's text (the longest line of a multi-line one). */
function estimateTextWidth(item: TextItem, text?: unknown): number {
  const value = text ?? item.text;
  const lines = Array.isArray(value) ? value.map(String) : [value === undefined || value === null ? '' : String(value)];
  const size = typeof item.fontSize === 'number' ? item.fontSize : 11;
  const bold = item.fontWeight === 'bold' || (typeof item.fontWeight === 'number' && item.fontWeight >= 600) ? 1.08 : 1;
  let widest = 0;
  for (const line of lines) {
    let em = 0;
    for (const ch of line) {
      const code = ch.codePointAt(0)!;
      em += code >= 32 && code <= 126 ? CHAR_WIDTHS[code - 32]! / 1000 : 0.62;
    }
    widest = Math.max(widest, em);
  }
  return Math.ceil(widest * size * WIDEN * bold);
}

/** Make vega measure text with estimateTextWidth (its documented hook for canvas-less renderers). */
export function useTextWidths(vega: typeof import('vega')): void {
  const metrics = (vega as unknown as { textMetrics?: { width: (item: TextItem, text?: unknown) => number } }).textMetrics;
  if (metrics !== undefined) metrics.width = estimateTextWidth;
}
