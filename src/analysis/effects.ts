import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { createNameMatcher, getSettings, type ResolvedSettings } from '../settings.js';
import { childNodes, memberName, skipAwait, skipTypeWrappers, TYPE_KEYS, valueReceiver } from '../utils/ast.js';
import { chainCalls, classifyDataAccess, type DataLibrary, isInnerChainLink } from './data-layer.js';
import { getBodyFacts, IN_CALLBACK, IN_CALLBACK_HEAD, IN_DEFINED_FUNCTION, IN_TYPE } from './action-facts.js';
import { getFileFacts } from './file-kind.js';
import { contextFile, type ForeignFunction, getForeignModulesVersion, isForeignContext, resolveImportedFunction } from './foreign-module.js';
import { getHttpCall, resolveUrl, type UrlTarget } from './http-calls.js';
import { getModuleInfo, resolveImport } from './modules.js';
import { DYNAMIC_PART } from './routes.js';
import { type FunctionNode, isFunctionNode } from './server-actions.js';
import { isBuiltinAuth, PLAIN_USER_GETTER, SESSION_FUNCTION } from './auth/names.js';
import type { Context } from '../utils/context.js';
import { importOf } from './scope.js';

/*
 * What a function does, as far as the code shows: the plugin's core fact, shared by every rule
 * that judges an action or a handler by its work.
 *
 * Calls are classified one by one (`classifyCall`), then collected per function in evaluation
 * order (`getFunctionEffects`), following calls to functions declared in the same file and, in
 * files that can hold Server Actions or Route Handlers, to functions imported from the project's
 * own modules (foreign-module.ts parses those once and hands back a context for them). A file
 * with no action pays nothing for the cross-file part.
 */

export type EffectKind =
  /** A data-layer write (catalogue or `settings.mutationFunctions`). */
  | 'mutation'
  /** A data-layer read (catalogue or `settings.readFunctions`). */
  | 'read'
  /** An HTTP request, with its method and URL: rules decide what it means for them. */
  | 'http'
  /** `revalidatePath`, `revalidateTag`, `updateTag`, `refresh` from `next/cache`, or a configured wrapper. */
  | 'revalidate'
  /** `redirect` / `permanentRedirect` from `next/navigation`. */
  | 'redirect'
  /** `notFound` / `forbidden` / `unauthorized` from `next/navigation`: the request ends in an error page. */
  | 'interrupt'
  /** `.set`/`.delete` on the `cookies()` store of `next/headers`, `draftMode().enable/disable`. */
  | 'cookieWrite'
  /** An authentication check (built-in list or `settings.authFunctions`). */
  | 'auth'
  /** An awaited or returned call this analysis cannot see into: it may do anything. */
  | 'unknownCall';

export interface Effect {
  kind: EffectKind;
  /**
   * Where it happens in the analysed function: the call itself, or the call of the same-file
   * helper it happens inside (so that order and paths are judged in the caller).
   */
  node: TSESTree.Node;
  /** The call that does the work; inside the helper when `via` is not empty. */
  origin: TSESTree.Node;
  /** How it reads in a message: `db.post.create`, `revalidatePath`, `fetch`, `auth`. */
  label: string;
  library?: DataLibrary;
  /** The data-layer verb (`create`), the HTTP method (`POST`), or the Next.js function (`revalidateTag`). */
  method?: string;
  /** HTTP only: the URL argument as written. */
  url?: string;
  /** HTTP only: whether the URL is the app's own (`relative`, `own-origin`), another origin's, or unknown. */
  urlKind?: UrlTarget['kind'];
  /** HTTP only, for the app's own URLs: the path, with `…` for runtime parts (`/api/posts/…`). */
  urlPath?: string;
  /** The model, table or collection when the code names it (`post`, `posts`). */
  subject?: string;
  /** The helpers the effect was found through (same-file or imported), outermost first. */
  via: readonly string[];
  /**
   * The absolute path of the module the work happens in, when that is not the analysed file (an
   * imported helper): `origin` is then a node of that module, and its line is a line there.
   */
  file?: string;
  /**
   * Why the call is classified so: the built-in catalogue, the project's settings, or the callee's
   * name alone (only for revalidation, which can only make a report go away).
   */
  basis: 'catalogue' | 'settings' | 'name';
}

/** A call to a function this file declares: its effects are those of the function. */
export interface HelperCall {
  kind: 'helper';
  node: TSESTree.Node;
  fn: FunctionNode;
  name: string;
}

export type CallClassification = Effect | HelperCall;

/** A call to a function another project module exports: followed there, and summed up for classifyCall. */
interface ImportedCall {
  kind: 'imported';
  node: TSESTree.Node;
  target: ForeignFunction;
  name: string;
  /** What classifyCall answers for it; computed on the first question. */
  summary?: Effect | null;
}

