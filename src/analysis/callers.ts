import path from 'node:path';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { memberName, skipTypeWrappers, TYPE_KEYS, walkNodes } from '../utils/ast.js';
import { type AppGraph, CLIENT, environmentOf, type GraphModule, getAppGraph, type RenderingRoute, routesRendering, SERVER } from './app-graph.js';
import type { FileFacts } from './file-kind.js';
import { parseModuleSource } from './foreign-module.js';
import { resolveImport } from './modules.js';
import { soleDefinitionOf } from './scope.js';
import type { ProjectLayout } from './project.js';
import { type FunctionNode, hasInlineUseServer, isFunctionNode, type ServerAction } from './server-actions.js';
import { getStoreGeneration, readText } from './store.js';

/*
 * Who calls a Server Action: every reference to an export of a "use server" module anywhere in
 * the app, found through the app graph (imports, barrels, namespaces) and classified in the
 * referencing module's own syntax tree. A reference that cannot be followed makes the answer
 * unknown, and then no rule may conclude anything from a caller's absence.
 */

export type CallerKind =
  /** Called or handed on in client code: an event handler, an effect, a transition, a hook. */
  | 'client'
  /** `<form action>` / `formAction`, in any module: React invokes it from the browser. */
  | 'form'
  /** Passed as a prop to a Client Component, from server code. */
  | 'client-prop'
  /** Called while a Server Component renders. */
  | 'render'
  | 'route-handler'
  /** Called by another Server Action. */
  | 'action'
  /** Inside `after(…)` / `waitUntil(…)`, once the response is on its way. */
  | 'deferred'
  /** Other server code (a library module reached only from server code). */
  | 'server'
  /** Scripts, tests and stories: never part of the running app. */
  | 'outside';

/** What a client caller does once the action settles, when it brings the UI up to date itself. */
export type Settle = 'refresh' | 'invalidate' | 'navigate';

export interface Caller {
  kind: CallerKind;
  /** The module of the reference. */
  file: string;
  /** 1-based; 0 when the module was not parsed (a client importer, asked without detail). */
  line: number;
  /** The component or hook the reference is in, when it has a name. */
  component?: string;
  settle?: Settle;
  /** The line of the `router.refresh()` (or invalidation, navigation) that brings the UI up to date. */
  settleLine?: number;
  /** For Route Handlers: whether the handler receives webhooks. */
  webhook?: boolean;
}

/**
 * How much is read about client callers: `none` counts a client importer as a client caller
 * unread; `settle` parses it only when it may refresh, invalidate or navigate; `full` parses it
 * for the line and component of every reference.
 */
export type CallerDetail = 'none' | 'settle' | 'full';

export interface ActionCallers {
  /** False when a reference could not be followed, or none was found: nothing may be concluded. */
  known: boolean;
  callers: Caller[];
}

const CLIENT_INVOKED = new Set<CallerKind>(['client', 'form', 'client-prop']);

export function isClientInvoked(caller: Caller): boolean {
  return CLIENT_INVOKED.has(caller.kind);
}

const UNKNOWN: ActionCallers = { known: false, callers: [] };
const OUTSIDE_PATH = /(?:^|[\\/])(?:__tests__|__mocks__|tests?|e2e|scripts|cypress|playwright|stories)(?:[\\/]|$)|\.(?:test|spec|stories|e2e)\.[cm]?[jt]sx?$/;
const WEBHOOK_TEXT = /constructEvent|svix|webhook|-signature|x-hub-signature/i;
const ACTION_HOOKS = new Set(['useActionState', 'useFormState', 'useAction', 'useOptimisticAction', 'useStateAction', 'useHookFormAction', 'useMutation', 'useServerAction']);
const SETTLE_CALLBACKS = new Set(['onSuccess', 'onSettled', 'onExecute']);
const INVALIDATION = new Set(['invalidateQueries', 'refetchQueries', 'resetQueries', 'invalidate', 'refetch']);
/** Client code without any of these words cannot bring the UI up to date after an action, and is not parsed. */
const SETTLE_WORDS = /refresh|mutate|invalidate|refetch|location/;
const SWR_HOOKS = new Set(['useSWR', 'useSWRConfig', 'useSWRInfinite', 'useSWRImmutable']);

