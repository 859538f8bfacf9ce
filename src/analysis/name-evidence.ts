import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { AUTH_WORDS, SIGNED_IN_USER } from './auth/names.js';
import { chainCalls } from './data-layer.js';
import { memberName, skipAwait, skipTypeWrappers } from '../utils/ast.js';
import { importedCallee } from './effects.js';
import { type FunctionNode, isFunctionNode } from './server-actions.js';
import type { Context } from '../utils/context.js';

/*
 * What a call's name says it does, for calls whose body the effects analysis cannot see (imports,
 * SDK methods). Names are weak evidence: only the query judgement (query.ts) uses them, to count
 * `getPosts()` as a read and `sendEmail()` as a possible write. A name never makes anything report
 * on its own: a read name still needs its data returned, and a write name only keeps a report away.
 *
 * Also here: caching wrappers, whose calls run the function they wrap. The effects analysis does
 * not see through them yet; this is the place to move from once it does.
 */


export type NameKind = 'read' | 'write';

export interface NameEvidence {
  kind: NameKind;
  /** The link of the chain whose name decided: `stripe.prices.list(…)` in `stripe.prices.list(…).autoPagingToArray()`. */
  call: TSESTree.CallExpression;
  /** That call's function or method name: `list`, `getPosts`. */
  name: string;
}

const READ_VERBS = new Set(['get', 'list', 'find', 'fetch', 'load', 'search', 'count', 'retrieve', 'lookup']);

// Verbs that change something somewhere. `log`, `track`, `connect`, `close` and `flush` are left
// out on purpose: they surround reads as often as writes. So are verbs that name string and array
// methods (`join`, `replace`, `concat`), which would otherwise fire on `rows.map(…).join(', ')`.
// Verbs that run work (`runRules`, `processPayment`, `testEndpoint`, `generateReport`) count too:
// an action that does work through them is not a read, even when it also returns what it read.
const WRITE_VERBS = new Set([
  'accept', 'activate', 'add', 'apply', 'approve', 'archive', 'assign', 'attach', 'ban', 'block', 'bookmark', 'cancel',
  'change', 'charge', 'claim', 'cleanup', 'clear', 'clone', 'complete', 'confirm', 'copy', 'create', 'deactivate', 'decline', 'decr',
  'decrement', 'delete', 'destroy', 'detach', 'disable', 'dispatch', 'duplicate', 'edit', 'email', 'emit', 'enable',
  'enqueue', 'execute', 'finish', 'follow', 'generate', 'grant', 'import', 'incr', 'increment', 'insert', 'invite', 'leave',
  'like', 'login', 'logout', 'mark', 'migrate', 'modify', 'move', 'notify', 'patch', 'pause', 'pay', 'perform', 'persist',
  'pin', 'post', 'process', 'prune', 'publish', 'purchase', 'purge', 'put', 'queue', 'record', 'redeem', 'refresh', 'refund',
  'regenerate', 'register', 'reject', 'remove', 'rename', 'reopen', 'reorder', 'rerun', 'resend', 'reset', 'restore',
  'resume', 'retry', 'revoke', 'rotate', 'run', 'save', 'schedule', 'seed', 'send', 'set', 'start', 'stop', 'store',
  'submit', 'subscribe', 'sync', 'test', 'toggle', 'transfer', 'trigger', 'unarchive', 'unassign', 'unban', 'unblock',
  'undo', 'unfollow', 'unlike', 'unlink', 'unpin', 'unpublish', 'unsubscribe', 'update', 'upload', 'upsert', 'vote', 'write',
]);

/**
 * Query-builder operators (Drizzle `like`, `ilike`, `eq`, `and`, `inArray`, `sql`; Kysely `sql`):
 * they build a filter for a query, and say nothing about what the query does.
 */
const QUERY_OPERATORS = new Set([
  'like', 'ilike', 'notLike', 'notIlike', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'and', 'or', 'not', 'inArray', 'notInArray',
  'isNull', 'isNotNull', 'exists', 'notExists', 'between', 'notBetween', 'arrayContains', 'arrayContained', 'arrayOverlaps',
  'sql', 'asc', 'desc', 'count', 'countDistinct', 'sum', 'avg', 'min', 'max',
]);
/** Packages whose functions build query fragments, never run a query. */
const QUERY_BUILDER_SOURCE = /^(?:drizzle-orm|kysely)(?:\/.*)?$/;

/** Continuations of a promise: a call followed by one of these is awaited, not used as a receiver. */
const PROMISE_METHODS = new Set(['then', 'catch', 'finally']);