type Classification = CallClassification | ImportedCall;

/** The effects of a call into another module, as they happen at the call site. */
export interface ImportedCallEffects extends FunctionEffects {
  /** The absolute path of the module that declares the called function. */
  file: string;
  /** The function there. */
  fn: FunctionNode;
}

export interface FunctionEffects {
  /** Every effect in evaluation order (arguments before the call that receives them). */
  effects: readonly Effect[];
  /**
   * The returned expressions (return arguments, an arrow's expression body) that carry data a
   * `read` effect produced, directly or through variables and helpers.
   */
  dataReturns: readonly TSESTree.Node[];
}


/** How many helper calls deep effects are followed. */
export const MAX_HELPER_DEPTH = 4;

// ---------------------------------------------------------------------------------------------
// Callees

/** The dotted path of a callee as settings patterns see it: `db.post.create`, `createClient().auth.getUser`. */
export function calleePath(node: TSESTree.Node): string {
  const target = skipTypeWrappers(node);
  switch (target.type) {
    case AST_NODE_TYPES.Identifier:
      return target.name;
    case AST_NODE_TYPES.ThisExpression:
      return 'this';
    case AST_NODE_TYPES.MemberExpression:
      return `${calleePath(target.object)}.${memberName(target) ?? '?'}`;
    case AST_NODE_TYPES.CallExpression:
      return `${calleePath(target.callee)}()`;
    default:
      return '?';
  }
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

function compactLabel(context: Context, node: TSESTree.Node): string {
  const text = context.sourceCode.getText(node).replace(/\s+/g, '');
  return text.length <= 60 ? text : `….${lastSegment(calleePath(node))}`;
}

export interface ImportedName {
  source: string;
  /** The exported name (`revalidatePath`), `default`, or `*` for a namespace object itself. */
  name: string;
}

/** The import an identifier resolves to in its scope, for value imports. */
function importOfIdentifier(context: Context, identifier: TSESTree.Identifier): ImportedName | undefined {
  const binding = importOf(context.sourceCode, identifier);
  return binding && { source: binding.source, name: binding.imported };
}

/**
 * The imported function a callee names: `revalidatePath` for `revalidatePath(…)` or
 * `cache.revalidatePath(…)` with `import * as cache from 'next/cache'`.
 */
export function importedCallee(context: Context, callee: TSESTree.Node): ImportedName | undefined {
  const target = skipTypeWrappers(callee);
  if (target.type === AST_NODE_TYPES.Identifier) return importOfIdentifier(context, target);
  if (target.type === AST_NODE_TYPES.MemberExpression) {
    const object = skipTypeWrappers(target.object);
    const name = memberName(target);
    if (object.type !== AST_NODE_TYPES.Identifier || name === undefined) return undefined;
    const binding = importOfIdentifier(context, object);
    if (binding?.name === '*') return { source: binding.source, name };
  }
  return undefined;
}

export type ResolvedCallee =
  | { kind: 'local'; fn: FunctionNode; name: string }
  | { kind: 'import'; source: string; imported: string; name: string };

/**
 * Where a call goes, as far as the file shows: a function declared in this file (a function
 * declaration or a `const`/`let` bound to a function expression), or an import (named, default,
 * or a member of a namespace import), which classifyCall follows into the project module.
 */
export function resolveCallee(context: Context, call: TSESTree.CallExpression): ResolvedCallee | undefined {
  const callee = skipTypeWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.Identifier) {
    const imported = importedCallee(context, callee);
    return imported && { kind: 'import', source: imported.source, imported: imported.name, name: calleePath(callee) };
  }
  const variable = ASTUtils.findVariable(context.sourceCode.getScope(call), callee);
  const definition = variable?.defs[0];
  if (!definition) return undefined;
  if (definition.type === 'FunctionName' && isFunctionNode(definition.node as TSESTree.Node)) {
    return { kind: 'local', fn: definition.node as FunctionNode, name: callee.name };
  }
  if (definition.type === 'Variable' && definition.node.init && variable!.defs.length === 1) {
    const init = skipTypeWrappers(definition.node.init);
    if (isFunctionNode(init)) return { kind: 'local', fn: init, name: callee.name };
  }
  const imported = importOfIdentifier(context, callee);
  return imported && { kind: 'import', source: imported.source, imported: imported.name, name: callee.name };
}

// ---------------------------------------------------------------------------------------------
// Next.js APIs

const NEXT_CACHE_REVALIDATE = new Set(['revalidatePath', 'revalidateTag', 'updateTag', 'refresh', 'unstable_expirePath', 'unstable_expireTag']);
const NEXT_REDIRECTS = new Set(['redirect', 'permanentRedirect']);
const NEXT_INTERRUPTS = new Set(['notFound', 'forbidden', 'unauthorized']);

