// Heading anchors and the table of contents of a Markdown report. The anchors are GitHub's (lower case,
// punctuation dropped, spaces to hyphens, repeats numbered -1, -2...), so one table of contents works on
// GitHub's rendering of results.md and in results.html, whose headings page.ts gives the same ids.

/** The visible text of a heading's Markdown: code, emphasis and links reduced to their text. */
function headingText(md: string): string {
  return md
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[`*]/g, '')
    .trim();
}

/** GitHub's anchor of a heading text, before numbering repeats. */
function baseSlug(text: string): string {
  return headingText(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Gives each heading its anchor in document order, numbering repeats as GitHub does. */
export class Slugger {
  private readonly seen = new Map<string, number>();

  slug(text: string): string {
    const base = baseSlug(text);
    const n = this.seen.get(base);
    this.seen.set(base, (n ?? 0) + 1);
    return n === undefined ? base : `${base}-${n}`;
  }
}

interface Heading {
  depth: number;
  text: string;
  anchor: string;
  /** Inside a collapsed <details> block (the table of contents leaves it out). */
  collapsed: boolean;
}

/** Every ATX heading of a Markdown text with its anchor (fenced code skipped), in order. */
function headingsOf(md: string): Heading[] {
  const slugger = new Slugger();
  const out: Heading[] = [];
  let fence = false;
  let details = 0;
  for (const line of md.split('\n')) {
    if (line.startsWith('```')) fence = !fence;
    if (fence) continue;
    if (line.startsWith('<details')) details++;
    if (line.startsWith('</details>')) details = Math.max(0, details - 1);
    const m = /^(#{1,6}) (.+?)\s*#*\s*$/.exec(line);
    if (m === null) continue;
    out.push({ depth: m[1]!.length, text: headingText(m[2]!), anchor: slugger.slug(m[2]!), collapsed: details > 0 });
  }
  return out;
}

/**
 * A table of contents for `md`: a nested list of links to its headings from `minDepth` to `maxDepth`, the
 * anchors counted over the whole text (the page's own title included) as the renderers count them.
 */
export function tableOfContents(md: string, minDepth = 2, maxDepth = 3): string {
  const lines: string[] = [];
  for (const h of headingsOf(md)) {
    if (h.depth < minDepth || h.depth > maxDepth || h.collapsed) continue;
    lines.push(`${'  '.repeat(h.depth - minDepth)}- [${h.text}](#${h.anchor})`);
  }
  return lines.join('\n');
}