/**
 * The last word of what a factory returns: `createClient`, `getDb`, `createEmailProvider`,
 * `getStripe`, `loadConfig` build or fetch something to call methods on, not data.
 */
const CLIENT_WORDS = new Set([
  'Adapter', 'Api', 'API', 'Bucket', 'Client', 'Collection', 'Config', 'Configuration', 'Connection', 'Context', 'Database',
  'Db', 'DB', 'Dictionary', 'Driver', 'Drizzle', 'Env', 'Firebase', 'Firestore', 'Instance', 'Knex', 'Kysely', 'Logger',
  'Model', 'Mongo', 'Pool', 'Prisma', 'Provider', 'Reader', 'Redis', 'Repo', 'Repository', 'Router', 'Sdk', 'SDK', 'Server',
  'Service', 'Sql', 'SQL', 'Storage', 'Store', 'Stream', 'Stripe', 'Supabase', 'Translations', 'Translator', 'Transport',
  'Transporter', 'Writer',
]);
const FACTORY_VERBS = new Set(['create', 'get', 'load']);

/**
 * Packages whose functions compute or read the request, never app data: Next.js and React,
 * i18n, dates, collections, validation, ids, monitoring, and Node built-ins other than `fs`.
 */
const UTILITY_SOURCE =
  /^(?:next|react|react-dom|next-intl|use-intl|i18next|react-i18next|next-i18next|date-fns|date-fns-tz|dayjs|moment|moment-timezone|luxon|lodash|lodash-es|underscore|ramda|remeda|radash|es-toolkit|immer|zod|valibot|yup|joi|uuid|nanoid|slugify|clsx|@date-fns\/[^/]+|@lingui\/[^/]+|@sentry\/[^/]+|@opentelemetry\/[^/]+)(?:\/.*)?$|^lodash\.|^(?:node:)?(?:path|url|crypto|util|os|stream|buffer|querystring|zlib|events|dns|assert)(?:\/.*)?$/;

/** Globals whose methods are language or platform APIs: `console.count`, `Object.assign`, `setTimeout`. */
const GLOBALS = new Set([
  'Array', 'Atomics', 'BigInt', 'Boolean', 'Buffer', 'Date', 'Intl', 'JSON', 'Map', 'Math', 'Number', 'Object', 'Promise',
  'Proxy', 'Reflect', 'RegExp', 'Set', 'String', 'Symbol', 'URL', 'URLSearchParams', 'WeakMap', 'WeakSet', 'clearInterval',
  'clearTimeout', 'console', 'crypto', 'document', 'globalThis', 'localStorage', 'navigator', 'performance', 'process',
  'queueMicrotask', 'sessionStorage', 'setImmediate', 'setInterval', 'setTimeout', 'structuredClone', 'window',
]);

/** Built-in classes whose instances are local values: `new Map()`, `new Date()`, `new URL(…)`. */
const VALUE_CLASSES = new Set([
  'AbortController', 'Array', 'Blob', 'Date', 'Error', 'FormData', 'Headers', 'Map', 'Object', 'RegExp', 'Request', 'Response',
  'Set', 'TextDecoder', 'TextEncoder', 'URL', 'URLSearchParams', 'WeakMap', 'WeakSet',
]);
const VALUE_TYPES = new Set([...VALUE_CLASSES, 'NextRequest', 'ReadonlyArray', 'ReadonlyMap', 'ReadonlySet', 'Record']);
/** Parameter names that hold request input by convention. */
const INPUT_NAMES = new Set(['formData', 'searchParams']);

const MAX_HOPS = 3;

/** The lowercase word a name starts with: `get` for `getUsers` and `get`, `settings` (not `set`) for `settings`. */
export function nameVerb(name: string): string | undefined {
  return /^_?([a-z]+)(?=[A-Z0-9_$]|$)/.exec(name)?.[1];
}

/** What a name says on its own: `read` for `getPosts`, `write` for `sendEmail`, undefined for `connectToDB`. */
export function nameKind(name: string): NameKind | undefined {
  const verb = nameVerb(name);
  if (verb === undefined) return undefined;
  if (READ_VERBS.has(verb)) return 'read';
  return WRITE_VERBS.has(verb) ? 'write' : undefined;
}

/**
 * What a call says it does by its name, or by the SDK command it is handed:
 * `getSignedUrl(s3, new PutObjectCommand(…))` writes. A URL to upload to (`getSignedUploadUrl`,
 * `createPresignedUploadUrl`) prepares a write, whatever the verb.
 */
