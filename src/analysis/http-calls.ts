import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { DYNAMIC_PART, type HttpMethod, isHttpMethod } from './routes.js';
import { skipTypeWrappers } from '../utils/ast.js';
import { type FunctionNode, isFunctionNode } from './server-actions.js';

export type HttpClient = 'fetch' | 'axios' | 'ky' | 'ofetch' | 'swrMutation';

export interface HttpCall {
  node: TSESTree.CallExpression;
  client: HttpClient;
  /** The method; `mutation` when only a mutation fetcher knows it; undefined when it is not knowable. */
  method: HttpMethod | 'mutation' | undefined;
  /** The URL argument (or the `url` of a config object), if any. */
  url: TSESTree.Node | undefined;
  /** The `baseURL`/`prefixUrl` of the client instance the call goes through; null when unknown. */
  base: TSESTree.Node | null | undefined;
  /** The request options, when written as (or bound to) an object literal. */
  options: TSESTree.ObjectExpression | undefined;
  /** The request body (`body`, ky's `json`, axios's `data`). */
  body: TSESTree.Node | undefined;
}

export interface UrlTarget {
  /**
   * `relative`: a path on the current origin (`/api/posts`, `api/posts`); `own-origin`: an absolute
   * URL built from the app's own origin (`window.location.origin`, `process.env.NEXT_PUBLIC_APP_URL`,
   * the request's host); `localhost`: an absolute URL on this machine, which may be the app or
   * another local server; `external`: another origin; `unknown`: not decidable from the code.
   */
  kind: 'relative' | 'own-origin' | 'localhost' | 'external' | 'unknown';
  /** For relative, own-origin and localhost URLs: the path, query included, with `DYNAMIC_PART` for runtime values. */
  path: string;
}

type SourceCode = Readonly<TSESLint.SourceCode>;
type Scope = TSESLint.Scope.Scope;

const ORIGIN = '\u0001';
const BASE_PATH = '\u0002';

const fetchPolyfills = new Set(['node-fetch', 'cross-fetch', 'isomorphic-fetch', 'isomorphic-unfetch', 'unfetch']);
const axiosVerbs = new Map<string, { method: HttpMethod; data: boolean }>([
  ['get', { method: 'GET', data: false }],
  ['delete', { method: 'DELETE', data: false }],
  ['head', { method: 'HEAD', data: false }],
  ['options', { method: 'OPTIONS', data: false }],
  ['post', { method: 'POST', data: true }],
  ['put', { method: 'PUT', data: true }],
  ['patch', { method: 'PATCH', data: true }],
]);
const ownOriginEnv = /^(?:NEXT_PUBLIC_)?(?:APP|SITE|BASE|VERCEL|VERCEL_PROJECT_PRODUCTION)_URL$|^NEXTAUTH_URL$/;
const basePathEnv = /^(?:NEXT_PUBLIC_)?BASE_PATH$/;
const localhost = /^https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::\d+)?\/?$/;

/**
 * A cheap text test: a file that does not name an HTTP client the way getHttpCall recognises one
 * cannot hold a call this module reports. The names: `fetch` as a word (`window.fetch`, `$fetch`,
 * and the `node-fetch`/`cross-fetch`/`isomorphic-fetch` and `undici` imports), `unfetch`,
 * `ofetch`, `axios`, `ky`, or `useSWRMutation` (also imported from `swr/mutation` under another
 * name). `refetch`, `prefetch` and `fetcher` do not count.
 */
export function namesHttpClient(text: string): boolean {
  return /\bfetch\b|unfetch|ofetch|axios|\bky\b|useSWRMutation|swr\/mutation/.test(text);
}

function propertyName(node: TSESTree.MemberExpression | TSESTree.Property): string | undefined {
  const key = node.type === AST_NODE_TYPES.Property ? node.key : node.property;
  if (!node.computed && key.type === AST_NODE_TYPES.Identifier) return key.name;
  return key.type === AST_NODE_TYPES.Literal && typeof key.value === 'string' ? key.value : undefined;
}

function findVariable(scope: Scope, name: string): TSESLint.Scope.Variable | undefined {
  return ASTUtils.findVariable(scope, name) ?? undefined;
}

