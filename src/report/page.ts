// The one HTML page shell of every report servebench writes: self-contained (inline CSS, no scripts, no
// external assets), with the Markdown reports (a run, or one suite's results) drawn in one style sheet.

import { Marked } from 'marked';
import { escapeHtml } from './format.js';

const MARKDOWN_CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1b1f24}
h1{font-size:1.7em;border-bottom:2px solid #d0d7de;padding-bottom:.3em}h2{margin-top:2em;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:1em 0;font-size:13px;display:block;overflow-x:auto}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:right;white-space:nowrap}th{background:#f6f8fa}
td:first-child,th:first-child{text-align:left}code{background:#f6f8fa;padding:1px 4px;border-radius:4px}
pre{background:#f6f8fa;padding:1em;overflow-x:auto}li{margin:.2em 0}
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

/** A Markdown report as a page (GitHub-flavoured Markdown; raw HTML in it, such as inline SVG figures, kept). */
export function markdownPage(title: string, md: string): string {
  const body = new Marked({ gfm: true }).parse(md, { async: false });
  return htmlPage({ title, css: MARKDOWN_CSS, body: body.trimEnd() });
}