function callKind(call: TSESTree.CallExpression, name: string): NameKind | undefined {
  if (words(name).includes('Upload')) return 'write';
  for (const argument of call.arguments) {
    if (argument.type !== AST_NODE_TYPES.NewExpression || argument.callee.type !== AST_NODE_TYPES.Identifier) continue;
    const command = /^([A-Z][a-z]+)\w*Command$/.exec(argument.callee.name);
    const kind = command && nameKind(command[1]!.toLowerCase());
    if (kind) return kind;
  }
  return nameKind(name);
}

/** Verbs of functions that reshape what they are given: `toDto(user)`, `serialize(rows)`, `formatPrice(p)`. */
const SHAPING_VERBS = new Set([
  'as', 'convert', 'flatten', 'format', 'group', 'map', 'mask', 'normalize', 'omit', 'paginate', 'parse', 'pick', 'present',
  'redact', 'sanitize', 'serialize', 'shape', 'sort', 'stringify', 'strip', 'to', 'transform',
]);

/** Whether a call's name says it returns what it is given, reshaped. */
export function isShapingCall(call: TSESTree.CallExpression): boolean {
  const name = calleeName(call);
  const verb = name === undefined ? undefined : nameVerb(name);
  return verb !== undefined && SHAPING_VERBS.has(verb);
}

function words(name: string): string[] {
  return name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+/g) ?? [];
}

function isFactoryName(name: string): boolean {
  const verb = nameVerb(name);
  return verb !== undefined && FACTORY_VERBS.has(verb) && CLIENT_WORDS.has(words(name).at(-1) ?? '');
}

/** Whether a read name is about the signed-in user or their credentials rather than app data. */
export function isAuthName(name: string): boolean {
  return SIGNED_IN_USER.test(name) || words(name).some(word => AUTH_WORDS.has(word));
}

