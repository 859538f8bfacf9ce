import { readdirSync } from 'node:fs';
import path from 'node:path';
import typescriptParser from '@typescript-eslint/parser';
import { ESLint, type Linter } from 'eslint';
import { rulesFor } from '../configs.js';
import { type AppGraph, CLIENT, getAppGraph, type GraphModule } from '../analysis/app-graph.js';
import { getActionCallers } from '../analysis/callers.js';
import { getProjectLayout, type ProjectLayout } from '../analysis/project.js';
import { readRegularFile } from '../analysis/read-file.js';
import { readText } from '../analysis/store.js';
import { getRouteTable, matchRoute } from '../analysis/routes.js';
import { rules } from '../rules/index.js';
import { parseSettings, SETTINGS_KEY } from '../settings.js';
import { packageName, packageVersion } from '../utils/create-rule.js';
import { type FileRecord, setRecordSink, surfaceCollector } from './collect.js';
import {
  type ActionEndpoint,
  type Caller,
  type Endpoint,
  type Finding,
  type Guard,
  REPORT_SCHEMA_VERSION,
  type RouteEndpoint,
  type Surface,
} from './model.js';

export class ReportError extends Error {}

export interface BuildOptions {
  /** The folder the user named; the Next.js app root is found from it. */
  dir: string;
  /** Where paths in the output are relative to (the command's working directory). */
  cwd: string;
  /** Called as files are linted, for a progress display. */
  onProgress?: (done: number, total: number) => void;
}

const NAMESPACE = 'next-actions';
const REPORT_NAMESPACE = 'next-actions-report';
const HTTP_CLIENT = /\bfetch\s*\(|\baxios\b|\bky\b|\bofetch\b|\bsuperagent\b|\bgot\b/;
const NEXT_CONFIG = /^next\.config\.(?:js|mjs|cjs|ts|mts)$/;
const CHUNK = 40;

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}

/** The Next.js app at or above `dir`: a package.json that depends on `next`, a next.config, or an app/ or pages/ folder. */
export function findNextRoot(dir: string): string {
  const start = path.resolve(dir);
  let entries: string[];
  try {
    entries = readdirSync(start);
  } catch {
    throw new ReportError(`${dir} is not a folder that can be read.`);
  }
  for (let current = start; ; current = path.dirname(current)) {
    const names = current === start ? entries : safeList(current);
    const manifest = names.includes('package.json') ? readRegularFile(path.join(current, 'package.json')) : undefined;
    const dependsOnNext = manifest !== undefined && /"next"\s*:/.test(manifest);
    const hasRouter = ['app', 'pages', 'src'].some(name => names.includes(name)) && names.includes('package.json');
    if (dependsOnNext || names.some(name => NEXT_CONFIG.test(name)) || (current === start && hasRouter)) return current;
    if (names.includes('package.json') || path.dirname(current) === current) break;
  }
  throw new ReportError(`${dir} is not a Next.js app: no package.json that depends on \`next\`, no next.config, no app/ or pages/ folder was found there or above it.`);
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** `settings['next-actions']` from the app's own ESLint config, when it has one that loads. */
async function userSettings(root: string, probe: string): Promise<Record<string, unknown>> {
  try {
    const config = (await new ESLint({ cwd: root }).calculateConfigForFile(probe)) as { settings?: Record<string, unknown> } | undefined;
    const own = config?.settings?.[SETTINGS_KEY];
    return own !== null && typeof own === 'object' ? { ...(own as Record<string, unknown>) } : {};
  } catch {
    // No config, or one whose plugins are not installed: the defaults find the layout from disk.
    return {};
  }
}

/**
 * The files worth linting: Route Handlers, files that mention `use server` (actions, inline or
 * not), files that import a "use server" module (the places that reference actions), and files
 * that make HTTP requests from client code or to `/api`. Everything else cannot change the report.
 */
function relevantFiles(graph: AppGraph, routeFiles: ReadonlySet<string>): string[] {
  const relevant: string[] = [];
  const isActionModule = (module: GraphModule | undefined) => module?.info.isServerActionsFile === true;
  for (const module of graph.modules.values()) {
    const text = readText(module.file) ?? '';
    if (
      routeFiles.has(module.file) ||
      text.includes('use server') ||
      module.imports.some(edge => isActionModule(graph.modules.get(edge.to))) ||
      (HTTP_CLIENT.test(text) && ((module.env & CLIENT) !== 0 || text.includes('/api')))
    ) {
      relevant.push(module.file);
    }
  }
  return relevant.sort();
}

function weakestGuard(guards: readonly Guard[]): Guard {
  const order: Guard['kind'][] = ['none', 'unenforced', 'wrapped', 'public', 'capability', 'context', 'wrapper', 'auth'];
  return [...guards].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))[0] ?? { kind: 'none' };
}

