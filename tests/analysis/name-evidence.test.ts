import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { cachedCall, getNameEvidence, isAuthName, isShapingCall, nameKind, nameVerb } from '../../src/analysis/name-evidence.js';
import { withContext } from '../support/probe.js';

/** The call a statement of `probe`'s body is about: `await x()`, `const y = await x()`, `return x()`, `void x()`. */
function statementCall(statement: TSESTree.Statement): TSESTree.CallExpression | undefined {
  let node: TSESTree.Node | null | undefined =
    statement.type === AST_NODE_TYPES.ExpressionStatement
      ? statement.expression
      : statement.type === AST_NODE_TYPES.VariableDeclaration
        ? statement.declarations[0]!.init
        : statement.type === AST_NODE_TYPES.ReturnStatement
          ? statement.argument
          : undefined;
  while (node && (node.type === AST_NODE_TYPES.AwaitExpression || node.type === AST_NODE_TYPES.UnaryExpression)) node = node.argument;
  return node?.type === AST_NODE_TYPES.CallExpression ? node : undefined;
}

function probeBody(program: TSESTree.Program): TSESTree.Statement[] {
  for (const statement of program.body) {
    const declaration = statement.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.declaration : statement;
    if (declaration?.type === AST_NODE_TYPES.FunctionDeclaration && declaration.id?.name === 'probe') return declaration.body.body;
  }
  throw new Error('no function probe');
}

/** For each statement of `probe`: `read name`, `write name`, or `-` when its call's names say nothing. */
const evidenceOf = (code: string) =>
  withContext(code, 'app/actions.ts', context =>
    probeBody(context.sourceCode.ast).flatMap(statement => {
      const call = statementCall(statement);
      if (!call) return [];
      const evidence = getNameEvidence(context, call);
      return [evidence ? `${evidence.kind} ${evidence.name}` : '-'];
    }),
  );

describe('nameVerb and nameKind', () => {
  it('reads the verb a camelCase or snake_case name starts with', () => {
    expect(['getUsers', 'get', 'get_users', '_loadMore', 'settings', 'GET', 'Users', 'update2fa'].map(nameVerb)).toEqual([
      'get', 'get', 'get', 'load', 'settings', undefined, undefined, 'update',
    ]);
  });

  it('sorts verbs into reads, writes and neither', () => {
    const names = ['getPosts', 'listPrices', 'retrieve', 'findMany', 'searchIndex', 'countVotes', 'sendEmail', 'upsertUser', 'toggleLike', 'connectToDB', 'ensureIndexes', 'log', 'trackEvent', 'joinRoom'];
    expect(names.map(nameKind)).toEqual([
      'read', 'read', 'read', 'read', 'read', 'read', 'write', 'write', 'write', undefined, undefined, undefined, undefined, undefined,
    ]);
  });

  it('tells reads of the signed-in user and credentials from reads of data', () => {
    expect(['getSession', 'getToken', 'getServerAuthSession', 'getCurrentUser', 'getViewer', 'getJWTClaims'].map(isAuthName)).toEqual([true, true, true, true, true, true]);
    expect(['getUsers', 'getAuthor', 'getUser', 'getMessages'].map(isAuthName)).toEqual([false, false, false, false]);
  });
});

