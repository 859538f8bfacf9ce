import type { Change } from './diff.js';
import { callerList, callersText, effectsText, guardText } from './format.js';
import type { ActionEndpoint, Endpoint, RouteEndpoint, Surface } from './model.js';

/*
 * One self-contained page: inline CSS and SVG, no script and no network, so it can be attached to
 * a CI run or opened from disk. The picture puts the two halves of the decision matrix side by
 * side: your UI → Server Actions → data, and outside callers → Route Handlers.
 */

const ROW = 24;
const NODE_HEIGHT = 18;
const COLUMN_WIDTH = 230;
const GAP = 90;
const MAX_LABEL = 30;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function label(text: string): string {
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}

interface Node {
  id: string;
  text: string;
  title: string;
  tone: 'plain' | 'danger' | 'write' | 'read' | 'machine';
}

interface Edge {
  from: string;
  to: string;
  tone: 'plain' | 'write' | 'read';
}

function graphSvg(columns: Node[][], edges: Edge[], heading: string): string {
  const rows = Math.max(1, ...columns.map(column => column.length));
  const width = columns.length * COLUMN_WIDTH + (columns.length - 1) * GAP;
  const height = rows * ROW + 40;
  const position = new Map<string, { x: number; y: number }>();
  const parts: string[] = [];
  columns.forEach((column, index) => {
    const x = index * (COLUMN_WIDTH + GAP);
    column.forEach((node, row) => {
      const y = 30 + row * ROW;
      position.set(`${index}:${node.id}`, { x, y });
    });
  });
  const find = (id: string, column: number) => position.get(`${column}:${id}`);
  for (const edge of edges) {
    const [fromColumn, fromId] = edge.from.split('|') as [string, string];
    const [toColumn, toId] = edge.to.split('|') as [string, string];
    const from = find(fromId, Number(fromColumn));
    const to = find(toId, Number(toColumn));
    if (!from || !to) continue;
    const x1 = from.x + COLUMN_WIDTH;
    const y1 = from.y + NODE_HEIGHT / 2;
    const x2 = to.x;
    const y2 = to.y + NODE_HEIGHT / 2;
    const middle = (x1 + x2) / 2;
    parts.push(`<path class="edge ${edge.tone}" d="M${x1},${y1} C${middle},${y1} ${middle},${y2} ${x2},${y2}"/>`);
  }
  columns.forEach((column, index) => {
    for (const node of column) {
      const { x, y } = find(node.id, index)!;
      parts.push(
        `<g class="node ${node.tone}"><title>${escapeHtml(node.title)}</title><rect x="${x}" y="${y}" width="${COLUMN_WIDTH}" height="${NODE_HEIGHT}" rx="4"/><text x="${x + 6}" y="${y + 13}">${escapeHtml(label(node.text))}</text></g>`,
      );
    }
  });
  return `<figure><figcaption>${escapeHtml(heading)}</figcaption><svg role="img" aria-label="${escapeHtml(heading)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg></figure>`;
}

/**
 * The nodes of a side column in the order of the middle nodes they connect to (the mean of their
 * positions), so that edges run mostly level instead of crossing the whole picture.
 */
function byNeighbours(nodes: ReadonlyMap<string, Node>, edges: readonly Edge[], middle: ReadonlyMap<string, number>, side: 'from' | 'to'): Node[] {
  const positions = new Map<string, number[]>();
  for (const edge of edges) {
    const [sideEnd, middleEnd] = side === 'from' ? [edge.from, edge.to] : [edge.to, edge.from];
    const id = sideEnd.slice(sideEnd.indexOf('|') + 1);
    const index = middle.get(middleEnd.slice(middleEnd.indexOf('|') + 1));
    if (index !== undefined && nodes.has(id)) positions.set(id, [...(positions.get(id) ?? []), index]);
  }
  const mean = (id: string) => {
    const found = positions.get(id) ?? [];
    return found.length === 0 ? Number.MAX_SAFE_INTEGER : found.reduce((sum, value) => sum + value, 0) / found.length;
  };
  return [...nodes.values()].sort((a, b) => mean(a.id) - mean(b.id));
}