type Program = TSESTree.Program;
type SourceCode = TSESLint.SourceCode;
type Variable = TSESLint.Scope.Variable;

interface Site {
  importer: GraphModule;
  /** The module the importer names in its import: the actions module or a barrel. */
  module: string;
  name: string;
}

/** Every module that imports export `name` of `file`, through barrels; undefined when one cannot be followed. */
function importSites(graph: AppGraph, file: string, name: string): Site[] | undefined {
  const sites: Site[] = [];
  const seen = new Set<string>();
  const queue: [string, string][] = [[file, name]];
  while (queue.length > 0) {
    const [module, wanted] = queue.shift()!;
    if (seen.has(`${module}\0${wanted}`)) continue;
    seen.add(`${module}\0${wanted}`);
    for (const edge of graph.modules.get(module)?.importers ?? []) {
      const importer = graph.modules.get(edge.from)!;
      if (edge.kind === 'dynamic') return undefined;
      if (edge.kind === 'reexport') {
        if (edge.names === '*') {
          if (wanted !== 'default') queue.push([edge.from, wanted]);
          continue;
        }
        for (const [exported, imported] of edge.names) if (imported === wanted) queue.push([edge.from, exported]);
        continue;
      }
      if (edge.names !== '*' && (edge.names.has(wanted) || edge.names.has('*'))) sites.push({ importer, module, name: wanted });
    }
  }
  return sites;
}

// ---------------------------------------------------------------------------------------------
// Classifying one reference

function functionName(fn: FunctionNode): string | undefined {
  if (fn.id) return fn.id.name;
  const parent = fn.parent;
  if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  if (parent.type === AST_NODE_TYPES.CallExpression && parent.parent.type === AST_NODE_TYPES.VariableDeclarator && parent.parent.id.type === AST_NODE_TYPES.Identifier) {
    return parent.parent.id.name;
  }
  return undefined;
}

/** The component (capitalised) or hook (`use…`) a node is in. */
function componentOf(node: TSESTree.Node): string | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionNode(current)) continue;
    const name = functionName(current);
    if (name !== undefined && /^(?:[A-Z]|use[A-Z])/.test(name)) return name;
  }
  return undefined;
}

function calleeName(callee: TSESTree.Node): string | undefined {
  const target = skipTypeWrappers(callee);
  if (target.type === AST_NODE_TYPES.Identifier) return target.name;
  return target.type === AST_NODE_TYPES.MemberExpression ? memberName(target) : undefined;
}

/** Whether a name is bound to `useRouter()` or SWR's `mutate` (imported from swr, or from an SWR hook's result). */
function boundTo(sourceCode: SourceCode, identifier: TSESTree.Identifier, test: (hook: string) => boolean, source?: RegExp): boolean {
  const def = soleDefinitionOf(sourceCode, identifier);
  if (def?.type === 'ImportBinding') {
    return source !== undefined && def.parent.type === AST_NODE_TYPES.ImportDeclaration && source.test(def.parent.source.value);
  }
  if (def?.type !== 'Variable' || !def.node.init) return false;
  const init = skipTypeWrappers(def.node.init);
  return init.type === AST_NODE_TYPES.CallExpression && test(calleeName(init.callee) ?? '');
}

