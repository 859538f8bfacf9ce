import type { TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { getHttpCall, namesHttpClient, resolveUrl } from '../../src/analysis/http-calls.js';
import { DYNAMIC_PART } from '../../src/analysis/routes.js';
import { withContext } from '../support/probe.js';

interface Seen {
  code: string;
  client: string;
  method: string | undefined;
  url: string;
  body: string | undefined;
}

/** Every request the module recognises in `code`, in source order, with its resolved URL. */
function requestsIn(code: string): Seen[] {
  return withContext(code, 'components/probe.tsx', context => {
    const { sourceCode } = context;
    const seen: Seen[] = [];
    const visit = (node: TSESTree.Node): void => {
      if (node.type === 'CallExpression') {
        const call = getHttpCall(node, sourceCode);
        if (call) {
          const target = resolveUrl(call, sourceCode);
          seen.push({
            code: sourceCode.getText(node.callee),
            client: call.client,
            method: call.method,
            url: `${target.kind} ${target.path.split(DYNAMIC_PART).join('*')}`.trim(),
            body: call.body && sourceCode.getText(call.body),
          });
        }
      }
      for (const key of sourceCode.visitorKeys[node.type] ?? []) {
        const child = (node as unknown as Record<string, unknown>)[key];
        for (const item of Array.isArray(child) ? child : [child]) {
          if (item && typeof item === 'object' && 'type' in item) visit(item as TSESTree.Node);
        }
      }
    };
    visit(sourceCode.ast);
    return seen;
  });
}

describe('namesHttpClient', () => {
  it('finds each client getHttpCall recognises', () => {
    for (const code of [
      "fetch('/api/a')",
      "window.fetch('/api/a')",
      "$fetch('/api/a')",
      "import send from 'node-fetch';",
      "import send from 'isomorphic-unfetch';",
      "import { ofetch } from 'ofetch';",
      "import axios from 'axios';",
      "import ky from 'ky';",
      "useSWRMutation('/api/a', send)",
      "import useMutation from 'swr/mutation';",
    ]) {
      expect(namesHttpClient(code), code).toBe(true);
    }
  });

  it('is not fooled by words that only contain `fetch`', () => {
    for (const code of ['refetch()', 'router.prefetch(href)', 'const fetcher = (url: string) => get(url);', 'fetchUsers()', 'const sky = 1;']) {
      expect(namesHttpClient(code), code).toBe(false);
    }
  });
});

describe('getHttpCall', () => {
  it('reads fetch calls: method, body, and the global or polyfill behind the name', () => {
    expect(
      requestsIn(`
import nodeFetch from 'node-fetch';
fetch('/api/a');
window.fetch('/api/b', { method: 'post', body: payload });
globalThis.fetch('/api/c', { method: 'DELETE' });
nodeFetch('/api/d', { method: 'PUT' });
fetch(new Request('/api/e', { method: 'PATCH', body: form }));
`),
    ).toEqual([
      { code: 'fetch', client: 'fetch', method: 'GET', url: 'relative /api/a', body: undefined },
      { code: 'window.fetch', client: 'fetch', method: 'POST', url: 'relative /api/b', body: 'payload' },
      { code: 'globalThis.fetch', client: 'fetch', method: 'DELETE', url: 'relative /api/c', body: undefined },
      { code: 'nodeFetch', client: 'fetch', method: 'PUT', url: 'relative /api/d', body: undefined },
      { code: 'fetch', client: 'fetch', method: 'PATCH', url: 'relative /api/e', body: 'form' },
    ]);
  });

  it('leaves the method unknown when the options cannot be read', () => {
    expect(
      requestsIn(`
const init = { method: 'POST' };
fetch('/api/a', init);
fetch('/api/b', options);
fetch('/api/c', { ...options });
fetch('/api/d', { ...options, method: 'PUT' });
fetch('/api/e', { method: verb });
fetch('/api/f', { [key]: 'x' });
`).map(seen => seen.method),
    ).toEqual(['POST', undefined, undefined, 'PUT', undefined, undefined]);
  });

  it('reads axios calls, configs and instances', () => {
    expect(
      requestsIn(`
import http from 'axios';
const api = http.create({ baseURL: '/api/v1' });
const remote = http.create({ baseURL: process.env.API_URL });
http('/api/a');
http({ url: '/api/b', method: 'put', data: body });
http.request({ url: '/api/c', method: 'DELETE' });
http.post('/api/d', payload, { headers });
http.get('/api/e');
http.isCancel(error);
api.patch('/items/1', patch);
remote.post('/items', item);
`),
    ).toEqual([
      { code: 'http', client: 'axios', method: 'GET', url: 'relative /api/a', body: undefined },
      { code: 'http', client: 'axios', method: 'PUT', url: 'relative /api/b', body: 'body' },
      { code: 'http.request', client: 'axios', method: 'DELETE', url: 'relative /api/c', body: undefined },
      { code: 'http.post', client: 'axios', method: 'POST', url: 'relative /api/d', body: 'payload' },
      { code: 'http.get', client: 'axios', method: 'GET', url: 'relative /api/e', body: undefined },
      { code: 'api.patch', client: 'axios', method: 'PATCH', url: 'relative /api/v1/items/1', body: 'patch' },
      { code: 'remote.post', client: 'axios', method: 'POST', url: 'unknown', body: 'item' },
    ]);
  });

  it('reads ky, ofetch and useSWRMutation', () => {
    expect(
      requestsIn(`
import ky from 'ky';
import { $fetch, ofetch } from 'ofetch';
import useSWRMutation from 'swr/mutation';
const client = ky.extend({ prefixUrl: '/api' });
ky('/api/a', { method: 'post', json: data });
ky.delete('api/b');
client.put('c', { body: text });
ofetch('/api/d');
$fetch('/api/e', { method: 'PATCH', body: data });
useSWRMutation('/api/f', send);
useSWRMutation(['/api/g', id], send);
`),
    ).toEqual([
      { code: 'ky', client: 'ky', method: 'POST', url: 'relative /api/a', body: 'data' },
      { code: 'ky.delete', client: 'ky', method: 'DELETE', url: 'relative /api/b', body: undefined },
      { code: 'client.put', client: 'ky', method: 'PUT', url: 'relative /api/c', body: 'text' },
      { code: 'ofetch', client: 'ofetch', method: 'GET', url: 'relative /api/d', body: undefined },
      { code: '$fetch', client: 'ofetch', method: 'PATCH', url: 'relative /api/e', body: 'data' },
      { code: 'useSWRMutation', client: 'swrMutation', method: 'mutation', url: 'relative /api/f', body: undefined },
      { code: 'useSWRMutation', client: 'swrMutation', method: 'mutation', url: 'relative /api/g', body: undefined },
    ]);
  });

  it('ignores look-alikes: local functions, other libraries, type-only imports', () => {
    expect(
      requestsIn(`
import type ky from 'ky';
import { fetch as undiciFetch, request } from 'undici';
import got from 'got';
function run(fetch: (url: string) => void) { fetch('/api/a'); }
const axios = { post: (url: string) => url };
axios.post('/api/b');
got.post('/api/c');
request('/api/d');
undiciFetch('/api/e');
const self = { fetch() {} };
self.fetch('/api/f');
`).map(seen => seen.code),
    ).toEqual(['undiciFetch']);
  });

  it('survives self-referencing instances', () => {
    expect(requestsIn(`const api = api.create({ baseURL: '/api' }); api.post('/x');`)).toEqual([]);
  });
});

describe('resolveUrl', () => {
  const urlOf = (expression: string, prelude = '') => requestsIn(`${prelude}\nfetch(${expression});`)[0]!.url;

  it('resolves literals, templates, concatenation and constants, with runtime parts marked', () => {
    expect(urlOf(`'/api/posts?page=2'`)).toBe('relative /api/posts?page=2');
    expect(urlOf('`/api/posts/${id}/comments`')).toBe('relative /api/posts/*/comments');
    expect(urlOf(`'/api/posts/' + id`)).toBe('relative /api/posts/*');
    expect(urlOf('url', "const API = '/api'; const url = `${API}/posts/${id}`;")).toBe('relative /api/posts/*');
    expect(urlOf(`'api/posts'`)).toBe('relative /api/posts');
    expect(urlOf(`'./api/posts'`)).toBe('relative /api/posts');
  });

  it('knows the app\'s own origin on the client and on the server', () => {
    expect(urlOf('`${window.location.origin}/api/a`')).toBe('own-origin /api/a');
    expect(urlOf(`location.origin + '/api/b'`)).toBe('own-origin /api/b');
    expect(urlOf('`https://${window.location.host}/api/c`')).toBe('own-origin /api/c');
    expect(urlOf('`${process.env.NEXT_PUBLIC_APP_URL}/api/d`')).toBe('own-origin /api/d');
    expect(urlOf(`process.env['NEXT_PUBLIC_SITE_URL'] + '/api/e'`)).toBe('own-origin /api/e');
    expect(urlOf('`https://${process.env.VERCEL_URL}/api/f`')).toBe('own-origin /api/f');
    expect(urlOf('`${proto}://${headersList.get(\'host\')}/api/g`')).toBe('own-origin /api/g');
    expect(urlOf('`${request.nextUrl.origin}/api/h`')).toBe('own-origin /api/h');
    expect(urlOf(`new URL('/api/i', request.url)`)).toBe('own-origin /api/i');
    expect(urlOf(`new URL('/api/j', window.location.href).toString()`)).toBe('own-origin /api/j');
    expect(urlOf('`${base}/api/k`', "const base = process.env.NEXT_PUBLIC_BASE_URL ?? 'http://localhost:3000';")).toBe('own-origin /api/k');
    expect(urlOf('`${base}/api/l`', "const base = typeof window === 'undefined' ? process.env.APP_URL : '';")).toBe('own-origin /api/l');
    expect(urlOf('new URL(\'/api/m\', `https://${process.env.VERCEL_URL}`)')).toBe('own-origin /api/m');
  });

  it('drops a base path prefix written in the code', () => {
    expect(urlOf('`${basePath}/api/a`')).toBe('relative /api/a');
    expect(urlOf('`${process.env.NEXT_PUBLIC_BASE_PATH}/api/b`')).toBe('relative /api/b');
    expect(urlOf('`${window.location.origin}${basePath}/api/c`')).toBe('own-origin /api/c');
  });

  it('tells localhost, other origins and unknown URLs apart', () => {
    expect(urlOf(`'http://localhost:3000/api/a'`)).toBe('localhost /api/a');
    expect(urlOf(`new URL('/api/a', 'http://localhost:3000/app/')`)).toBe('localhost /api/a');
    expect(urlOf(`'https://api.example.com/api/b'`)).toBe('external');
    expect(urlOf(`'//cdn.example.com/api/c'`)).toBe('external');
    expect(urlOf(`new URL('/api/d', 'https://api.example.com')`)).toBe('external');
    expect(urlOf('`${process.env.NEXT_PUBLIC_API_URL}/api/e`')).toBe('unknown');
    expect(urlOf('`${getBaseUrl()}/api/f`')).toBe('unknown');
    expect(urlOf(`new URL('/api/g')`)).toBe('unknown');
    expect(urlOf('url')).toBe('unknown');
    expect(urlOf(`'posts'`)).toBe('unknown');
  });
});
