// Flame graphs drawn from weighted stacks as one self-contained HTML file (inline SVG, a few lines of inline
// script for zoom and search, no network): for profiles no tool draws itself (`--cpu-prof` files of cluster
// workers, perf captures). Frames are coloured by group, so blocked, idle and app time show at a glance.

import { escapeHtml as esc } from '../report/format.js';
import type { FrameGroup, ProfileSummary } from '../results/profile.js';
import { buildCallTree, type CallTreeNode, type StackProfile } from './stacks.js';
import { GROUP_LABELS } from './summary.js';

const GROUP_COLOURS: Record<FrameGroup, string> = {
  app: '#e8743b',
  dependencies: '#e0b53a',
  node: '#6ab04c',
  v8: '#7f8fd4',
  'native-addon': '#c0392b',
  system: '#a0a0a0',
  idle: '#dcdcdc',
  blocked: '#8e44ad',
  profiler: '#5d6d7e',
};

const WIDTH = 1200;
const ROW = 17;
/** Frames narrower than this many pixels are not drawn (they would be invisible and bloat the file). */
const MIN_PX = 0.4;

export interface FlameGraphOptions {
  title: string;
  /** Extra lines under the title, e.g. the command and the load. */
  subtitle?: string[];
  /** Shown as a table beside the graph. */
  summary?: ProfileSummary;
}

interface Placed {
  node: CallTreeNode;
  depth: number;
  /** Left edge and width as fractions of the whole. */
  x: number;
  w: number;
}

function place(root: CallTreeNode): { placed: Placed[]; maxDepth: number } {
  const placed: Placed[] = [];
  let maxDepth = 0;
  const total = root.total || 1;
  const walk = (node: CallTreeNode, depth: number, x: number) => {
    let cx = x;
    // Widest first, like most flame graph tools sort by name; width order keeps big frames together.
    const kids = [...node.children.values()].sort((a, b) => b.total - a.total);
    for (const k of kids) {
      const w = k.total / total;
      if (w * WIDTH >= MIN_PX) {
        placed.push({ node: k, depth, x: cx, w });
        maxDepth = Math.max(maxDepth, depth);
        walk(k, depth + 1, cx);
      }
      cx += w;
    }
  };
  walk(root, 0, 0);
  return { placed, maxDepth };
}

// The page's style and its zoom-and-search script (long lines split where the text has no line break).
const STYLE =
  `body{font:13px system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:17px;margin:0 0 4px}.sub{color:#555}
.lg{margin-right:12px;white-space:nowrap}.lg i{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px}
svg{display:block;margin:10px 0;background:#fafafa;border:1px solid #ddd}
svg text{font:11px ui-monospace,monospace;fill:#111;pointer-events:none}
g.f{cursor:pointer}g.f:hover rect{stroke:#000;stroke-width:.6}g.f.hit rect{fill:#f0f!important}
table{border-collapse:collapse;margin-top:8px}` +
  `td,th{border-bottom:1px solid #eee;padding:2px 10px 2px 0;text-align:left}td.loc{color:#666;font-size:12px}
`;

const SCRIPT =
  `(function(){
var W=${WIDTH},svg=document.getElementById('fg'),gs=[].slice.call(svg.querySelectorAll('g.f'));
function show(x0,w0,d0){gs.forEach(function(g){var x=+g.dataset.x,w=+g.dataset.w,d=+g.dataset.d,r=g.firstElementChild.nextElementSibling,t=r.nextElementSibling;
var nx=(x-x0)/w0,nw=w/w0;if(d<d0){nx=0;nw=1;}var vis=nx+nw>0&&nx<1&&nw*W>=0.4;g.style.display=vis?'':'none';if(!vis)return;
var px=Math.max(nx,0)*W,pw=Math.min(nx+nw,1)*W-px;r.setAttribute('x',px);r.setAttribute('width',Math.max(pw-0.5,0.1));t.setAttribute('x',px+3);
var name=g.firstElementChild.textContent.split('\\n')[0].replace(/ \\(.*\\)$/,''),n=Math.floor((pw-6)/6.6);` +
  `t.textContent=pw>28?(name.length>n?name.slice(0,Math.max(n-1,1))+'…':name):'';});}
gs.forEach(function(g){g.addEventListener('click',function(){show(+g.dataset.x,+g.dataset.w,+g.dataset.d);});});
svg.addEventListener('dblclick',function(){show(0,1,0);});
document.getElementById('q').addEventListener('input',function(e){var re;try{re=new RegExp(e.target.value);}catch(_){return;}
gs.forEach(function(g){g.classList.toggle('hit',e.target.value!==''&&re.test(g.firstElementChild.textContent.split('\\n')[0]));});});
})();
`;

