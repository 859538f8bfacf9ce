import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSurface } from '../../src/report/build.js';
import { type CliIo, runCli } from '../../src/report/cli.js';
import { formatSurface } from '../../src/report/format.js';
import type { ActionEndpoint, Endpoint, RouteEndpoint, Surface } from '../../src/report/model.js';
import { fixturesDir, repoRoot } from '../support/fixtures.js';
import { makeTempDir, writeInto } from '../support/temp-tree.js';

const app = path.join(fixturesDir, 'next-app');
let surface: Surface;

function endpoint<T extends Endpoint>(id: string): T {
  const found = surface.endpoints.find(item => item.id === id);
  expect(found, `${id} is in the report`).toBeDefined();
  return found as T;
}

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], cwd: string, tty = false, env: Record<string, string> = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    cwd,
    env,
    stdout: { write: (text: string) => (stdout += text), isTTY: tty },
    stderr: { write: (text: string) => (stderr += text), isTTY: tty },
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  surface = await buildSurface({ dir: app, cwd: repoRoot });
}, 120_000);

describe('the surface of fixtures/next-app, entry by entry', () => {
  it('names the app relative to where the command ran, with schema version 1', () => {
    expect(surface.version).toBe(1);
    expect(surface.root).toBe('fixtures/next-app');
    expect(surface.tool.name).toBe('eslint-plugin-next-actions');
  });

  it('gives every endpoint a unique, stable id and relative paths', () => {
    const ids = surface.endpoints.map(item => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const item of surface.endpoints) {
      expect(path.isAbsolute(item.file), item.id).toBe(false);
      expect(item.id).toBe(item.type === 'action' ? `action:${item.file}#${item.name}` : `route:${item.pattern}`);
      for (const caller of item.callers) expect(path.isAbsolute(caller.file)).toBe(false);
    }
  });

  it('lists createPost with its form and its client callers (from the app graph), its write, its revalidation and its guard', () => {
    const createPost = endpoint<ActionEndpoint>('action:app/posts/actions.ts#createPost');
    expect(createPost).toMatchObject({ name: 'createPost', file: 'app/posts/actions.ts', line: 7, exportKind: 'file-level', callersKnown: true });
    expect(createPost.callers).toEqual([
      { kind: 'client', file: 'app/posts/import-drafts.tsx', line: 18, within: 'ImportDrafts' },
      { kind: 'client', file: 'app/posts/import-drafts.tsx', line: 24, within: 'ImportDrafts' },
      { kind: 'client', file: 'app/posts/import-drafts.tsx', line: 25, within: 'ImportDrafts' },
      { kind: 'client', file: 'app/posts/import-drafts.tsx', line: 37, within: 'ImportDrafts' },
      { kind: 'form', file: 'app/posts/page.tsx', line: 13, within: 'PostsPage' },
    ]);
    expect(createPost.effects).toEqual([{ kind: 'write', label: 'db.post.create', subject: 'post', file: 'app/posts/actions.ts', line: 11 }]);
    expect(createPost.revalidates).toEqual(["revalidatePath('/posts')"]);
    expect(createPost.guard).toEqual({ kind: 'auth', label: 'getSession()' });
    expect(createPost.findings).toEqual([]);
  });

  it('marks promoteToAdmin unguarded, with the require-action-auth finding and its help URI', () => {
    const promote = endpoint<ActionEndpoint>('action:app/admin/user-actions.ts#promoteToAdmin');
    // Nothing in the app references it: its callers are unknown, not "none".
    expect(promote).toMatchObject({ callersKnown: false, callers: [] });
    expect(surface.summary.noClientCaller).not.toContain(promote.id);
    expect(promote.guard).toEqual({ kind: 'none' });
    expect(promote.findings).toEqual([
      expect.objectContaining({
        ruleId: 'next-actions/require-action-auth',
        file: 'app/admin/user-actions.ts',
        line: 9,
        severity: 'error',
        helpUri: expect.stringMatching(/\/docs\/rules\/require-action-auth\.md$/),
      }),
    ]);
    expect(surface.summary.unguarded).toContain(promote.id);
  });

  it('lists the read-only getUsers as a read exposed as an action, called from client code', () => {
    const getUsers = endpoint<ActionEndpoint>('action:app/users/actions.ts#getUsers');
    expect(getUsers.callers).toEqual([{ kind: 'client', file: 'app/users/user-directory.tsx', line: 18, within: 'UserDirectory' }]);
    expect(getUsers.effects.map(effect => effect.kind)).toEqual(['read']);
    expect(surface.summary.readsAsActions).toContain(getUsers.id);
  });

  it('lists Route Handlers with their methods, own-UI callers, signature checks and guards', () => {
    const comments = endpoint<RouteEndpoint>('route:/api/comments');
    expect(comments).toMatchObject({ router: 'app', file: 'app/api/comments/route.ts', line: 4, methods: ['POST'], guard: { kind: 'none' } });
    // report-comment.tsx has no directive: it is client code because a "use client" module imports it.
    expect(comments.callers).toEqual([
      { kind: 'client', file: 'app/components/comment-form.tsx', line: 12 },
      { kind: 'client', file: 'app/components/report-comment.tsx', line: 4 },
    ]);
    expect(surface.summary.unguarded).toContain(comments.id);
    expect(surface.summary.ownApiCalls).toContainEqual({ from: { file: 'app/components/comment-form.tsx', line: 12 }, route: comments.id });

    const stripe = endpoint<RouteEndpoint>('route:/api/webhooks/stripe');
    expect(stripe.callers).toEqual([]);
    expect(stripe.verifiesSignature).toBe('stripe.webhooks.constructEvent(…)');
    expect(surface.summary.unguarded).not.toContain(stripe.id);

    expect(endpoint<RouteEndpoint>('route:/api/health')).toMatchObject({ router: 'pages', methods: ['ANY'] });
  });

  it('lists a webhook-only processor with the webhook Route Handler that calls it', () => {
    const recordCheckout = endpoint<ActionEndpoint>('action:app/billing/ledger.ts#recordCheckout');
    expect(recordCheckout.callersKnown).toBe(true);
    expect(recordCheckout.callers).toEqual([expect.objectContaining({ kind: 'route-handler', file: 'app/api/webhooks/stripe/route.ts', webhook: true })]);
    expect(surface.summary.noClientCaller).toContain(recordCheckout.id);
  });

  it('counts what it lists', () => {
    const actions = surface.endpoints.filter(item => item.type === 'action');
    expect(surface.summary.actions).toBe(actions.length);
    expect(surface.summary.routes).toBe(surface.endpoints.length - actions.length);
    expect(surface.summary.findings).toBe(surface.findings.length);
    expect(surface.findings).toContainEqual(expect.objectContaining({ ruleId: 'next-actions/no-fetch-own-api', file: 'app/components/comment-form.tsx', line: 12 }));
  });
});

