import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { classifyDataAccess, classifySql } from '../../src/analysis/data-layer.js';
import { withContext } from '../support/probe.js';

/** Every data access in `code`, in source order, as `kind library label [subject]`. */
const accessesOf = (code: string) =>
  withContext(code, 'app/actions.ts', context => {
    const found: string[] = [];
    const visit = (node: TSESTree.Node): void => {
      if (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.TaggedTemplateExpression) {
        const access = classifyDataAccess(context, node);
        if (access) found.push(`${access.kind} ${access.library} ${access.label}${access.subject ? ` [${access.subject}]` : ''}`);
      }
      for (const key of context.sourceCode.visitorKeys[node.type] ?? []) {
        const child = (node as unknown as Record<string, unknown>)[key];
        if (Array.isArray(child)) {
          for (const item of child as (TSESTree.Node | null)[]) if (item) visit(item);
        } else if (child && typeof child === 'object' && 'type' in child) {
          visit(child as TSESTree.Node);
        }
      }
    };
    visit(context.sourceCode.ast);
    return found;
  });

describe('classifyDataAccess', () => {
  it('Prisma: model writes and reads on a client named like one, raw queries by their SQL', () => {
    expect(
      accessesOf(`async function f(id: string) {
  await db.post.create({ data: {} });
  await prisma.user.upsert({ where: { id }, create: {}, update: {} });
  await ctx.db.comment.deleteMany({});
  await db.post.findMany();
  await this.prisma.user.count();
  await db.$executeRaw\`UPDATE "Post" SET views = views + 1\`;
  await db.$queryRaw\`SELECT * FROM "Post"\`;
  await db.$queryRaw\`INSERT INTO "Log" (a) VALUES (1) RETURNING *\`;
  await db.$executeRawUnsafe(query);
}`),
    ).toEqual([
      'mutation prisma db.post.create [post]',
      'mutation prisma prisma.user.upsert [user]',
      'mutation prisma ctx.db.comment.deleteMany [comment]',
      'read prisma db.post.findMany [post]',
      'read prisma this.prisma.user.count [user]',
      'mutation prisma db.$executeRaw [Post]',
      'read prisma db.$queryRaw [Post]',
      'mutation prisma db.$queryRaw [Log]',
      'mutation prisma db.$executeRawUnsafe',
    ]);
  });

  it('Prisma: the client of a $transaction callback, whatever its name', () => {
    expect(
      accessesOf(`async function f() {
  await prisma.$transaction(async (t) => {
    await t.account.update({ where: { id: 1 }, data: {} });
    return t.account.findUnique({ where: { id: 1 } });
  });
  await db.$transaction([db.post.delete({ where: { id: 1 } }), db.log.create({ data: {} })]);
}`),
    ).toEqual([
      'mutation prisma t.account.update [account]',
      'read prisma t.account.findUnique [account]',
      'mutation prisma db.post.delete [post]',
      'mutation prisma db.log.create [log]',
    ]);
  });

  it('Prisma-shaped calls on SDK clients are not the data layer', () => {
    expect(
      accessesOf(`async function f() {
  await stripe.customers.create({ email });
  await openai.chat.completions.create({ model });
  await resend.emails.send({ to });
  await twilio.messages.create({ to });
}`),
    ).toEqual([]);
  });

  it('Drizzle: insert/update/delete are writes, select and the query API read', () => {
    expect(
      accessesOf(`async function f() {
  await db.insert(posts).values({ title }).returning();
  await db.update(posts).set({ title }).where(eq(posts.id, id));
  await db.delete(posts).where(eq(posts.id, id));
  await db.select().from(posts).where(eq(posts.id, id));
  await db.query.posts.findMany({ with: { author: true } });
  await db.transaction(async (tx) => { await tx.insert(logs).values({}); });
}`),
    ).toEqual([
      'mutation drizzle db.insert(posts) [posts]',
      'mutation drizzle db.update(posts) [posts]',
      'mutation drizzle db.delete(posts) [posts]',
      'read drizzle db.select().from(posts) [posts]',
      'read drizzle db.query.posts.findMany [posts]',
      'mutation drizzle tx.insert(logs) [logs]',
    ]);
  });

  it('Drizzle: a database built by drizzle() under any name; sql fragments inside a query are not queries', () => {
    expect(
      accessesOf(`const conn = drizzle(pool);
async function f() {
  await conn.insert(users).values({});
  await conn.select().from(users).where(sql\`lower(\${users.email}) = \${email}\`);
  await conn.execute(sql\`DELETE FROM sessions WHERE expires < now()\`);
}`),
    ).toEqual(['mutation drizzle conn.insert(users) [users]', 'read drizzle conn.select().from(users) [users]', 'mutation sql DELETE FROM sessions [sessions]']);
  });

  it('Kysely: the query creator verbs, after CTEs too', () => {
    expect(
      accessesOf(`async function f() {
  await db.insertInto('person').values({ name }).executeTakeFirst();
  await trx.updateTable('person').set({ name }).where('id', '=', id).execute();
  await db.deleteFrom('pet').where('id', '=', id).execute();
  await db.with('recent', (qb) => qb.selectFrom('post').selectAll()).insertInto('archive').values({}).execute();
  await db.selectFrom('person').selectAll().execute();
}`),
    ).toEqual([
      "mutation kysely db.insertInto('person') [person]",
      "mutation kysely trx.updateTable('person') [person]",
      "mutation kysely db.deleteFrom('pet') [pet]",
      "mutation kysely db….insertInto('archive') [archive]",
      "read kysely qb.selectFrom('post') [post]",
      "read kysely db.selectFrom('person') [person]",
    ]);
  });

  it('Supabase: a chain is what its first verb does (`.insert().select()` writes)', () => {
    expect(
      accessesOf(`async function f() {
  await supabase.from('todos').insert({ title }).select().single();
  await supabase.from('todos').update({ done: true }).eq('id', id);
  await supabase.from('todos').upsert({ id });
  await (await createClient()).from('todos').delete().eq('id', id);
  await supabase.from('todos').select('*').order('created_at');
  await supabase.storage.from('avatars').upload(path, file);
  await supabase.storage.from('avatars').download(path);
  await supabase.rpc('increment', { id });
}`),
    ).toEqual([
      "mutation supabase supabase.from('todos').insert [todos]",
      "mutation supabase supabase.from('todos').update [todos]",
      "mutation supabase supabase.from('todos').upsert [todos]",
      "mutation supabase (awaitcreateClient()).from('todos').delete [todos]",
      "read supabase supabase.from('todos').select [todos]",
      "mutation supabase supabase.storage.from('avatars').upload [avatars]",
      "read supabase supabase.storage.from('avatars').download [avatars]",
    ]);
  });

  it('Mongoose: model statics and awaited document saves; `create` only when awaited', () => {
    expect(
      accessesOf(`async function f() {
  await Post.create({ title });
  await Post.findByIdAndUpdate(id, { title });
  await models.Post.deleteOne({ _id: id });
  const post = await Post.findById(id);
  await Post.find({ author }).sort({ createdAt: -1 });
  await post.save();
  await Order.aggregate([{ $match: {} }, { $merge: { into: 'totals' } }]);
  await Order.aggregate([{ $match: {} }]);
}`),
    ).toEqual([
      'mutation mongoose Post.create [Post]',
      'mutation mongoose Post.findByIdAndUpdate [Post]',
      'mutation mongoose models.Post.deleteOne [Post]',
      'read mongoose Post.findById [Post]',
      'read mongoose Post.find [Post]',
      'mutation mongoose post.save',
      'mutation mongoose Order.aggregate [Order]',
      'read mongoose Order.aggregate [Order]',
    ]);
  });

  it('MongoDB driver: collection methods', () => {
    expect(
      accessesOf(`async function f() {
  await db.collection('posts').insertOne({ title });
  const posts = client.db().collection('posts');
  await posts.updateOne({ _id: id }, { $set: { title } });
  await db.collection('posts').find({}).toArray();
  await usersCollection.countDocuments();
}`),
    ).toEqual([
      "mutation mongodb db.collection('posts').insertOne [posts]",
      "mutation mongodb posts.updateOne [posts]",
      "read mongodb db.collection('posts').find [posts]",
      'read mongodb usersCollection.countDocuments',
    ]);
  });

  it('TypeORM: repositories and managers write with save/insert/delete; create() and merge() do not', () => {
    expect(
      accessesOf(`async function f() {
  const repo = dataSource.getRepository(User);
  const user = repo.create({ name });
  repo.merge(user, { name });
  await repo.save(user);
  await dataSource.getRepository(User).delete({ id });
  await manager.softDelete(User, { id });
  await this.userRepository.findOneBy({ id });
  await repo.createQueryBuilder('u').update(User).set({ name }).where('id = :id', { id }).execute();
  await repo.createQueryBuilder('u').where('u.id = :id', { id }).getOne();
  await AppDataSource.manager.query('UPDATE "user" SET name = $1', [name]);
}`),
    ).toEqual([
      'mutation typeorm repo.save',
      'mutation typeorm dataSource.getRepository(User).delete',
      'mutation typeorm manager.softDelete',
      'read typeorm this.userRepository.findOneBy',
      'mutation typeorm repo.createQueryBuilder().update',
      'read typeorm repo.createQueryBuilder().getOne',
      'mutation sql UPDATE user [user]',
    ]);
  });

  it('Firestore client: the modular functions, batches and transactions; field sentinels are not writes', () => {
    expect(
      accessesOf(`async function f() {
  await setDoc(doc(db, 'posts', id), { title });
  await addDoc(collection(db, 'posts'), { title, likes: increment(1) });
  await updateDoc(doc(db, 'posts', id), { tags: arrayUnion('x') });
  await getDocs(query(collection(db, 'posts'), where('author', '==', uid)));
  const batch = writeBatch(db);
  batch.delete(doc(db, 'posts', id));
  await batch.commit();
  await runTransaction(db, async (transaction) => {
    const snapshot = await transaction.get(ref);
    transaction.update(ref, { count: 1 });
  });
}`),
    ).toEqual([
      'mutation firestore setDoc [posts]',
      'mutation firestore addDoc [posts]',
      'mutation firestore updateDoc [posts]',
      'read firestore getDocs [posts]',
      'mutation firestore batch.commit',
      'read firestore transaction.get',
      'mutation firestore transaction.update',
    ]);
  });

  it('Firestore admin: references built with collection()/doc()', () => {
    expect(
      accessesOf(`async function f() {
  await adminDb.collection('posts').doc(id).update({ title });
  await firestore.collection('posts').add({ title });
  const ref = db.collection('posts').doc(id);
  await ref.delete();
  await db.collection('posts').where('author', '==', uid).get();
  await postRef.get();
}`),
    ).toEqual([
      "mutation firestore adminDb.collection('posts').doc(id).update [posts]",
      "mutation firestore firestore.collection('posts').add [posts]",
      'mutation firestore ref.delete [posts]',
      "read firestore db.collection('posts').where('author', '==', uid).get [posts]",
      'read firestore postRef.get',
    ]);
  });

  it('Redis: Upstash, @vercel/kv, ioredis and node-redis commands, pipelines included', () => {
    expect(
      accessesOf(`const client = createClient({ url });
const cache = new Redis({ url, token });
async function f() {
  await redis.set('views', 1);
  await kv.hset('user:1', { name });
  await cache.incr('counter');
  await client.hSet('user:1', 'name', name);
  await redis.pipeline().get('a').del('b').exec();
  await redis.json.set('doc', '$', {});
  await kv.get('views');
  await client.HGETALL('user:1');
}`),
    ).toEqual([
      'mutation redis redis.set',
      'mutation redis kv.hset',
      'mutation redis cache.incr',
      'mutation redis client.hSet',
      'mutation redis redis.pipeline().get(\'a\').del',
      'mutation redis redis.json.set',
      'read redis kv.get',
      'read redis client.HGETALL',
    ]);
  });

  it('Map, Set, URLSearchParams, FormData and Headers methods are not Redis or Firestore', () => {
    expect(
      accessesOf(`async function f(formData: FormData, request: Request) {
  const cache = new Map();
  cache.set('a', 1);
  cache.delete('a');
  new URLSearchParams().delete('page');
  formData.set('title', 'x');
  formData.get('update');
  request.headers.delete('cookie');
  [1, 2].find((x) => x > 1);
  await store.save;
}`),
    ).toEqual([]);
  });

  it('stops following bindings that refer to themselves', () => {
    expect(
      accessesOf(`var db = db || drizzle(pool);
var coll = coll;
var stack = stack || [];
async function f() {
  stack.push(1);
  await db.insert(users).values({});
  await coll.find({});
}`),
    ).toEqual(['mutation drizzle db.insert(users) [users]', 'read mongodb coll.find']);
  });

  it('SQL templates and query strings, by their statement', () => {
    expect(
      accessesOf(`async function f() {
  await sql\`INSERT INTO posts (title) VALUES (\${title})\`;
  await sql\`SELECT * FROM posts WHERE id = \${id}\`;
  await sql\`WITH gone AS (DELETE FROM sessions RETURNING *) SELECT count(*) FROM gone\`;
  await pool.query('update users set name = $1 where id = $2', [name, id]);
  await conn.execute('SELECT id FROM users');
  db.prepare('DELETE FROM tokens WHERE id = ?').run(id);
  await sql\`SELECT 1\`.execute(db);
  const fragment = sql\`DELETE FROM nothing\`;
}`),
    ).toEqual([
      'mutation sql INSERT INTO posts [posts]',
      'read sql SELECT … FROM posts [posts]',
      'mutation sql WITH … DELETE FROM sessions [sessions]',
      'mutation sql update users [users]',
      'read sql SELECT … FROM users [users]',
      'mutation sql DELETE FROM tokens [tokens]',
      'read sql SELECT',
    ]);
  });
});