const HELP = 'click a frame to zoom, double-click to reset · <input id="q" placeholder="search (regexp)" size="24">';

/** One frame as an SVG group: its box, its label when wide enough, and a tooltip with its figures. */
function frameSvg(p: Placed, height: number, total: number, fmt: (w: number) => string): string {
  const f = p.node.frame;
  const y = height - (p.depth + 2) * ROW;
  const px = p.x * WIDTH;
  const pw = p.w * WIDTH;
  const label = pw > 28 ? esc(truncate(f.name, Math.floor((pw - 6) / 6.6))) : '';
  const where = f.location === '' ? '' : ` (${f.location})`;
  const tip = `${f.name}${where}\n${GROUP_LABELS[f.group]}\n${fmt(p.node.total)}, ${pct(p.node.total / total)} of all; self ${fmt(p.node.self)}`;
  const box = `x="${px.toFixed(2)}" y="${y}" width="${Math.max(pw - 0.5, 0.1).toFixed(2)}" height="${ROW - 1}"`;
  const rect = `<rect ${box} fill="${GROUP_COLOURS[f.group]}" rx="1"/>`;
  const text = `<text x="${(px + 3).toFixed(2)}" y="${y + ROW - 5}">${label}</text>`;
  return `<g class="f" data-x="${p.x.toFixed(6)}" data-w="${p.w.toFixed(6)}" data-d="${p.depth}"><title>${esc(tip)}</title>${rect}${text}</g>`;
}

/** The colour key: with a summary, only the groups that hold samples; without one, the whole key. */
function legendHtml(summary: ProfileSummary | undefined): string {
  return (Object.keys(GROUP_COLOURS) as FrameGroup[])
    .filter((g) => summary === undefined || (summary.groups.find((x) => x.group === g)?.weight ?? 0) > 0)
    .map((g) => {
      const share = summary?.groups.find((x) => x.group === g);
      const figure = share === undefined ? '' : ` ${pct(share.fraction)}`;
      return `<span class="lg"><i style="background:${GROUP_COLOURS[g]}"></i>${esc(GROUP_LABELS[g])}${figure}</span>`;
    })
    .join(' ');
}

function topFunctionsTable(summary: ProfileSummary | undefined): string {
  if (summary === undefined) return '';
  const head = '<thead><tr><th>function</th><th>where</th><th>group</th><th>self</th><th>inclusive</th></tr></thead>';
  const rows = summary.topFunctions.map((f) => {
    const cells = [esc(f.name), esc(f.location), esc(GROUP_LABELS[f.group]), pct(f.selfFraction), pct(f.inclusiveFraction)];
    return `<tr><td>${cells[0]}</td><td class="loc">${cells[1]}</td><td>${cells[2]}</td><td>${cells[3]}</td><td>${cells[4]}</td></tr>`;
  });
  return `<table>${head}<tbody>${rows.join('')}</tbody></table>`;
}

/** Render a flame graph (root at the bottom) as a complete HTML document. */
export function renderFlameGraphHtml(profile: StackProfile, options: FlameGraphOptions): string {
  const root = buildCallTree(profile.stacks);
  const { placed, maxDepth } = place(root);
  const height = (maxDepth + 2) * ROW;
  const unit = profile.unit;
  const total = root.total;
  const fmt = (w: number) => (unit === 'bytes' ? `${(w / 1024).toFixed(1)} KiB` : `${w} samples`);
  const rects = placed.map((p) => frameSvg(p, height, total, fmt)).join('\n');
  const sub = (options.subtitle ?? []).map((l) => `<div class="sub">${esc(l)}</div>`).join('');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${esc(options.title)}</title>
<style>
${STYLE}</style></head><body>
<h1>${esc(options.title)}</h1>${sub}
<div>${legendHtml(options.summary)}</div>
<div>${total} ${unit === 'bytes' ? 'bytes' : 'samples'} · ${HELP}</div>
<svg id="fg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" xmlns="http://www.w3.org/2000/svg">
${rects}
</svg>
${topFunctionsTable(options.summary)}
<script>
${SCRIPT}</script>
</body></html>
`;
}

function truncate(s: string, n: number): string {
  if (n <= 1) return '';
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function pct(f: number): string {
  return `${(f * 100).toFixed(f < 0.1 ? 1 : 0)}%`;
}