function isNextCall(context: Context, node: TSESTree.Node, source: string, name: string): boolean {
  const target = skipAwait(node);
  if (target.type !== AST_NODE_TYPES.CallExpression) return false;
  const imported = importedCallee(context, target.callee);
  return imported?.source === source && imported.name === name;
}

/** `await cookies()`, `cookies()`, or a variable holding either: the request's cookie store. */
export function isCookieStore(context: Context, node: TSESTree.Node, depth = 0): boolean {
  const target = skipAwait(node);
  if (isNextCall(context, target, 'next/headers', 'cookies')) return true;
  if (target.type !== AST_NODE_TYPES.Identifier || depth > 2) return false;
  const variable = ASTUtils.findVariable(context.sourceCode.getScope(target), target);
  const definition = variable?.defs[0];
  if (definition?.type !== 'Variable' || definition.node.id.type !== AST_NODE_TYPES.Identifier || !definition.node.init) return false;
  return isCookieStore(context, definition.node.init, depth + 1);
}

function isDraftMode(context: Context, node: TSESTree.Node): boolean {
  const target = skipAwait(node);
  if (isNextCall(context, target, 'next/headers', 'draftMode')) return true;
  if (target.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = ASTUtils.findVariable(context.sourceCode.getScope(target), target);
  const definition = variable?.defs[0];
  return definition?.type === 'Variable' && definition.node.init !== null && isNextCall(context, definition.node.init, 'next/headers', 'draftMode');
}

// ---------------------------------------------------------------------------------------------
// Settings and built-in names

interface Matchers {
  mutation: (path: string) => boolean;
  read: (path: string) => boolean;
  revalidate: (path: string) => boolean;
  auth: (path: string) => boolean;
}

const matcherCache = new WeakMap<ResolvedSettings, Matchers>();

function matchersFor(settings: ResolvedSettings): Matchers {
  let matchers = matcherCache.get(settings);
  if (!matchers) {
    matchers = {
      mutation: createNameMatcher(settings.mutationFunctions),
      read: createNameMatcher(settings.readFunctions),
      revalidate: createNameMatcher(settings.revalidateFunctions),
      auth: createNameMatcher(settings.authFunctions),
    };
    matcherCache.set(settings, matchers);
  }
  return matchers;
}

/** Imported wrappers the project wrote around revalidation, known by name until imports are followed. */
const REVALIDATE_NAME = /^(?:revalidate|invalidate|purge)[A-Z_]|Revalidat|Invalidat/;

/** Awaited calls that only read the request or compute: not hidden work. */
const HARMLESS_METHODS = new Set([
  'json', 'text', 'formData', 'arrayBuffer', 'blob', 'parse', 'parseAsync', 'safeParse', 'safeParseAsync', 'validate',
  'hash', 'compare', 'all', 'allSettled', 'race', 'any', 'resolve',
]);
/** `createClient()`, `createServerClient()`, `getSupabaseClient()`: building a client does no work yet. */
const CLIENT_FACTORY = /^(?:create|get)\w*Client$/;

const CONTAINERS = new Set(['$transaction', 'transaction', 'runTransaction', 'batch']);

/**
 * Calls whose work is what they are handed: a transaction or wrapper running a callback (the
 * callback's effects are counted), Next.js's own functions (each one is known), `Promise.all`.
 */
function isContainer(context: Context, call: TSESTree.CallExpression): boolean {
  if (call.arguments.some(argument => isFunctionNode(argument))) return true;
  if (CONTAINERS.has(lastSegment(calleePath(call.callee)))) return true;
  const source = importedCallee(context, call.callee)?.source;
  return source === 'next' || source?.startsWith('next/') === true;
}

function isConsumed(node: TSESTree.Node): boolean {
  const { parent, value: current } = valueReceiver(node);
  if (!parent) return false;
  if (parent.type === AST_NODE_TYPES.AwaitExpression || parent.type === AST_NODE_TYPES.ReturnStatement) return true;
  if (parent.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === current) return true;
  // `Promise.all([a(), b()])`
  return parent.type === AST_NODE_TYPES.ArrayExpression && parent.parent.type === AST_NODE_TYPES.CallExpression;
}

// ---------------------------------------------------------------------------------------------
// One call

function effect(kind: EffectKind, node: TSESTree.Node, label: string, extra: Partial<Effect> = {}): Effect {
  return { kind, node, origin: node, label, via: [], basis: 'catalogue', ...extra };
}

function classifyLink(context: Context, outer: TSESTree.Node, call: TSESTree.CallExpression): Classification | undefined {
  const callee = skipTypeWrappers(call.callee);
  const imported = importedCallee(context, callee);
  if (imported?.source === 'next/cache' && NEXT_CACHE_REVALIDATE.has(imported.name)) {
    return effect('revalidate', outer, imported.name, { method: imported.name });
  }
  if (imported?.source === 'next/navigation') {
    if (NEXT_REDIRECTS.has(imported.name)) return effect('redirect', outer, imported.name, { method: imported.name });
    if (NEXT_INTERRUPTS.has(imported.name)) return effect('interrupt', outer, imported.name, { method: imported.name });
  }
  if (callee.type === AST_NODE_TYPES.MemberExpression) {
    const method = memberName(callee);
    if ((method === 'set' || method === 'delete') && isCookieStore(context, callee.object)) {
      return effect('cookieWrite', outer, `cookies().${method}`, { method });
    }
    if ((method === 'enable' || method === 'disable') && isDraftMode(context, callee.object)) {
      return effect('cookieWrite', outer, `draftMode().${method}`, { method });
    }
  }
  const resolved = resolveCallee(context, call);
  if (resolved?.kind === 'local') return { kind: 'helper', node: outer, fn: resolved.fn, name: resolved.name };
  const http = getHttpCall(call, context.sourceCode);
  if (http && http.method !== 'mutation') {
    const target = resolveUrl(http, context.sourceCode);
    const own = target.kind === 'relative' || target.kind === 'own-origin';
    return effect('http', outer, compactLabel(context, http.node.callee), {
      method: http.method,
      url: http.url ? context.sourceCode.getText(http.url) : undefined,
      urlKind: target.kind,
      urlPath: own ? target.path.replaceAll(DYNAMIC_PART, '…') : undefined,
    });
  }
  const path = calleePath(callee);
  if (isBuiltinAuth(path, call)) return effect('auth', outer, compactLabel(context, callee));
  if (resolved?.kind !== 'import') return undefined;
  const target = followsImports(context) ? resolveImportedFunction(context, resolved.source, resolved.imported) : undefined;
  if (target) return { kind: 'imported', node: outer, target, name: resolved.name };
  if (REVALIDATE_NAME.test(lastSegment(path))) return effect('revalidate', outer, compactLabel(context, callee), { basis: 'name' });
  return undefined;
}

/**
 * Imports are followed where an action or a handler can be: "use server" files, files that
 * mention the directive, Route Handlers, and the modules followed from them.
 */
function followsImports(context: Context): boolean {
  if (isForeignContext(context)) return true;
  const facts = getFileFacts(context);
  return facts.isServerActionsFile || facts.mayHaveInlineActions || facts.kind === 'route-handler';
}

function classifyBySettings(context: Context, outer: TSESTree.Node, calls: readonly TSESTree.CallExpression[], matchers: Matchers): Effect | undefined {
  for (const call of calls) {
    const path = calleePath(call.callee);
    const label = compactLabel(context, call.callee);
    if (matchers.mutation(path)) return effect('mutation', outer, label, { basis: 'settings' });
    if (matchers.read(path)) return effect('read', outer, label, { basis: 'settings' });
    if (matchers.revalidate(path)) return effect('revalidate', outer, label, { basis: 'settings' });
    if (matchers.auth(path)) return effect('auth', outer, label, { basis: 'settings' });
  }
  return undefined;
}

interface Caches {
  classification: WeakMap<TSESTree.Node, Classification | null>;
  effects: WeakMap<FunctionNode, Collected>;
  /** Walks the depth limit cut short, by the depth the function was entered at. */
  effectsAtDepth: WeakMap<FunctionNode, Map<number, Collected>>;
  modulesVersion: number;
}

/**
 * The nodes of imported modules outlive one lint run and are analysed for every file that imports
 * them: hence caches per settings, dropped when a module changes on disk (a module that did not
 * change may call into one that did).
 */
const cachesBySettings = new WeakMap<ResolvedSettings, Caches>();

function cachesFor(context: Context): Caches {
  const settings = getSettings(context);
  const modulesVersion = getForeignModulesVersion();
  let caches = cachesBySettings.get(settings);
  if (caches?.modulesVersion !== modulesVersion) {
    caches = { classification: new WeakMap(), effects: new WeakMap(), effectsAtDepth: new WeakMap(), modulesVersion };
    cachesBySettings.set(settings, caches);
  }
  return caches;
}

function classifyUncached(context: Context, node: TSESTree.Node): Classification | undefined {
  if (node.type === AST_NODE_TYPES.TaggedTemplateExpression) {
    const access = classifyDataAccess(context, node);
    return access && effect(access.kind, node, access.label, { library: access.library, method: access.method, subject: access.subject });
  }
  if (node.type !== AST_NODE_TYPES.CallExpression || isInnerChainLink(node)) return undefined;
  const matchers = matchersFor(getSettings(context));
  const { calls } = chainCalls(node);
  const configured = classifyBySettings(context, node, calls, matchers);
  if (configured) return configured;
  const access = classifyDataAccess(context, node);
  if (access) return effect(access.kind, node, access.label, { library: access.library, method: access.method, subject: access.subject });
  for (const call of calls) {
    const found = classifyLink(context, node, call);
    if (found) return found;
  }
  if (!isConsumed(node) || calls.some(call => isContainer(context, call))) return undefined;
  const callee = skipTypeWrappers(calls[calls.length - 1]!.callee);
  const name = callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : undefined;
  if (name !== undefined && HARMLESS_METHODS.has(name)) return undefined;
  if (CLIENT_FACTORY.test(lastSegment(calleePath(callee)))) return undefined;
  return effect('unknownCall', node, compactLabel(context, callee));
}

/**
 * What one call does, on its own: an effect, a call of a same-file function (a `HelperCall`, to
 * be followed), or undefined for calls with no visible effect and for inner links of a chain
 * (`db.insert(t)` in `db.insert(t).values(v)`: the outermost call stands for the chain). Tagged
 * templates are classified too (`await sql\`INSERT …\``). Cached per node.
 *
 * A call of a function imported from a project module is answered with one effect that sums up
 * the function (see importedSummary), `via` naming the callee and `file` the module; its full
 * list is in getFunctionEffects of the caller and in getImportedCallEffects.
 */
export function classifyCall(context: Context, node: TSESTree.Node): CallClassification | undefined {
  const found = classify(context, node);
  return found?.kind === 'imported' ? importedSummary(found) : found;
}

function classify(context: Context, node: TSESTree.Node): Classification | undefined {
  const cache = cachesFor(context).classification;
  const cached = cache.get(node);
  if (cached !== undefined) return cached ?? undefined;
  const result = classifyUncached(context, node);
  cache.set(node, result ?? null);
  return result;
}

// ---------------------------------------------------------------------------------------------
// One function

interface Collected {
  effects: Effect[];
  dataReturns: TSESTree.Node[];
  /** A cycle cut the walk short: the result depends on which functions the caller's chain holds. */
  cycle: boolean;
  /** The depth limit cut the walk short: the result depends on how deep in the chain it started. */
  deep: boolean;
}

interface Walk {
  effects: Effect[];
  readNodes: Set<TSESTree.Node>;
  declarators: TSESTree.VariableDeclarator[];
  assignments: TSESTree.AssignmentExpression[];
  returns: TSESTree.Node[];
  cycle: boolean;
  deep: boolean;
}

/**
 * Follows a call into the function it runs (same-file, or in another module with that module's
 * context): its effects happen at the call site, found through `name`.
 */
function followCall(context: Context, fn: FunctionNode, call: HelperCall | ImportedCall, stack: readonly FunctionNode[], walk: Walk): void {
  if (stack.includes(fn)) {
    walk.cycle = true;
    return;
  }
  if (stack.length > MAX_HELPER_DEPTH) {
    walk.deep = true;
    walk.effects.push(effect('unknownCall', call.node, call.name));
    return;
  }
  const inner = collect(context, fn, stack);
  walk.cycle ||= inner.cycle;
  walk.deep ||= inner.deep;
  const renewsSession = isSessionFunctionCall(call);
  for (const found of inner.effects) {
    // Renewing or extending the session row is how the check works, not the caller's data change.
    if (renewsSession && found.kind === 'mutation') continue;
    walk.effects.push(atCallSite(found, call));
  }
  if (inner.dataReturns.length > 0) walk.readNodes.add(call.node);
}

/**
 * Functions that coordinate work rather than change what a page shows, by their name: taking and
 * releasing locks and claims (`acquireLock`, `releaseCleanupClaim`), deduplication and idempotency
 * keys (`getDedupeDecision`), rate limits and throttles, cache entries (`invalidateUserCache`).
 */
const BOOKKEEPING_WORD =
  /(?:Dedupe|Dedup|Deduplicate|Idempoten\w*|RateLimit|Ratelimit|Throttle|Mutex|Semaphore)(?:[A-Z_]|$)|^(?:dedupe|throttle|rateLimit|ratelimit)(?:[A-Z_]|$)|^(?:acquire|release|with|try|take|renew|extend)\w*(?:Lock|Claim)(?:[A-Z_]|$)|^(?:invalidate|clear|purge|bust|set|update|refresh|warm)\w*Cache(?:[A-Z_]|$)/;

/**
 * Whether a call runs a function whose own writes are not the caller's change: an authentication
 * or session function (its writes renew the session), or one that keeps locks, dedupe keys, rate
 * limits or caches.
 */
export function isSessionFunctionCall(call: { name: string; node: TSESTree.Node }): boolean {
  const name = lastSegment(call.name);
  if (BOOKKEEPING_WORD.test(name)) return true;
  if (!SESSION_FUNCTION.test(name)) return false;
  return !(PLAIN_USER_GETTER.test(name) && call.node.type === AST_NODE_TYPES.CallExpression && call.node.arguments.length > 0);
}

function atCallSite(found: Effect, call: HelperCall | ImportedCall): Effect {
  const file = found.file ?? (call.kind === 'imported' ? call.target.file : undefined);
  return { ...found, node: call.node, via: [call.name, ...found.via], ...(file === undefined ? {} : { file }) };
}

function walkBody(context: Context, fn: FunctionNode, stack: readonly FunctionNode[], walk: Walk): void {
  const nextStack = [...stack, fn];
  for (const { node, where } of getBodyFacts(context, fn).evaluationOrder) {
    // Functions the body only defines run at another time; a callback's parameters are not its work.
    if (where & (IN_TYPE | IN_DEFINED_FUNCTION | IN_CALLBACK_HEAD)) continue;
    switch (node.type) {
      case AST_NODE_TYPES.CallExpression:
      case AST_NODE_TYPES.TaggedTemplateExpression: {
        const classified = classify(context, node);
        if (classified?.kind === 'helper') followCall(context, classified.fn, classified, nextStack, walk);
        else if (classified?.kind === 'imported') followCall(classified.target.context, classified.target.fn, classified, nextStack, walk);
        else if (classified) {
          walk.effects.push(classified);
          if (classified.kind === 'read') walk.readNodes.add(classified.node);
        }
        break;
      }
      case AST_NODE_TYPES.VariableDeclarator:
        walk.declarators.push(node);
        break;
      case AST_NODE_TYPES.AssignmentExpression:
        walk.assignments.push(node);
        break;
      case AST_NODE_TYPES.ReturnStatement:
        if (!(where & IN_CALLBACK) && node.argument) walk.returns.push(node.argument);
        break;
      default:
        break;
    }
  }
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) walk.returns.push(fn.body);
}

