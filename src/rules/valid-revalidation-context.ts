import path from 'node:path';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { environmentOf, SERVER } from '../analysis/app-graph.js';
import { getPrologue, hasDirective } from '../analysis/directives.js';
import { isCallbackArgument } from '../analysis/action-facts.js';
import { calleePath, importedCallee, isCookieStore, MAX_HELPER_DEPTH, resolveCallee } from '../analysis/effects.js';
import { type FileFacts, getFileFacts, isProxyFile, mayDefineServerActions } from '../analysis/file-kind.js';
import { contextFile, type ForeignFunction, getForeignModulesVersion, resolveImportedFunction } from '../analysis/foreign-module.js';
import { resolveImport } from '../analysis/modules.js';
import { ACTION_ONLY_API, apisOfText, apisReachedByFile, apisReachedFrom, CACHE_API, COOKIE_WRITE, throughAfter } from '../analysis/next-api-reach.js';
import type { ProjectLayout } from '../analysis/project.js';
import { type FunctionNode, getServerActions, isFunctionNode } from '../analysis/server-actions.js';
import { childNodes, memberName, skipTypeWrappers, TYPE_KEYS } from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';
import { namedImport } from '../utils/imports.js';
import { describeLine, projectPath } from '../utils/locations.js';
import type { Context } from '../utils/context.js';

export type Options = [];
export type MessageIds =
  | 'onlyInServerAction'
  | 'duringRender'
  | 'insideCachedFunction'
  | 'insideAfter'
  | 'inProxy'
  | 'inClientComponent'
  | 'useRevalidateTag';


/*
 * Where a call runs decides whether Next.js lets it change the cache or the cookies. This rule
 * finds the places whose context the code shows (a Server Component, a Route Handler, the proxy, a
 * cached function, a Client Component file, an `after()` callback inside an action or a handler)
 * and follows the calls made there into same-file helpers and the project's own modules
 * (foreign-module.ts), so that a helper, or a Server Action called directly while a page renders,
 * is judged where it runs. A function whose caller is unknown is never judged. Which modules are
 * worth following, and which files worth walking at all, comes from next-api-reach.ts: the modules
 * whose imports can lead to an API the place reports.
 */

/** The `next/cache` functions that change cached data or the client router. */
const CACHE_APIS = new Set(['revalidatePath', 'revalidateTag', 'updateTag', 'refresh']);
const ACTION_ONLY = new Set(['updateTag', 'refresh']);

/** App Router files whose default export is rendered as a Server Component. */
const COMPONENT_FILE = /^(?:page|layout|template|default|not-found|global-not-found|forbidden|unauthorized|loading)\.[cm]?[jt]sx?$/;

type Place =
  | { kind: 'render'; component: string }
  | { kind: 'cache'; name: string; how: 'use cache' | 'unstable_cache' }
  | { kind: 'route' }
  | { kind: 'proxy' }
  | { kind: 'action' };

/** A call that changes the cache or the cookies, found in a function or in what it calls. */
interface Finding {
  /** `revalidatePath`, `updateTag`, `cookies().set`. */
  api: string;
  /** Where it happens in the walked function: the call itself, or the call of the helper it is in. */
  node: TSESTree.Node;
  /** The call that does it. */
  origin: TSESTree.Node;
  /** The absolute path of the module `origin` is in, when that is not the walked function's module. */
  file: string | undefined;
  /** The helpers it is reached through, outermost first (`loadStats`, `stats.refresh`). */
  via: readonly string[];
  /** It runs inside a callback handed to `after()` from `next/server`. */
  inAfter: boolean;
}

interface Walked {
  findings: Finding[];
  /** A cycle or the depth limit cut the walk short: the result depends on the caller. */
  truncated: boolean;
}

// ---------------------------------------------------------------------------------------------
// Recognising the calls

function isImportedCall(context: Context, node: TSESTree.Node, source: string, name: string): node is TSESTree.CallExpression {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const imported = importedCallee(context, node.callee);
  return imported?.source === source && imported.name === name;
}