function isGlobal(scope: Scope, name: string): boolean {
  const variable = findVariable(scope, name);
  return !variable || variable.defs.length === 0;
}

/** The initializer of a `const` binding that is a plain identifier, if any. */
export function constInit(scope: Scope, name: string): TSESTree.Expression | undefined {
  const variable = findVariable(scope, name);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (
    def?.type !== 'Variable' ||
    def.parent.kind !== 'const' ||
    def.node.id.type !== AST_NODE_TYPES.Identifier ||
    !def.node.init
  ) {
    return undefined;
  }
  return def.node.init;
}

type Binding = { source: string; imported: string } | { instanceOf: HttpClient; config: TSESTree.Node | undefined };

function bindingOf(scope: Scope, name: string, depth = 0): Binding | undefined {
  if (depth > 3) return undefined;
  const variable = findVariable(scope, name);
  const def = variable?.defs[0];
  if (!def) return undefined;
  if (def.type === 'ImportBinding') {
    if (def.parent.type !== AST_NODE_TYPES.ImportDeclaration || def.parent.importKind === 'type') return undefined;
    const specifier = def.node;
    const imported =
      specifier.type === AST_NODE_TYPES.ImportSpecifier
        ? specifier.imported.type === AST_NODE_TYPES.Identifier
          ? specifier.imported.name
          : String(specifier.imported.value)
        : specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier
          ? 'default'
          : '*';
    return { source: def.parent.source.value, imported };
  }
  const init = constInit(scope, name);
  if (!init) return undefined;
  const call = skipTypeWrappers(init);
  if (call.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const callee = skipTypeWrappers(call.callee);
  if (
    callee.type === AST_NODE_TYPES.Identifier &&
    callee.name === 'require' &&
    call.arguments[0]?.type === AST_NODE_TYPES.Literal &&
    typeof call.arguments[0].value === 'string'
  ) {
    return { source: call.arguments[0].value, imported: 'default' };
  }
  // `axios.create({ baseURL })`, `ky.create({ prefixUrl })`, `ky.extend(…)`: an instance of the client.
  if (callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type === AST_NODE_TYPES.Identifier) {
    const method = propertyName(callee);
    const client = clientOf(scope, callee.object.name, depth + 1);
    if ((client === 'axios' || client === 'ky') && (method === 'create' || method === 'extend')) {
      return { instanceOf: client, config: call.arguments[0] };
    }
  }
  return undefined;
}

function clientOf(scope: Scope, name: string, depth = 0): HttpClient | undefined {
  if (isGlobal(scope, name)) {
    if (name === 'fetch') return 'fetch';
    if (name === 'axios') return 'axios';
    if (name === '$fetch' || name === 'ofetch') return 'ofetch';
    return undefined;
  }
  const binding = bindingOf(scope, name, depth);
  if (!binding || !('source' in binding)) return undefined;
  const { source, imported } = binding;
  if (source === 'axios' && imported === 'default') return 'axios';
  if (source === 'ky' && imported === 'default') return 'ky';
  if (source === 'ofetch' && (imported === 'ofetch' || imported === '$fetch')) return 'ofetch';
  if (source === 'swr/mutation' && imported === 'default') return 'swrMutation';
  if (fetchPolyfills.has(source) && imported === 'default') return 'fetch';
  if (source === 'undici' && imported === 'fetch') return 'fetch';
  return undefined;
}

/** The client behind a callee, and the base URL of the instance it goes through. */
function resolveCallee(
  scope: Scope,
  callee: TSESTree.Node,
): { client: HttpClient; verb: string | undefined; base: TSESTree.Node | null | undefined } | undefined {
  const node = skipTypeWrappers(callee);
  if (node.type === AST_NODE_TYPES.Identifier) {
    const client = clientOf(scope, node.name);
    if (client) return { client, verb: undefined, base: undefined };
    const binding = bindingOf(scope, node.name);
    if (binding && 'instanceOf' in binding) return { client: binding.instanceOf, verb: undefined, base: instanceBase(binding) };
    return undefined;
  }
  if (node.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const verb = propertyName(node);
  if (verb === undefined) return undefined;
  const object = skipTypeWrappers(node.object);
  if (object.type !== AST_NODE_TYPES.Identifier) return undefined;
  if (verb === 'fetch' && ['window', 'globalThis', 'self'].includes(object.name) && isGlobal(scope, object.name)) {
    return { client: 'fetch', verb: undefined, base: undefined };
  }
  const client = clientOf(scope, object.name);
  if (client === 'axios' || client === 'ky') return { client, verb, base: undefined };
  const binding = bindingOf(scope, object.name);
  if (binding && 'instanceOf' in binding) return { client: binding.instanceOf, verb, base: instanceBase(binding) };
  return undefined;
}

function instanceBase(binding: { instanceOf: HttpClient; config: TSESTree.Node | undefined }): TSESTree.Node | null | undefined {
  if (!binding.config) return undefined;
  const config = skipTypeWrappers(binding.config);
  if (config.type !== AST_NODE_TYPES.ObjectExpression) return null;
  return findProperty(config, binding.instanceOf === 'axios' ? 'baseURL' : 'prefixUrl');
}

/** The value of `key` in an object literal; null when a spread may hide it. */
function findProperty(object: TSESTree.ObjectExpression, key: string): TSESTree.Node | null | undefined {
  let found: TSESTree.Node | null | undefined;
  for (const property of object.properties) {
    const name = property.type === AST_NODE_TYPES.SpreadElement ? undefined : propertyName(property);
    if (name === undefined) found = null;
    else if (name === key && property.type === AST_NODE_TYPES.Property) found = property.value;
  }
  return found;
}

function objectArgument(scope: Scope, node: TSESTree.Node | undefined): TSESTree.ObjectExpression | undefined {
  if (!node) return undefined;
  let current = skipTypeWrappers(node);
  if (current.type === AST_NODE_TYPES.Identifier) {
    const init = constInit(scope, current.name);
    if (!init) return undefined;
    current = skipTypeWrappers(init);
  }
  return current.type === AST_NODE_TYPES.ObjectExpression ? current : undefined;
}

/** The method an options object names; GET when it names none, undefined when it cannot be read. */
function methodOf(scope: Scope, options: TSESTree.Node | undefined): HttpMethod | undefined {
  if (!options) return 'GET';
  const object = objectArgument(scope, options);
  if (!object) return undefined;
  const value = findProperty(object, 'method');
  if (value === undefined) return 'GET';
  if (value === null) return undefined;
  const text = flattenUrl(scope, value, 0).toUpperCase();
  return isHttpMethod(text) ? text : undefined;
}

function bodyOf(scope: Scope, options: TSESTree.Node | undefined, keys: readonly string[]): TSESTree.Node | undefined {
  const object = objectArgument(scope, options);
  if (!object) return undefined;
  for (const key of keys) {
    const value = findProperty(object, key);
    if (value) return value;
  }
  return undefined;
}

/**
 * The HTTP request a call makes, for the clients this plugin knows: `fetch` (also `window.fetch`,
 * `globalThis.fetch` and fetch polyfills), `axios(…)`/`axios.<verb>(…)`/`axios.request(…)` and
 * `axios.create` instances, `ky`/`ky.<verb>` and its instances, `ofetch`/`$fetch`, and
 * `useSWRMutation(key, …)`. Undefined for any other call.
 */
export function getHttpCall(node: TSESTree.CallExpression, sourceCode: SourceCode): HttpCall | undefined {
  const scope = sourceCode.getScope(node);
  const callee = resolveCallee(scope, node.callee);
  if (!callee) return undefined;
  const [first, second, third] = node.arguments;
  const { client, verb, base } = callee;
  const call = (fields: Omit<HttpCall, 'node' | 'client' | 'base'>): HttpCall => ({ node, client, base, ...fields });

  switch (client) {
    case 'fetch': {
      if (verb !== undefined) return undefined;
      // `fetch(new Request(url, init))`: the request carries both.
      const request = first && skipTypeWrappers(first);
      if (request?.type === AST_NODE_TYPES.NewExpression && request.callee.type === AST_NODE_TYPES.Identifier && request.callee.name === 'Request') {
        const init = request.arguments[1];
        return call({ method: methodOf(scope, init), url: request.arguments[0], options: objectArgument(scope, init), body: bodyOf(scope, init, ['body']) });
      }
      return call({ method: methodOf(scope, second), url: first, options: objectArgument(scope, second), body: bodyOf(scope, second, ['body']) });
    }
    case 'ofetch':
      return call({ method: methodOf(scope, second), url: first, options: objectArgument(scope, second), body: bodyOf(scope, second, ['body']) });
    case 'ky': {
      if (verb === undefined) {
        return call({ method: methodOf(scope, second), url: first, options: objectArgument(scope, second), body: bodyOf(scope, second, ['json', 'body']) });
      }
      const known = axiosVerbs.get(verb);
      if (!known) return undefined;
      return call({ method: known.method, url: first, options: objectArgument(scope, second), body: bodyOf(scope, second, ['json', 'body']) });
    }
    case 'axios': {
      if (verb === undefined || verb === 'request') {
        // `axios(config)` and `axios.request(config)`, or `axios(url, config)`.
        const configFirst = verb === 'request' || (first !== undefined && objectArgument(scope, first) !== undefined);
        const config = configFirst ? first : second;
        const object = objectArgument(scope, config);
        const url = configFirst ? (object ? (findProperty(object, 'url') ?? undefined) : undefined) : first;
        return call({ method: methodOf(scope, config), url, options: object, body: bodyOf(scope, config, ['data']) });
      }
      const known = axiosVerbs.get(verb);
      if (!known) return undefined;
      const config = known.data ? third : second;
      return call({ method: known.method, url: first, options: objectArgument(scope, config), body: known.data ? second : undefined });
    }
    case 'swrMutation': {
      if (verb !== undefined) return undefined;
      // An array key (`['/api/posts', id]`) starts with the URL.
      const key = first && skipTypeWrappers(first);
      const url = key?.type === AST_NODE_TYPES.ArrayExpression ? (key.elements[0] ?? undefined) : first;
      return call({ method: 'mutation', url, options: undefined, body: undefined });
    }
  }
}

function isOwnOriginMember(scope: Scope, node: TSESTree.MemberExpression): boolean {
  const name = propertyName(node);
  const object = skipTypeWrappers(node.object);
  if (name === 'origin' || name === 'host') {
    // `window.location.origin`, `location.origin`, `document.location.host`
    if (object.type === AST_NODE_TYPES.Identifier && object.name === 'location' && isGlobal(scope, 'location')) return true;
    if (object.type === AST_NODE_TYPES.MemberExpression && propertyName(object) === 'location') return true;
    // `request.nextUrl.origin`, `new URL(request.url).origin`
    if (name === 'origin' && object.type === AST_NODE_TYPES.MemberExpression && propertyName(object) === 'nextUrl') return true;
    if (name === 'origin' && object.type === AST_NODE_TYPES.NewExpression && isRequestUrl(object.arguments[0])) return true;
  }
  return isEnv(node, ownOriginEnv);
}

function isEnv(node: TSESTree.MemberExpression, pattern: RegExp): boolean {
  const name = propertyName(node);
  const object = skipTypeWrappers(node.object);
  return (
    name !== undefined &&
    pattern.test(name) &&
    object.type === AST_NODE_TYPES.MemberExpression &&
    propertyName(object) === 'env' &&
    object.object.type === AST_NODE_TYPES.Identifier &&
    object.object.name === 'process'
  );
}

/** `request.url`, `req.url`, `request.nextUrl`, `location.href`: a URL on the app's own origin. */
function isRequestUrl(node: TSESTree.Node | undefined): boolean {
  if (!node) return false;
  const current = skipTypeWrappers(node);
  if (current.type !== AST_NODE_TYPES.MemberExpression) return false;
  const name = propertyName(current);
  const object = skipTypeWrappers(current.object);
  if (name === 'nextUrl') return true;
  if (name === 'href' && object.type === AST_NODE_TYPES.Identifier && object.name === 'location') return true;
  if (name === 'href' && object.type === AST_NODE_TYPES.MemberExpression && propertyName(object) === 'location') return true;
  return name === 'url' && object.type === AST_NODE_TYPES.Identifier && /^req(?:uest)?$/.test(object.name);
}

function isOriginLike(text: string): boolean {
  return text === ORIGIN || text === '' || localhost.test(text) || /^(?:https?:)?\/\/\u0001\/?$/.test(text);
}

/**
 * The URL an expression builds, as text: literal parts as written, `ORIGIN` for the app's own
 * origin, `BASE_PATH` for the configured base path and `DYNAMIC_PART` for anything else.
 */
function flattenUrl(scope: Scope, node: TSESTree.Node, depth: number): string {
  if (depth > 4) return DYNAMIC_PART;
  const current = skipTypeWrappers(node);
  switch (current.type) {
    case AST_NODE_TYPES.Literal:
      return typeof current.value === 'string' || typeof current.value === 'number' ? String(current.value) : DYNAMIC_PART;
    case AST_NODE_TYPES.TemplateLiteral:
      return current.quasis
        .map((quasi, index) => {
          const expression = current.expressions[index];
          return (quasi.value.cooked ?? quasi.value.raw) + (expression ? flattenUrl(scope, expression, depth + 1) : '');
        })
        .join('');
    case AST_NODE_TYPES.BinaryExpression:
      if (current.operator !== '+') return DYNAMIC_PART;
      return flattenUrl(scope, current.left, depth + 1) + flattenUrl(scope, current.right, depth + 1);
    case AST_NODE_TYPES.Identifier: {
      const init = constInit(scope, current.name);
      if (init) return flattenUrl(scope, init, depth + 1);
      return current.name === 'basePath' || current.name === 'BASE_PATH' ? BASE_PATH : DYNAMIC_PART;
    }
    case AST_NODE_TYPES.MemberExpression: {
      if (isOwnOriginMember(scope, current)) return ORIGIN;
      if (isEnv(current, basePathEnv)) return BASE_PATH;
      const name = propertyName(current);
      if (name === 'href' && skipTypeWrappers(current.object).type === AST_NODE_TYPES.NewExpression) return flattenUrl(scope, current.object, depth + 1);
      return DYNAMIC_PART;
    }
    case AST_NODE_TYPES.CallExpression: {
      const callee = skipTypeWrappers(current.callee);
      if (callee.type !== AST_NODE_TYPES.MemberExpression) {
        return callee.type === AST_NODE_TYPES.Identifier && callee.name === 'String' && current.arguments[0]
          ? flattenUrl(scope, current.arguments[0], depth + 1)
          : DYNAMIC_PART;
      }
      const name = propertyName(callee);
      if (name === 'toString' && current.arguments.length === 0) return flattenUrl(scope, callee.object, depth + 1);
      // `headers().get('host')`: the host this request reached, so the app's own.
      const header = current.arguments[0];
      if (
        name === 'get' &&
        header?.type === AST_NODE_TYPES.Literal &&
        (header.value === 'host' || header.value === 'x-forwarded-host')
      ) {
        return ORIGIN;
      }
      return DYNAMIC_PART;
    }
    case AST_NODE_TYPES.NewExpression: {
      const [target, base] = current.arguments;
      if (current.callee.type !== AST_NODE_TYPES.Identifier || current.callee.name !== 'URL' || !target) return DYNAMIC_PART;
      const path = flattenUrl(scope, target, depth + 1);
      if (/^[a-z][a-z\d+.-]*:/i.test(path) || path.startsWith(ORIGIN)) return path;
      if (!base) return DYNAMIC_PART;
      const resolvedBase = isRequestUrl(base) ? ORIGIN : flattenUrl(scope, base, depth + 1);
      const relativePath = path.startsWith('/') ? path : `/${path}`;
      // A written origin (`'https://api.example.com'`, `'http://localhost:3000'`) is taken as is.
      const writtenOrigin = /^[a-z][a-z\d+.-]*:\/\/[^/?#\u0000-\u0002]+(?=[/?#]|$)/i.exec(resolvedBase);
      if (writtenOrigin) return writtenOrigin[0] + relativePath;
      return resolvedBase !== '' && isOriginLike(resolvedBase) ? ORIGIN + relativePath : DYNAMIC_PART;
    }
    case AST_NODE_TYPES.LogicalExpression:
    case AST_NODE_TYPES.ConditionalExpression: {
      const [a, b] =
        current.type === AST_NODE_TYPES.LogicalExpression ? [current.left, current.right] : [current.consequent, current.alternate];
      if (current.type === AST_NODE_TYPES.LogicalExpression && current.operator === '&&') return DYNAMIC_PART;
      const left = flattenUrl(scope, a, depth + 1);
      const right = flattenUrl(scope, b, depth + 1);
      if (left === right) return left;
      // `process.env.NEXT_PUBLIC_APP_URL ?? 'http://localhost:3000'`, `isServer ? origin : ''`
      return isOriginLike(left) && isOriginLike(right) ? ORIGIN : DYNAMIC_PART;
    }
    default:
      return DYNAMIC_PART;
  }
}

function joinBase(base: string, url: string): string {
  if (/^[a-z][a-z\d+.-]*:/i.test(url) || url.startsWith('//')) return url;
  return `${base.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

/** Where a request goes: the app's own origin (relative or absolute), another origin, or unknown. */
export function resolveUrl(call: HttpCall, sourceCode: SourceCode): UrlTarget {
  if (!call.url || call.base === null) return { kind: 'unknown', path: '' };
  const scope = sourceCode.getScope(call.node);
  let text = flattenUrl(scope, call.url, 0);
  if (call.base) text = joinBase(flattenUrl(scope, call.base, 0), text);

  let kind: UrlTarget['kind'];
  const origin = /^(?:(?:https?:|\u0000:)?\/\/)?\u0001/.exec(text);
  const local = /^https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::\d+)?(?=[/?#]|$)/.exec(text);
  if (origin || local) {
    kind = origin ? 'own-origin' : 'localhost';
    text = text.slice((origin ?? local)![0].length);
    if (text !== '' && !/^[/?#\u0002]/.test(text)) return { kind: 'unknown', path: '' };
  } else if (text.startsWith('/') && !text.startsWith('//')) {
    kind = 'relative';
  } else if (text.startsWith(BASE_PATH)) {
    kind = 'relative';
  } else if (/^(?:\.\/)?api(?:[/?#]|$)/.test(text)) {
    // Resolved against the page URL: from any top-level page this is `/api/…`.
    kind = 'relative';
    text = `/${text.replace(/^\.\//, '')}`;
  } else if (/^[a-z][a-z\d+.-]*:/i.test(text) || text.startsWith('//')) {
    return { kind: 'external', path: '' };
  } else {
    return { kind: 'unknown', path: '' };
  }
  // The base path is the app's own prefix; matching strips the configured one.
  text = text.replace(/^\u0002/, '');
  if (!text.startsWith('/')) text = `/${text}`;
  return { kind, path: text.replace(/[\u0001\u0002]/g, DYNAMIC_PART) };
}

/** The name a call's callee (or a property) goes by: `fetch`, `res.body` → `body`. */
export function calleeName(callee: TSESTree.Node): string | undefined {
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) {
    return callee.property.name;
  }
  return undefined;
}

/** The function a callee names in this file, if it is declared here. */
function localFunction(callee: TSESTree.Node, sourceCode: SourceCode): FunctionNode | undefined {
  if (callee.type !== AST_NODE_TYPES.Identifier) return undefined;
  const def = ASTUtils.findVariable(sourceCode.getScope(callee), callee.name)?.defs[0];
  if (def?.type === 'FunctionName' && isFunctionNode(def.node)) return def.node;
  const init = def?.type === 'Variable' ? def.node.init : undefined;
  return isFunctionNode(init) ? init : undefined;
}

function parameterVariable(fn: FunctionNode, index: number, sourceCode: SourceCode): TSESLint.Scope.Variable | undefined {
  const param = fn.params[index];
  if (param?.type !== AST_NODE_TYPES.Identifier) return undefined;
  return sourceCode.getDeclaredVariables(fn).find(variable => variable.name === param.name);
}

/**
 * Whether a response may be read as a stream: its `body` is used, or it is handed to a function
 * this file does not declare (a `processResponse` helper that reads the stream is the usual case).
 */
function responseStreamed(variable: TSESLint.Scope.Variable | undefined, sourceCode: SourceCode, depth: number): boolean {
  return (
    variable?.references.some(reference => {
      const { identifier } = reference;
      const { parent } = identifier;
      if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === identifier) return calleeName(parent) === 'body';
      if (parent.type !== AST_NODE_TYPES.CallExpression) return false;
      const index = parent.arguments.findIndex(argument => argument === identifier);
      if (index === -1) return false;
      const { callee } = parent;
      if (callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type === AST_NODE_TYPES.Identifier && callee.object.name === 'console') return false;
      const fn = localFunction(callee, sourceCode);
      if (!fn || depth > 1) return true;
      return responseStreamed(parameterVariable(fn, index, sourceCode), sourceCode, depth + 1);
    }) ?? false
  );
}

/** Whether the response is read as a stream (`res.body.getReader()`, `responseType: 'stream'`). */
export function isStreamed(call: HttpCall, sourceCode: SourceCode): boolean {
  const responseType = call.options?.properties.find(
    property => property.type === AST_NODE_TYPES.Property && calleeName(property.key) === 'responseType',
  );
  if (responseType?.type === AST_NODE_TYPES.Property && responseType.value.type === AST_NODE_TYPES.Literal && responseType.value.value === 'stream') {
    return true;
  }
  const awaited = call.node.parent?.type === AST_NODE_TYPES.AwaitExpression;
  const response: TSESTree.Node = awaited ? call.node.parent! : call.node;
  const { parent } = response;
  if (!parent) return false;
  if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === response) {
    if (calleeName(parent) === 'body') return true;
    // `fetch(…).then(res => …)`: the handler's parameter is the response.
    const then = parent.parent;
    const handler = then.type === AST_NODE_TYPES.CallExpression && calleeName(parent) === 'then' ? then.arguments[0] : undefined;
    return isFunctionNode(handler) && responseStreamed(parameterVariable(handler, 0, sourceCode), sourceCode, 0);
  }
  // A promise that is not awaited goes to its consumer (`toast.promise(p)`), not a response.
  if (!awaited || parent.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== response) return false;
  if (parent.id.type === AST_NODE_TYPES.ObjectPattern) {
    return parent.id.properties.some(property => property.type === AST_NODE_TYPES.Property && calleeName(property.key) === 'body');
  }
  return responseStreamed(sourceCode.getDeclaredVariables(parent)[0], sourceCode, 0);
}

const uploadConstructors = new Set(['FormData', 'File', 'Blob']);

/** Whether a request body is a file upload: `FormData`, a `File`/`Blob`, or an input's `files`. */
export function isUploadBody(node: TSESTree.Node | undefined, sourceCode: SourceCode, depth = 0): boolean {
  if (!node || depth > 3) return false;
  switch (node.type) {
    case AST_NODE_TYPES.NewExpression:
      return node.callee.type === AST_NODE_TYPES.Identifier && uploadConstructors.has(node.callee.name);
    case AST_NODE_TYPES.MemberExpression:
      return calleeName(node) === 'files' || isUploadBody(node.object, sourceCode, depth + 1);
    case AST_NODE_TYPES.ChainExpression:
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSNonNullExpression:
      return isUploadBody(node.expression, sourceCode, depth + 1);
    case AST_NODE_TYPES.Identifier: {
      const scope = sourceCode.getScope(node);
      const init = constInit(scope, node.name);
      if (init) return isUploadBody(init, sourceCode, depth + 1);
      const id = ASTUtils.findVariable(scope, node.name)?.defs[0]?.name;
      const annotation = id?.type === AST_NODE_TYPES.Identifier ? id.typeAnnotation?.typeAnnotation : undefined;
      return (
        annotation?.type === AST_NODE_TYPES.TSTypeReference &&
        annotation.typeName.type === AST_NODE_TYPES.Identifier &&
        uploadConstructors.has(annotation.typeName.name)
      );
    }
    default:
      return false;
  }
}
