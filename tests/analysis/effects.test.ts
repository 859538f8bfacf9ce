import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { classifyCall, type Effect, getFunctionEffects, isMutatingHttp } from '../../src/analysis/effects.js';
import { type FunctionNode, isFunctionNode } from '../../src/analysis/server-actions.js';
import { withContext } from '../support/probe.js';

function findFunction(program: TSESTree.Program, name: string): FunctionNode {
  for (const statement of program.body) {
    const declaration = statement.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.declaration : statement;
    if (declaration?.type === AST_NODE_TYPES.FunctionDeclaration && declaration.id?.name === name) return declaration;
    if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === AST_NODE_TYPES.Identifier && declarator.id.name === name && isFunctionNode(declarator.init)) return declarator.init;
      }
    }
  }
  throw new Error(`no function ${name}`);
}

function describeEffect(found: Effect): string {
  const extra = [found.library, found.method, found.urlKind, found.urlPath].filter(Boolean).join(' ');
  const via = found.via.length > 0 ? ` via ${found.via.join('>')}` : '';
  const basis = found.basis === 'catalogue' ? '' : ` (${found.basis})`;
  return `${found.kind} ${found.label}${extra ? ` [${extra}]` : ''}${via}${basis} @${found.node.loc.start.line}`;
}

/** The effects of function `name` in `code`, one line each: `kind label [details] via helper @line`. */
const effectsOf = (code: string, name = 'action', settings?: Record<string, unknown>) =>
  withContext(
    code,
    'app/actions.ts',
    context => getFunctionEffects(context, findFunction(context.sourceCode.ast, name)).effects.map(describeEffect),
    { settings: settings && { 'next-actions': settings } },
  );

const dataReturnsOf = (code: string, name = 'action') =>
  withContext(code, 'app/actions.ts', context =>
    getFunctionEffects(context, findFunction(context.sourceCode.ast, name)).dataReturns.map(node => context.sourceCode.getText(node)),
  );