/** `revalidatePath` for a call of the `next/cache` function (also renamed or through a namespace), `cookies().set` for a cookie write. */
function apiOf(context: Context, call: TSESTree.CallExpression): string | undefined {
  const imported = importedCallee(context, call.callee);
  if (imported?.source === 'next/cache' && CACHE_APIS.has(imported.name)) return imported.name;
  const callee = skipTypeWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const method = memberName(callee);
  if ((method === 'set' || method === 'delete') && isCookieStore(context, callee.object)) return `cookies().${method}`;
  return undefined;
}

function isCookieWrite(api: string): boolean {
  return api.startsWith('cookies()');
}

function hasFunctionDirective(fn: FunctionNode, directive: 'use server' | 'use cache'): boolean {
  return fn.body.type === AST_NODE_TYPES.BlockStatement && hasDirective(getPrologue(fn.body.body), directive);
}

/** The call a function is handed to as its first argument, when that call is `unstable_cache(…)` from `next/cache`. */
function isUnstableCacheCallback(context: Context, fn: TSESTree.Node): boolean {
  const { parent } = fn;
  return parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments[0] === fn && isImportedCall(context, parent, 'next/cache', 'unstable_cache');
}

/** A function whose body runs in a cache scope of its own: it is judged as a cached function, not where it is called. */
function isCacheBoundary(context: Context, fn: FunctionNode): boolean {
  return hasFunctionDirective(fn, 'use cache') || hasDirective(getPrologue(context.sourceCode.ast.body), 'use cache') || isUnstableCacheCallback(context, fn);
}

// ---------------------------------------------------------------------------------------------
// Walking what a function does

/**
 * What a walk looks for, from the place it started (bits of next-api-reach): the APIs reported
 * wherever they run, and those reported only inside an `after()` callback. `layout` is the linted
 * file's, whose app graph says which modules can reach them.
 */
interface Search {
  anywhere: number;
  inAfter: number;
  layout: ProjectLayout;
}

function searchFrom(place: Place, layout: ProjectLayout): Search {
  switch (place.kind) {
    case 'render':
      return { anywhere: CACHE_API | COOKIE_WRITE, inAfter: 0, layout };
    case 'cache':
    case 'proxy':
      return { anywhere: CACHE_API, inAfter: 0, layout };
    case 'route':
      return { anywhere: ACTION_ONLY_API, inAfter: COOKIE_WRITE, layout };
    default:
      return { anywhere: 0, inAfter: ACTION_ONLY_API | COOKIE_WRITE, layout };
  }
}

/** Inside an `after()` callback, everything the search reports only there is reported. */
function searchInAfter(search: Search): Search {
  return search.inAfter === 0 ? search : { ...search, anywhere: search.anywhere | search.inAfter, inAfter: 0 };
}

/**
 * Whether code that reaches the APIs `reached` (next-api-reach) may hold a call the search
 * reports: one reported anywhere, or one reported in `after()` through an `after()` on the way.
 */
function mayReport(reached: number, search: Search): boolean {
  return (reached & (search.anywhere | throughAfter(search.inAfter))) !== 0;
}

interface WalkCaches {
  /** By function, then by the APIs searched for. */
  byFunction: WeakMap<FunctionNode, Map<string, Walked>>;
  modulesVersion: number;
}

let walkCaches: WalkCaches = { byFunction: new WeakMap(), modulesVersion: -1 };

function cachedWalks(fn: FunctionNode): Map<string, Walked> {
  const version = getForeignModulesVersion();
  if (walkCaches.modulesVersion !== version) walkCaches = { byFunction: new WeakMap(), modulesVersion: version };
  let byApis = walkCaches.byFunction.get(fn);
  if (!byApis) walkCaches.byFunction.set(fn, (byApis = new Map()));
  return byApis;
}

/** A function written in a "use client" module runs in the browser: the server only holds a reference to it. */
function isClientFunction(target: ForeignFunction): boolean {
  return hasDirective(getPrologue(target.context.sourceCode.ast.body), 'use client');
}

/**
 * The calls that change the cache or the cookies when `root` runs: in its body, in callbacks it
 * hands to calls (`items.map(…)`, `after(…)`), and in the functions it calls (same file or imported),
 * up to MAX_HELPER_DEPTH calls deep. Functions it only defines, inline Server Actions and cached
 * functions are left out: they run at another time or in a scope of their own. With `wholeFile`
 * (a Route Handler or the proxy, where every line runs in one context), every function of the
 * file is walked where it is written, and only imported functions are followed. An imported
 * function is followed only when its module can reach one of the APIs searched for, and never
 * into a "use client" module.
 */