const VERDICT_OPERATORS = new Set(['==', '!=', '===', '!==', '<', '<=', '>', '>=', 'in', 'instanceof']);

/** An expression whose value is a yes/no answer about its operands, not the operands. */
function isVerdict(node: TSESTree.Node): boolean {
  if (node.type === AST_NODE_TYPES.UnaryExpression) return node.operator === '!' || node.operator === 'typeof' || node.operator === 'void';
  if (node.type === AST_NODE_TYPES.BinaryExpression) return VERDICT_OPERATORS.has(node.operator);
  return node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === 'Boolean';
}

/** Which returned expressions carry read data: through variables, destructuring and helpers. */
function findDataReturns(context: Context, walk: Walk): TSESTree.Node[] {
  if (walk.readNodes.size === 0) return [];
  const { visitorKeys, scopeManager } = context.sourceCode;
  const tainted = new Set<TSESTree.Node>(walk.readNodes);
  const taintedVariables = new Set<TSESLint.Scope.Variable>();
  const carries = (root: TSESTree.Node): boolean => {
    const stack: TSESTree.Node[] = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (tainted.has(node)) return true;
      // A verdict about the rows (`!user`, `count === 0`, `Boolean(taken)`) hands none of them back.
      if (isVerdict(node)) continue;
      stack.push(...childNodes(node, visitorKeys, TYPE_KEYS));
    }
    return false;
  };
  const taint = (variable: TSESLint.Scope.Variable | null | undefined): boolean => {
    if (!variable || taintedVariables.has(variable)) return false;
    taintedVariables.add(variable);
    for (const reference of variable.references) tainted.add(reference.identifier);
    return true;
  };
  for (let changed = true, rounds = 0; changed && rounds < 8; rounds++) {
    changed = false;
    for (const declarator of walk.declarators) {
      if (!declarator.init || !carries(declarator.init)) continue;
      for (const variable of scopeManager?.getDeclaredVariables(declarator) ?? []) changed = taint(variable) || changed;
    }
    for (const assignment of walk.assignments) {
      if (assignment.left.type !== AST_NODE_TYPES.Identifier || !carries(assignment.right)) continue;
      changed = taint(ASTUtils.findVariable(context.sourceCode.getScope(assignment), assignment.left)) || changed;
    }
  }
  return walk.returns.filter(carries);
}

