import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearForeignModuleCaches, resolveImportedFunction } from '../../src/analysis/foreign-module.js';
import { clearModuleCaches } from '../../src/analysis/modules.js';
import { judgeQuery, type QueryRead } from '../../src/analysis/query.js';
import { getServerActions } from '../../src/analysis/server-actions.js';
import { withContext } from '../support/probe.js';
import { makeTempDir, writeInto } from '../support/temp-tree.js';

let root: string;

const write = (file: string, text: string): string => writeInto(root, file, text);

beforeAll(() => {
  root = makeTempDir('next-actions-query-analysis-');
  write('package.json', '{ "name": "app", "private": true }');
  write('tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }));
  write(
    'lib/services/users.ts',
    `import { prisma } from '@/lib/prisma';

export async function findUsers(query: string) {
  return prisma.user.findMany({ where: { name: { contains: query } } });
}

export async function touchUser(id: string) {
  await prisma.user.update({ where: { id }, data: { seenAt: new Date() } });
}
`,
  );
  write(
    'app/users/actions.ts',
    `'use server';
import { db } from '@/lib/db';
import { findUsers, touchUser } from '@/lib/services/users';

export async function getUsers() {
  return db.user.findMany();
}

export async function search(query: string) {
  const users = await findUsers(query);
  return users;
}

export async function openUser(id: string) {
  await touchUser(id);
  return db.user.findUnique({ where: { id } });
}
`,
  );
  write(
    'lib/mappers.ts',
    `export function toArticle(doc: { _id: string; title: string }) {
  return { id: doc._id, title: doc.title, date: format(doc.date) };
}
export const toDTO = (row: { id: string }) => serialize(row);
`,
  );
  write(
    'lib/session.ts',
    `import { cookies } from 'next/headers';
import { db } from '@/lib/db';
export async function getCurrentSession() {
  const token = (await cookies()).get('session')?.value;
  if (!token) return null;
  const session = await db.session.findUnique({ where: { id: token } });
  if (session) await db.session.update({ where: { id: token }, data: { expiresAt: new Date() } });
  return session;
}
`,
  );
  clearModuleCaches();
  clearForeignModuleCaches();
});

afterAll(() => {
  clearModuleCaches();
  clearForeignModuleCaches();
  rmSync(root, { recursive: true, force: true });
});

const describeRead = (read: QueryRead | undefined) =>
  read && `${read.label} via [${read.via.join(', ')}] at ${path.relative(root, read.file)}:${read.origin.loc.start.line} (site line ${read.site.loc.start.line})`;

/** For each Server Action of `code` (linted as `file`): its name and the read judgeQuery answers. */
const judgeActions = (code: string, file: string) =>
  withContext(
    code,
    path.join(root, file),
    context => getServerActions(context).actions.map(action => [action.name, describeRead(judgeQuery(context, action.fn))]),
    { cwd: root },
  );

describe('judgeQuery', () => {
  it('answers the read whose data a read-only action returns, and nothing for other actions', () => {
    expect(
      judgeActions(
        `'use server';
import { db } from '@/lib/db';
async function load() {
  return db.post.findMany();
}
export async function posts() {
  return load();
}
export async function create(title: string) {
  const post = await db.post.create({ data: { title } });
  return post;
}
export async function exists(id: string) {
  return !(await db.post.findUnique({ where: { id } }));
}
`,
        'app/posts/actions.ts',
      ),
    ).toEqual([
      ['posts', 'db.post.findMany via [load] at app/posts/actions.ts:4 (site line 7)'],
      ['create', undefined],
      ['exists', undefined],
    ]);
  });

  it('follows imported helpers and says which module the read is in', () => {
    expect(
      judgeActions(
        `'use server';
import { findUsers, touchUser } from '@/lib/services/users';
export async function search(query: string) {
  return findUsers(query);
}
export async function touch(id: string) {
  await touchUser(id);
  return { ok: true };
}
`,
        'app/search/actions.ts',
      ),
    ).toEqual([
      ['search', 'prisma.user.findMany via [findUsers] at lib/services/users.ts:4 (site line 4)'],
      ['touch', undefined],
    ]);
  });

  it('judges an imported action in its own module, as the action file itself would', () => {
    const judged = withContext(
      `'use client';\nexport function Users() { return null; }\n`,
      path.join(root, 'app/users/user-list.tsx'),
      context =>
        ['getUsers', 'search', 'openUser', 'missing'].map(name => {
          const target = resolveImportedFunction(context, './actions', name);
          return describeRead(target && judgeQuery(target.context, target.fn));
        }),
      { cwd: root },
    );
    expect(judged).toEqual([
      'db.user.findMany via [] at app/users/actions.ts:6 (site line 6)',
      'prisma.user.findMany via [findUsers] at lib/services/users.ts:4 (site line 10)',
      undefined,
      undefined,
    ]);
  });

  it('sees a read through query-builder operators, imported mappers and a session renewal', () => {
    expect(
      judgeActions(
        `'use server';
import { db } from '@/lib/db';
import { like, eq } from 'drizzle-orm';
import { toArticle, toDTO } from '@/lib/mappers';
import { getCurrentSession } from '@/lib/session';
export async function search(q: string) {
  return db.select().from(posts).where(like(posts.title, q));
}
export async function articles() {
  const docs = await db.article.findMany();
  return docs.map(toArticle);
}
export async function row(id: string) {
  const found = await db.article.findUnique({ where: { id } });
  return toDTO(found);
}
export async function mine() {
  const session = await getCurrentSession();
  if (!session) return [];
  return db.article.findMany({ where: { authorId: session.userId } });
}
export async function likePost(id: string) {
  await likeArticle(id);
  return db.article.findUnique({ where: { id } });
}
`,
        'app/articles/actions.ts',
      ),
    ).toEqual([
      ['search', 'db.select().from(posts) via [] at app/articles/actions.ts:7 (site line 7)'],
      ['articles', 'db.article.findMany via [] at app/articles/actions.ts:10 (site line 10)'],
      ['row', 'db.article.findUnique via [] at app/articles/actions.ts:14 (site line 14)'],
      ['mine', 'db.session.findUnique via [getCurrentSession] at lib/session.ts:6 (site line 18)'],
      ['likePost', undefined],
    ]);
  });
});