function actionPicture(actions: readonly ActionEndpoint[], unguarded: ReadonlySet<string>): string {
  const callers = new Map<string, Node>();
  const data = new Map<string, Node>();
  const edges: Edge[] = [];
  for (const action of actions) {
    for (const caller of action.callers) {
      if (caller.kind !== 'client' && caller.kind !== 'form' && caller.kind !== 'render') continue;
      const id = `${caller.file}#${caller.within ?? ''}`;
      callers.set(id, { id, text: caller.within ?? caller.file, title: `${caller.kind}: ${caller.file}:${caller.line}`, tone: 'plain' });
      edges.push({ from: `0|${id}`, to: `1|${action.id}`, tone: 'plain' });
    }
    for (const effect of action.effects) {
      if (effect.kind === 'http' || effect.kind === 'package') continue;
      const id = effect.subject ?? effect.label;
      const existing = data.get(id);
      const tone = effect.kind === 'write' || existing?.tone === 'write' ? 'write' : 'read';
      data.set(id, { id, text: id, title: `${effect.kind}: ${effect.label}`, tone });
      edges.push({ from: `1|${action.id}`, to: `2|${id}`, tone: effect.kind === 'write' ? 'write' : 'read' });
    }
  }
  const actionIndex = new Map(actions.map((action, index) => [action.id, index]));
  const actionNodes = actions.map(action => ({
    id: action.id,
    text: action.name,
    title: `${action.file}:${action.line} (guard: ${guardText(action.guard)})`,
    tone: unguarded.has(action.id) ? ('danger' as const) : ('plain' as const),
  }));
  return graphSvg(
    [byNeighbours(callers, edges, actionIndex, 'from'), actionNodes, byNeighbours(data, edges, actionIndex, 'to')],
    edges,
    'Your UI → Server Actions → data',
  );
}

function routePicture(routes: readonly RouteEndpoint[], unguarded: ReadonlySet<string>): string {
  const callers = new Map<string, Node>();
  const edges: Edge[] = [];
  const machine: Node = { id: 'machine', text: 'outside callers (webhooks, cron, apps)', title: 'No caller inside the app', tone: 'machine' };
  for (const route of routes) {
    if (route.callers.length === 0) {
      callers.set(machine.id, machine);
      edges.push({ from: `0|${machine.id}`, to: `1|${route.id}`, tone: 'plain' });
    }
    for (const caller of route.callers) {
      const id = caller.file;
      callers.set(id, { id, text: `${caller.kind === 'client' ? 'UI' : 'server'}: ${caller.file}`, title: `${caller.file}:${caller.line}`, tone: 'plain' });
      edges.push({ from: `0|${id}`, to: `1|${route.id}`, tone: 'plain' });
    }
  }
  const routeNodes = routes.map(route => ({
    id: route.id,
    text: `${route.methods.join(' ') || '?'} ${route.pattern}`,
    title: `${route.file} (guard: ${guardText(route.guard)}${route.verifiesSignature ? `, verifies ${route.verifiesSignature}` : ''})`,
    tone: unguarded.has(route.id) ? ('danger' as const) : ('plain' as const),
  }));
  return graphSvg([[...callers.values()], routeNodes], edges, 'Outside callers → Route Handlers');
}

function row(cells: string[], danger: boolean): string {
  return `<tr${danger ? ' class="danger"' : ''}>${cells.map(text => `<td>${escapeHtml(text)}</td>`).join('')}</tr>`;
}

