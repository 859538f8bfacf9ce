import path from 'node:path';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { isClientCode } from '../analysis/callers.js';
import { type FileFacts, getFileFacts, isServerComponentFile } from '../analysis/file-kind.js';
import { constInit, getHttpCall, type HttpCall, namesHttpClient, resolveUrl } from '../analysis/http-calls.js';
import { nextConfigBasePath } from '../analysis/next-config.js';
import { DYNAMIC_PART, getRouteTable, type HttpMethod, matchRoute, type RouteMatch, stripBasePath } from '../analysis/routes.js';
import { type FunctionNode, getServerActions, isFunctionNode } from '../analysis/server-actions.js';
import { createRule } from '../utils/create-rule.js';
import { walkNodes } from '../utils/ast.js';
import { compileUrlGlob, type Matcher } from '../utils/patterns.js';

export type Options = [
  {
    reads?: 'off' | 'initial' | 'all';
    allow?: string[];
    allowUploads?: boolean;
  },
];
export type MessageIds = 'mutation' | 'initialRead' | 'clientRead' | 'serverFetch';

type SourceCode = Readonly<TSESLint.SourceCode>;

const MUTATING = new Set<string>(['POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * Endpoints that take a POST body to read: GraphQL sends queries as POST, search and lookup
 * endpoints take their criteria as JSON. The method says nothing about a mutation there.
 */
const READ_ENDPOINT = /\/(?:graphql|search|query|lookup|autocomplete|suggest|suggestions|available|availability|preview|estimate|retrieve)$/;
const EFFECT_HOOKS = new Set(['useEffect', 'useLayoutEffect']);
const IMMEDIATE_CALLBACKS = new Set(['then', 'catch', 'finally', 'startTransition']);
/** App Router files rendered on the server unless they say "use client". */
const SERVER_COMPONENT_FILES = new Set(['page', 'layout', 'template', 'default', 'not-found', 'global-not-found', 'forbidden', 'unauthorized', 'loading']);
const METADATA_FILES = new Set(['sitemap', 'robots', 'manifest', 'opengraph-image', 'twitter-image', 'icon', 'apple-icon']);
const SERVER_EXPORTS = new Set(['generateMetadata', 'generateStaticParams', 'generateViewport', 'generateImageMetadata', 'generateSitemaps']);

/** Where server code runs, as the message names it; undefined when the call may run in the browser. */
type Place = string | undefined;

function calleeName(callee: TSESTree.Node): string | undefined {
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) {
    return callee.property.name;
  }
  return undefined;
}

function functionName(fn: FunctionNode): string | undefined {
  if (fn.type !== AST_NODE_TYPES.ArrowFunctionExpression && fn.id) return fn.id.name;
  const { parent } = fn;
  return parent.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier ? parent.id.name : undefined;
}

function isEmptyDepsEffectCallback(node: TSESTree.Node): boolean {
  const { parent } = node;
  if (parent?.type !== AST_NODE_TYPES.CallExpression || parent.arguments[0] !== node) return false;
  const name = calleeName(parent.callee);
  const deps = parent.arguments[1];
  return name !== undefined && EFFECT_HOOKS.has(name) && deps?.type === AST_NODE_TYPES.ArrayExpression && deps.elements.length === 0;
}

/** The variable a function is bound to: `function load()`, `const load = …`, `const load = useCallback(…)`. */
function boundVariable(fn: FunctionNode, sourceCode: SourceCode): TSESLint.Scope.Variable | undefined {
  const name = functionName(fn) ?? useCallbackName(fn);
  if (name === undefined) return undefined;
  const owner = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn : declaratorOf(fn);
  return owner ? sourceCode.getDeclaredVariables(owner).find(variable => variable.name === name) : undefined;
}

function useCallbackName(fn: FunctionNode): string | undefined {
  const { parent } = fn;
  if (parent.type !== AST_NODE_TYPES.CallExpression || calleeName(parent.callee) !== 'useCallback') return undefined;
  const declarator = parent.parent;
  return declarator.type === AST_NODE_TYPES.VariableDeclarator && declarator.id.type === AST_NODE_TYPES.Identifier ? declarator.id.name : undefined;
}

function declaratorOf(fn: FunctionNode): TSESTree.VariableDeclarator | undefined {
  const parent = fn.parent.type === AST_NODE_TYPES.CallExpression ? fn.parent.parent : fn.parent;
  return parent?.type === AST_NODE_TYPES.VariableDeclarator ? parent : undefined;
}

/** A function called as soon as it is created: an IIFE, a promise continuation, a transition. */
function runsRightAway(fn: FunctionNode): boolean {
  const { parent } = fn;
  if (parent.type !== AST_NODE_TYPES.CallExpression) return false;
  if (parent.callee === fn) return true;
  const name = calleeName(parent.callee);
  return name !== undefined && IMMEDIATE_CALLBACKS.has(name);
}

/** A reference to a function that runs it when the component mounts: `load()`, `useEffect(load, [])`. */
function isInitialReference(identifier: TSESTree.Node, sourceCode: SourceCode, hops: number): boolean {
  if (isEmptyDepsEffectCallback(identifier)) return true;
  const { parent } = identifier;
  return parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === identifier && runsInInitialEffect(parent, sourceCode, hops);
}

/**
 * Whether a node runs when the component first mounts: inside a `useEffect(…, [])` callback, or
 * inside a function such an effect calls (`useEffect(() => { load(); }, [])`). Callbacks handed
 * to timers, listeners or observers run later, so a request there is not first-render data.
 */
function runsInInitialEffect(node: TSESTree.Node, sourceCode: SourceCode, hops: number): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionNode(current)) continue;
    if (isEmptyDepsEffectCallback(current)) return true;
    if (runsRightAway(current)) continue;
    if (hops === 0) return false;
    const variable = boundVariable(current, sourceCode);
    return variable?.references.some(reference => !reference.init && isInitialReference(reference.identifier, sourceCode, hops - 1)) ?? false;
  }
  return false;
}