/** What a call or assignment does for the UI once the action has settled, if anything. */
function settleOf(sourceCode: SourceCode, node: TSESTree.Node): Settle | undefined {
  if (node.type === AST_NODE_TYPES.AssignmentExpression) {
    for (let target: TSESTree.Node = node.left; target.type === AST_NODE_TYPES.MemberExpression; target = target.object) {
      if (memberName(target) === 'location') return 'navigate';
      if (target.object.type === AST_NODE_TYPES.Identifier && target.object.name === 'location') return 'navigate';
    }
    return undefined;
  }
  if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const callee = skipTypeWrappers(node.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) {
    if (callee.name === 'mutate' && boundTo(sourceCode, callee, hook => SWR_HOOKS.has(hook), /^swr(?:\/|$)/)) return 'invalidate';
    if (callee.name === 'refetch') return 'invalidate';
    if (callee.name === 'refresh' && boundTo(sourceCode, callee, hook => hook === 'useRouter')) return 'refresh';
    return undefined;
  }
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const name = memberName(callee);
  const object = skipTypeWrappers(callee.object);
  const objectName = object.type === AST_NODE_TYPES.Identifier ? object.name : object.type === AST_NODE_TYPES.MemberExpression ? memberName(object) : undefined;
  if (name === 'refresh' && object.type === AST_NODE_TYPES.Identifier && (/router/i.test(object.name) || boundTo(sourceCode, object, hook => hook === 'useRouter'))) {
    return 'refresh';
  }
  if (name !== undefined && INVALIDATION.has(name)) return 'invalidate';
  if (name === 'mutate' && object.type === AST_NODE_TYPES.Identifier && boundTo(sourceCode, object, hook => SWR_HOOKS.has(hook))) return 'invalidate';
  if (objectName === 'location' && (name === 'reload' || name === 'assign' || name === 'replace')) return 'navigate';
  return undefined;
}

/** The first thing in `scope` after `after` that brings the UI up to date. */
function settleIn(sourceCode: SourceCode, scope: TSESTree.Node, after: number): { settle: Settle; line: number } | undefined {
  let found: { settle: Settle; line: number } | undefined;
  walkNodes(
    scope,
    sourceCode.visitorKeys,
    node => {
      if (found || node.range[0] < after) return;
      const settle = settleOf(sourceCode, node);
      if (settle) found = { settle, line: node.loc.start.line };
    },
    TYPE_KEYS,
  );
  return found;
}