function findingOf(message: Linter.LintMessage, file: string): Finding | undefined {
  if (!message.ruleId?.startsWith(`${NAMESPACE}/`)) return undefined;
  const name = message.ruleId.slice(NAMESPACE.length + 1) as keyof typeof rules;
  return {
    ruleId: message.ruleId,
    file,
    line: message.line,
    column: message.column,
    message: message.message,
    severity: message.severity === 2 ? 'error' : 'warning',
    helpUri: rules[name]?.meta.docs?.url,
  };
}

const CLIENT_INVOKED = new Set<Caller['kind']>(['client', 'form', 'client-prop']);

function isClientInvoked(caller: Caller): boolean {
  return CLIENT_INVOKED.has(caller.kind);
}

/**
 * The callers of an action: for an export of a "use server" file, what the app graph knows; for
 * an inline action, none yet (its references in its own file are added from the records).
 */
function callersOf(
  layout: ProjectLayout,
  file: string,
  origin: 'export' | 'inline',
  name: string,
  relative: (file: string) => string,
): Pick<ActionEndpoint, 'callers' | 'callersKnown'> {
  if (origin === 'inline') return { callers: [], callersKnown: true };
  const { known, callers } = getActionCallers(layout, file, name, 'full');
  return {
    callersKnown: known,
    callers: callers.map(caller => ({
      kind: caller.kind,
      file: relative(caller.file),
      line: caller.line,
      ...(caller.component ? { within: caller.component } : {}),
      ...(caller.settle ? { settle: caller.settle } : {}),
      ...(caller.webhook === undefined ? {} : { webhook: caller.webhook }),
    })),
  };
}

