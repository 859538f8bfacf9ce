import rule from '../../src/rules/no-http-in-action.js';
import { ruleTester } from '../rule-tester.js';

ruleTester.run('no-http-in-action', rule, {
  valid: [
    // Route Handlers own HTTP: responses, status codes, API keys and requests.
    {
      code: `
import { NextResponse, type NextRequest } from 'next/server';
export async function POST(request: NextRequest) {
  if (request.headers.get('x-api-key') !== process.env.API_KEY) return new Response('Unauthorized', { status: 401 });
  return NextResponse.json({ ok: true }, { status: 201, statusText: 'Created' });
}
`,
      filename: 'app/api/posts/route.ts',
    },
    // A stray "use server" on proxy.ts or middleware.ts does nothing: its exports are not actions.
    {
      code: `
'use server';
import { NextResponse, type NextRequest } from 'next/server';
export function middleware(request: NextRequest) {
  return NextResponse.next();
}
`,
      filename: 'middleware.ts',
    },
    {
      code: `
'use server';
import { NextResponse, type NextRequest } from 'next/server';
export async function proxy(request: NextRequest) {
  return NextResponse.redirect(new URL('/login', request.url));
}
`,
      filename: 'src/proxy.ts',
    },
    // Plain server modules may build responses for Route Handlers to return.
    `
import { NextResponse } from 'next/server';
export async function notFound() {
  return NextResponse.json({ error: 'Not found' }, { status: 404 });
}
`,
    // Result objects: a string status, or a numeric one, is data the form reads.
    `
'use server';
export async function save(formData: FormData) {
  if (!formData.get('title')) return { status: 'error', message: 'Title is required' };
  if (Math.random() > 2) return { status: 400, error: 'Too long' };
  return { status: 'success' as const, code: 200 };
}
export const quick = async () => ({ status: 201, data: null });
`,
    // A Response used to read a stream or a blob is a body reader, not an answer.
    `
'use server';
export async function upload(formData: FormData) {
  const file = formData.get('file') as File;
  const text = await new Response(file.stream()).text();
  const buffer = await new Response(file).arrayBuffer();
  const response = new Response(file);
  await db.file.create({ data: { text, size: buffer.byteLength, type: response.headers.get('content-type') } });
}
`,
    // Responses built in nested helpers that are not the action's result, and fetch responses.
    `
'use server';
export async function preview(id: string) {
  const res = await fetch('https://api.example.com/' + id);
  if (res.status === 404) return { error: 'Not found' };
  const cached = async () => { return new Response('cached'); };
  return { ok: res.ok, body: await res.text() };
}
`,
    // A local Response or NextResponse is not the web one.
    `
'use server';
import { NextResponse } from './my-responses';
class Response { static json(value: unknown) { return value; } }
export async function a() {
  return Response.json({ ok: true });
}
export async function b() {
  return NextResponse.json({ ok: true });
}
`,
    // Authorization headers compared to something that is not a secret, or secrets not compared to a header.
    `
'use server';
import { headers } from 'next/headers';
export async function a(formData: FormData) {
  const authorization = (await headers()).get('authorization');
  if (!authorization) return { error: 'Sign in first' };
  if (authorization === '') return;
  const token = String(formData.get('token'));
  if (token !== process.env.INVITE_TOKEN) return { error: 'Invalid invite' };
  const agent = (await headers()).get('user-agent');
  if (agent === process.env.BLOCKED_AGENT) return;
}
`,
    // Parameters typed like requests but not HTTP requests.
    `
'use server';
type SaveRequest = { title: string };
export async function a(input: SaveRequest, formData: FormData, request: { id: string }) {}
export async function b(req: Request['headers']) {}
`,
    // A redirect is done the action way.
    `
'use server';
import { redirect } from 'next/navigation';
export async function signOut() {
  redirect('/login');
}
`,
  ],
  invalid: [
    {
      code: `
'use server';
import { NextResponse } from 'next/server';
export async function createPost(formData: FormData) {
  if (!formData.get('title')) return NextResponse.json({ error: 'Title is required' }, { status: 400 });
  return Response.json({ ok: true });
}
`,
      errors: [
        {
          messageId: 'httpResults',
          line: 4,
          column: 23,
          endLine: 4,
          endColumn: 33,
          data: { subject: 'Server Action `createPost`', count: '2', places: "`NextResponse.json(…)` on line 5, `Response.json(…)` on line 6" },
        },
      ],
    },
    // `new Response` with an init, returned, or thrown (the Remix habit).
    {
      code: `
'use server';
import { NextResponse as Res } from 'next/server';
export async function remove(id: string) {
  const gone = new Response(null, { status: 204 });
  if (!id) throw new Response('Bad request');
  if (id === 'x') return new Res('x');
  return Response.error();
}
`,
      errors: [
        {
          messageId: 'httpResults',
          line: 4,
          column: 23,
          endLine: 4,
          endColumn: 29,
          data: { subject: 'Server Action `remove`', count: '4', places: "`new Response(…)` on line 5, `new Response(…)` on line 6, `new Res(…)` on line 7, `Response.error(…)` on line 8" },
        },
      ],
    },
    // Redirect responses, and the proxy-only NextResponse methods.
    {
      code: `
'use server';
import { NextResponse } from 'next/server';
export async function go(next: string) {
  if (next) return NextResponse.redirect(new URL(next, process.env.APP_URL));
  if (!next) return Response.redirect('/login', 303);
  if (next === 'rewrite') return NextResponse.rewrite(new URL('/x', 'http://a'));
  return NextResponse.next();
}
`,
      errors: [
        {
          messageId: 'httpResults',
          line: 4,
          column: 23,
          endLine: 4,
          endColumn: 25,
          data: { subject: 'Server Action `go`', count: '4', places: "`NextResponse.redirect(…)` on line 5, `Response.redirect(…)` on line 6, `NextResponse.rewrite(…)` on line 7, `NextResponse.next(…)` on line 8" },
        },
      ],
    },
    // Returned objects shaped like HTTP responses: `statusText`, or a status code with headers.
    {
      code: `
'use server';
export async function a(ok: boolean) {
  return ok ? { status: 200, statusText: 'OK' } : { status: 500, headers: { 'retry-after': '10' }, body: null };
}
export const b = async () => ({ status: 204, headers: {} });
`,
      errors: [
        {
          messageId: 'httpResults',
          line: 3,
          column: 23,
          endLine: 3,
          endColumn: 24,
          data: { subject: 'Server Action `a`', count: '2', places: '`statusText` on line 4, `status` on line 4' },
        },
        {
          messageId: 'httpStatusInResult',
          line: 6,
          column: 33,
          endLine: 6,
          endColumn: 44,
          data: { subject: 'Server Action `b`', key: 'status' },
        },
      ],
    },
    // Machine authentication: bearer tokens and API keys compared to secrets.
    {
      code: `
'use server';
import { timingSafeEqual } from 'node:crypto';
import { headers } from 'next/headers';
const CRON_SECRET = process.env.CRON_SECRET;
export async function cron() {
  const h = await headers();
  if (h.get('Authorization') !== \`Bearer \${CRON_SECRET}\`) throw new Error('Unauthorized');
  const token = h.get('authorization')?.replace('Bearer ', '') ?? '';
  if (token !== process.env.API_TOKEN) return;
  const key = h.get('x-api-key') ?? '';
  if (!timingSafeEqual(Buffer.from(key), Buffer.from(env.IMPORT_SECRET))) return;
}
`,
      errors: [
        {
          messageId: 'machineAuth',
          line: 8,
          column: 7,
          endLine: 8,
          endColumn: 57,
          data: { subject: 'Server Action `cron`', header: 'authorization' },
        },
        {
          messageId: 'machineAuth',
          line: 10,
          column: 7,
          endLine: 10,
          endColumn: 38,
          data: { subject: 'Server Action `cron`', header: 'authorization' },
        },
        {
          messageId: 'machineAuth',
          line: 12,
          column: 8,
          endLine: 12,
          endColumn: 73,
          data: { subject: 'Server Action `cron`', header: 'x-api-key' },
        },
      ],
    },
    // Request parameters, in exported and inline actions.
    {
      code: `
'use server';
import type { NextRequest } from 'next/server';
export async function sync(request: NextRequest) {
  await request.json();
}
export const ingest = async (req: Request, { id }: NextApiRequest) => {};
`,
      errors: [
        {
          messageId: 'requestParameter',
          line: 4,
          column: 28,
          endLine: 4,
          endColumn: 48,
          data: { subject: 'Server Action `sync`', type: 'NextRequest' },
        },
        {
          messageId: 'requestParameter',
          line: 7,
          column: 30,
          endLine: 7,
          endColumn: 42,
          data: { subject: 'Server Action `ingest`', type: 'Request' },
        },
        {
          messageId: 'requestParameter',
          line: 7,
          column: 44,
          endLine: 7,
          endColumn: 66,
          data: { subject: 'Server Action `ingest`', type: 'NextApiRequest' },
        },
      ],
    },
    {
      code: `
export default function Page() {
  return <form action={async (formData: FormData) => { 'use server'; return new Response(null, { status: 204 }); }} />;
}
`,
      errors: [
        {
          messageId: 'responseInAction',
          line: 3,
          column: 77,
          endLine: 3,
          endColumn: 112,
          data: { subject: 'This inline Server Action', expression: 'new Response(…)' },
        },
      ],
    },
  ],
});