describe('getFunctionEffects', () => {
  it('lists reads, writes, revalidation and redirects in evaluation order', () => {
    expect(
      effectsOf(`'use server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { db } from '@/lib/db';
export async function action(formData: FormData) {
  const user = await db.user.findUnique({ where: { id: 1 } });
  await db.post.create({ data: { authorId: user.id } });
  revalidatePath('/posts');
  redirect('/posts');
}`),
    ).toEqual([
      'read db.user.findUnique [prisma findUnique] @6',
      'mutation db.post.create [prisma create] @7',
      'revalidate revalidatePath [revalidatePath] @8',
      'redirect redirect [redirect] @9',
    ]);
  });

  it('counts next/cache and next/navigation functions only when imported from there (also aliased or through a namespace)', () => {
    expect(
      effectsOf(`import * as cache from 'next/cache';
import { updateTag as expire, refresh } from 'next/cache';
import { notFound, permanentRedirect } from 'next/navigation';
function revalidatePath(path: string) {}
function redirect(path: string) {}
async function action() {
  cache.revalidatePath('/');
  expire('posts');
  refresh();
  revalidatePath('/');
  redirect('/');
  notFound();
  permanentRedirect('/');
}`),
    ).toEqual([
      'revalidate revalidatePath [revalidatePath] @7',
      'revalidate updateTag [updateTag] @8',
      'revalidate refresh [refresh] @9',
      'interrupt notFound [notFound] @12',
      'redirect permanentRedirect [permanentRedirect] @13',
    ]);
  });

  it('records cookie writes on the next/headers store, directly or through a variable', () => {
    expect(
      effectsOf(`import { cookies, draftMode } from 'next/headers';
async function action() {
  (await cookies()).set('theme', 'dark');
  const jar = await cookies();
  jar.delete('session');
  jar.get('x');
  (await draftMode()).enable();
  const local = new Map();
  local.set('a', 1);
}`),
    ).toEqual(['cookieWrite cookies().set [set] @3', 'cookieWrite cookies().delete [delete] @5', 'cookieWrite draftMode().enable [enable] @7']);
  });

  it('records HTTP calls with their method and whether the URL is the app\'s own', () => {
    const effects = withContext(
      `async function action(id: string) {
  await fetch('/api/posts', { method: 'POST', body: '{}' });
  await fetch(\`\${process.env.NEXT_PUBLIC_APP_URL}/api/posts/\${id}\`, { method: 'DELETE' });
  await fetch('https://api.resend.com/emails', { method: 'POST' });
  await fetch('https://example.com/feed.json');
  await axios.put('https://api.example.com/items/1', {});
}`,
      'app/actions.ts',
      context => getFunctionEffects(context, findFunction(context.sourceCode.ast, 'action')).effects,
    );
    expect(effects.map(describeEffect)).toEqual([
      'http fetch [POST relative /api/posts] @2',
      'http fetch [DELETE own-origin /api/posts/…] @3',
      'http fetch [POST external] @4',
      'http fetch [GET external] @5',
      'http axios.put [PUT external] @6',
    ]);
    expect(effects.map(isMutatingHttp)).toEqual([true, true, true, false, true]);
  });

  it('recognises authentication calls of the common libraries', () => {
    expect(
      effectsOf(`async function action() {
  const session = await auth();
  await getServerSession(authOptions);
  const user = await currentUser();
  await auth.protect();
  const { data } = await supabase.auth.getUser();
  await (await createClient()).auth.getClaims();
  await getUser();
  await getUser(id);
}`),
    ).toEqual([
      'auth auth @2',
      'auth getServerSession @3',
      'auth currentUser @4',
      'auth auth.protect @5',
      'auth supabase.auth.getUser @6',
      'auth (awaitcreateClient()).auth.getClaims @7',
      'auth getUser @8',
      'unknownCall getUser @9',
    ]);
  });

  it('follows same-file helpers: effects point at the call site, keep their label and say through which helper', () => {
    expect(
      effectsOf(`import { revalidatePath } from 'next/cache';
async function save(data: object) {
  await db.post.update({ where: { id: 1 }, data });
  await refreshPosts();
}
const refreshPosts = async () => revalidatePath('/posts');
export async function action(formData: FormData) {
  await requireUser();
  await save({});
}
async function requireUser() {
  const session = await auth();
  if (!session) throw new Error('Unauthorized');
}`),
    ).toEqual([
      'auth auth via requireUser @8',
      'mutation db.post.update [prisma update] via save @9',
      'revalidate revalidatePath [revalidatePath] via save>refreshPosts @9',
    ]);
  });

  it('stops at cycles and at the depth limit', () => {
    expect(
      effectsOf(`async function a() { await db.a.create({}); await b(); }
async function b() { await db.b.create({}); await a(); }
async function action() { await a(); }`),
    ).toEqual(['mutation db.a.create [prisma create] via a @3', 'mutation db.b.create [prisma create] via a>b @3']);
    expect(
      effectsOf(`async function one() { await two(); }
async function two() { await three(); }
async function three() { await four(); }
async function four() { await five(); }
async function five() { await db.deep.delete({}); }
async function action() { await one(); }`),
    ).toEqual(['unknownCall five via one>two>three>four @6']);
  });

  it('counts callbacks handed to calls, not functions that are only defined', () => {
    expect(
      effectsOf(`async function action(ids: string[]) {
  await db.$transaction(async (tx) => { await tx.post.deleteMany({}); });
  await Promise.all(ids.map((id) => db.tag.delete({ where: { id } })));
  const later = async () => { await db.never.create({}); };
  return later;
}`),
    ).toEqual(['mutation tx.post.deleteMany [prisma deleteMany] @2', 'mutation db.tag.delete [prisma delete] @3']);
  });

  it('honours settings: configured names and patterns win over the catalogue', () => {
    expect(
      effectsOf(
        `import { savePost, loadPosts } from '@/lib/posts';
import { revalidateAll } from '@/lib/cache';
async function action() {
  await savePost({});
  await loadPosts();
  await repo.posts.insertDraft({});
  revalidateAll();
  await ensureSignedIn();
}`,
        'action',
        {
          mutationFunctions: ['savePost', 'repo.*.insert*'],
          readFunctions: ['loadPosts'],
          revalidateFunctions: ['revalidateAll'],
          authFunctions: ['ensureSignedIn'],
        },
      ),
    ).toEqual([
      'mutation savePost (settings) @4',
      'read loadPosts (settings) @5',
      'mutation repo.posts.insertDraft (settings) @6',
      'revalidate revalidateAll (settings) @7',
      'auth ensureSignedIn (settings) @8',
    ]);
  });

  it('never guesses a mutation from a name; imported revalidation wrappers are known by name', () => {
    expect(
      effectsOf(`import { createPost } from '@/lib/posts';
import { revalidatePosts } from '@/lib/cache';
import { revalidateTag } from './cache';
async function action(formData: FormData) {
  const input = await schema.parseAsync(Object.fromEntries(formData));
  await createPost(input);
  await revalidatePosts();
  revalidateTag('posts');
  console.log('done');
}`),
    ).toEqual(['unknownCall createPost @6', 'revalidate revalidatePosts (name) @7', 'revalidate revalidateTag (name) @8']);
  });

  it('reports each chain once, on its outermost call', () => {
    expect(
      effectsOf(`async function action() {
  const { error } = await supabase.from('todos').insert({}).select().single();
  await fetch('/api/x').then((response) => response.json());
}`),
    ).toEqual(["mutation supabase.from('todos').insert [supabase insert] @2", 'http fetch [GET relative /api/x] @3']);
  });
});

describe('dataReturns', () => {
  it('finds returns that carry read data through variables, destructuring and helpers', () => {
    expect(
      dataReturnsOf(`async function load() { return db.post.findMany(); }
async function action(id: string) {
  if (!id) return { error: 'missing id' };
  const { data: rows } = await supabase.from('posts').select('*');
  const titles = rows.map((row) => row.title);
  if (titles.length === 0) return [];
  if (id === 'all') return load();
  return { titles };
}`),
    ).toEqual(['load()', '{ titles }']);
  });

  it('is empty when only writes happen', () => {
    expect(dataReturnsOf(`async function action() { const post = await db.post.create({ data: {} }); return post; }`)).toEqual([]);
  });

  it('sees an arrow function\'s expression body', () => {
    expect(dataReturnsOf(`const action = async () => db.post.findMany();`)).toEqual(['db.post.findMany()']);
  });
});

describe('classifyCall', () => {
  it('names a same-file helper call instead of following it', () => {
    const result = withContext(`function helper() {}\nhelper();\nsomething.helper();`, 'app/actions.ts', context => {
      const calls = context.sourceCode.ast.body.flatMap(statement =>
        statement.type === AST_NODE_TYPES.ExpressionStatement && statement.expression.type === AST_NODE_TYPES.CallExpression ? [statement.expression] : [],
      );
      return calls.map(call => classifyCall(context, call)?.kind);
    });
    expect(result).toEqual(['helper', undefined]);
  });
});