function calleeName(call: TSESTree.CallExpression): string | undefined {
  const callee = skipTypeWrappers(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  return callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : undefined;
}

/** What a callee is called on, at the start of its chain: `stripe` in `stripe.prices.list`, `dayjs` in `dayjs().add`. */
function rootOf(node: TSESTree.Node): TSESTree.Node {
  let current = skipAwait(node);
  for (;;) {
    if (current.type === AST_NODE_TYPES.MemberExpression) current = skipAwait(current.object);
    else if (current.type === AST_NODE_TYPES.CallExpression) current = skipAwait(current.callee);
    else return current;
  }
}

function isValueType(annotation: TSESTree.TypeNode): boolean {
  switch (annotation.type) {
    case AST_NODE_TYPES.TSArrayType:
    case AST_NODE_TYPES.TSTupleType:
    case AST_NODE_TYPES.TSStringKeyword:
    case AST_NODE_TYPES.TSNumberKeyword:
      return true;
    case AST_NODE_TYPES.TSTypeReference:
      return annotation.typeName.type === AST_NODE_TYPES.Identifier && VALUE_TYPES.has(annotation.typeName.name);
    default:
      return false;
  }
}

function parameterIdentifier(parameter: TSESTree.Node): TSESTree.Identifier | undefined {
  if (parameter.type === AST_NODE_TYPES.Identifier) return parameter;
  if (parameter.type === AST_NODE_TYPES.AssignmentPattern && parameter.left.type === AST_NODE_TYPES.Identifier) return parameter.left;
  return undefined;
}

/**
 * Whether a chain starts at something that holds no app data: a local collection or date, a
 * literal, a global, an import from a utility package, request input (`formData`), or a
 * variable built from one of these.
 */
function isLocalValue(context: Context, root: TSESTree.Node, hops: number): boolean {
  switch (root.type) {
    case AST_NODE_TYPES.NewExpression:
      return root.callee.type === AST_NODE_TYPES.Identifier && VALUE_CLASSES.has(root.callee.name);
    case AST_NODE_TYPES.ArrayExpression:
    case AST_NODE_TYPES.ObjectExpression:
    case AST_NODE_TYPES.Literal:
    case AST_NODE_TYPES.TemplateLiteral:
      return true;
    case AST_NODE_TYPES.Identifier:
      break;
    default:
      return false;
  }
  const variable = ASTUtils.findVariable(context.sourceCode.getScope(root), root);
  if (!variable || variable.defs.length === 0) return GLOBALS.has(root.name);
  const definition = variable.defs[0]!;
  switch (definition.type) {
    case 'ImportBinding': {
      const source = importedCallee(context, root)?.source;
      return source !== undefined && UTILITY_SOURCE.test(source);
    }
    case 'Variable': {
      const init = definition.node.init;
      if (!init || hops >= MAX_HOPS || definition.node.id.type !== AST_NODE_TYPES.Identifier) return false;
      return isLocalValue(context, rootOf(init), hops + 1);
    }
    case 'Parameter': {
      if (INPUT_NAMES.has(root.name)) return true;
      const fn = definition.node as TSESTree.Node;
      if (!isFunctionNode(fn)) return false;
      const parameter = fn.params.map(parameterIdentifier).find(identifier => identifier?.name === root.name);
      const annotation = parameter?.typeAnnotation?.typeAnnotation;
      return annotation !== undefined && isValueType(annotation);
    }
    default:
      return false;
  }
}

/** The node a call's value ends up in once `await`, `!` and `as` are set aside. */
function valueSite(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (
    current.parent &&
    (current.parent.type === AST_NODE_TYPES.AwaitExpression ||
      current.parent.type === AST_NODE_TYPES.TSAsExpression ||
      current.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      current.parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      current.parent.type === AST_NODE_TYPES.ChainExpression)
  ) {
    current = current.parent;
  }
  return current;
}

/** Whether a call's result is waited for or handed on: awaited, returned, an arrow's body, or listed for `Promise.all`. */
function isConsumed(call: TSESTree.CallExpression): boolean {
  let current: TSESTree.Node = call;
  while (
    current.parent &&
    (current.parent.type === AST_NODE_TYPES.TSAsExpression ||
      current.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      current.parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      current.parent.type === AST_NODE_TYPES.ChainExpression)
  ) {
    current = current.parent;
  }
  const parent = current.parent;
  if (!parent) return false;
  if (parent.type === AST_NODE_TYPES.AwaitExpression || parent.type === AST_NODE_TYPES.ReturnStatement) return true;
  if (parent.type === AST_NODE_TYPES.ArrowFunctionExpression) return parent.body === current;
  return parent.type === AST_NODE_TYPES.ArrayExpression && parent.parent.type === AST_NODE_TYPES.CallExpression;
}

/** `supabase.from(…)`, `client.auth.getUser()`: the identifier is what a method is called on. */
function isMethodReceiver(identifier: TSESTree.Node): boolean {
  let current: TSESTree.Node = identifier;
  while (current.parent?.type === AST_NODE_TYPES.MemberExpression && current.parent.object === current) current = current.parent;
  return current !== identifier && current.parent?.type === AST_NODE_TYPES.CallExpression && current.parent.callee === current;
}

/** The variable a call's value is stored in: `supabase` in `const supabase = await createClient()`. */
function boundVariable(context: Context, call: TSESTree.CallExpression): TSESLint.Scope.Variable | undefined {
  const site = valueSite(call);
  const declarator = site.parent;
  if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== site || declarator.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  return context.sourceCode.scopeManager?.getDeclaredVariables(declarator)[0];
}

/** `const supabase = await createClient(…)` followed by `supabase.from(…)`: the call built a client. */
function isBoundAsReceiver(context: Context, call: TSESTree.CallExpression): boolean {
  return boundVariable(context, call)?.references.some(reference => isMethodReceiver(reference.identifier)) ?? false;
}

/** `const t = await getTranslations()` followed only by `t('title')`: the call returned a function, not data. */
function isBoundAsFunction(context: Context, call: TSESTree.CallExpression): boolean {
  const references = boundVariable(context, call)?.references.filter(reference => reference.isRead()) ?? [];
  return (
    references.length > 0 &&
    references.every(({ identifier }) => identifier.parent?.type === AST_NODE_TYPES.CallExpression && identifier.parent.callee === identifier)
  );
}

/** `like(posts.title, q)`: a bare operator of a query builder, imported from it or from the project's re-export. */
function isQueryOperator(context: Context, call: TSESTree.CallExpression): boolean {
  const callee = skipTypeWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.Identifier) {
    // `drizzle.like(…)` through a namespace import of the package.
    const source = callee.type === AST_NODE_TYPES.MemberExpression ? importedCallee(context, callee)?.source : undefined;
    return source !== undefined && QUERY_BUILDER_SOURCE.test(source);
  }
  const source = importedCallee(context, callee)?.source;
  if (source !== undefined && QUERY_BUILDER_SOURCE.test(source)) return true;
  // Re-exported by the project (`import { like } from '@/db'`): an operator takes a column first (`posts.title`).
  const first = call.arguments[0] === undefined ? undefined : skipTypeWrappers(call.arguments[0]);
  return QUERY_OPERATORS.has(callee.name) && source !== undefined && (first?.type === AST_NODE_TYPES.MemberExpression || first?.type === AST_NODE_TYPES.CallExpression);
}