function isRouterObject(node: TSESTree.Node, sourceCode: SourceCode, depth = 0): boolean {
  if (node.type === AST_NODE_TYPES.CallExpression) return calleeName(node.callee) === 'useRouter';
  if (node.type !== AST_NODE_TYPES.Identifier || depth > 2) return false;
  const init = constInit(sourceCode.getScope(node), node.name);
  return init ? isRouterObject(init, sourceCode, depth + 1) : node.name === 'router';
}

/** Whether `router.refresh()` is called after `call` in the function that makes it. */
function refreshFollows(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  let fn: TSESTree.Node | undefined = call.parent;
  while (fn && !isFunctionNode(fn)) fn = fn.parent;
  if (!fn) return false;
  let found = false;
  walkNodes(fn, sourceCode.visitorKeys, node => {
    if (
      !found &&
      node.type === AST_NODE_TYPES.CallExpression &&
      node.range[0] > call.range[1] &&
      node.callee.type === AST_NODE_TYPES.MemberExpression &&
      calleeName(node.callee) === 'refresh' &&
      isRouterObject(node.callee.object, sourceCode)
    ) {
      found = true;
    }
  });
  return found;
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
function isStreamed(call: HttpCall, sourceCode: SourceCode): boolean {
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
function isUploadBody(node: TSESTree.Node | undefined, sourceCode: SourceCode, depth = 0): boolean {
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

const allowCache = new WeakMap<readonly string[], Matcher[]>();

function allowPatterns(allow: readonly string[]): Matcher[] {
  let compiled = allowCache.get(allow);
  if (!compiled) {
    compiled = allow.map(compileUrlGlob);
    allowCache.set(allow, compiled);
  }
  return compiled;
}

function pathname(urlPath: string): string {
  const end = urlPath.search(/[?#]/);
  const result = end === -1 ? urlPath : urlPath.slice(0, end);
  return result.length > 1 ? result.replace(/\/+$/, '') : result;
}

function isApiPath(urlPath: string): boolean {
  return /^\/api(?:\/|$)/.test(pathname(urlPath));
}

function handlerText(match: RouteMatch | undefined, method: HttpMethod | 'mutation' | undefined): string {
  if (!match) return 'API route';
  const kind = match.router === 'app' ? 'Route Handler' : 'API route';
  const missing = method && method !== 'mutation' && match.exportsMethod(method) === false;
  return missing
    ? `${kind} (\`${match.file}\`, which does not export \`${method}\`, so this request fails with 405)`
    : `${kind} (\`${match.file}\`)`;
}

function requestText(call: HttpCall, shownPath: string): string {
  if (call.client === 'swrMutation') return `The \`useSWRMutation\` request to \`${shownPath}\``;
  if (call.method === undefined || call.method === 'mutation') return `A request to \`${shownPath}\``;
  return `\`${call.method} ${shownPath}\``;
}

interface OwnTarget {
  match: RouteMatch | undefined;
  /** The path inside the app, without the base path and the query. */
  path: string;
  /** The path as messages show it: the route pattern when known. */
  shownPath: string;
  relative: boolean;
}

function fileBase(facts: FileFacts): string {
  return path.basename(facts.filename).replace(/\.[cm]?[jt]sx?$/, '');
}

export default createRule<Options, MessageIds>({
  name: 'no-fetch-own-api',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Disallow requests from your own UI and server code to your own Route Handlers where a Server Action or a direct call does the job',
      recommended: 'warn',
      strict: 'error',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          reads: {
            type: 'string',
            enum: ['off', 'initial', 'all'],
            description:
              "Which GET requests from Client Components to report: 'off' none, 'initial' those in a `useEffect` with an empty dependency array, 'all' every one.",
          },
          allow: {
            type: 'array',
            items: { type: 'string' },
            uniqueItems: true,
            description: "URL path globs never reported, such as '/api/auth/**' for an auth library's routes.",
          },
          allowUploads: {
            type: 'boolean',
            description: 'Allow requests that send a `FormData`, `File` or `Blob` body (Server Actions accept 1 MB bodies by default).',
          },
        },
      },
    ],
    defaultOptions: [{ reads: 'initial', allow: [], allowUploads: true }],
    messages: {
      mutation:
        '{{request}} from a Client Component changes data through your own {{handler}}. A person triggers this from your own UI, which is what Server Actions are for: make it a Server Action{{advice}}. Keep the Route Handler only if other clients (a mobile app, a public API) call it too.',
      initialRead:
        '{{request}} in a `useEffect` with an empty dependency array loads first-render data from your own {{handler}}: the page renders without it, hydrates, then asks for it. Fetch the data in the parent Server Component and pass it down as a prop.',
      clientRead:
        "{{request}} from a Client Component reads from your own {{handler}}, and this project loads data on the server (`reads: 'all'`). Fetch it in a Server Component and pass it down as a prop.",
      serverFetch:
        '{{request}} in {{place}} calls your own {{handler}} over HTTP: the server makes a network round trip to itself{{relative}}. Import the function behind the route and call it directly.',
    },
  },
  create(context, [options]) {
    const { sourceCode } = context;
    if (!namesHttpClient(sourceCode.text)) return {};
    const facts = getFileFacts(context);
    const inApp = facts.kind === 'other' && isServerComponentFile(facts);
    // A module without a directive may be client code (a "use client" module imports it). Outside
    // the app folder and without inline actions it runs no server code this rule names, so unless
    // the app graph says it reaches the browser, nothing in it is reported.
    const mayBeClient = facts.kind === 'other';
    if (mayBeClient && !inApp && !facts.mayHaveInlineActions && !isClientCode(facts)) return {};

    const reads = options.reads ?? 'initial';
    const allow = allowPatterns(options.allow ?? []);
    const allowUploads = options.allowUploads ?? true;
    const base = fileBase(facts);

    let actionFunctions: ReadonlySet<FunctionNode> | undefined;
    const isActionFunction = (fn: FunctionNode) =>
      (actionFunctions ??= new Set(getServerActions(context).actions.map(action => action.fn))).has(fn);

    /** The server code a call runs in, named for the message, or undefined for browser code. */
    function serverPlace(node: TSESTree.Node): Place {
      if (facts.kind === 'client') return undefined;
      let place: Place;
      for (let current = node.parent; current; current = current.parent) {
        if (!isFunctionNode(current)) continue;
        if ((facts.isServerActionsFile || facts.mayHaveInlineActions) && isActionFunction(current)) return 'a Server Action';
        const name = functionName(current);
        if (inApp && name !== undefined && SERVER_EXPORTS.has(name)) place = `\`${name}\``;
        // Only Server Components can be async; an async component in the app folder is one.
        const isComponent = name === undefined ? current.parent.type === AST_NODE_TYPES.ExportDefaultDeclaration : /^[A-Z]/.test(name);
        if (inApp && current.async && isComponent) place ??= 'a Server Component';
      }
      switch (facts.kind) {
        case 'route-handler':
          return 'a Route Handler';
        case 'pages-api':
          return 'an API route';
        case 'server-actions':
          return 'a "use server" file';
        default:
          if (!inApp) return place;
          if (SERVER_COMPONENT_FILES.has(base)) return place ?? 'a Server Component';
          if (METADATA_FILES.has(base)) return place ?? 'a metadata route';
          return place;
      }
    }

    /**
     * The handler an own-looking URL reaches, or undefined when the request is not to this app.
     * `fromClient` requests are only reported where Server Actions exist: in an App Router app.
     */
    function ownTarget(call: HttpCall, fromClient: boolean): OwnTarget | undefined {
      const url = resolveUrl(call, sourceCode);
      if (url.kind !== 'relative' && url.kind !== 'own-origin' && url.kind !== 'localhost') return undefined;
      const { rootDir } = facts.layout;
      // Another app of a monorepo has its own routes: this one's table says nothing about its requests.
      if (path.relative(rootDir, facts.filename).split(path.sep)[0] === '..') return undefined;
      const basePath = facts.settings.basePath || nextConfigBasePath(rootDir);
      const inside = pathname(stripBasePath(url.path, basePath));
      if (allow.some(matches => matches(inside))) return undefined;
      // Only now is the disk read: most calls never get this far.
      const table = getRouteTable(facts.layout);
      if (fromClient && table.onDisk && !table.hasAppRouter) return undefined;
      const match = matchRoute(table, url.path, basePath);
      if (match && allow.some(matches => matches(match.pattern))) return undefined;
      // With the routers on disk, a URL no handler answers is served by something else (a rewrite);
      // a localhost URL may be another local server unless a handler here answers it.
      if (!match && (table.onDisk || url.kind === 'localhost' || !isApiPath(inside))) return undefined;
      const shownPath = match?.pattern ?? inside.split(DYNAMIC_PART).join('…');
      return { match, path: inside, shownPath, relative: url.kind === 'relative' };
    }

    function checkClient(call: HttpCall): void {
      const { method } = call;
      if (method === undefined) return;
      let messageId: MessageIds | undefined;
      if (method === 'mutation' || MUTATING.has(method)) messageId = 'mutation';
      else if (method === 'GET' && reads !== 'off') {
        if (runsInInitialEffect(call.node, sourceCode, 2)) messageId = 'initialRead';
        else if (reads === 'all') messageId = 'clientRead';
      }
      if (!messageId) return;
      if (allowUploads && isUploadBody(call.body, sourceCode)) return;
      if (isStreamed(call, sourceCode)) return;
      const target = ownTarget(call, true);
      if (!target || (method === 'POST' && READ_ENDPOINT.test(target.path))) return;
      const data: Record<string, string> = { request: requestText(call, target.shownPath), handler: handlerText(target.match, method) };
      if (messageId === 'mutation') {
        data.advice = refreshFollows(call.node, sourceCode)
          ? ' and drop the `router.refresh()`: the action revalidates the page itself (`revalidatePath` or `refresh()`) in the same round trip'
          : ' and call it directly: no hand-written endpoint, JSON body or status check, and a form keeps working before hydration';
      }
      context.report({ node: call.node, messageId, data });
    }

    function checkServer(call: HttpCall, place: string): void {
      if (isStreamed(call, sourceCode)) return;
      const target = ownTarget(call, false);
      if (!target) return;
      context.report({
        node: call.node,
        messageId: 'serverFetch',
        data: {
          request: requestText(call, target.shownPath),
          place,
          handler: handlerText(target.match, call.method),
          relative: target.relative ? ', and a relative URL cannot even be resolved there' : '',
        },
      });
    }

    return {
      CallExpression(node) {
        const call = getHttpCall(node, sourceCode);
        if (!call) return;
        if (facts.kind === 'client' || (mayBeClient && isClientCode(facts))) {
          checkClient(call);
          return;
        }
        const place = serverPlace(node);
        if (place !== undefined) checkServer(call, place);
      },
    };
  },
});