function collect(context: Context, fn: FunctionNode, stack: readonly FunctionNode[]): Collected {
  const caches = cachesFor(context);
  const cached = caches.effects.get(fn) ?? caches.effectsAtDepth.get(fn)?.get(stack.length);
  if (cached) return cached;
  const walk: Walk = { effects: [], readNodes: new Set(), declarators: [], assignments: [], returns: [], cycle: false, deep: false };
  walkBody(context, fn, stack, walk);
  const result: Collected = { effects: walk.effects, dataReturns: findDataReturns(context, walk), cycle: walk.cycle, deep: walk.deep };
  // A walk cut short by a cycle describes the function as seen from one chain only. One the depth
  // limit cut short holds wherever the function is entered at the same depth: without that, every
  // action that reaches a deep service chain walked all of it again, at every keystroke.
  if (result.cycle) return result;
  if (!result.deep) {
    caches.effects.set(fn, result);
    return result;
  }
  let byDepth = caches.effectsAtDepth.get(fn);
  if (!byDepth) caches.effectsAtDepth.set(fn, (byDepth = new Map()));
  byDepth.set(stack.length, result);
  return result;
}

/**
 * Everything a function does, in evaluation order, with the effects of the helpers it calls:
 * functions of the same file and, where imports are followed (see followsImports), functions
 * exported by the project's other modules, up to `MAX_HELPER_DEPTH` calls deep in all, each
 * function once per chain. A helper's effects have `node` at the call site and `via` naming the
 * helper; an imported helper's also have `file`. A call whose function returns read data counts
 * as read data in the caller. Callbacks handed to calls (`$transaction(async tx => …)`,
 * `items.map(…)`, `.then(…)`) count as part of the function; functions it only defines do not.
 * Cached per function node.
 */