function property(object: TSESTree.Node | undefined, key: string): TSESTree.Node | undefined {
  if (object?.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  for (const item of object.properties) {
    if (item.type === AST_NODE_TYPES.Property && !item.computed && item.key.type === AST_NODE_TYPES.Identifier && item.key.name === key) return item.value;
  }
  return undefined;
}

/** A client reference: which component, and what happens once the action settles. */
function clientCaller(sourceCode: SourceCode, file: string, value: TSESTree.Node): Caller {
  const caller: Caller = { kind: 'client', file, line: value.loc.start.line, component: componentOf(value) };
  const parent = value.parent!;
  let settled: { settle: Settle; line: number } | undefined;
  if (parent.type === AST_NODE_TYPES.CallExpression && parent.callee !== value && ACTION_HOOKS.has(calleeName(parent.callee) ?? '')) {
    // `useAction(action, { onSuccess })`, `useMutation({ mutationFn: action, onSuccess })`.
    for (const options of parent.arguments) {
      for (const key of SETTLE_CALLBACKS) {
        const callback = property(options, key);
        if (callback && !settled) settled = settleIn(sourceCode, callback, callback.range[0]);
      }
    }
  } else if (parent.type === AST_NODE_TYPES.Property && parent.value === value && parent.parent.type === AST_NODE_TYPES.ObjectExpression) {
    for (const key of SETTLE_CALLBACKS) {
      const callback = property(parent.parent, key);
      if (callback && !settled) settled = settleIn(sourceCode, callback, callback.range[0]);
    }
  } else if (parent.type === AST_NODE_TYPES.CallExpression && parent.callee === value) {
    let fn: TSESTree.Node | undefined = parent.parent;
    while (fn && !isFunctionNode(fn)) fn = fn.parent;
    if (fn) settled = settleIn(sourceCode, fn, parent.range[1]);
  }
  if (settled) {
    caller.settle = settled.settle;
    caller.settleLine = settled.line;
  }
  return caller;
}

function isDeferredCall(node: TSESTree.Node): boolean {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const name = calleeName(node.callee);
  return name === 'after' || name === 'unstable_after' || name === 'waitUntil';
}

/** The Client Component (or not) that a JSX element name stands for. */
function elementEnvironment(graph: AppGraph, sourceCode: SourceCode, file: string, name: TSESTree.JSXTagNameExpression): number | undefined {
  let root: TSESTree.Node = name;
  while (root.type === AST_NODE_TYPES.JSXMemberExpression) root = root.object;
  if (root.type !== AST_NODE_TYPES.JSXIdentifier) return undefined;
  const variable = ASTUtils.findVariable(sourceCode.getScope(root), root.name);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (def?.type !== 'ImportBinding' || def.parent.type !== AST_NODE_TYPES.ImportDeclaration) return undefined;
  const target = resolveImport(file, def.parent.source.value);
  return target === undefined ? undefined : graph.modules.get(target)?.env;
}

function classify(graph: AppGraph, sourceCode: SourceCode, module: GraphModule, reference: TSESTree.Node): Caller | undefined {
  const { file } = module;
  let value = reference;
  for (;;) {
    const parent = value.parent!;
    if (
      parent.type === AST_NODE_TYPES.TSAsExpression ||
      parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      parent.type === AST_NODE_TYPES.ChainExpression
    ) {
      value = parent;
    } else if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === value && memberName(parent) === 'bind' && parent.parent.type === AST_NODE_TYPES.CallExpression) {
      value = parent.parent;
    } else {
      break;
    }
  }
  const parent = value.parent!;
  const line = value.loc.start.line;
  if (parent.type === AST_NODE_TYPES.ExportSpecifier) return undefined;
  if (parent.type === AST_NODE_TYPES.JSXExpressionContainer && parent.parent.type === AST_NODE_TYPES.JSXAttribute) {
    const attribute = parent.parent;
    const element = attribute.parent as TSESTree.JSXOpeningElement;
    const attributeName = attribute.name.type === AST_NODE_TYPES.JSXIdentifier ? attribute.name.name : undefined;
    const host = element.name.type === AST_NODE_TYPES.JSXIdentifier && /^[a-z]/.test(element.name.name);
    if (host && (attributeName === 'action' || attributeName === 'formAction')) return { kind: 'form', file, line, component: componentOf(value) };
    if (module.env & CLIENT && !module.info.isServerActionsFile) return clientCaller(sourceCode, file, value);
    if (host) return undefined;
    const env = elementEnvironment(graph, sourceCode, file, element.name);
    return env !== undefined && env & CLIENT && !(env & SERVER) ? { kind: 'client-prop', file, line, component: componentOf(value) } : undefined;
  }
  if (module.env & CLIENT && !module.info.isServerActionsFile) return clientCaller(sourceCode, file, value);
  if (!(module.env & SERVER)) return undefined;
  let fn: FunctionNode | undefined;
  for (let current: TSESTree.Node | undefined = value.parent; current; current = current.parent) {
    if (isFunctionNode(current) && hasInlineUseServer(current)) return { kind: 'action', file, line };
    if (isDeferredCall(current)) return { kind: 'deferred', file, line };
    if (!fn && isFunctionNode(current)) fn = current;
  }
  if (module.info.isServerActionsFile) return { kind: 'action', file, line };
  if (module.appEntry === 'route' || (graph.layout.pagesDir && file.startsWith(path.join(graph.layout.pagesDir, 'api') + path.sep))) {
    return { kind: 'route-handler', file, line, webhook: /webhook/i.test(path.relative(graph.layout.rootDir, file)) || WEBHOOK_TEXT.test(sourceCode.text) };
  }
  const called = parent.type === AST_NODE_TYPES.CallExpression && parent.callee === value;
  if (!called) return undefined;
  if (module.appEntry === 'page' || module.appEntry === 'other') return { kind: 'render', file, line, component: fn && functionName(fn) };
  return { kind: 'server', file, line };
}