function walk(context: Context, root: TSESTree.Node, stack: readonly FunctionNode[], wholeFile: boolean, search: Search): Walked {
  const result: Walked = { findings: [], truncated: false };
  const { visitorKeys } = context.sourceCode;
  const nextStack = isFunctionNode(root) ? [...stack, root] : stack;

  const follow = (call: TSESTree.CallExpression, target: { context: Context; fn: FunctionNode; file: string | undefined }, inAfter: boolean) => {
    if (nextStack.includes(target.fn)) {
      result.truncated = true;
      return;
    }
    if (nextStack.length > MAX_HELPER_DEPTH) {
      result.truncated = true;
      return;
    }
    const inner = walkFunction(target.context, target.fn, nextStack, inAfter ? searchInAfter(search) : search);
    if (inner.truncated) result.truncated = true;
    const name = calleePath(call.callee);
    for (const found of inner.findings) {
      result.findings.push({
        ...found,
        node: call,
        file: found.file ?? target.file,
        via: [name, ...found.via],
        inAfter: inAfter || found.inAfter,
      });
    }
  };

  const visitCall = (call: TSESTree.CallExpression, inAfter: boolean) => {
    const api = apiOf(context, call);
    if (api) {
      result.findings.push({ api, node: call, origin: call, file: undefined, via: [], inAfter });
      return;
    }
    const resolved = resolveCallee(context, call);
    if (resolved?.kind === 'local') {
      if (!wholeFile && !isCacheBoundary(context, resolved.fn)) follow(call, { context, fn: resolved.fn, file: undefined }, inAfter);
      return;
    }
    if (resolved?.kind !== 'import' || resolved.source.startsWith('next/') || resolved.source === 'next') return;
    const file = resolveImport(contextFile(context), resolved.source);
    if (file === undefined || !mayReport(apisReachedFrom(search.layout, file), inAfter ? searchInAfter(search) : search)) return;
    const target = resolveImportedFunction(context, resolved.source, resolved.imported);
    if (target && !isClientFunction(target) && !isCacheBoundary(target.context, target.fn)) follow(call, target, inAfter);
  };

  const visit = (node: TSESTree.Node, inAfter: boolean): void => {
    if (node !== root && isFunctionNode(node)) {
      if (hasFunctionDirective(node, 'use server') || hasFunctionDirective(node, 'use cache')) return;
      if (isCallbackArgument(node)) {
        const call = node.parent as TSESTree.CallExpression;
        if (isUnstableCacheCallback(context, node)) return;
        visit(node.body, inAfter || isImportedCall(context, call, 'next/server', 'after') || isImportedCall(context, call, 'next/server', 'unstable_after'));
        return;
      }
      if (wholeFile) visit(node.body, inAfter);
      return;
    }
    for (const child of childNodes(node, visitorKeys, TYPE_KEYS)) visit(child, inAfter);
    if (node.type === AST_NODE_TYPES.CallExpression) visitCall(node, inAfter);
  };

  visit(isFunctionNode(root) ? root.body : root, false);
  return result;
}

