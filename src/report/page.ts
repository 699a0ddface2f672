// The one HTML page shell of every report servebench writes: self-contained (inline CSS, no scripts, no
// external assets), with the Markdown reports (a run, or one suite's results) drawn in one style sheet. Every
// heading gets GitHub's anchor (anchors.ts), so a table of contents links the same in results.md and here.

import { Marked, type Tokens } from 'marked';
import { Slugger } from './anchors.js';
import { escapeHtml } from './format.js';

// Tables fit the column: text cells wrap (long words too), numbers (right-aligned cells) stay on one line,
// and a table still wider than the column scrolls inside its own box, never the page.
const MARKDOWN_CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1b1f24}
h1{font-size:1.7em;border-bottom:2px solid #d0d7de;padding-bottom:.3em}h2{margin-top:2em;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:1em 0;font-size:13px;display:block;max-width:100%;overflow-x:auto}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#f6f8fa}
td[align=right],th[align=right]{text-align:right;white-space:nowrap;overflow-wrap:normal}
code{background:#f6f8fa;padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
pre{background:#f6f8fa;padding:1em;overflow-x:auto;max-width:100%}li,p{margin:.3em 0;overflow-wrap:anywhere}
details{margin:1em 0;padding:.5em 1em;border:1px solid #d0d7de;border-radius:6px}summary{cursor:pointer;font-weight:600}
blockquote{margin:1em 0;padding:0 1em;color:#424a53;border-left:4px solid #d0d7de}
nav.toc li{margin:0}
`;

/** A complete page around `body` (HTML), titled `title` (text). */
export function htmlPage(page: { title: string; css: string; body: string }): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${page.css}</style>`,
    '</head>',
    '<body>',
    page.body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A Markdown parser whose headings carry GitHub's anchors, counted over one document. */
function markedWithAnchors(): Marked {
  const slugger = new Slugger();
  return new Marked({
    gfm: true,
    renderer: {
      heading(this: { parser: { parseInline(tokens: Tokens.Heading['tokens']): string } }, token: Tokens.Heading): string {
        const id = slugger.slug(token.text);
        return `<h${token.depth} id="${escapeHtml(id)}">${this.parser.parseInline(token.tokens)}</h${token.depth}>\n`;
      },
    },
  });
}

/** A Markdown report as a page (GitHub-flavoured Markdown; raw HTML in it, such as inline SVG figures, kept). */
export function markdownPage(title: string, md: string): string {
  const body = markedWithAnchors().parse(md, { async: false });
  return htmlPage({ title, css: MARKDOWN_CSS, body: body.trimEnd() });
}