export function getFunctionEffects(context: Context, fn: FunctionNode): FunctionEffects {
  const { effects, dataReturns } = collect(context, fn, []);
  return { effects, dataReturns };
}

/**
 * The effects of a call of a function imported from another project module, at the call site
 * (`node` is the call, `via` starts with the callee, `file` names the module where each happens);
 * `dataReturns` are the returns of that function, in its module. Undefined for any other call,
 * and for imports that cannot be followed (packages, unreadable or unparsable files, exports that
 * are not plain functions, files where imports are not followed).
 */
export function getImportedCallEffects(context: Context, call: TSESTree.Node): ImportedCallEffects | undefined {
  const found = classify(context, call);
  if (found?.kind !== 'imported') return undefined;
  const { target } = found;
  const inner = collect(target.context, target.fn, []);
  return { effects: inner.effects.map(item => atCallSite(item, found)), dataReturns: inner.dataReturns, file: target.file, fn: target.fn };
}

// ---------------------------------------------------------------------------------------------
// Imported functions as one effect

/** Whether `fn` has a `return` before `node`, outside nested functions: a way to complete without it. */
function returnsBefore(context: Context, fn: FunctionNode, node: TSESTree.Node): boolean {
  return getBodyFacts(context, fn).nodes.some(
    // `return redirect(…)` is the way out through `node`, not before it.
    ({ node: current, where, frame }) =>
      current.type === AST_NODE_TYPES.ReturnStatement && frame === undefined && !(where & IN_TYPE) && current.range[1] <= node.range[0],
  );
}