describe('getNameEvidence', () => {
  it('counts reads and writes of imported functions and SDK methods', () => {
    expect(
      evidenceOf(`import { getPosts, savePost } from '@/lib/posts';
import { stripe } from '@/lib/stripe';
async function probe(id: string) {
  await getPosts();
  await savePost({});
  const customer = await stripe.customers.retrieve(id);
  const prices = await stripe.prices.list({ limit: 3 }).autoPagingToArray({ limit: 100 });
  return resend.emails.send({ to: 'a@b.c' }).then((result) => result.data);
}`),
    ).toEqual(['read getPosts', 'write savePost', 'read retrieve', 'read list', 'write send']);
  });

  it('counts writes that are not awaited, and reads only when awaited or returned', () => {
    expect(
      evidenceOf(`import { recordView, getStripe } from '@/lib/x';
async function probe() {
  void recordView('p1');
  const stripe = getStripe();
  const promise = fetchPosts();
}`),
    ).toEqual(['write recordView', '-', '-']);
  });

  it('does not count factories whose result is a client or a builder', () => {
    expect(
      evidenceOf(`import { createClient } from '@/utils/supabase/server';
import { createEmailProvider, createAlgolia } from '@/lib/vendors';
import { createHash } from 'node:crypto';
async function probe() {
  const supabase = await createClient();
  const provider = createEmailProvider({ from: 'x' });
  const algolia = createAlgolia('app', 'key');
  const hits = await algolia.searchSingleIndex({ indexName: 'posts' });
  const digest = createHash('sha256').update('x').digest('hex');
  const db = await getDb();
  const record = await createRecord({ title: 'x' });
  return record.id;
}`),
    ).toEqual(['-', '-', '-', 'read searchSingleIndex', '-', '-', 'write createRecord']);
  });

  it('does not count utilities, globals, local collections, dates and request input', () => {
    expect(
      evidenceOf(`import { addDays, setHours } from 'date-fns';
import _ from 'lodash';
import dayjs from 'dayjs';
import { headers } from 'next/headers';
import { getTranslations } from 'next-intl/server';
async function probe(formData: FormData, when: Date, items: string[]) {
  const byId = new Map<string, number>();
  const seen = new Set<string>();
  const start = new Date();
  byId.set('a', 1);
  seen.add('a');
  start.setDate(1);
  when.setHours(0);
  const later = addDays(setHours(start, 0), 3);
  _.set({}, 'a', 1);
  const next = dayjs().add(1, 'day');
  console.count('x');
  setTimeout(() => {}, 10);
  return items.find((item) => item === 'x');
  return formData.get('name');
  return (await headers()).get('x-forwarded-for');
  return getTranslations('Form');
}`),
    ).toEqual(['-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-']);
  });

  it('does not count a read that returns a function the caller then calls', () => {
    expect(
      evidenceOf(`import { getTranslate, getLabels } from '@/lib/i18n';
async function probe() {
  const t = await getTranslate();
  const labels = await getLabels();
  return [t('title'), labels.title];
}`),
    ).toEqual(['-', 'read getLabels']);
  });

  it('does not count the signed-in user or credentials as reads', () => {
    expect(
      evidenceOf(`import { getToken } from 'next-auth/jwt';
import { getSessionUser, getUser } from '@/lib/auth';
async function probe() {
  await getToken({});
  await getSessionUser();
  return getUser('u1');
}`),
    ).toEqual(['-', '-', 'read getUser']);
  });

  it('reads upload URLs and SDK commands as writes', () => {
    expect(
      evidenceOf(`import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
async function probe() {
  await storage.getSignedUploadUrl({ key: 'k' });
  await getSignedUrl(s3, new PutObjectCommand({ Bucket: 'b', Key: 'k' }));
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: 'b', Key: 'k' }));
}`),
    ).toEqual(['write getSignedUploadUrl', 'write getSignedUrl', 'read getSignedUrl']);
  });
});

describe('isShapingCall', () => {
  it('knows calls that reshape what they are given', () => {
    const shaping = withContext(
      `toDto(user); superjson.serialize(rows); formatPrice(p); draftJanitor(x); generateText(y); getPosts(z);`,
      'app/actions.ts',
      context =>
        context.sourceCode.ast.body.map(statement =>
          statement.type === AST_NODE_TYPES.ExpressionStatement && statement.expression.type === AST_NODE_TYPES.CallExpression
            ? isShapingCall(statement.expression)
            : undefined,
        ),
    );
    expect(shaping).toEqual([true, true, true, false, false, false]);
  });
});

describe('cachedCall', () => {
  const cachedOf = (code: string) =>
    withContext(code, 'app/actions.ts', context =>
      probeBody(context.sourceCode.ast).flatMap(statement => {
        const call = statementCall(statement);
        if (!call) return [];
        const found = cachedCall(context, call);
        return [found ? context.sourceCode.getText(found.fn).slice(0, 24) : '-'];
      }),
    );

  it('finds the function behind React cache and unstable_cache, inline or bound', () => {
    expect(
      cachedOf(`import { cache } from 'react';
import * as React from 'react';
import { unstable_cache } from 'next/cache';
async function uncachedPosts() { return []; }
const getUser = cache(async (id: string) => db.user.findUnique({ where: { id } }));
const getPosts = unstable_cache(uncachedPosts, ['posts']);
const getTeams = React.cache(async () => db.team.findMany());
async function probe() {
  await getUser('u1');
  await getPosts();
  await getTeams();
  return unstable_cache(async () => db.tag.findMany(), ['tags'])();
}`),
    ).toEqual(['async (id: string) => db', 'async function uncachedP', 'async () => db.team.find', 'async () => db.tag.findM']);
  });

  it('ignores functions named cache that are not React\'s or Next.js\'s', () => {
    expect(
      cachedOf(`import { cache } from '@/lib/memo';
const getUser = cache(async (id: string) => db.user.findUnique({ where: { id } }));
async function probe() {
  await getUser('u1');
  return memo(async () => 1)();
}`),
    ).toEqual(['-', '-']);
  });
});