function walkFunction(context: Context, fn: FunctionNode, stack: readonly FunctionNode[], search: Search): Walked {
  const cache = cachedWalks(fn);
  const key = `${search.anywhere}:${search.inAfter}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const result = walk(context, fn, stack, false, search);
  // A walk cut short by a cycle describes the function as seen from one caller only.
  if (!result.truncated) cache.set(key, result);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Where the functions of the linted file run

interface Entry {
  root: TSESTree.Node;
  place: Place;
  wholeFile: boolean;
}

interface NamedFunction {
  fn: FunctionNode;
  name: string | undefined;
  isDefaultExport: boolean;
}

function topLevelFunctions(program: TSESTree.Program): NamedFunction[] {
  const found: NamedFunction[] = [];
  for (const statement of program.body) {
    const isDefaultExport = statement.type === AST_NODE_TYPES.ExportDefaultDeclaration;
    const declaration =
      statement.type === AST_NODE_TYPES.ExportNamedDeclaration || statement.type === AST_NODE_TYPES.ExportDefaultDeclaration ? statement.declaration : statement;
    if (!declaration) continue;
    if (isFunctionNode(declaration)) {
      found.push({ fn: declaration, name: declaration.id?.name, isDefaultExport });
    } else if (declaration.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of declaration.declarations) {
        const init = declarator.init && skipTypeWrappers(declarator.init);
        if (declarator.id.type === AST_NODE_TYPES.Identifier && isFunctionNode(init)) found.push({ fn: init, name: declarator.id.name, isDefaultExport: false });
      }
    }
  }
  return found;
}

function isJsx(node: TSESTree.Node | null | undefined): boolean {
  if (!node) return false;
  const target = skipTypeWrappers(node);
  switch (target.type) {
    case AST_NODE_TYPES.JSXElement:
    case AST_NODE_TYPES.JSXFragment:
      return true;
    case AST_NODE_TYPES.ConditionalExpression:
      return isJsx(target.consequent) || isJsx(target.alternate);
    case AST_NODE_TYPES.LogicalExpression:
      return isJsx(target.left) || isJsx(target.right);
    case AST_NODE_TYPES.AwaitExpression:
      return isJsx(target.argument);
    default:
      return false;
  }
}

/** Whether a function returns JSX from its own body (not from functions nested in it). */
function returnsJsx(context: Context, fn: FunctionNode): boolean {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return isJsx(fn.body);
  const stack: TSESTree.Node[] = [fn.body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunctionNode(node)) continue;
    if (node.type === AST_NODE_TYPES.ReturnStatement && isJsx(node.argument)) return true;
    // Statements only: a return is never inside an expression outside a nested function.
    if (node.type.endsWith('Expression') || node.type.startsWith('JSX')) continue;
    stack.push(...childNodes(node, context.sourceCode.visitorKeys, TYPE_KEYS));
  }
  return false;
}

/**
 * The Server Components the file defines: the default export of an App Router file such as
 * `page.tsx` or `layout.tsx`, and every top-level function named in PascalCase that returns JSX.
 */
function serverComponents(context: Context): NamedFunction[] {
  const facts = getFileFacts(context);
  const inAppFile = COMPONENT_FILE.test(path.basename(facts.filename)) && facts.appRoute !== undefined;
  return topLevelFunctions(context.sourceCode.ast).filter(({ fn, name, isDefaultExport }) => {
    if (hasFunctionDirective(fn, 'use server') || hasFunctionDirective(fn, 'use cache')) return false;
    if (isDefaultExport && inAppFile) return true;
    return name !== undefined && /^[A-Z]/.test(name) && returnsJsx(context, fn);
  });
}

function functionName(fn: FunctionNode): string | undefined {
  if (fn.type !== AST_NODE_TYPES.ArrowFunctionExpression && fn.id) return fn.id.name;
  const { parent } = fn;
  if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  if (parent.type === AST_NODE_TYPES.Property && parent.key.type === AST_NODE_TYPES.Identifier) return parent.key.name;
  return undefined;
}

/** Cached functions: `"use cache"` functions (or every function of a `"use cache"` file) and `unstable_cache` callbacks. */
function cachedFunctions(context: Context): Entry[] {
  const { text, ast } = context.sourceCode;
  const entries: Entry[] = [];
  const mentionsUseCache = text.includes('use cache');
  const mentionsUnstableCache = text.includes('unstable_cache');
  if (!mentionsUseCache && !mentionsUnstableCache) return entries;
  if (mentionsUseCache && hasDirective(getPrologue(ast.body), 'use cache')) {
    for (const { fn, name } of topLevelFunctions(ast)) entries.push({ root: fn, place: { kind: 'cache', name: name ?? 'this function', how: 'use cache' }, wholeFile: false });
    return entries;
  }
  const stack: TSESTree.Node[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunctionNode(node) && hasFunctionDirective(node, 'use cache')) {
      entries.push({ root: node, place: { kind: 'cache', name: functionName(node) ?? 'this function', how: 'use cache' }, wholeFile: false });
    } else if (mentionsUnstableCache && node.type === AST_NODE_TYPES.CallExpression && isImportedCall(context, node, 'next/cache', 'unstable_cache')) {
      const callback = unstableCacheCallback(context, node);
      if (callback) entries.push({ root: callback, place: { kind: 'cache', name: cachedName(node, callback), how: 'unstable_cache' }, wholeFile: false });
    }
    stack.push(...childNodes(node, context.sourceCode.visitorKeys, TYPE_KEYS));
  }
  return entries;
}

/** The function `unstable_cache(fn, …)` caches: written in place, or a function of this file named there. */
function unstableCacheCallback(context: Context, call: TSESTree.CallExpression): FunctionNode | undefined {
  const [first] = call.arguments;
  if (!first) return undefined;
  const target = skipTypeWrappers(first);
  if (isFunctionNode(target)) return target;
  if (target.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = ASTUtils.findVariable(context.sourceCode.getScope(call), target);
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (definition?.type === 'FunctionName' && isFunctionNode(definition.node)) return definition.node;
  const init = definition?.type === 'Variable' ? definition.node.init : null;
  return init && isFunctionNode(skipTypeWrappers(init)) ? (skipTypeWrappers(init) as FunctionNode) : undefined;
}

/** How a message names an `unstable_cache` function: the variable it is assigned to, or the callback's own name. */
function cachedName(call: TSESTree.CallExpression, callback: FunctionNode): string {
  const { parent } = call;
  if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  return functionName(callback) ?? 'the `unstable_cache` callback';
}

/** Components of the Pages Router (`pages/`) are never Server Components. */
function inPagesRouter(filename: string, pagesDir: string | undefined): boolean {
  return pagesDir !== undefined && !path.relative(pagesDir, filename).startsWith('..');
}

function entriesOf(context: Context): Entry[] {
  const facts = getFileFacts(context);
  const { ast } = context.sourceCode;
  if (facts.kind === 'route-handler') return [{ root: ast, place: { kind: 'route' }, wholeFile: true }, ...cachedFunctions(context)];
  if (isProxyFile(facts)) return [{ root: ast, place: { kind: 'proxy' }, wholeFile: true }];
  if (facts.kind === 'pages-api') return [];
  const entries = cachedFunctions(context);
  if (mayDefineServerActions(facts) && context.sourceCode.text.includes('after')) {
    for (const action of getServerActions(context).actions) entries.push({ root: action.fn, place: { kind: 'action' }, wholeFile: false });
  }
  if (facts.kind === 'other' && !hasDirective(facts.prologue, 'use cache') && !inPagesRouter(facts.filename, facts.layout.pagesDir)) {
    for (const { fn, name } of serverComponents(context)) entries.push({ root: fn, place: { kind: 'render', component: name ?? 'the default export' }, wholeFile: false });
  }
  return entries;
}

/** The modules a file imports values from: the only imports whose functions a walk follows. */
function valueImportSources(program: TSESTree.Program): string[] {
  const sources: string[] = [];
  for (const statement of program.body) {
    if (statement.type !== AST_NODE_TYPES.ImportDeclaration || statement.importKind === 'type') continue;
    if (statement.specifiers.some(specifier => specifier.type !== AST_NODE_TYPES.ImportSpecifier || specifier.importKind !== 'type')) sources.push(statement.source.value);
  }
  return sources;
}

/**
 * A module the app graph places in the browser only (imported by Client Components and nothing
 * that runs on the server) is client code: its components are never Server Components. A module
 * the graph does not know, or knows nobody imports, is still judged as one.
 */
function runsOnlyInBrowser(facts: FileFacts): boolean {
  const env = environmentOf(facts.layout, facts.filename);
  return env !== undefined && env !== 0 && (env & SERVER) === 0;
}

/**
 * The entries worth walking, with what to search for: those whose APIs the file's text or the
 * modules it imports can reach (decided from the text first, then from the app graph), and
 * render entries only in a module that can run on the server.
 */
function relevantEntries(context: Context, entries: readonly Entry[]): { entry: Entry; search: Search }[] {
  if (entries.length === 0) return [];
  const facts = getFileFacts(context);
  const { text, ast } = context.sourceCode;
  const searched = entries.map(entry => ({ entry, search: searchFrom(entry.place, facts.layout) }));
  let apis = apisOfText(text);
  if (!searched.every(({ search }) => mayReport(apis, search))) apis = apisReachedByFile(facts.layout, facts.filename, text, valueImportSources(ast));
  const relevant = searched.filter(({ search }) => mayReport(apis, search));
  if (!relevant.some(({ entry }) => entry.place.kind === 'render') || !runsOnlyInBrowser(facts)) return relevant;
  return relevant.filter(({ entry }) => entry.place.kind !== 'render');
}

// ---------------------------------------------------------------------------------------------
// Messages

function nextError(api: string, kind: 'action-only' | 'render' | 'cache', route: string): string {
  if (isCookieWrite(api)) return '"Cookies can only be modified in a Server Action or Route Handler."';
  if (kind === 'action-only') {
    return api === 'updateTag'
      ? '"updateTag can only be called from within a Server Action. To invalidate cache tags in Route Handlers or other contexts, use revalidateTag instead."'
      : '"refresh can only be called from within a Server Action."';
  }
  const where = kind === 'render' ? "can't be called during render" : "can't be called inside a cached function";
  return `"Route "${route}": \`${api}\` ${where}. Call it from a Server Action or Route Handler instead."`;
}

export default createRule<Options, MessageIds>({
  name: 'valid-revalidation-context',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow cache revalidation and cookie writes where Next.js throws: during render, in cached functions, outside Server Actions',
      recommended: 'error',
    },
    hasSuggestions: true,
    messages: {
      onlyInServerAction:
        '`{{api}}` only works in a Server Action, and this runs in {{place}}{{chain}}. Next.js throws {{error}} {{advice}}',
      duringRender:
        '`{{api}}` runs while the Server Component `{{component}}` renders{{chain}}, and Next.js throws {{error}} Rendering must not change cached data or cookies: do this in the Server Action or Route Handler that changes the data.',
      insideCachedFunction:
        '`{{api}}` runs inside the cached function `{{cached}}` ({{how}}){{chain}}, and Next.js throws {{error}} Call it from the Server Action or Route Handler that changes the data, after the cached function returns.',
      insideAfter:
        '`{{api}}` runs in a callback passed to `after()`{{chain}}, which runs once the response has been sent, and Next.js throws {{error}} {{advice}}',
      inProxy:
        '`{{api}}` is called in {{file}}{{chain}}: Next.js documents that it "cannot be called in Client Components or Proxy". Revalidate in the Server Action or Route Handler that changes the data.',
      inClientComponent:
        '`{{api}}` is called in a Client Component file ("use client"), where {{error}} Call it in a Server Action (a "use server" function) and call the action from here.',
      useRevalidateTag: "Replace `updateTag(…)` with `revalidateTag(…, 'max')`.",
    },
    schema: [],
  },
  create(context) {
    const facts = getFileFacts(context);
    const { text } = context.sourceCode;

    if (facts.isClient) {
      if (!text.includes('next/cache') && !text.includes('next/headers')) return {};
      return {
        CallExpression(call) {
          const api = apiOf(context, call);
          if (!api) return;
          // An inline action in a Client Component is a build error valid-server-actions reports.
          for (let parent: TSESTree.Node | undefined = call.parent; parent; parent = parent.parent) {
            if (isFunctionNode(parent) && hasFunctionDirective(parent, 'use server')) return;
          }
          const error = isCookieWrite(api)
            ? '`cookies()` from `next/headers` only works on the server.'
            : `the browser bundle of \`next/cache\` throws "\`${api}\` is only available in a Server Component."`;
          context.report({ node: call, messageId: 'inClientComponent', data: { api, error } });
        },
      };
    }

    return {
      'Program:exit'() {
        const entries = relevantEntries(context, entriesOf(context));
        if (entries.length === 0) return;
        const reported = new Set<string>();
        for (const { entry, search } of entries) {
          const { findings } = isFunctionNode(entry.root) && !entry.wholeFile ? walkFunction(context, entry.root, [], search) : walk(context, entry.root, [], true, search);
          for (const found of findings) {
            const report = describe(found, entry.place);
            if (!report) continue;
            const key = `${found.node.range.join(':')}:${report.messageId}:${found.api}`;
            if (reported.has(key)) continue;
            reported.add(key);
            context.report({ node: found.node, messageId: report.messageId, data: report.data, suggest: report.suggest });
          }
        }
      },
    };

    function chainOf(found: Finding): string {
      if (found.via.length === 0) return '';
      const calls = found.via.map(name => `\`${name}()\``).join(' → ');
      return `, through ${calls} (\`${found.api}\` at ${describeLine(context, found.origin, found.file)})`;
    }

    function describe(
      found: Finding,
      place: Place,
    ):
      | { messageId: MessageIds; data: Record<string, string>; suggest?: TSESLint.SuggestionReportDescriptor<MessageIds>[] }
      | undefined {
      const { api } = found;
      const chain = chainOf(found);
      const route = facts.appRoute ?? '…';
      const cookieWrite = isCookieWrite(api);
      if (found.inAfter && (api === 'refresh' || cookieWrite) && (place.kind === 'action' || place.kind === 'route' || place.kind === 'render')) {
        if (!(place.kind === 'route' && api === 'refresh')) {
          const advice =
            place.kind === 'render'
              ? 'Do it in the Server Action or Route Handler that changes the data.'
              : `Call it before \`after()\`, in the ${place.kind === 'action' ? 'Server Action' : 'Route Handler'} itself.`;
          return { messageId: 'insideAfter', data: { api, chain, error: nextError(api, 'action-only', route), advice } };
        }
      }
      switch (place.kind) {
        case 'action':
          return undefined;
        case 'route':
          if (!ACTION_ONLY.has(api)) return undefined;
          return {
            messageId: 'onlyInServerAction',
            data: {
              api,
              chain,
              place: `the Route Handler ${projectPath(context, facts.filename)}`,
              error: nextError(api, 'action-only', route),
              advice:
                api === 'updateTag'
                  ? "In a Route Handler use `revalidateTag(tag, 'max')`, or `revalidateTag(tag, { expire: 0 })` when the data must expire at once."
                  : 'A Route Handler has no client router to refresh: remove the call, and use `revalidatePath` or `revalidateTag` when cached data changed.',
            },
            suggest: api === 'updateTag' && found.via.length === 0 ? revalidateTagSuggestion(found.origin as TSESTree.CallExpression) : undefined,
          };
        case 'proxy':
          if (cookieWrite) return undefined;
          if (ACTION_ONLY.has(api)) {
            return {
              messageId: 'onlyInServerAction',
              data: {
                api,
                chain,
                place: projectPath(context, facts.filename),
                error: nextError(api, 'action-only', route),
                advice: 'Call it from the Server Action that changes the data.',
              },
            };
          }
          return { messageId: 'inProxy', data: { api, chain, file: projectPath(context, facts.filename) } };
        case 'render':
          if (found.inAfter) return undefined;
          return { messageId: 'duringRender', data: { api, chain, component: place.component, error: nextError(api, 'render', route) } };
        case 'cache':
          if (cookieWrite) return undefined;
          return {
            messageId: 'insideCachedFunction',
            data: { api, chain, cached: place.name, how: place.how === 'use cache' ? '"use cache"' : '`unstable_cache`', error: nextError(api, 'cache', '…') },
          };
        default:
          return undefined;
      }
    }

    /** `updateTag(tag)` → `revalidateTag(tag, 'max')`, importing `revalidateTag` from `next/cache` as the file does. */
    function revalidateTagSuggestion(call: TSESTree.CallExpression): TSESLint.SuggestionReportDescriptor<MessageIds>[] | undefined {
      const [tag] = call.arguments;
      if (!tag || call.arguments.length !== 1 || tag.type === AST_NODE_TYPES.SpreadElement) return undefined;
      const reference = namedImport(context.sourceCode, 'next/cache', 'revalidateTag', call);
      if (!reference) return undefined;
      return [
        {
          messageId: 'useRevalidateTag',
          fix: fixer => {
            const fixes = [fixer.replaceText(call, `${reference.reference}(${context.sourceCode.getText(tag)}, 'max')`)];
            if (reference.fix) fixes.push(reference.fix(fixer));
            return fixes;
          },
        },
      ];
    }
  },
});
