import path from 'node:path';
import { isClientCode } from '../analysis/callers.js';
import { getFileFacts, isServerComponentFile } from '../analysis/file-kind.js';
import { refreshFollows, runsInInitialEffect } from '../analysis/client-loading.js';
import { getHttpCall, type HttpCall, isStreamed, isUploadBody, namesHttpClient, resolveUrl } from '../analysis/http-calls.js';
import { nextConfigBasePath } from '../analysis/next-config.js';
import { DYNAMIC_PART, getRouteTable, type HttpMethod, matchRoute, type RouteMatch, stripBasePath } from '../analysis/routes.js';
import { serverPlace } from '../analysis/server-places.js';
import { createRule } from '../utils/create-rule.js';
import { compileUrlGlob, type Matcher } from '../utils/patterns.js';

export type Options = [
  {
    reads?: 'off' | 'initial' | 'all';
    allow?: string[];
    allowUploads?: boolean;
  },
];
export type MessageIds = 'mutation' | 'initialRead' | 'clientRead' | 'serverFetch';

const MUTATING = new Set<string>(['POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * Endpoints that take a POST body to read: GraphQL sends queries as POST, search and lookup
 * endpoints take their criteria as JSON. The method says nothing about a mutation there.
 */
const READ_ENDPOINT = /\/(?:graphql|search|query|lookup|autocomplete|suggest|suggestions|available|availability|preview|estimate|retrieve)$/;

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
        const place = serverPlace(context, node);
        if (place !== undefined) checkServer(call, place);
      },
    };
  },
});
