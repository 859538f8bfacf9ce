import { repositoryUrl } from '../utils/create-rule.js';
import type { Change } from './diff.js';
import { renderHtml } from './html.js';
import type { ActionEndpoint, Caller, EffectSummary, Endpoint, Guard, RouteEndpoint, Surface } from './model.js';

export const FORMATS = ['text', 'markdown', 'json', 'sarif', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export interface FormatOptions {
  /** ANSI colour in the text format (a terminal that did not ask for NO_COLOR). */
  color: boolean;
  /** The changes against `--base`, when it was given. */
  changes?: readonly Change[];
}

const CALLER_WORDS: Record<Caller['kind'], string> = {
  client: 'client',
  form: 'form',
  'client-prop': 'client prop',
  render: 'render',
  'route-handler': 'route handler',
  action: 'action',
  deferred: 'deferred',
  server: 'server',
  outside: 'outside the app',
  unknown: 'unknown',
};

export function guardText(guard: Guard): string {
  switch (guard.kind) {
    case 'auth':
      return guard.label ?? 'auth';
    case 'wrapper':
      return `wrapper ${guard.label ?? ''}`.trim();
    case 'context':
      return 'caller from wrapper';
    case 'wrapped':
      return `wrapped by ${guard.label ?? 'a wrapper'} (unverified)`;
    case 'capability':
      return 'capability';
    case 'public':
      return `public (${guard.label ?? 'by design'})`;
    case 'unenforced':
      return `${guard.label ?? 'auth'} (not enforced)`;
    default:
      return 'none';
  }
}

export function callersText(endpoint: Endpoint): string {
  const unknown = endpoint.type === 'action' && !endpoint.callersKnown;
  if (endpoint.callers.length === 0) return endpoint.type === 'route' ? 'none in the app (machine)' : unknown ? 'unknown' : 'none (server-only)';
  const counts = new Map<string, number>();
  for (const caller of endpoint.callers) counts.set(CALLER_WORDS[caller.kind], (counts.get(CALLER_WORDS[caller.kind]) ?? 0) + 1);
  const listed = [...counts].map(([kind, count]) => `${kind} ×${count}`).join(', ');
  return unknown ? `${listed}, maybe more` : listed;
}

export function callerList(endpoint: Endpoint): string[] {
  return endpoint.callers.map(caller => `${CALLER_WORDS[caller.kind]}: ${caller.within ? `${caller.within} ` : ''}${caller.file}:${caller.line}`);
}

function effectText(effect: EffectSummary): string {
  if (effect.kind === 'http') return `${effect.method ?? ''} ${effect.url ?? effect.label}`.trim();
  if (effect.kind === 'package') return `${effect.subject ?? 'package'} ${effect.label}`;
  return `${effect.kind} ${effect.subject ?? effect.label}`;
}

export function effectsText(effects: readonly EffectSummary[]): string {
  return [...new Set(effects.map(effectText))].join(', ') || '-';
}

function findingsText(endpoint: Endpoint): string {
  const rules = [...new Set(endpoint.findings.map(finding => finding.ruleId.replace(/^next-actions\//, '')))];
  return rules.join(', ') || '-';
}

function actionRow(action: ActionEndpoint): string[] {
  return [
    action.name,
    `${action.file}:${action.line}`,
    action.exportKind === 'wrapped' ? `wrapped (${action.wrapper ?? ''})` : action.exportKind,
    callersText(action),
    effectsText(action.effects),
    action.revalidates.join(', ') || '-',
    guardText(action.guard),
    findingsText(action),
  ];
}

function routeRow(route: RouteEndpoint): string[] {
  return [
    route.pattern,
    route.methods.join(' ') || '-',
    `${route.file}:${route.line}`,
    callersText(route),
    route.verifiesSignature ?? '-',
    guardText(route.guard),
    effectsText(route.effects),
    findingsText(route),
  ];
}

const ACTION_HEADER = ['Server Action', 'Defined at', 'Export', 'Callers', 'Effects', 'Revalidates', 'Guard', 'Findings'];
const ROUTE_HEADER = ['Route', 'Methods', 'File', 'Callers', 'Signature check', 'Guard', 'Effects', 'Findings'];

function summaryLines(surface: Surface): string[] {
  const { summary } = surface;
  return [
    `${summary.actions} Server Actions, ${summary.routes} Route Handlers, ${summary.findings} findings.`,
    `Endpoints doing privileged work with no guard: ${summary.unguarded.length}${summary.unguarded.length ? ` (${summary.unguarded.join(', ')})` : ''}.`,
    `Actions no client code calls: ${summary.noClientCaller.length}.`,
    `Own-UI requests to own Route Handlers: ${summary.ownApiCalls.length}${summary.ownApiCalls.length ? ` (${summary.ownApiCalls.map(call => `${call.from.file}:${call.from.line} → ${call.route.slice('route:'.length)}`).join(', ')})` : ''}.`,
    `Reads exposed as actions: ${summary.readsAsActions.length}${summary.readsAsActions.length ? ` (${summary.readsAsActions.join(', ')})` : ''}.`,
  ];
}

// ---------------------------------------------------------------------------------------------
// text

const ANSI = { bold: '\u001B[1m', red: '\u001B[31m', green: '\u001B[32m', yellow: '\u001B[33m', dim: '\u001B[2m', reset: '\u001B[0m' };
const MAX_CELL = 48;

function clip(text: string): string {
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

function table(header: string[], rows: string[][], paint: (column: number, cell: string) => string): string[] {
  const clipped = rows.map(row => row.map(clip));
  const widths = header.map((title, column) => Math.max(title.length, ...clipped.map(row => row[column]!.length)));
  const line = (cells: string[], painter: (column: number, cell: string) => string) =>
    cells.map((cell, column) => painter(column, cell) + ' '.repeat(widths[column]! - cell.length)).join('  ').trimEnd();
  return [line(header, (_, cell) => paint(-1, cell)), widths.map(width => '─'.repeat(width)).join('  '), ...clipped.map(row => line(row, paint))];
}

function formatText(surface: Surface, options: FormatOptions): string {
  const color = (code: keyof typeof ANSI, text: string) => (options.color ? `${ANSI[code]}${text}${ANSI.reset}` : text);
  const paint = (guardColumn: number, findingsColumn: number) => (column: number, cell: string) => {
    if (column === -1) return color('bold', cell);
    if (column === guardColumn) return cell.startsWith('none') || cell.includes('not enforced') ? color('red', cell) : color('green', cell);
    if (column === findingsColumn && cell !== '-') return color('yellow', cell);
    return cell;
  };
  const actions = surface.endpoints.filter((endpoint): endpoint is ActionEndpoint => endpoint.type === 'action');
  const routes = surface.endpoints.filter((endpoint): endpoint is RouteEndpoint => endpoint.type === 'route');
  const lines = [color('bold', `Server surface of ${surface.root}`), ''];
  if (options.changes) lines.push(...changeLines(options.changes), '');
  lines.push(color('bold', `Server Actions (${actions.length})`));
  lines.push(...(actions.length ? table(ACTION_HEADER, actions.map(actionRow), paint(6, 7)) : ['none']), '');
  lines.push(color('bold', `Route Handlers (${routes.length})`));
  lines.push(...(routes.length ? table(ROUTE_HEADER, routes.map(routeRow), paint(5, 7)) : ['none']), '');
  lines.push(color('bold', 'Summary'), ...summaryLines(surface));
  return `${lines.join('\n')}\n`;
}

function changeLines(changes: readonly Change[]): string[] {
  if (changes.length === 0) return ['No change to the server surface.'];
  return [`Changes against the base (${changes.length}):`, ...changes.map(change => `- ${change.message}`)];
}

// ---------------------------------------------------------------------------------------------
// markdown

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function markdownTable(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(row => `| ${row.map(cell).join(' | ')} |`)];
}

function formatMarkdown(surface: Surface, options: FormatOptions): string {
  const actions = surface.endpoints.filter((endpoint): endpoint is ActionEndpoint => endpoint.type === 'action');
  const routes = surface.endpoints.filter((endpoint): endpoint is RouteEndpoint => endpoint.type === 'route');
  const code = (text: string) => (text === '-' ? text : `\`${text}\``);
  const lines = ['## Server surface', ''];
  if (options.changes) {
    lines.push('### Changes', '', ...(options.changes.length ? options.changes.map(change => `- ${change.message}`) : ['No change to the server surface.']), '');
  }
  lines.push(...summaryLines(surface).map(line => `- ${line}`), '');
  lines.push(`### Server Actions (${actions.length})`, '');
  lines.push(...markdownTable(ACTION_HEADER, actions.map(action => actionRow(action).map((text, column) => (column === 0 || column === 1 ? code(text) : text)))), '');
  lines.push(`### Route Handlers (${routes.length})`, '');
  lines.push(...markdownTable(ROUTE_HEADER, routes.map(route => routeRow(route).map((text, column) => (column === 0 || column === 2 ? code(text) : text)))), '');
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// sarif

function formatSarif(surface: Surface): string {
  const ruleIds = [...new Set(surface.findings.map(finding => finding.ruleId))].sort();
  const helpUris = new Map(surface.findings.map(finding => [finding.ruleId, finding.helpUri]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: surface.tool.name,
            version: surface.tool.version,
            informationUri: repositoryUrl,
            rules: ruleIds.map(id => ({
              id,
              shortDescription: { text: id },
              ...(helpUris.get(id) ? { helpUri: helpUris.get(id) } : {}),
            })),
          },
        },
        originalUriBaseIds: { APP_ROOT: { description: { text: 'The Next.js app the report was made for.' } } },
        results: surface.findings.map(finding => ({
          ruleId: finding.ruleId,
          ruleIndex: ruleIds.indexOf(finding.ruleId),
          level: finding.severity === 'error' ? 'error' : 'warning',
          message: { text: finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: finding.file, uriBaseId: 'APP_ROOT' },
                region: { startLine: finding.line, startColumn: finding.column },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

export function formatSurface(surface: Surface, format: Format, options: FormatOptions): string {
  switch (format) {
    case 'markdown':
      return formatMarkdown(surface, options);
    case 'json':
      return `${JSON.stringify(options.changes ? { ...surface, changes: options.changes } : surface, null, 2)}\n`;
    case 'sarif':
      return formatSarif(surface);
    case 'html':
      return renderHtml(surface, options.changes);
    default:
      return formatText(surface, options);
  }
}