function endpointCells(endpoint: Endpoint): string[] {
  const findings = [...new Set(endpoint.findings.map(finding => finding.ruleId.replace(/^next-actions\//, '')))].join(', ') || '-';
  if (endpoint.type === 'action') {
    return [endpoint.name, `${endpoint.file}:${endpoint.line}`, endpoint.exportKind, callerList(endpoint).join('; ') || callersText(endpoint), effectsText(endpoint.effects), endpoint.revalidates.join(', ') || '-', guardText(endpoint.guard), findings];
  }
  return [endpoint.pattern, endpoint.methods.join(' ') || '-', endpoint.file, callerList(endpoint).join('; ') || callersText(endpoint), endpoint.verifiesSignature ?? '-', guardText(endpoint.guard), effectsText(endpoint.effects), findings];
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #d0d7de;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f6f8fa}tr.danger td{background:#fff1f0}
.pictures{display:flex;flex-wrap:wrap;gap:32px;align-items:flex-start}figure{margin:0;overflow:auto;max-width:100%}
figcaption{font-weight:600;margin-bottom:6px}
.node rect{fill:#f6f8fa;stroke:#8c959f}.node text{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;fill:#1f2328}
.node.danger rect{fill:#ffebe9;stroke:#cf222e}.node.write rect{fill:#fff8c5;stroke:#9a6700}.node.read rect{fill:#ddf4ff;stroke:#0969da}
.node.machine rect{fill:#eef;stroke:#8250df}
.edge{fill:none;stroke:#8c959f;stroke-width:1.2}.edge.write{stroke:#9a6700}.edge.read{stroke:#0969da}
ul.summary li{margin:2px 0}
`;

export function renderHtml(surface: Surface, changes: readonly Change[] | undefined): string {
  const unguarded = new Set(surface.summary.unguarded);
  const actions = surface.endpoints.filter((endpoint): endpoint is ActionEndpoint => endpoint.type === 'action');
  const routes = surface.endpoints.filter((endpoint): endpoint is RouteEndpoint => endpoint.type === 'route');
  const { summary } = surface;
  const summaryItems = [
    `${summary.actions} Server Actions, ${summary.routes} Route Handlers, ${summary.findings} findings`,
    `${summary.unguarded.length} endpoints do privileged work with no guard`,
    `${summary.noClientCaller.length} actions have no client caller`,
    `${summary.ownApiCalls.length} own-UI requests to own Route Handlers`,
    `${summary.readsAsActions.length} reads exposed as actions`,
  ];
  const head = (titles: string[]) => `<tr>${titles.map(text => `<th>${escapeHtml(text)}</th>`).join('')}</tr>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Server surface of ${escapeHtml(surface.root)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Server surface of <code>${escapeHtml(surface.root)}</code></h1>
<p>Every exported Server Action is a public POST endpoint and every Route Handler a public URL. Made by ${escapeHtml(surface.tool.name)} ${escapeHtml(surface.tool.version)}.</p>
<ul class="summary">${summaryItems.map(item => `<li>${escapeHtml(item)}</li>`).join('')}</ul>
${changes ? `<h2>Changes against the base</h2><ul>${changes.length ? changes.map(change => `<li>${escapeHtml(change.message)}</li>`).join('') : '<li>No change to the server surface.</li>'}</ul>` : ''}
<div class="pictures">
${actionPicture(actions, unguarded)}
${routePicture(routes, unguarded)}
</div>
<h2>Server Actions (${actions.length})</h2>
<table>${head(['Server Action', 'Defined at', 'Export', 'Callers', 'Effects', 'Revalidates', 'Guard', 'Findings'])}${actions.map(action => row(endpointCells(action), unguarded.has(action.id))).join('')}</table>
<h2>Route Handlers (${routes.length})</h2>
<table>${head(['Route', 'Methods', 'File', 'Callers', 'Signature check', 'Guard', 'Effects', 'Findings'])}${routes.map(route => row(endpointCells(route), unguarded.has(route.id))).join('')}</table>
</body>
</html>
`;
}