/** Whether `node` runs every time `fn` completes: not under a branch, loop, `catch` or callback, nor after an early `return`. */
function runsUnconditionally(context: Context, fn: FunctionNode, node: TSESTree.Node): boolean {
  if (returnsBefore(context, fn, node)) return false;
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent === fn) return true;
    switch (parent.type) {
      case AST_NODE_TYPES.BlockStatement:
      case AST_NODE_TYPES.ExpressionStatement:
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.ReturnStatement:
      case AST_NODE_TYPES.VariableDeclaration:
      case AST_NODE_TYPES.VariableDeclarator:
      case AST_NODE_TYPES.ChainExpression:
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
        continue;
      case AST_NODE_TYPES.TryStatement:
        if (parent.block === child) continue;
        return false;
      default:
        return false;
    }
  }
  return false;
}

/**
 * The one effect that stands for a whole imported function when a rule classifies the call:
 * - a `redirect` or interrupt that ends the function every time: the caller never goes on after
 *   it, so that is all the call means to it (a `createCheckoutSession()` that checks the user,
 *   calls Stripe and redirects to the checkout page);
 * - else `auth` when the function authenticates: to its caller it is a check, and what it does runs
 *   for a signed-in user (a Data Access Layer function, a `requireAdmin()` guard);
 * - else the last write, revalidation, or redirect, cookie write or interrupt that ends the
 *   function every time (a conditional `redirect()` is a guard's, not a revalidation);
 * - else the first mutating request;
 * - else the first read, when the function returns read data (a read that only feeds a check,
 *   as in `emailTaken()` answering `true`, hands nothing back);
 * - else the first call it cannot see into, so that callers fall back to what they judge by
 *   name, as for any call they cannot see into;
 * - nothing when the function has no effect that matters to its caller.
 */