/** The local variables an importer binds to export `name` of `source`, and whether they are namespaces. */
function bindingsOf(sourceCode: SourceCode, file: string, site: Site): { variable: Variable; namespace: boolean }[] {
  const found: { variable: Variable; namespace: boolean }[] = [];
  for (const statement of (sourceCode.ast as Program).body) {
    if (statement.type !== AST_NODE_TYPES.ImportDeclaration || statement.importKind === 'type') continue;
    if (resolveImport(file, statement.source.value) !== site.module) continue;
    for (const specifier of statement.specifiers) {
      const namespace = specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier;
      const imported =
        specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier
          ? 'default'
          : specifier.type === AST_NODE_TYPES.ImportSpecifier
            ? specifier.importKind === 'type'
              ? undefined
              : specifier.imported.type === AST_NODE_TYPES.Identifier
                ? specifier.imported.name
                : specifier.imported.value
            : undefined;
      if (!namespace && imported !== site.name) continue;
      for (const variable of sourceCode.scopeManager?.getDeclaredVariables(specifier) ?? []) found.push({ variable, namespace });
    }
  }
  return found;
}

/** The callers at one import site; undefined when one of its references cannot be followed. */
function callersAt(graph: AppGraph, site: Site, detail: CallerDetail): Caller[] | undefined {
  const { importer } = site;
  if (OUTSIDE_PATH.test(path.relative(graph.layout.rootDir, importer.file))) return [{ kind: 'outside', file: importer.file, line: 0 }];
  const unread = detail === 'none' || (detail === 'settle' && !SETTLE_WORDS.test(readText(importer.file) ?? ''));
  if (importer.env & CLIENT && !importer.info.isServerActionsFile && unread) {
    // Client code that never refreshes, invalidates or navigates: a client caller, whatever the details.
    return [{ kind: 'client', file: importer.file, line: 0 }];
  }
  const sourceCode = parseModuleSource(importer.file);
  if (!sourceCode) return undefined;
  const bindings = bindingsOf(sourceCode, importer.file, site);
  if (bindings.length === 0) return undefined;
  const callers: Caller[] = [];
  for (const { variable, namespace } of bindings) {
    for (const reference of variable.references) {
      if (reference.init) continue;
      let node: TSESTree.Node = reference.identifier;
      if (namespace) {
        const parent = node.parent;
        if (parent?.type !== AST_NODE_TYPES.MemberExpression || parent.object !== node) return undefined;
        const name = memberName(parent);
        if (name === undefined) return undefined;
        if (name !== site.name) continue;
        node = parent;
      }
      const caller = classify(graph, sourceCode, importer, node);
      if (!caller) return undefined;
      callers.push(caller);
    }
  }
  return callers;
}

/** References to an action inside its own module: other actions calling it, deferred work. */
function ownCallers(graph: AppGraph, module: GraphModule, name: string): Caller[] | undefined {
  const text = readText(module.file) ?? '';
  const mentions = text.match(new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))?.length ?? 0;
  if (mentions <= 1) return [];
  const sourceCode = parseModuleSource(module.file);
  const moduleScope = sourceCode?.scopeManager?.globalScope?.childScopes.find(scope => scope.type === 'module');
  const variable = moduleScope?.set.get(name);
  if (!sourceCode || !variable) return [];
  const callers: Caller[] = [];
  for (const reference of variable.references) {
    if (reference.init || reference.identifier.parent?.type === AST_NODE_TYPES.ExportSpecifier) continue;
    const caller = classify(graph, sourceCode, module, reference.identifier);
    if (!caller) return undefined;
    callers.push(caller);
  }
  return callers;
}

const cache = new Map<string, ActionCallers>();
let cachedIn = -1;
/**
 * Who calls export `name` of the "use server" module `file`, with client callers read as `detail`
 * says (server importers are always parsed: their kind depends on the code). Unknown (`known`
 * false) when the module is not part of the app graph, when a reference cannot be followed, and
 * when no reference is found at all (the export may be consumed where the graph does not look).
 */