describe('formats', () => {
  it('text: an aligned table, colour only when asked', () => {
    const plain = formatSurface(surface, 'text', { color: false });
    expect(plain).not.toContain('\u001B[');
    const lines = plain.split('\n');
    const header = lines.find(line => line.startsWith('Server Action '))!;
    const row = lines.find(line => line.startsWith('createPost '))!;
    expect(row.indexOf('app/posts/actions.ts:7')).toBe(header.indexOf('Defined at'));
    expect(formatSurface(surface, 'text', { color: true })).toContain('\u001B[31mnone');
  });

  it('markdown: tables that fit a pull-request comment', () => {
    const markdown = formatSurface(surface, 'markdown', { color: false });
    expect(markdown).toContain('| Server Action | Defined at | Export | Callers | Effects | Revalidates | Guard | Findings |');
    expect(markdown).toContain("| `createPost` | `app/posts/actions.ts:7` | file-level | client ×4, form ×1 | write post | revalidatePath('/posts') | getSession() | - |");
  });

  it('json: the surface itself', () => {
    expect(JSON.parse(formatSurface(surface, 'json', { color: false }))).toEqual(surface);
  });

  it('sarif: 2.1.0 with one result per finding and the help URI of each rule', () => {
    const sarif = JSON.parse(formatSurface(surface, 'sarif', { color: false }));
    expect(sarif.version).toBe('2.1.0');
    const [run] = sarif.runs;
    expect(run.results).toHaveLength(surface.findings.length);
    for (const rule of run.tool.driver.rules) expect(rule.helpUri).toMatch(new RegExp(`/docs/rules/${rule.id.replace('next-actions/', '')}\\.md$`));
    expect(run.results[0].locations[0].physicalLocation.artifactLocation.uriBaseId).toBe('APP_ROOT');
  });

  it('html: one self-contained page with the picture and no script', () => {
    const html = formatSurface(surface, 'html', { color: false });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('Your UI → Server Actions → data');
    expect(html).toContain('Outside callers → Route Handlers');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg|github\.com)/);
  });
});