describe('classifySql', () => {
  it.each([
    ['INSERT INTO posts (a) VALUES (?)', 'mutation', 'posts'],
    ['  -- new row\n  insert into "public"."posts" values (?)', 'mutation', 'posts'],
    ['UPDATE posts SET title = ? WHERE id = ?', 'mutation', 'posts'],
    ['DELETE FROM posts WHERE id = ?', 'mutation', 'posts'],
    ['MERGE INTO stock s USING ?', 'mutation', 'stock'],
    ['TRUNCATE TABLE logs', 'mutation', 'logs'],
    ['CREATE TABLE t (id int)', 'mutation', undefined],
    ['SELECT * FROM posts FOR UPDATE', 'read', 'posts'],
    ['WITH recent AS (SELECT * FROM posts) SELECT * FROM recent', 'read', 'posts'],
    ['WITH moved AS (DELETE FROM inbox RETURNING *) INSERT INTO archive SELECT * FROM moved', 'mutation', 'inbox'],
    ['EXPLAIN SELECT * FROM posts', 'read', 'posts'],
    ['EXPLAIN ANALYZE DELETE FROM posts', 'mutation', 'posts'],
    ['/* report */ (SELECT 1)', 'read', undefined],
  ] as const)('%j is a %s', (text, kind, table) => {
    expect(classifySql(text)).toMatchObject({ kind, table });
  });

  it.each(['update', 'delete', 'select', 'insert into', 'Update your profile', 'create', '?', ''])('%j is not SQL', text => {
    expect(classifySql(text)).toBeUndefined();
  });
});