export async function buildSurface(options: BuildOptions): Promise<Surface> {
  const root = findNextRoot(options.dir);
  const relative = (file: string) => toPosix(path.relative(root, file));
  const settings = { rootDir: root, ...(await userSettings(root, path.join(root, 'app', 'page.tsx'))) };
  // Invalid settings get the same one-line error the rules give.
  const resolved = parseSettings(settings);
  const layout = getProjectLayout(path.join(root, 'package.json'), root, resolved);
  const graph = getAppGraph(layout);
  if (!graph) {
    throw new ReportError(`${options.dir} has no App Router folder (app/ or src/app/), or more source files than the report reads (20,000).`);
  }
  const table = getRouteTable(layout);
  const routeFiles = new Set(table.routes.map(route => route.absolutePath));
  const relevant = relevantFiles(graph, routeFiles);

  const records = new Map<string, FileRecord>();
  const findings: Finding[] = [];
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    ignore: false,
    overrideConfig: [
      {
        files: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'],
        plugins: {
          [NAMESPACE]: { rules: rules as never },
          [REPORT_NAMESPACE]: { rules: { surface: surfaceCollector as never } },
        },
        languageOptions: { parser: typescriptParser as Linter.Parser, parserOptions: { ecmaFeatures: { jsx: true } } },
        linterOptions: { reportUnusedDisableDirectives: 'off' },
        rules: { ...rulesFor('all', rules, NAMESPACE), [`${REPORT_NAMESPACE}/surface`]: 'error' },
        settings: { [SETTINGS_KEY]: settings },
      },
    ],
  });
  setRecordSink(record => records.set(record.file, record));
  try {
    for (let start = 0; start < relevant.length; start += CHUNK) {
      const results = await eslint.lintFiles(relevant.slice(start, start + CHUNK));
      for (const result of results) {
        for (const message of result.messages) {
          const finding = findingOf(message, relative(result.filePath));
          if (finding) findings.push(finding);
        }
      }
      options.onProgress?.(Math.min(start + CHUNK, relevant.length), relevant.length);
    }
  } finally {
    setRecordSink(undefined);
  }

  const endpoints: Endpoint[] = [];
  const actionsById = new Map<string, ActionEndpoint>();
  const actionKey = (file: string, name: string) => `${file}\0${name}`;
  const actionsByKey = new Map<string, ActionEndpoint>();
  for (const record of records.values()) {
    const file = relative(record.file);
    const seenNames = new Map<string, number>();
    for (const action of record.actions) {
      const count = (seenNames.get(action.name) ?? 0) + 1;
      seenNames.set(action.name, count);
      const id = `action:${file}#${action.name}${count > 1 ? `@${action.line}` : ''}`;
      const endpoint: ActionEndpoint = {
        id,
        type: 'action',
        name: action.name,
        file,
        line: action.line,
        exportKind: action.exportKind,
        ...(action.wrapper === undefined ? {} : { wrapper: action.wrapper }),
        ...callersOf(layout, record.file, action.origin, action.name, relative),
        effects: action.effects,
        revalidates: action.revalidates,
        guard: action.guard,
        findings: findings.filter(finding => finding.file === file && finding.line >= action.startLine && finding.line <= action.endLine),
      };
      endpoints.push(endpoint);
      actionsById.set(id, endpoint);
      if (count === 1) actionsByKey.set(actionKey(record.file, action.name), endpoint);
    }
  }

  const routesByFile = new Map<string, RouteEndpoint>();
  for (const route of table.routes) {
    const record = records.get(route.absolutePath);
    const handlers = record?.handlers ?? [];
    const file = relative(route.absolutePath);
    const endpoint: RouteEndpoint = {
      id: `route:${route.pattern}`,
      type: 'route',
      pattern: route.pattern,
      router: route.router,
      file,
      line: handlers[0]?.line ?? 1,
      methods: handlers.map(handler => handler.method),
      callers: [],
      ...(handlers.some(handler => handler.verifiesSignature) ? { verifiesSignature: handlers.find(handler => handler.verifiesSignature)!.verifiesSignature! } : {}),
      guard: weakestGuard(handlers.map(handler => handler.guard)),
      effects: handlers.flatMap(handler => handler.effects),
      findings: findings.filter(finding => finding.file === file),
    };
    endpoints.push(endpoint);
    routesByFile.set(route.absolutePath, endpoint);
  }

  const ownApiCalls: Surface['summary']['ownApiCalls'] = [];
  for (const record of records.values()) {
    const file = relative(record.file);
    const inClient = ((graph.modules.get(record.file)?.env ?? 0) & CLIENT) !== 0;
    for (const reference of record.references) {
      const target = actionsByKey.get(actionKey(reference.target.file, reference.target.name));
      if (!target) continue;
      let kind = reference.kind;
      if (kind === 'component') kind = inClient ? 'client' : 'render';
      if (kind === 'server' && inClient) kind = 'client';
      target.callers.push({ kind, file, line: reference.line, ...(reference.within ? { within: reference.within } : {}) });
      target.callersKnown = kind !== 'unknown' && target.callersKnown;
    }
    for (const request of record.fetches) {
      const match = matchRoute(table, request.path, resolved.basePath);
      const route = match && routesByFile.get(path.join(root, match.file));
      if (!route) continue;
      route.callers.push({ kind: inClient ? 'client' : 'server', file, line: request.line });
      if (inClient) ownApiCalls.push({ from: { file, line: request.line }, route: route.id });
    }
  }

  const actions = endpoints.filter((endpoint): endpoint is ActionEndpoint => endpoint.type === 'action');
  // Setting a cookie on the caller's own browser is not privileged work; writing data is.
  const privileged = (endpoint: Endpoint) =>
    endpoint.effects.some(
      effect => (effect.kind === 'write' && effect.subject !== 'cookies') || effect.kind === 'package' || (effect.kind === 'http' && effect.method !== 'GET'),
    );
  const unguarded = endpoints.filter(endpoint => {
    if (endpoint.guard.kind !== 'none' && endpoint.guard.kind !== 'unenforced') return false;
    if (endpoint.type === 'route' && endpoint.verifiesSignature) return false;
    return privileged(endpoint);
  });
  endpoints.sort((a, b) => a.id.localeCompare(b.id));
  for (const endpoint of endpoints) endpoint.callers.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return {
    version: REPORT_SCHEMA_VERSION,
    tool: { name: packageName, version: packageVersion },
    root: toPosix(path.relative(options.cwd, root)) || '.',
    endpoints,
    findings: findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column),
    summary: {
      actions: actions.length,
      routes: endpoints.length - actions.length,
      findings: findings.length,
      unguarded: unguarded.map(endpoint => endpoint.id),
      noClientCaller: actions.filter(action => action.callersKnown && !action.callers.some(isClientInvoked)).map(action => action.id),
      ownApiCalls,
      readsAsActions: actions
        .filter(action => action.findings.some(finding => finding.ruleId === `${NAMESPACE}/no-query-action`) || (action.effects.length > 0 && action.effects.every(effect => effect.kind === 'read')))
        .map(action => action.id),
    },
  };
}
