import path from 'node:path';
import rule from '../../src/rules/no-fetch-own-api.js';
import { ruleTester } from '../rule-tester.js';
import { fixturesDir } from '../support/fixtures.js';
import { readFileSync, rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { clearModuleCaches } from '../../src/analysis/modules.js';
import { writeCallersApp } from '../support/callers-app.js';

// Files inside fixtures/no-fetch-own-api resolve their URLs against that app's routes on disk.
const onDisk = (file: string) => path.join(fixturesDir, 'no-fetch-own-api', file);

const REFRESH =
  ' and drop the `router.refresh()`: the action revalidates the page itself (`revalidatePath` or `refresh()`) in the same round trip';
const DIRECT =
  ' and call it directly: no hand-written endpoint, JSON body or status check, and a form keeps working before hydration';
const RELATIVE = ', and a relative URL cannot even be resolved there';

ruleTester.run('no-fetch-own-api', rule, {
  valid: [
    // Files that are neither client, server-actions, route handlers nor in the app folder.
    {
      filename: 'lib/api.ts',
      code: `export const createPost = (title: string) => fetch('/api/posts', { method: 'POST', body: title });`,
    },
    // A helper in the app folder that is not a component may run in the browser: not server code.
    {
      filename: 'app/posts/api.ts',
      code: `export function savePost(title: string) { return fetch('/api/posts', { method: 'POST', body: title }); }`,
    },
    // Client reads after user input are the endorsed use of Route Handlers.
    {
      filename: 'components/search.tsx',
      code: `
'use client';
export function Search() {
  async function search(q: string) { return (await fetch('/api/posts?q=' + q)).json(); }
  return <input onChange={e => search(e.target.value)} />;
}`,
    },
    // An effect that runs again when its dependencies change is not a first-render read.
    {
      filename: 'components/post.tsx',
      code: `
'use client';
export function Post({ id }: { id: string }) {
  useEffect(() => { fetch(\`/api/posts/\${id}\`).then(r => r.json()).then(setPost); }, [id]);
  useEffect(() => { fetch('/api/posts').then(r => r.json()).then(setPost); });
}`,
    },
    // `reads: 'off'` keeps first-render reads quiet.
    {
      filename: 'components/list.tsx',
      code: `
'use client';
export function List() {
  useEffect(() => { fetch('/api/posts').then(r => r.json()).then(setPosts); }, []);
}`,
      options: [{ reads: 'off' }],
    },
    // Other origins, and URLs the code does not let us place.
    {
      filename: 'components/pay.tsx',
      code: `
'use client';
import axios from 'axios';
const backend = axios.create({ baseURL: process.env.NEXT_PUBLIC_API_URL });
export function Pay({ url }: { url: string }) {
  async function run() {
    await fetch('https://api.stripe.com/v1/charges', { method: 'POST' });
    await fetch('//cdn.example.com/api/upload', { method: 'POST' });
    await fetch(\`\${process.env.NEXT_PUBLIC_API_URL}/api/posts\`, { method: 'POST' });
    await fetch(url, { method: 'POST' });
    await fetch(new URL('/api/posts', 'https://other.example.com'), { method: 'POST' });
    await fetch(new URL('/api/posts'), { method: 'POST' });
    await backend.post('/api/posts', {});
    await fetch('/apiary/bees', { method: 'POST' });
    await fetch('/posts/new', { method: 'POST' });
  }
  return <button onClick={run} />;
}`,
    },
    // Routes in \`allow\`, matched as globs.
    {
      filename: 'components/sign-out.tsx',
      code: `
'use client';
export function SignOut() {
  return <button onClick={() => fetch('/api/auth/signout', { method: 'POST' })} />;
}`,
      options: [{ allow: ['/api/auth/**'] }],
    },
    {
      filename: 'components/track.tsx',
      code: `
'use client';
export const track = (id: string) => fetch(\`/api/events/\${id}/hits\`, { method: 'POST' });`,
      options: [{ allow: ['/api/events/*/hits'] }],
    },
    // Responses consumed as streams belong to Route Handlers.
    {
      filename: 'components/chat.tsx',
      code: `
'use client';
import axios from 'axios';
export function Chat() {
  async function ask() {
    const res = await fetch('/api/chat', { method: 'POST', body: '{}' });
    const reader = res.body!.getReader();
    await fetch('/api/chat', { method: 'POST' }).then(response => response.body?.pipeTo(sink));
    const { body } = await fetch('/api/chat', { method: 'POST' });
    const stream = (await fetch('/api/chat', { method: 'POST' })).body;
    await axios.post('/api/chat', {}, { responseType: 'stream' });
  }
  return <button onClick={ask} />;
}`,
    },
    // A response handed to a helper this file does not declare, or to one that reads the stream.
    {
      filename: 'components/chat-handler.tsx',
      code: `
'use client';
import { processResponse } from './chat-helpers';
async function readStream(response: Response) { return response.body!.getReader(); }
export async function send(messages: string[]) {
  const res = await fetch('/api/chat/tools', { method: 'POST', body: JSON.stringify({ messages }) });
  await processResponse(res);
  const other = await fetch('/api/chat', { method: 'POST' });
  await readStream(other);
  await fetch('/api/chat', { method: 'POST' }).then(response => processResponse(response));
}`,
    },
    // Uploads are allowed by default: FormData, File and Blob bodies, an input's files.
    {
      filename: 'components/upload.tsx',
      code: `
'use client';
import axios from 'axios';
export function Upload() {
  async function send(file: File, input: HTMLInputElement, data: FormData) {
    const form = new FormData();
    await fetch('/api/upload', { method: 'POST', body: form });
    await fetch('/api/upload', { method: 'POST', body: new FormData(input.form!) });
    await fetch('/api/upload', { method: 'PUT', body: file });
    await fetch('/api/upload', { method: 'PUT', body: input.files![0] });
    await fetch('/api/upload', { method: 'PUT', body: new Blob(['x']) });
    await axios.post('/api/upload', data);
  }
  return null;
}`,
    },
    // A method only known at runtime, and options that cannot be read.
    {
      filename: 'components/toggle.tsx',
      code: `
'use client';
export function Toggle({ on, init }: { on: boolean; init: RequestInit }) {
  const method = on ? 'POST' : 'DELETE';
  return <button onClick={() => { fetch('/api/likes', { method }); fetch('/api/likes', init); fetch('/api/likes', { ...init }); }} />;
}`,
    },
    // A local function called fetch is not the global one.
    {
      filename: 'components/local.tsx',
      code: `
'use client';
function fetch(url: string, init: object) { return url; }
export const save = () => fetch('/api/posts', { method: 'POST' });`,
    },
    // SWR reads are the endorsed client read.
    {
      filename: 'components/feed.tsx',
      code: `
'use client';
import useSWR from 'swr';
export function Feed() { const { data } = useSWR('/api/posts', fetcher); return data; }`,
    },
    // Server code that calls other origins.
    {
      filename: 'app/weather/page.tsx',
      code: `
export default async function Page() {
  const res = await fetch('https://api.weather.example/today');
  return <p>{(await res.json()).summary}</p>;
}`,
    },
    // With the routers on disk, an /api URL no handler answers goes elsewhere (a rewrite).
    {
      filename: onDisk('components/tracker.tsx'),
      code: `
'use client';
export const track = () => fetch('/api/analytics/track', { method: 'POST' });`,
    },
    // Timers, listeners and observers inside a mount effect run later: not first-render data.
    {
      filename: 'components/live.tsx',
      code: `
'use client';
export function Live() {
  useEffect(() => {
    const timer = setInterval(() => fetch('/api/count').then(r => r.json()).then(setCount), 5000);
    const onFocus = () => { fetch('/api/count'); };
    window.addEventListener('focus', onFocus);
    return () => clearInterval(timer);
  }, []);
}`,
    },
    // GraphQL, search and lookup endpoints take a POST body to read: not a mutation.
    {
      filename: 'components/graph.tsx',
      code: `
'use client';
export const query = (q: string) => fetch('/api/graphql', { method: 'POST', body: JSON.stringify({ query: q }) });
export const search = (q: string) => fetch('/api/posts/search', { method: 'POST', body: JSON.stringify({ q }) });
export const isFree = (name: string) => fetch('/api/username/available', { method: 'POST', body: name });`,
    },
    // A localhost URL without a handler here to answer it may be another local server.
    {
      filename: 'app/stats/page.tsx',
      code: `
export default async function Page() {
  return (await fetch('http://localhost:3000/api/posts')).json();
}`,
    },
    // A Pages Router app has no Server Actions to move a mutation to.
    {
      filename: onDisk('pages-router/components/subscribe.tsx'),
      code: `
'use client';
export const subscribe = () => fetch('/api/subscribe', { method: 'POST' });`,
    },
    // A relative URL that is not under /api and matches no handler is a page or a file.
    {
      filename: 'components/page-post.tsx',
      code: `
'use client';
export const send = () => fetch('/contact', { method: 'POST' });`,
    },
  ],
  invalid: [
    // The mutation of the decision matrix, with and without router.refresh().
    {
      filename: 'components/new-post.tsx',
      code: `
'use client';
import { useRouter } from 'next/navigation';
export function NewPost() {
  const router = useRouter();
  async function save(title: string) {
    await fetch('/api/posts', { method: 'POST', body: JSON.stringify({ title }) });
    router.refresh();
  }
  return <button onClick={() => save('x')} />;
}`,
      errors: [
        {
          messageId: 'mutation',
          line: 7,
          column: 11,
          endLine: 7,
          endColumn: 83,
          data: { request: '`POST /api/posts`', handler: 'API route', advice: REFRESH },
        },
      ],
    },
    {
      filename: 'components/like.tsx',
      code: `
'use client';
import { useRouter } from 'next/navigation';
export function Like({ id }: { id: string }) {
  const nav = useRouter();
  return <button onClick={() => fetch(\`/api/posts/\${id}/like\`, { method: 'put' }).then(() => nav.refresh())} />;
}`,
      errors: [
        {
          messageId: 'mutation',
          line: 6,
          column: 33,
          endLine: 6,
          endColumn: 82,
          data: { request: '`PUT /api/posts/…/like`', handler: 'API route', advice: REFRESH },
        },
      ],
    },
    // A refresh before the request, or in another function, is not the one the action replaces.
    {
      filename: 'components/archive.tsx',
      code: `
'use client';
export function Archive({ id, router }: { id: string; router: { refresh(): void } }) {
  function archive() {
    router.refresh();
    return fetch('/api/posts/' + id, { method: 'DELETE' });
  }
  return <button onClick={() => archive().then(() => router.refresh())} />;
}`,
      errors: [
        {
          messageId: 'mutation',
          line: 6,
          column: 12,
          endLine: 6,
          endColumn: 59,
          data: { request: '`DELETE /api/posts/…`', handler: 'API route', advice: DIRECT },
        },
      ],
    },
    // A response checked by a local helper, and a promise handed to a toast, are no streams.
    {
      filename: 'components/delete-all.tsx',
      code: `
'use client';
function ensureOk(response: Response) { if (!response.ok) throw new Error(String(response.status)); }
export async function deleteAll() {
  const res = await fetch('/api/history', { method: 'DELETE' });
  ensureOk(res);
  console.log(res);
  const pending = fetch('/api/drafts', { method: 'DELETE' });
  toast.promise(pending, { loading: 'Deleting…' });
}`,
      errors: [
        { messageId: 'mutation', line: 5, column: 21, endLine: 5, endColumn: 64, data: { request: '`DELETE /api/history`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 8, column: 19, endLine: 8, endColumn: 61, data: { request: '`DELETE /api/drafts`', handler: 'API route', advice: DIRECT } },
      ],
    },
    // Every fetch spelling.
    {
      filename: 'components/spellings.tsx',
      code: `
'use client';
import nodeFetch from 'node-fetch';
export const a = () => window.fetch('/api/a', { method: 'POST' });
export const b = () => globalThis.fetch('/api/b', { method: 'PATCH' });
export const c = () => nodeFetch('/api/c', { method: 'DELETE' });
export const d = () => fetch(new Request('/api/d', { method: 'POST' }));`,
      errors: [
        { messageId: 'mutation', line: 4, column: 24, endLine: 4, endColumn: 66, data: { request: '`POST /api/a`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 5, column: 24, endLine: 5, endColumn: 71, data: { request: '`PATCH /api/b`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 6, column: 24, endLine: 6, endColumn: 65, data: { request: '`DELETE /api/c`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 7, column: 24, endLine: 7, endColumn: 72, data: { request: '`POST /api/d`', handler: 'API route', advice: DIRECT } },
      ],
    },
    // axios: the call, the verbs, request configs and instances with an own base URL.
    {
      filename: 'components/axios.tsx',
      code: `
'use client';
import http from 'axios';
const api = http.create({ baseURL: '/api' });
export const calls = (id: string) => [
  http('/api/a', { method: 'post' }),
  http({ url: '/api/b', method: 'delete' }),
  http.request({ url: '/api/c', method: 'PUT' }),
  http.post('/api/d', { id }),
  http.put('/api/e', { id }),
  http.patch('/api/f', { id }),
  http.delete(\`/api/g/\${id}\`),
  api.post('/h', { id }),
];`,
      errors: [
        { messageId: 'mutation', line: 6, column: 3, endLine: 6, endColumn: 37, data: { request: '`POST /api/a`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 7, column: 3, endLine: 7, endColumn: 44, data: { request: '`DELETE /api/b`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 8, column: 3, endLine: 8, endColumn: 49, data: { request: '`PUT /api/c`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 9, column: 3, endLine: 9, endColumn: 30, data: { request: '`POST /api/d`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 10, column: 3, endLine: 10, endColumn: 29, data: { request: '`PUT /api/e`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 11, column: 3, endLine: 11, endColumn: 31, data: { request: '`PATCH /api/f`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 12, column: 3, endLine: 12, endColumn: 30, data: { request: '`DELETE /api/g/…`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 13, column: 3, endLine: 13, endColumn: 25, data: { request: '`POST /api/h`', handler: 'API route', advice: DIRECT } },
      ],
    },
    // ky, ofetch and $fetch, useSWRMutation.
    {
      filename: 'components/others.tsx',
      code: `
'use client';
import ky from 'ky';
import { ofetch, $fetch } from 'ofetch';
import useSWRMutation from 'swr/mutation';
const client = ky.create({ prefixUrl: '/api' });
export function Others({ id }: { id: string }) {
  ky('/api/a', { method: 'POST' });
  ky.patch('api/b', { json: { id } });
  client.delete(\`c/\${id}\`);
  ofetch('/api/d', { method: 'PUT' });
  $fetch('/api/e', { method: 'POST', body: { id } });
  useSWRMutation('/api/f', send);
  useSWRMutation(['/api/g', id], send);
}`,
      errors: [
        { messageId: 'mutation', line: 8, column: 3, endLine: 8, endColumn: 35, data: { request: '`POST /api/a`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 9, column: 3, endLine: 9, endColumn: 38, data: { request: '`PATCH /api/b`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 10, column: 3, endLine: 10, endColumn: 27, data: { request: '`DELETE /api/c/…`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 11, column: 3, endLine: 11, endColumn: 38, data: { request: '`PUT /api/d`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 12, column: 3, endLine: 12, endColumn: 53, data: { request: '`POST /api/e`', handler: 'API route', advice: DIRECT } },
        {
          messageId: 'mutation',
          line: 13,
          column: 3,
          endLine: 13,
          endColumn: 33,
          data: { request: 'The `useSWRMutation` request to `/api/f`', handler: 'API route', advice: DIRECT },
        },
        {
          messageId: 'mutation',
          line: 14,
          column: 3,
          endLine: 14,
          endColumn: 39,
          data: { request: 'The `useSWRMutation` request to `/api/g`', handler: 'API route', advice: DIRECT },
        },
      ],
    },
    // useSWRMutation imported under another name, in a file that never says `fetch`.
    {
      filename: 'components/renamed-mutation.tsx',
      code: `
'use client';
import useMutation from 'swr/mutation';
import { send } from '@/lib/send';
export function Renamed() {
  const { trigger } = useMutation('/api/a', send);
  return <button onClick={() => trigger()}>Go</button>;
}`,
      errors: [{ messageId: 'mutation', line: 6, column: 23, endLine: 6, endColumn: 50, data: { request: 'The `useSWRMutation` request to `/api/a`', handler: 'API route', advice: DIRECT } }],
    },
    // A fetch polyfill imported under a name without `fetch` in it.
    {
      filename: 'components/polyfill.tsx',
      code: `
'use client';
import send from 'isomorphic-unfetch';
export function Polyfill() {
  return <button onClick={() => send('/api/a', { method: 'POST' })}>Go</button>;
}`,
      errors: [{ messageId: 'mutation', line: 5, column: 33, data: { request: '`POST /api/a`', handler: 'API route', advice: DIRECT } }],
    },
    // URL forms: constants, concatenation, own origins, base paths, queries.
    {
      filename: 'components/urls.tsx',
      code: `
'use client';
import { basePath } from '@/config';
const POSTS = '/api/posts';
export function urls(id: string) {
  const url = \`\${POSTS}/\${id}\`;
  fetch(url, { method: 'DELETE' });
  fetch(\`\${window.location.origin}/api/a\`, { method: 'POST' });
  fetch(location.origin + '/api/b', { method: 'POST' });
  fetch(new URL('/api/c', window.location.origin), { method: 'POST' });
  fetch(new URL('/api/d', location.href).toString(), { method: 'POST' });
  fetch(\`\${process.env.NEXT_PUBLIC_APP_URL}/api/e\`, { method: 'POST' });
  fetch(\`\${process.env.NEXT_PUBLIC_SITE_URL}/api/f?x=1\`, { method: 'POST' });
  fetch(process.env.NEXT_PUBLIC_BASE_URL + '/api/g', { method: 'POST' });
  fetch(\`\${basePath}/api/h\`, { method: 'POST' });
  fetch(\`\${process.env.NEXT_PUBLIC_BASE_PATH}/api/i\`, { method: 'POST' });
  fetch('api/j', { method: 'POST' });
  fetch(\`\${process.env.NEXT_PUBLIC_APP_URL ?? 'http://localhost:3000'}/api/k\`, { method: 'POST' });
}`,
      errors: [
        { messageId: 'mutation', line: 7, column: 3, endLine: 7, endColumn: 35, data: { request: '`DELETE /api/posts/…`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 8, column: 3, endLine: 8, endColumn: 63, data: { request: '`POST /api/a`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 9, column: 3, endLine: 9, endColumn: 56, data: { request: '`POST /api/b`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 10, column: 3, endLine: 10, endColumn: 71, data: { request: '`POST /api/c`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 11, column: 3, endLine: 11, endColumn: 73, data: { request: '`POST /api/d`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 12, column: 3, endLine: 12, endColumn: 72, data: { request: '`POST /api/e`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 13, column: 3, endLine: 13, endColumn: 77, data: { request: '`POST /api/f`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 14, column: 3, endLine: 14, endColumn: 73, data: { request: '`POST /api/g`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 15, column: 3, endLine: 15, endColumn: 49, data: { request: '`POST /api/h`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 16, column: 3, endLine: 16, endColumn: 74, data: { request: '`POST /api/i`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 17, column: 3, endLine: 17, endColumn: 37, data: { request: '`POST /api/j`', handler: 'API route', advice: DIRECT } },
        { messageId: 'mutation', line: 18, column: 3, endLine: 18, endColumn: 99, data: { request: '`POST /api/k`', handler: 'API route', advice: DIRECT } },
      ],
    },
    // First-render reads: in the effect, in a function it calls, or passed to it.
    {
      filename: 'components/reads.tsx',
      code: `
'use client';
import React, { useCallback, useEffect, useLayoutEffect } from 'react';
export function Reads() {
  useEffect(() => {
    fetch('/api/a').then(r => r.json()).then(setA);
  }, []);
  React.useEffect(() => { void load(); }, []);
  async function load() { setB(await (await fetch('/api/b', { method: 'GET' })).json()); }
  const refresh = useCallback(() => fetch('/api/c'), []);
  useLayoutEffect(refresh, []);
}`,
      errors: [
        { messageId: 'initialRead', line: 6, column: 5, endLine: 6, endColumn: 20, data: { request: '`GET /api/a`', handler: 'API route' } },
        { messageId: 'initialRead', line: 9, column: 45, endLine: 9, endColumn: 79, data: { request: '`GET /api/b`', handler: 'API route' } },
        { messageId: 'initialRead', line: 10, column: 37, endLine: 10, endColumn: 52, data: { request: '`GET /api/c`', handler: 'API route' } },
      ],
    },
    // An async IIFE, a transition and a promise continuation run right away.
    {
      filename: 'components/mount.tsx',
      code: `
'use client';
export function Mount() {
  useEffect(() => {
    (async () => { setA(await (await fetch('/api/a')).json()); })();
    startTransition(async () => { setB(await (await fetch('/api/b')).json()); });
    Promise.resolve().then(() => fetch('/api/c'));
  }, []);
}`,
      errors: [
        { messageId: 'initialRead', line: 5, column: 38, endLine: 5, endColumn: 53, data: { request: '`GET /api/a`', handler: 'API route' } },
        { messageId: 'initialRead', line: 6, column: 53, endLine: 6, endColumn: 68, data: { request: '`GET /api/b`', handler: 'API route' } },
        { messageId: 'initialRead', line: 7, column: 34, endLine: 7, endColumn: 49, data: { request: '`GET /api/c`', handler: 'API route' } },
      ],
    },
    // `reads: 'all'` reports every client read of an own route.
    {
      filename: 'components/all.tsx',
      code: `
'use client';
export function All() {
  useEffect(() => { fetch('/api/a'); }, []);
  return <button onClick={() => fetch('/api/b')} />;
}`,
      options: [{ reads: 'all' }],
      errors: [
        { messageId: 'initialRead', line: 4, column: 21, endLine: 4, endColumn: 36, data: { request: '`GET /api/a`', handler: 'API route' } },
        { messageId: 'clientRead', line: 5, column: 33, endLine: 5, endColumn: 48, data: { request: '`GET /api/b`', handler: 'API route' } },
      ],
    },
    // `allowUploads: false` reports uploads too.
    {
      filename: 'components/upload.tsx',
      code: `
'use client';
export const upload = (form: FormData) => fetch('/api/upload', { method: 'POST', body: form });`,
      options: [{ allowUploads: false }],
      errors: [
        { messageId: 'mutation', line: 3, column: 43, endLine: 3, endColumn: 95, data: { request: '`POST /api/upload`', handler: 'API route', advice: DIRECT } },
      ],
    },
    // Server Components fetching their own routes, relative or through the origin.
    {
      filename: 'app/posts/page.tsx',
      code: `
export default async function Page() {
  const posts = await fetch('/api/posts').then(r => r.json());
  return <ul>{posts.length}</ul>;
}`,
      errors: [
        {
          messageId: 'serverFetch',
          line: 3,
          column: 23,
          endLine: 3,
          endColumn: 42,
          data: { request: '`GET /api/posts`', place: 'a Server Component', handler: 'API route', relative: RELATIVE },
        },
      ],
    },
    {
      filename: 'app/posts/post-list.tsx',
      code: `
import { headers } from 'next/headers';
export async function PostList() {
  const h = await headers();
  const res = await fetch(\`\${h.get('x-forwarded-proto')}://\${h.get('host')}/api/posts\`);
  return res.json();
}
export async function generateMetadata() {
  return { title: await fetch(\`\${process.env.VERCEL_URL}/api/title\`).then(r => r.text()) };
}`,
      errors: [
        {
          messageId: 'serverFetch',
          line: 5,
          column: 21,
          endLine: 5,
          endColumn: 88,
          data: { request: '`GET /api/posts`', place: 'a Server Component', handler: 'API route', relative: '' },
        },
        {
          messageId: 'serverFetch',
          line: 9,
          column: 25,
          endLine: 9,
          endColumn: 69,
          data: { request: '`GET /api/title`', place: '`generateMetadata`', handler: 'API route', relative: '' },
        },
      ],
    },
    // Server Actions: a "use server" file, and an inline action in a component outside app/.
    {
      filename: 'lib/actions.ts',
      code: `
'use server';
import axios from 'axios';
export async function remove(id: string) {
  await axios.delete(\`\${process.env.APP_URL}/api/posts/\${id}\`);
}
async function helper(init: RequestInit) {
  return fetch(\`\${process.env.APP_URL}/api/posts\`, init);
}`,
      errors: [
        {
          messageId: 'serverFetch',
          line: 5,
          column: 9,
          endLine: 5,
          endColumn: 63,
          data: { request: '`DELETE /api/posts/…`', place: 'a Server Action', handler: 'API route', relative: '' },
        },
        {
          messageId: 'serverFetch',
          line: 8,
          column: 10,
          endLine: 8,
          endColumn: 57,
          data: { request: 'A request to `/api/posts`', place: 'a "use server" file', handler: 'API route', relative: '' },
        },
      ],
    },
    {
      filename: 'components/publish-form.tsx',
      code: `
export function PublishForm() {
  async function publish() {
    'use server';
    await fetch(process.env.NEXT_PUBLIC_SITE_URL + '/api/publish', { method: 'POST' });
  }
  return <form action={publish} />;
}`,
      errors: [
        {
          messageId: 'serverFetch',
          line: 5,
          column: 11,
          endLine: 5,
          endColumn: 87,
          data: { request: '`POST /api/publish`', place: 'a Server Action', handler: 'API route', relative: '' },
        },
      ],
    },
    // Route Handlers and API routes calling sibling handlers.
    {
      filename: 'app/api/cron/route.ts',
      code: `
import type { NextRequest } from 'next/server';
export async function GET(request: NextRequest) {
  await fetch(new URL('/api/cleanup', request.nextUrl), { method: 'POST' });
  await fetch(\`\${request.nextUrl.origin}/api/report\`);
  return new Response(null, { status: 204 });
}`,
      errors: [
        {
          messageId: 'serverFetch',
          line: 4,
          column: 9,
          endLine: 4,
          endColumn: 76,
          data: { request: '`POST /api/cleanup`', place: 'a Route Handler', handler: 'API route', relative: '' },
        },
        {
          messageId: 'serverFetch',
          line: 5,
          column: 9,
          endLine: 5,
          endColumn: 54,
          data: { request: '`GET /api/report`', place: 'a Route Handler', handler: 'API route', relative: '' },
        },
      ],
    },
    {
      filename: 'pages/api/nightly.ts',
      code: `
export default async function handler(req, res) {
  await fetch(new URL('/api/cleanup', req.url), { method: 'POST' });
  res.status(204).end();
}`,
      errors: [
        {
          messageId: 'serverFetch',
          line: 3,
          column: 9,
          endLine: 3,
          endColumn: 68,
          data: { request: '`POST /api/cleanup`', place: 'an API route', handler: 'API route', relative: '' },
        },
      ],
    },
    // With the app on disk: the handler file is named, and a missing method is pointed out.
    {
      filename: onDisk('components/editor.tsx'),
      code: `
'use client';
export function Editor({ id }: { id: string }) {
  return (
    <menu>
      <button onClick={() => fetch(\`/api/posts/\${id}\`, { method: 'DELETE' })} />
      <button onClick={() => fetch(\`/api/posts/\${id}\`, { method: 'PUT' })} />
      <button onClick={() => fetch('/api/reports', { method: 'POST' })} />
      <button onClick={() => fetch(\`/blog/api/legacy/\${id}\`, { method: 'POST' })} />
    </menu>
  );
}`,
      settings: { 'next-actions': { basePath: '/blog' } },
      errors: [
        {
          messageId: 'mutation',
          line: 6,
          column: 30,
          endLine: 6,
          endColumn: 77,
          data: { request: '`DELETE /api/posts/[id]`', handler: 'Route Handler (`app/api/posts/[id]/route.ts`)', advice: DIRECT },
        },
        {
          messageId: 'mutation',
          line: 7,
          column: 30,
          endLine: 7,
          endColumn: 74,
          data: {
            request: '`PUT /api/posts/[id]`',
            handler: 'Route Handler (`app/api/posts/[id]/route.ts`, which does not export `PUT`, so this request fails with 405)',
            advice: DIRECT,
          },
        },
        {
          messageId: 'mutation',
          line: 8,
          column: 30,
          endLine: 8,
          endColumn: 71,
          data: {
            request: '`POST /api/reports`',
            handler: 'Route Handler (`app/(admin)/api/reports/route.ts`, which does not export `POST`, so this request fails with 405)',
            advice: DIRECT,
          },
        },
        {
          messageId: 'mutation',
          line: 9,
          column: 30,
          endLine: 9,
          endColumn: 81,
          data: { request: '`POST /api/legacy/[id]`', handler: 'API route (`pages/api/legacy/[id].ts`)', advice: DIRECT },
        },
      ],
    },
    // A localhost URL that a handler of this app answers.
    {
      filename: onDisk('app/posts/local/page.tsx'),
      code: `
export default async function Page() {
  return (await fetch('http://127.0.0.1:3000/api/posts')).json();
}`,
      errors: [
        {
          messageId: 'serverFetch',
          line: 3,
          column: 17,
          endLine: 3,
          endColumn: 57,
          data: { request: '`GET /api/posts`', place: 'a Server Component', handler: 'Route Handler (`app/api/posts/route.ts`)', relative: '' },
        },
      ],
    },
    // A route outside /api is own when the table knows it.
    {
      filename: onDisk('components/feed-preview.tsx'),
      code: `
'use client';
export function FeedPreview() {
  useEffect(() => { fetch('/feed.xml').then(r => r.text()).then(setXml); }, []);
}`,
      errors: [
        {
          messageId: 'initialRead',
          line: 4,
          column: 21,
          endLine: 4,
          endColumn: 39,
          data: { request: '`GET /feed.xml`', handler: 'Route Handler (`app/feed.xml/route.ts`)' },
        },
      ],
    },
  ],
});

// A module without a directive is client code when a "use client" module imports it.
const callersRoot = writeCallersApp('next-actions-fetch-callers-', {
  'components/touch-link.tsx': `export function TouchLink({ id }: { id: string }) {
  return <button onClick={() => fetch('/api/touch', { method: 'POST', body: JSON.stringify({ id }) })}>Touch</button>;
}
`,
  'components/touch-list.tsx': "'use client';\nimport { TouchLink } from './touch-link';\n\nexport function TouchList() {\n  return <TouchLink id=\"1\" />;\n}\n",
  'lib/touch-server.ts': `import 'server-only';
export const touch = (id: string) => fetch('https://api.example.com/touch', { method: 'POST', body: id });
`,
});
clearModuleCaches();
afterAll(() => {
  clearModuleCaches();
  rmSync(callersRoot, { recursive: true, force: true });
});
const inCallersApp = (file: string) => ({
  filename: path.join(callersRoot, file),
  code: readFileSync(path.join(callersRoot, file), 'utf8'),
  settings: { 'next-actions': { rootDir: callersRoot } },
});

ruleTester.run('no-fetch-own-api (client environment)', rule, {
  valid: [inCallersApp('lib/touch-server.ts')],
  invalid: [
    {
      ...inCallersApp('components/touch-link.tsx'),
      errors: [{ messageId: 'mutation', line: 2, column: 33 }],
    },
  ],
});