/**
 * What the names along a call chain say it does (`stripe.prices.list(…)` reads,
 * `resend.emails.send(…)` writes), for the outermost call of a chain. A write name anywhere in
 * the chain wins. Names count only for calls that act on data:
 * - not on local values, globals, request input or utility packages (`map.set`, `addDays`,
 *   `_.set`, `formData.get`, `console.count`, `headers().get`);
 * - not on calls handed a callback (`items.find(item => …)`);
 * - a write, not for a factory whose result is a client or a builder (`createClient()` used as
 *   `supabase.from(…)`, `createHash(…).update(…)`, `createEmailProvider(…)`);
 * - a read, only when its result is awaited or returned, not when it is a function the caller
 *   then calls (`const t = await getTranslate()`), and not for the signed-in user or credentials
 *   (`getSession`, `getToken`), which are auth checks.
 */
export function getNameEvidence(context: Context, outer: TSESTree.CallExpression): NameEvidence | undefined {
  const { calls } = chainCalls(outer);
  let read: NameEvidence | undefined;
  for (let index = 0; index < calls.length; index++) {
    const call = calls[index]!;
    const name = calleeName(call);
    const kind = name === undefined ? undefined : callKind(call, name);
    if (!kind || name === undefined) continue;
    if (call.arguments.some(argument => isFunctionNode(argument))) continue;
    if (isQueryOperator(context, call)) continue;
    if (isFactoryName(name) || isLocalValue(context, rootOf(call.callee), 0)) continue;
    const next = calls[index + 1];
    if (kind === 'write') {
      if (next && !PROMISE_METHODS.has(calleeName(next) ?? '')) continue;
      if (nameVerb(name) === 'create' && !next && isBoundAsReceiver(context, outer)) continue;
      return { kind, call, name };
    }
    if (read || isAuthName(name) || !isConsumed(outer) || (!next && isBoundAsFunction(context, outer))) continue;
    read = { kind, call, name };
  }
  return read;
}

// ---------------------------------------------------------------------------------------------
// Caching wrappers

export interface CachedCall {
  /** The function the wrapper runs when the call is made. */
  fn: FunctionNode;
  /** `cache(fn)` or `unstable_cache(fn, keys, options)`. */
  wrapper: TSESTree.CallExpression;
}

function isCachingWrapper(context: Context, node: TSESTree.Node): node is TSESTree.CallExpression {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = skipTypeWrappers(node.callee);
  let imported = importedCallee(context, callee);
  // `React.cache(…)` with `import React from 'react'`.
  if (!imported && callee.type === AST_NODE_TYPES.MemberExpression) {
    const object = importedCallee(context, callee.object);
    const name = memberName(callee);
    if (object?.name === 'default' && name) imported = { source: object.source, name };
  }
  return (imported?.source === 'react' && imported.name === 'cache') || (imported?.source === 'next/cache' && imported.name === 'unstable_cache');
}

/** A function written in place or named by a local binding: `async () => …`, `getUsersUncached`. */
function localFunction(context: Context, node: TSESTree.Node | undefined): FunctionNode | undefined {
  if (!node || node.type === AST_NODE_TYPES.SpreadElement) return undefined;
  const target = skipTypeWrappers(node);
  if (isFunctionNode(target)) return target;
  if (target.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = ASTUtils.findVariable(context.sourceCode.getScope(target), target);
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (definition?.type === 'FunctionName' && isFunctionNode(definition.node as TSESTree.Node)) return definition.node as FunctionNode;
  if (definition?.type === 'Variable' && definition.node.init) {
    const init = skipTypeWrappers(definition.node.init);
    if (isFunctionNode(init)) return init;
  }
  return undefined;
}

/**
 * The function a call runs through a caching wrapper: `unstable_cache(fn, keys)()`, or `getUser(id)`
 * where `const getUser = cache(fn)` (React) or `unstable_cache(fn, …)` (Next.js). A cache only
 * decides when the function runs, so the call does what the function does.
 */
export function cachedCall(context: Context, call: TSESTree.CallExpression): CachedCall | undefined {
  const callee = skipTypeWrappers(call.callee);
  let wrapper: TSESTree.Node | undefined;
  if (callee.type === AST_NODE_TYPES.CallExpression) {
    wrapper = callee;
  } else if (callee.type === AST_NODE_TYPES.Identifier) {
    const variable = ASTUtils.findVariable(context.sourceCode.getScope(callee), callee);
    const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (definition?.type === 'Variable' && definition.node.init) wrapper = skipTypeWrappers(definition.node.init);
  }
  if (!wrapper || !isCachingWrapper(context, wrapper)) return undefined;
  const fn = localFunction(context, wrapper.arguments[0]);
  return fn && { fn, wrapper };
}