describe('the command', () => {
  it('prints the text report for the folder it is given', async () => {
    const result = await cli(['report', 'fixtures/next-app'], repoRoot);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Server surface of fixtures/next-app');
  });

  it.each([
    [['report', 'src'], /^next-actions: .*src is not a Next\.js app: no package\.json that depends on `next`/],
    [['report', 'fixtures/next-app', '--format', 'xml'], /^next-actions: unknown format `xml`: use one of text, markdown, json, sarif, html\.$/],
    [['report', 'fixtures/next-app', '--fail-on', 'everything'], /^next-actions: unknown --fail-on value `everything`/],
    [['publish'], /^next-actions: unknown command `publish`/],
    [['report', 'fixtures/next-app', '--base', 'no-such-ref-anywhere'], /^next-actions: git does not know the ref `no-such-ref-anywhere`/],
  ])('rejects %j with one clear line and exit code 2', async (args, message) => {
    const result = await cli(args, repoRoot);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toMatch(message);
  });

  it('writes to --output and stays silent on stderr when nothing is a terminal', async () => {
    const dir = makeTempDir('report-output-');
    const result = await cli(['report', app, '--format', 'json', '--output', path.join(dir, 'surface.json')], repoRoot);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(JSON.parse(readFileSync(path.join(dir, 'surface.json'), 'utf8')).version).toBe(1);
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows progress on a terminal, but not for JSON into a pipe', async () => {
    const dir = makeTempDir('report-progress-');
    writeInto(dir, 'package.json', JSON.stringify({ dependencies: { next: '16.0.0' } }));
    writeInto(dir, 'app/actions.ts', "'use server';\nexport async function ping() {}\n");
    const onTerminal = await cli(['report', dir], dir, true, { NO_COLOR: '1' });
    expect(onTerminal.stderr).toContain('Linting 1/1 files');
    expect(onTerminal.stdout).not.toContain('\u001B[');
    let piped = '';
    const code = await runCli(['report', dir, '--format', 'json'], {
      cwd: dir,
      env: {},
      stdout: { write: () => true, isTTY: false },
      stderr: { write: (text: string) => (piped += text), isTTY: true },
    });
    expect(code).toBe(0);
    expect(piped).toBe('');
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('patterns learned on real apps', () => {
  it('counts an SWR key as a request; sign-in actions public; a cron wrapper wrapped; verify…Signature a signature check; guest carts capability-scoped; paid AI a package call', async () => {
    const dir = makeTempDir('report-patterns-');
    writeInto(dir, 'package.json', JSON.stringify({ dependencies: { next: '16.0.0', swr: '2.0.0' } }));
    writeInto(dir, 'app/api/me/route.ts', "import { db } from '../../../lib/db';\nexport async function GET() {\n  return Response.json(await db.user.findFirst());\n}\n");
    writeInto(dir, 'lib/db.ts', 'export const db = {} as any;\n');
    writeInto(dir, 'app/account/me.tsx', "'use client';\nimport useSWR from 'swr';\nexport function Me() {\n  const { data } = useSWR('/api/me', (url: string) => fetch(url).then(r => r.json()));\n  return <p>{String(data)}</p>;\n}\n");
    writeInto(
      dir,
      'app/login/actions.ts',
      "'use server';\nimport { cookies } from 'next/headers';\nimport { db } from '../../lib/db';\nexport async function signIn(form: FormData) {\n  const user = await db.user.update({ where: { email: String(form.get('email')) }, data: { lastLogin: new Date() } });\n  (await cookies()).set('session', user.id);\n}\n",
    );
    writeInto(dir, 'lib/cron.ts', 'export function withCron(handler: () => Promise<Response>) { return handler; }\nexport async function verifyQstashSignature(request: Request) { return request; }\n');
    writeInto(dir, 'app/api/cron/cleanup/route.ts', "import { withCron } from '../../../../lib/cron';\nimport { db } from '../../../../lib/db';\nexport const POST = withCron(async () => {\n  await db.session.deleteMany({});\n  return new Response(null);\n});\n");
    writeInto(dir, 'app/api/cron/queue/route.ts', "import { verifyQstashSignature } from '../../../../lib/cron';\nimport { db } from '../../../../lib/db';\nexport async function POST(request: Request) {\n  await verifyQstashSignature(request);\n  await db.job.create({ data: {} });\n  return new Response(null);\n}\n");
    writeInto(
      dir,
      'app/cart/actions.ts',
      "'use server';\nimport { cookies } from 'next/headers';\nimport { generateText } from 'ai';\nimport { db } from '../../lib/db';\nexport async function addToCart(productId: string) {\n  const cartId = (await cookies()).get('cartId')?.value;\n  await db.cartItem.create({ data: { cartId, productId } });\n}\nexport async function describe(prompt: string) {\n  return (await generateText({ model: 'gpt', prompt })).text;\n}\n",
    );
    const patterns = await buildSurface({ dir, cwd: dir });
    expect(patterns.endpoints.find(item => item.id === 'action:app/cart/actions.ts#addToCart')!.guard).toEqual({ kind: 'capability', label: 'server-set cookie or one-time token' });
    const describeAction = patterns.endpoints.find(item => item.id === 'action:app/cart/actions.ts#describe')!;
    expect(describeAction.effects).toEqual([{ kind: 'package', label: 'generateText', subject: 'ai', file: 'app/cart/actions.ts', line: 10 }]);
    expect(patterns.endpoints.find(item => item.id === 'route:/api/cron/cleanup')!.guard).toEqual({ kind: 'wrapped', label: 'withCron' });
    expect(patterns.endpoints.find(item => item.id === 'route:/api/cron/queue')).toMatchObject({ verifiesSignature: 'verifyQstashSignature(…)', guard: { kind: 'none' } });
    const me = patterns.endpoints.find(item => item.id === 'route:/api/me')!;
    expect(me.callers).toEqual([{ kind: 'client', file: 'app/account/me.tsx', line: 4 }]);
    expect(patterns.summary.ownApiCalls).toEqual([{ from: { file: 'app/account/me.tsx', line: 4 }, route: 'route:/api/me' }]);
    const signIn = patterns.endpoints.find(item => item.id === 'action:app/login/actions.ts#signIn')!;
    expect(signIn.guard).toEqual({ kind: 'public', label: 'sign-in flow' });
    expect(patterns.summary.unguarded).toEqual(['action:app/cart/actions.ts#describe']);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});

describe('review mode (--base)', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });

  beforeAll(() => {
    repo = makeTempDir('report-base-');
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'Test');
    writeInto(repo, 'package.json', JSON.stringify({ name: 'shop', dependencies: { next: '16.0.0' } }));
    writeInto(repo, 'lib/db.ts', 'export const db = {} as any;\n');
    writeInto(
      repo,
      'app/invoices/actions.ts',
      `'use server';
import { revalidatePath } from 'next/cache';
import { auth } from '@/lib/auth';
import { db } from '@/lib/db';

export async function archiveInvoice(id: string) {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
  await db.invoice.update({ where: { id }, data: { archived: true } });
  revalidatePath('/invoices');
}
`,
    );
    writeInto(repo, 'lib/auth.ts', 'export async function auth() { return null as { userId: string } | null; }\n');
    writeInto(repo, 'tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }));
    writeInto(repo, 'app/api/invoices/route.ts', "export async function GET() { return Response.json([]); }\n");
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    writeInto(
      repo,
      'app/invoices/actions.ts',
      `'use server';
import { auth } from '@/lib/auth';
import { db } from '@/lib/db';

export async function archiveInvoice(id: string) {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
  await db.invoice.update({ where: { id }, data: { archived: true } });
}

export async function deleteInvoice(id: string) {
  await db.invoice.delete({ where: { id } });
}
`,
    );
    writeInto(
      repo,
      'app/invoices/list.tsx',
      `'use client';
export function InvoiceList() {
  return <button onClick={() => fetch('/api/invoices')}>Load</button>;
}
`,
    );
    git('add', '.');
    git('commit', '-q', '-m', 'head');
    // An uncommitted edit is part of what the command reports: a dirty work tree is fine.
    writeFileSync(path.join(repo, 'README.md'), 'work in progress\n');
  });

  it('reports what the change adds, removes or alters, and fails on what --fail-on names', async () => {
    const result = await cli(['report', '.', '--base', 'HEAD~1', '--format', 'json', '--fail-on', 'unguarded,new-endpoints'], repo);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('next-actions: failing because of --fail-on: 1 changed or added endpoint(s) with privileged work and no guard; 1 new endpoint(s).\n');
    const { changes } = JSON.parse(result.stdout) as { changes: { kind: string; id: string; message: string }[] };
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'added', id: 'action:app/invoices/actions.ts#deleteInvoice', message: 'adds a public Server Action `deleteInvoice` (app/invoices/actions.ts:11) with no guard' }),
        expect.objectContaining({ kind: 'revalidation-lost', id: 'action:app/invoices/actions.ts#archiveInvoice' }),
        expect.objectContaining({ kind: 'client-caller-added', id: 'route:/api/invoices', message: 'Route Handler `/api/invoices` (GET, app/api/invoices/route.ts) now has a client caller in our own UI (app/invoices/list.tsx:3)' }),
      ]),
    );
    expect(git('status', '--porcelain')).toBe('?? README.md\n');
  }, 60_000);

  it('passes when the change adds nothing that --fail-on names', async () => {
    const result = await cli(['report', '.', '--base', 'HEAD', '--format', 'markdown', '--fail-on', 'new-endpoints'], repo);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('### Changes\n\nNo change to the server surface.');
  }, 60_000);
});