export function getActionCallers(layout: ProjectLayout, file: string, name: string, detail: CallerDetail = 'full'): ActionCallers {
  const { content } = getStoreGeneration();
  if (content !== cachedIn) {
    cache.clear();
    cachedIn = content;
  }
  const key = `${layout.rootDir}\0${layout.appDir ?? ''}\0${file}\0${name}\0${detail}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const result = findCallers(layout, file, name, detail);
  cache.set(key, result);
  return result;
}

function findCallers(layout: ProjectLayout, file: string, name: string, detail: CallerDetail): ActionCallers {
  const graph = getAppGraph(layout);
  const module = graph?.modules.get(file);
  if (!graph || !module?.info.isServerActionsFile) return UNKNOWN;
  const sites = importSites(graph, file, name);
  const own = ownCallers(graph, module, name);
  if (!sites || !own) return UNKNOWN;
  const callers: Caller[] = [...own];
  for (const site of sites) {
    const found = callersAt(graph, site, detail);
    if (!found) return UNKNOWN;
    callers.push(...found);
  }
  if (!callers.some(caller => caller.kind !== 'outside')) return UNKNOWN;
  return { known: true, callers };
}

/**
 * The callers of an action the linted file defines, when it is a named export of a "use server"
 * file (inline actions are called where they are written); undefined otherwise.
 */
export function callersOfAction(facts: FileFacts, action: ServerAction, detail: CallerDetail = 'full'): ActionCallers | undefined {
  if (!facts.isServerActionsFile || action.origin !== 'export' || action.name === undefined) return undefined;
  return getActionCallers(facts.layout, facts.filename, action.name, detail);
}

/** The pages and layouts whose UI calls an action from the client, from its known callers. */
export function routesCalling(facts: FileFacts, callers: ActionCallers): RenderingRoute[] {
  const graph = getAppGraph(facts.layout);
  if (!graph || !callers.known) return [];
  const found = new Map<string, RenderingRoute>();
  for (const caller of callers.callers) {
    if (!isClientInvoked(caller)) continue;
    for (const route of routesRendering(graph, caller.file)) found.set(`${route.type}\0${route.pattern}`, route);
  }
  return [...found.values()];
}

/** `app/api/webhooks/stripe/route.ts:14`: a caller as messages cite it. */
export function callerLocation(facts: FileFacts, caller: Caller): string {
  const file = path.relative(facts.layout.rootDir, caller.file).split(path.sep).join('/');
  return caller.line > 0 ? `${file}:${caller.line}` : file;
}

const clientCode = new WeakMap<FileFacts, boolean>();

/**
 * Whether the linted file is client code: it says `"use client"`, or a `"use client"` module
 * imports it (directly or through other modules), which is how Next.js decides. Asks the app
 * graph only for files without a directive that are not Route Handlers, and only when a rule
 * has found something worth judging there.
 */
export function isClientCode(facts: FileFacts): boolean {
  if (facts.isClient) return true;
  if (facts.kind !== 'other') return false;
  let known = clientCode.get(facts);
  if (known === undefined) {
    known = ((environmentOf(facts.layout, facts.filename) ?? 0) & CLIENT) !== 0;
    clientCode.set(facts, known);
  }
  return known;
}

/**
 * Whether the linted file imports a "use server" module, directly or through barrels: without
 * one, a module without a directive cannot call a Server Action by name.
 */
export function importsActionModule(facts: FileFacts): boolean {
  const graph = getAppGraph(facts.layout);
  const seen = new Set<string>();
  const reaches = (file: string, depth: number): boolean => {
    const module = graph?.modules.get(file);
    if (!module || seen.has(file) || depth > 4) return false;
    seen.add(file);
    return module.imports.some(edge => {
      if (depth > 0 && edge.kind !== 'reexport') return false;
      return graph!.modules.get(edge.to)!.info.isServerActionsFile || reaches(edge.to, depth + 1);
    });
  };
  return reaches(facts.filename, 0);
}