function summaryEffect(context: Context, fn: FunctionNode, { effects, dataReturns }: Collected): Effect | undefined {
  const ends = (found: Effect) =>
    (found.kind === 'redirect' || found.kind === 'cookieWrite' || found.kind === 'interrupt') &&
    found.via.length === 0 &&
    runsUnconditionally(context, fn, found.node);
  return (
    endingNavigation(context, fn, effects) ??
    effects.find(found => found.kind === 'auth') ??
    effects.findLast(found => found.kind === 'mutation' || found.kind === 'revalidate' || ends(found)) ??
    effects.find(isMutatingHttp) ??
    (dataReturns.length > 0 ? effects.find(found => found.kind === 'read') : undefined) ??
    effects.find(found => found.kind === 'unknownCall')
  );
}

/**
 * Whether the module `specifier` loads can hold a function that calls `redirect()` or `notFound()`
 * itself, judged from its text before anything is parsed: it names `next/navigation`, or it passes
 * other modules' exports through.
 */
function mayNavigate(fromFile: string, specifier: string): boolean {
  const file = resolveImport(fromFile, specifier);
  const info = file === undefined ? undefined : getModuleInfo(file);
  return info !== undefined && (info.mentionsNavigation || info.reexports.length > 0);
}

/** Whether `fn`'s own body calls a `next/navigation` function: else nothing in it can end in one, and its calls need not be followed. */
function callsNavigation(context: Context, fn: FunctionNode): boolean {
  if (!context.sourceCode.text.includes('next/navigation')) return false;
  return getBodyFacts(context, fn).nodes.some(
    ({ node, where, frame }) =>
      node.type === AST_NODE_TYPES.CallExpression &&
      !(where & IN_TYPE) &&
      // Its own calls: not those of functions nested in it (a body that is itself a function is its own).
      (frame === undefined || (frame.fn === fn.body && frame.outer === undefined)) &&
      importedCallee(context, node.callee)?.source === 'next/navigation',
  );
}

/** The `redirect()` or interrupt that `fn` itself calls every time it completes, if any. */
function endingNavigation(context: Context, fn: FunctionNode, effects: readonly Effect[]): Effect | undefined {
  return effects.findLast(
    found => (found.kind === 'redirect' || found.kind === 'interrupt') && found.via.length === 0 && runsUnconditionally(context, fn, found.node),
  );
}

/**
 * The `redirect()`, `permanentRedirect()`, `notFound()`, `forbidden()` or `unauthorized()` that a
 * called function always ends in (the same fact classifyCall sums an imported function up with),
 * at the call site: `via` names the function and `file` its module when it is imported. The
 * function may be declared in this file or exported by a project module; imports are followed
 * from any file, since the question is only asked about a few calls.
 */
export function getEndingNavigation(context: Context, call: TSESTree.CallExpression): Effect | undefined {
  const resolved = resolveCallee(context, call);
  if (resolved?.kind === 'local') {
    if (!callsNavigation(context, resolved.fn)) return undefined;
    const found = endingNavigation(context, resolved.fn, collect(context, resolved.fn, []).effects);
    return found && { ...found, node: call, via: [resolved.name] };
  }
  if (resolved?.kind !== 'import' || !mayNavigate(contextFile(context), resolved.source)) return undefined;
  const target = resolveImportedFunction(context, resolved.source, resolved.imported);
  if (!target || !callsNavigation(target.context, target.fn)) return undefined;
  const found = endingNavigation(target.context, target.fn, collect(target.context, target.fn, []).effects);
  return found && { ...found, node: call, via: [resolved.name], file: target.file };
}

function importedSummary(call: ImportedCall): Effect | undefined {
  if (call.summary === undefined) {
    const { context, fn } = call.target;
    const collected = collect(context, fn, []);
    const picked = summaryEffect(
      context,
      fn,
      isSessionFunctionCall(call) ? { ...collected, effects: collected.effects.filter(found => found.kind !== 'mutation') } : collected,
    );
    call.summary = picked ? atCallSite(picked, call) : null;
  }
  return call.summary ?? undefined;
}

/** Whether an HTTP effect changes something: a method other than GET, HEAD or OPTIONS. */
export function isMutatingHttp(found: Effect): boolean {
  return found.kind === 'http' && found.method !== undefined && !['GET', 'HEAD', 'OPTIONS'].includes(found.method);
}
