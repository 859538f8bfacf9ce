import { memberName, skipAwait, skipTypeWrappers, valueReceiver } from '../utils/ast.js';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { Context } from '../utils/context.js';

/*
 * The data-layer catalogue behind effects.ts: which calls read and which write, for the libraries
 * Next.js apps use (shared/research/nextjs-facts.md §5). Libraries are recognised by the shape of
 * the call and the name or origin of its receiver, never by import source: Prisma 7 clients come
 * from generated paths, and `db` is imported from the app's own `lib/db.ts` in every library.
 *
 * Method names collide across libraries (TypeORM `repo.create()` builds an entity, Prisma
 * `db.post.create()` writes; `set`/`get`/`delete` exist on Maps, Redis, Firestore and cookie
 * stores), so each generic name is accepted only on a receiver that belongs to its library.
 */

export type DataLibrary =
  | 'prisma'
  | 'drizzle'
  | 'kysely'
  | 'supabase'
  | 'mongoose'
  | 'mongodb'
  | 'typeorm'
  | 'firestore'
  | 'redis'
  | 'sql';

export interface DataAccess {
  kind: 'mutation' | 'read';
  library: DataLibrary;
  /** The verb that decided: `create`, `insert`, `insertOne`, `INSERT`. */
  method: string;
  /** How the call reads in a message: `db.post.create`, `db.insert(posts)`, `INSERT INTO posts`. */
  label: string;
  /** The model, table or collection, when the code names it literally (`post`, `posts`). */
  subject: string | undefined;
}

type Scope = TSESLint.Scope.Scope;

/** One call of a method chain: `insert(posts)` in `db.insert(posts).values(v)`. */
interface Link {
  call: TSESTree.CallExpression;
  /** The method or function name; undefined for computed or odd callees. */
  name: string | undefined;
  /** The receiver of a method call; undefined for a plain function call. */
  object: TSESTree.Expression | undefined;
}

interface Chain {
  /** The links from the innermost call (`db.insert(posts)`) to the outermost (`.returning()`). */
  links: Link[];
  /** What the innermost call is made on (`db`, `db.post`, a tagged template), or its callee. */
  root: TSESTree.Node;
}

const MAX_BINDING_HOPS = 3;

function stringValue(node: TSESTree.Node | undefined): string | undefined {
  if (!node) return undefined;
  const target = skipTypeWrappers(node);
  if (target.type === AST_NODE_TYPES.Literal && typeof target.value === 'string') return target.value;
  if (target.type === AST_NODE_TYPES.TemplateLiteral && target.expressions.length === 0) return target.quasis[0]!.value.cooked ?? undefined;
  return undefined;
}

/**
 * True when a call is the receiver of a further call in the same chain (`db.insert(t)` in
 * `db.insert(t).values(v)`): only the outermost call of a chain stands for the whole query.
 */
export function isInnerChainLink(node: TSESTree.Node): boolean {
  let child: TSESTree.Node = node;
  let parent = node.parent;
  while (parent && (parent.type === AST_NODE_TYPES.TSNonNullExpression || parent.type === AST_NODE_TYPES.TSAsExpression)) {
    child = parent;
    parent = parent.parent;
  }
  return (
    parent?.type === AST_NODE_TYPES.MemberExpression &&
    parent.object === child &&
    parent.parent.type === AST_NODE_TYPES.CallExpression &&
    parent.parent.callee === parent
  );
}

function chainOf(outer: TSESTree.CallExpression): Chain {
  const links: Link[] = [];
  let current: TSESTree.Node = outer;
  for (;;) {
    const call = skipTypeWrappers(current);
    if (call.type !== AST_NODE_TYPES.CallExpression) return { links, root: call };
    const callee = skipTypeWrappers(call.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      links.unshift({ call, name: memberName(callee), object: callee.object });
      current = callee.object;
    } else {
      links.unshift({ call, name: callee.type === AST_NODE_TYPES.Identifier ? callee.name : undefined, object: undefined });
      return { links, root: callee };
    }
  }
}

/** The last name an expression goes by: `db` for `db`, `ctx.db`, `getDb()` → `getDb`. */
function lastName(node: TSESTree.Node): string | undefined {
  const target = skipAwait(node);
  switch (target.type) {
    case AST_NODE_TYPES.Identifier:
      return target.name;
    case AST_NODE_TYPES.MemberExpression:
      return memberName(target);
    case AST_NODE_TYPES.CallExpression:
      return lastName(target.callee);
    case AST_NODE_TYPES.ThisExpression:
      return 'this';
    default:
      return undefined;
  }
}

function variableOf(scope: Scope, identifier: TSESTree.Identifier): TSESLint.Scope.Variable | undefined {
  return ASTUtils.findVariable(scope, identifier) ?? undefined;
}

/** The initialiser a local `const`/`let` binding was declared with. */
function initOf(scope: Scope, identifier: TSESTree.Identifier): TSESTree.Expression | undefined {
  const definition = variableOf(scope, identifier)?.defs[0];
  if (definition?.type !== 'Variable' || definition.node.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  return definition.node.init ?? undefined;
}

/** For a parameter of a callback, the name of the method the callback was handed to. */
function callbackHost(scope: Scope, identifier: TSESTree.Identifier): string | undefined {
  const definition = variableOf(scope, identifier)?.defs[0];
  if (definition?.type !== 'Parameter') return undefined;
  const fn = definition.node as TSESTree.Node;
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) return undefined;
  return lastName(call.callee);
}

/**
 * Whether an expression (or the binding it names, followed a few hops) satisfies `test`, which
 * sees each expression the value came from: `const db = drizzle(pool)` lets `db` be judged by
 * `drizzle(pool)`, and `const ref = db.collection('posts').doc(id)` lets `ref` be judged by the chain.
 */
function valueMatches(scope: Scope, node: TSESTree.Node, test: (expression: TSESTree.Node) => boolean, hops = 0): boolean {
  // `var db = db || connect()` refers to itself: the hop budget ends every such loop.
  if (hops > MAX_BINDING_HOPS) return false;
  const target = skipAwait(node);
  if (test(target)) return true;
  if (target.type === AST_NODE_TYPES.LogicalExpression) {
    return valueMatches(scope, target.left, test, hops + 1) || valueMatches(scope, target.right, test, hops + 1);
  }
  const init = target.type === AST_NODE_TYPES.Identifier ? initOf(scope, target) : undefined;
  return init !== undefined && valueMatches(scope, init, test, hops + 1);
}

/** Every call name in a chain-shaped expression: `collection`, `doc` for `db.collection('x').doc(id)`. */
function chainNames(node: TSESTree.Node): string[] {
  const names: string[] = [];
  let current = skipAwait(node);
  for (;;) {
    if (current.type === AST_NODE_TYPES.CallExpression) {
      const name = lastName(current.callee);
      if (name) names.push(name);
      current = skipAwait(current.callee);
    } else if (current.type === AST_NODE_TYPES.MemberExpression) {
      current = skipAwait(current.object);
    } else {
      return names;
    }
  }
}

function rootIdentifierName(node: TSESTree.Node): string | undefined {
  let current = skipAwait(node);
  for (;;) {
    if (current.type === AST_NODE_TYPES.Identifier) return current.name;
    if (current.type === AST_NODE_TYPES.MemberExpression) current = skipAwait(current.object);
    else if (current.type === AST_NODE_TYPES.CallExpression) current = skipAwait(current.callee);
    else return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Receivers

const DB_NAME = /^(?:db|database|tx|trx)$|(?:Db|DB|Database)$/;
const PRISMA_NAME = /prisma/i;

function isDbName(name: string | undefined): boolean {
  return name !== undefined && (DB_NAME.test(name) || PRISMA_NAME.test(name));
}

/** A Prisma client: named like one, built with `new PrismaClient()`, or a `$transaction` callback's client. */
function isPrismaClient(scope: Scope, node: TSESTree.Node): boolean {
  const target = skipAwait(node);
  if (target.type === AST_NODE_TYPES.Identifier && callbackHost(scope, target) === '$transaction') return true;
  return valueMatches(scope, target, expression => {
    if (expression.type === AST_NODE_TYPES.NewExpression) return PRISMA_NAME.test(lastName(expression.callee) ?? '');
    if (expression.type === AST_NODE_TYPES.CallExpression && lastName(expression.callee) === '$extends') return true;
    return isDbName(lastName(expression));
  });
}

/** A Drizzle (or generic SQL-builder) database: named like one, or built by `drizzle(…)`. */
function isSqlDatabase(scope: Scope, node: TSESTree.Node): boolean {
  const target = skipAwait(node);
  if (target.type === AST_NODE_TYPES.Identifier && callbackHost(scope, target) === 'transaction') return true;
  return valueMatches(scope, target, expression => {
    if (expression.type === AST_NODE_TYPES.CallExpression && /^drizzle$/i.test(lastName(expression.callee) ?? '')) return true;
    return isDbName(lastName(expression)) || /drizzle/i.test(lastName(expression) ?? '');
  });
}

const REPOSITORY_NAME = /(?:^repo|Repo|[rR]epository)$/;
const MANAGER_NAME = /(?:^manager|Manager)$/;

function isTypeOrmRepository(scope: Scope, node: TSESTree.Node): boolean {
  return valueMatches(scope, node, expression => {
    if (expression.type === AST_NODE_TYPES.CallExpression) return /^(?:getRepository|getCustomRepository|withRepository|getTreeRepository)$/.test(lastName(expression.callee) ?? '');
    return REPOSITORY_NAME.test(lastName(expression) ?? '');
  });
}

function isTypeOrmManager(scope: Scope, node: TSESTree.Node): boolean {
  const target = skipAwait(node);
  if (target.type === AST_NODE_TYPES.Identifier && callbackHost(scope, target) === 'transaction' && !isDbName(target.name)) return true;
  return valueMatches(scope, target, expression => MANAGER_NAME.test(lastName(expression) ?? ''));
}

const GLOBAL_CLASSES = new Set([
  'Array', 'ArrayBuffer', 'Atomics', 'BigInt', 'Blob', 'Boolean', 'Buffer', 'Date', 'Error', 'File', 'FormData', 'Headers',
  'Intl', 'JSON', 'Map', 'Math', 'NextRequest', 'NextResponse', 'Number', 'Object', 'Promise', 'Proxy', 'Reflect',
  'RegExp', 'Request', 'Response', 'Set', 'String', 'Symbol', 'URL', 'URLSearchParams', 'WeakMap', 'WeakSet',
]);

/** A Mongoose model (`Post`, `models.Post`, `mongoose.model('Post')`) or a TypeORM entity class. */
function isModelClass(node: TSESTree.Node): boolean {
  const target = skipAwait(node);
  if (target.type === AST_NODE_TYPES.Identifier) return /^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)*$/.test(target.name) && !GLOBAL_CLASSES.has(target.name);
  if (target.type === AST_NODE_TYPES.MemberExpression) {
    return lastName(target.object) === 'models' && /^[A-Z]/.test(memberName(target) ?? '');
  }
  return target.type === AST_NODE_TYPES.CallExpression && lastName(target.callee) === 'model';
}

/** A MongoDB collection: `db.collection('posts')`, or a binding named or built like one. */
function isMongoCollection(scope: Scope, node: TSESTree.Node): boolean {
  return valueMatches(scope, node, expression => {
    if (expression.type === AST_NODE_TYPES.CallExpression) return lastName(expression.callee) === 'collection';
    return /^coll$|[cC]ollection$/.test(lastName(expression) ?? '');
  });
}

const FIRESTORE_PATH = new Set(['collection', 'doc', 'collectionGroup']);

/** A Firestore reference or query: a chain through `collection`/`doc`, a `ref`, or a value built from one. */
function isFirestoreRef(scope: Scope, node: TSESTree.Node): boolean {
  return valueMatches(scope, node, expression => {
    if (chainNames(expression).some(name => FIRESTORE_PATH.has(name))) return true;
    return expression.type !== AST_NODE_TYPES.CallExpression && /^ref$|Ref$|Reference$/.test(lastName(expression) ?? '');
  });
}

function isFirestoreBatch(scope: Scope, node: TSESTree.Node): boolean {
  return valueMatches(scope, node, expression => {
    if (expression.type === AST_NODE_TYPES.CallExpression) return /^(?:batch|writeBatch)$/.test(lastName(expression.callee) ?? '');
    return /^batch$|Batch$/.test(lastName(expression) ?? '');
  });
}

function isFirestoreTransaction(scope: Scope, node: TSESTree.Node): boolean {
  const target = skipAwait(node);
  return target.type === AST_NODE_TYPES.Identifier && callbackHost(scope, target) === 'runTransaction';
}

/** A Redis client (Upstash, @vercel/kv, ioredis, node-redis) or one of its pipelines. */
function isRedisClient(scope: Scope, node: TSESTree.Node): boolean {
  return valueMatches(scope, node, expression => {
    if (expression.type === AST_NODE_TYPES.NewExpression) return /redis/i.test(lastName(expression.callee) ?? '');
    if (expression.type === AST_NODE_TYPES.CallExpression) {
      const name = lastName(expression.callee);
      if (name === 'fromEnv' || name === 'pipeline' || name === 'multi' || name === 'createCluster') return true;
      return name === 'createClient' && rootIdentifierName(expression.callee) !== 'supabase';
    }
    const name = lastName(expression);
    return name === 'kv' || /redis/i.test(name ?? '');
  });
}

// ---------------------------------------------------------------------------------------------
// Method catalogues (nextjs-facts.md §5)

const PRISMA_WRITES = new Set(['create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany']);
const PRISMA_READS = new Set(['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy', 'findRaw', 'aggregateRaw']);
const PRISMA_CLIENT_WRITES = new Set(['$executeRaw', '$executeRawUnsafe', '$runCommandRaw']);
const PRISMA_CLIENT_READS = new Set(['$queryRaw', '$queryRawUnsafe', '$queryRawTyped']);

const DRIZZLE_WRITES = new Set(['insert', 'update', 'delete', 'refreshMaterializedView']);
const DRIZZLE_READS = new Set(['select', 'selectDistinct', 'selectDistinctOn', '$count']);
const QUERY_PREFIXES = new Set(['with', '$with', 'withRecursive']);

const KYSELY_WRITES = new Set(['insertInto', 'replaceInto', 'updateTable', 'deleteFrom', 'mergeInto']);
const KYSELY_READS = new Set(['selectFrom', 'selectNoFrom']);

const SUPABASE_WRITES = new Set(['insert', 'upsert', 'update', 'delete']);
const STORAGE_WRITES = new Set(['upload', 'update', 'move', 'copy', 'remove', 'uploadToSignedUrl']);
const STORAGE_READS = new Set(['download', 'list', 'info', 'exists', 'createSignedUrl', 'createSignedUrls', 'getPublicUrl']);

const MONGO_WRITES = new Set([
  'insertOne', 'insertMany', 'updateOne', 'updateMany', 'replaceOne', 'deleteOne', 'deleteMany', 'findOneAndUpdate',
  'findOneAndReplace', 'findOneAndDelete', 'findByIdAndUpdate', 'findByIdAndDelete', 'bulkWrite', 'bulkSave',
]);
const MONGO_DISTINCT_READS = new Set(['findById', 'countDocuments', 'estimatedDocumentCount']);
const MONGO_READS = new Set(['find', 'findOne', 'exists', 'distinct', 'aggregate', 'watch']);
const MONGO_COLLECTION_WRITES = new Set(['drop', 'rename', 'createIndex', 'dropIndex']);
const MONGOOSE_ONLY = /^(?:findById|findByIdAnd\w+|bulkSave|exists)$/;

const TYPEORM_WRITES = new Set([
  'save', 'insert', 'update', 'updateAll', 'upsert', 'delete', 'deleteAll', 'softDelete', 'restore', 'remove', 'softRemove',
  'recover', 'increment', 'decrement', 'clear',
]);
const TYPEORM_READS = new Set([
  'find', 'findBy', 'findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail', 'findAndCount', 'findAndCountBy', 'count',
  'countBy', 'exists', 'existsBy', 'sum', 'average', 'minimum', 'maximum', 'preload',
]);
const QUERY_BUILDER_WRITES = new Set(['insert', 'update', 'delete', 'softDelete', 'restore']);
const QUERY_BUILDER_READS = new Set(['getMany', 'getOne', 'getOneOrFail', 'getRawMany', 'getRawOne', 'getCount', 'getManyAndCount', 'getExists', 'stream']);
/** Entity statics shared by TypeORM's BaseEntity and Mongoose models; all write. */
const MODEL_STATIC_WRITES = new Set(['insert', 'update', 'delete', 'upsert', 'softDelete', 'restore']);

const FIRESTORE_CLIENT_WRITES = new Set(['setDoc', 'addDoc', 'updateDoc', 'deleteDoc']);
const FIRESTORE_CLIENT_READS = new Set([
  'getDoc', 'getDocs', 'getDocFromCache', 'getDocFromServer', 'getDocsFromCache', 'getDocsFromServer', 'onSnapshot',
  'getCountFromServer', 'getAggregateFromServer',
]);
const FIRESTORE_REF_WRITES = new Set(['set', 'update', 'delete', 'create', 'add']);
const FIRESTORE_REF_READS = new Set(['get', 'getAll', 'listDocuments', 'onSnapshot']);

const REDIS_WRITES = new Set([
  'set', 'setex', 'psetex', 'setnx', 'mset', 'msetnx', 'getset', 'getdel', 'getex', 'del', 'unlink', 'expire', 'expireat',
  'pexpire', 'persist', 'incr', 'incrby', 'incrbyfloat', 'decr', 'decrby', 'append', 'hset', 'hmset', 'hsetnx', 'hdel',
  'hincrby', 'hincrbyfloat', 'lpush', 'rpush', 'lpushx', 'rpushx', 'lpop', 'rpop', 'lset', 'lrem', 'ltrim', 'linsert',
  'sadd', 'srem', 'spop', 'smove', 'zadd', 'zrem', 'zincrby', 'zpopmin', 'zpopmax', 'xadd', 'xdel', 'rename', 'flushdb',
  'flushall', 'json.set', 'json.del', 'json.merge', 'json.arrappend',
]);
const REDIS_READS = new Set([
  'get', 'mget', 'exists', 'ttl', 'pttl', 'type', 'keys', 'scan', 'hget', 'hgetall', 'hmget', 'hexists', 'hkeys', 'hvals',
  'hlen', 'lrange', 'llen', 'lindex', 'smembers', 'sismember', 'scard', 'zrange', 'zrevrange', 'zrangebyscore', 'zscore',
  'zcard', 'zrank', 'zcount', 'strlen', 'xrange', 'json.get',
]);

// ---------------------------------------------------------------------------------------------
// SQL text

/**
 * Statement openings, anchored and specific enough that a word such as `formData.get('update')`
 * is not mistaken for SQL: a verb alone is never a statement.
 */
const SQL_WRITE_OPENINGS: readonly RegExp[] = [
  /^INSERT\s+(?:OR\s+\w+\s+|IGNORE\s+)?INTO\s/i,
  /^(?:REPLACE|UPSERT|MERGE)\s+INTO\s/i,
  /^UPDATE\s+(?:ONLY\s+)?\S+(?:\s+(?:AS\s+)?\w+)?\s+SET\s/i,
  /^DELETE\s+FROM\s/i,
  /^TRUNCATE\s+(?:TABLE\s+)?\S/i,
  /^(?:CREATE|ALTER|DROP)\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+|UNIQUE\s+|MATERIALIZED\s+)?(?:TABLE|INDEX|VIEW|SCHEMA|DATABASE|SEQUENCE|TYPE|FUNCTION|TRIGGER|EXTENSION|POLICY|ROLE|USER)\b/i,
  /^(?:GRANT|REVOKE)\s+\w+[\s\S]*\s(?:ON|TO|FROM)\s/i,
  /^CALL\s+[\w.]+\s*\(/i,
  /^COPY\s+\S+[\s\S]*\s(?:FROM|TO)\s/i,
];
const SQL_READ_OPENINGS: readonly RegExp[] = [/^SELECT\s+\S/i, /^SHOW\s+\w/i, /^VALUES\s*\(/i, /^TABLE\s+\w/i];
const SQL_WITH = /^WITH\s+(?:RECURSIVE\s+)?[\w"]+\s*(?:\([^)]*\)\s*)?AS\s+(?:(?:NOT\s+)?MATERIALIZED\s+)?\(/i;
const SQL_TABLE = /^(?:INSERT\s+(?:OR\s+\w+\s+|IGNORE\s+)?INTO|REPLACE\s+INTO|UPSERT\s+INTO|MERGE\s+INTO|UPDATE(?:\s+ONLY)?|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+([\w."`[\]]+)/i;
const SQL_FROM = /\bFROM\s+([\w."`[\]]+)/i;

export interface SqlStatement {
  kind: 'mutation' | 'read';
  /** The statement's first keyword, upper-cased (`INSERT`, `WITH`). */
  verb: string;
  /** `INSERT INTO posts`, `SELECT … FROM posts`. */
  label: string;
  table: string | undefined;
}

function stripSqlComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
}

function tableName(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const last = raw.split('.').pop()!;
  return last.replace(/["`[\]]/g, '') || undefined;
}

function writeStatement(body: string): SqlStatement | undefined {
  if (!SQL_WRITE_OPENINGS.some(pattern => pattern.test(body))) return undefined;
  const verb = /^\w+/.exec(body)![0].toUpperCase();
  const opening = SQL_TABLE.exec(body);
  const table = tableName(opening?.[1]);
  const label = opening && table ? `${opening[0].slice(0, opening[0].length - opening[1]!.length).replace(/\s+/g, ' ')}${table}` : body.split(/\s+/).slice(0, 2).join(' ');
  return { kind: 'mutation', verb, label, table };
}

/**
 * What a SQL statement does, from its text (`?` stands for interpolated values). Decided by its
 * opening; a `WITH` statement writes when any of its parts does (data-modifying CTEs), and
 * `EXPLAIN ANALYZE` runs the statement it explains. Undefined when the text is not recognisably SQL.
 */
export function classifySql(text: string): SqlStatement | undefined {
  const body = stripSqlComments(text).trim().replace(/^\(+\s*/, '');
  const explain = /^EXPLAIN\s+(?:\([^)]*\)\s*)?(ANALY[SZ]E\s+)?(?:VERBOSE\s+)?([\s\S]*)$/i.exec(body);
  if (explain) {
    const inner = classifySql(explain[2]!);
    if (!inner) return undefined;
    return explain[1] && inner.kind === 'mutation' ? inner : { kind: 'read', verb: 'EXPLAIN', label: 'EXPLAIN', table: inner.table };
  }
  if (SQL_WITH.test(body)) {
    const write = /\b(?:INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|MERGE\s+INTO)\s/i.exec(body);
    if (write) {
      const clause = writeStatement(body.slice(write.index));
      return { kind: 'mutation', verb: 'WITH', label: `WITH … ${clause?.label ?? write[0].trim().toUpperCase()}`, table: clause?.table };
    }
    const table = tableName(SQL_FROM.exec(body)?.[1]);
    return { kind: 'read', verb: 'WITH', label: 'WITH … SELECT', table };
  }
  const write = writeStatement(body);
  if (write) return write;
  if (SQL_READ_OPENINGS.some(pattern => pattern.test(body))) {
    const verb = /^\w+/.exec(body)![0].toUpperCase();
    const table = tableName(SQL_FROM.exec(body)?.[1]);
    return { kind: 'read', verb, label: table ? `${verb} … FROM ${table}` : verb, table };
  }
  return undefined;
}

/** The text of a SQL template or string, with `?` for each interpolation; undefined for anything else. */
function sqlTextOf(node: TSESTree.Node | undefined): string | undefined {
  if (!node) return undefined;
  const target = skipTypeWrappers(node);
  if (target.type === AST_NODE_TYPES.TaggedTemplateExpression) return sqlTextOf(target.quasi);
  if (target.type === AST_NODE_TYPES.TemplateLiteral) return target.quasis.map(quasi => quasi.value.cooked ?? quasi.value.raw).join('?');
  return stringValue(target);
}

function isSqlTag(tag: TSESTree.Node): boolean {
  const name = lastName(tag);
  return name !== undefined && /^sql$/i.test(name);
}

function isPrismaRaw(name: string | undefined): name is string {
  return name !== undefined && (PRISMA_CLIENT_WRITES.has(name) || PRISMA_CLIENT_READS.has(name));
}

const SQL_RUNNERS = new Set(['query', 'execute', 'exec', 'run', 'all', 'get', 'values', 'prepare', 'unsafe', 'sql']);

// ---------------------------------------------------------------------------------------------
// Labels

const MAX_LABEL = 60;

function compactText(context: Context, node: TSESTree.Node): string {
  return context.sourceCode.getText(node).replace(/\s+/g, '').replace(/,(?=\S)/g, ', ');
}

function calleeLabel(context: Context, link: Link): string {
  const callee = link.call.callee;
  const text = compactText(context, callee);
  if (text.length <= MAX_LABEL) return text;
  const root = rootIdentifierName(callee);
  return `${root ?? ''}….${link.name ?? ''}`;
}

/** `db.insert(posts)`, `db.insertInto('posts')`: the verb with its table when that is short. */
function labelWithArgument(context: Context, link: Link): string {
  const argument = link.call.arguments[0];
  const base = calleeLabel(context, link);
  if (!argument || link.call.arguments.length > 1) return base;
  const text = compactText(context, argument);
  return text.length <= 30 && /^[\w$.'"`]+$/.test(text) ? `${base}(${text})` : base;
}

function access(kind: DataAccess['kind'], library: DataLibrary, method: string, label: string, subject?: string): DataAccess {
  return { kind, library, method, label, subject };
}

// ---------------------------------------------------------------------------------------------
// Classifiers, one per library family. Each sees the chain and answers or passes.

function isAwaited(node: TSESTree.Node): boolean {
  const { parent, value: current } = valueReceiver(node);
  return (
    parent?.type === AST_NODE_TYPES.AwaitExpression ||
    parent?.type === AST_NODE_TYPES.ReturnStatement ||
    parent?.type === AST_NODE_TYPES.ArrayExpression ||
    (parent?.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === current)
  );
}

/** Skips `with(…)` prefixes: the statement's own verb comes after its CTEs. */
function firstVerb(links: readonly Link[]): number {
  let index = 0;
  while (index < links.length - 1 && QUERY_PREFIXES.has(links[index]!.name ?? '')) index++;
  return index;
}

function classifyKysely(context: Context, chain: Chain): DataAccess | undefined {
  const link = chain.links[firstVerb(chain.links)];
  if (!link?.object || !link.name) return undefined;
  const kind = KYSELY_WRITES.has(link.name) ? 'mutation' : KYSELY_READS.has(link.name) ? 'read' : undefined;
  if (!kind) return undefined;
  const table = stringValue(link.call.arguments[0])?.split(/\s+/)[0];
  return access(kind, 'kysely', link.name, labelWithArgument(context, link), table);
}

function classifySupabase(context: Context, chain: Chain): DataAccess | undefined {
  const [from, verb] = chain.links;
  if (from?.name !== 'from' || !from.object || !verb?.name || from.call.arguments.length !== 1) return undefined;
  const isStorage = lastName(from.object) === 'storage';
  const writes = isStorage ? STORAGE_WRITES : SUPABASE_WRITES;
  const reads = isStorage ? STORAGE_READS : new Set(['select']);
  const kind = writes.has(verb.name) ? 'mutation' : reads.has(verb.name) ? 'read' : undefined;
  if (!kind) return undefined;
  const subject = stringValue(from.call.arguments[0]);
  return access(kind, 'supabase', verb.name, `${labelWithArgument(context, from)}.${verb.name}`, subject);
}

function classifyDrizzle(context: Context, scope: Scope, chain: Chain): DataAccess | undefined {
  const link = chain.links[firstVerb(chain.links)];
  if (!link?.object || !link.name) return undefined;
  // `db.query.posts.findMany()`: the relational query API.
  const object = skipTypeWrappers(link.object);
  if ((link.name === 'findMany' || link.name === 'findFirst') && object.type === AST_NODE_TYPES.MemberExpression) {
    const query = skipTypeWrappers(object.object);
    if (query.type === AST_NODE_TYPES.MemberExpression && memberName(query) === 'query' && isSqlDatabase(scope, query.object)) {
      return access('read', 'drizzle', link.name, calleeLabel(context, link), memberName(object));
    }
    return undefined;
  }
  const writes = DRIZZLE_WRITES.has(link.name);
  if (!writes && !DRIZZLE_READS.has(link.name)) return undefined;
  // Drizzle's verbs take the table (or a selection) and nothing else; `repo.update(id, data)` does not fit.
  if (link.call.arguments.length > 1 || !isSqlDatabase(scope, link.object)) return undefined;
  if (writes) {
    const argument = link.call.arguments[0];
    const subject = argument && skipTypeWrappers(argument).type === AST_NODE_TYPES.Identifier ? lastName(argument) : undefined;
    return access('mutation', 'drizzle', link.name, labelWithArgument(context, link), subject);
  }
  // `db.select().from(posts)`: the table is named by `from`.
  const from = chain.links.find(candidate => candidate.name === 'from');
  const table = from?.call.arguments[0];
  const subject = table && skipTypeWrappers(table).type === AST_NODE_TYPES.Identifier ? lastName(table) : undefined;
  const label = from ? `${calleeLabel(context, link)}().from${labelWithArgument(context, from).slice(calleeLabel(context, from).length)}` : calleeLabel(context, link);
  return access('read', 'drizzle', link.name, label, subject);
}

function classifyPrisma(context: Context, scope: Scope, chain: Chain): DataAccess | undefined {
  const link = chain.links[0];
  if (!link?.object || !link.name) return undefined;
  const object = skipTypeWrappers(link.object);
  if (PRISMA_CLIENT_WRITES.has(link.name) || PRISMA_CLIENT_READS.has(link.name)) {
    if (!isPrismaClient(scope, object)) return undefined;
    const sql = classifySql(sqlTextOf(link.call.arguments[0]) ?? '');
    const kind = sql?.kind ?? (PRISMA_CLIENT_WRITES.has(link.name) ? 'mutation' : 'read');
    return access(kind, 'prisma', link.name, calleeLabel(context, link), sql?.table);
  }
  const writes = PRISMA_WRITES.has(link.name);
  if (!writes && !PRISMA_READS.has(link.name)) return undefined;
  if (object.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const model = memberName(object);
  if (!model || model.startsWith('$') || isDbName(model) || !isPrismaClient(scope, object.object)) return undefined;
  return access(writes ? 'mutation' : 'read', 'prisma', link.name, calleeLabel(context, link), model);
}

function classifyTypeOrm(context: Context, scope: Scope, chain: Chain): DataAccess | undefined {
  const builder = chain.links.findIndex(link => link.name === 'createQueryBuilder');
  if (builder !== -1) {
    const rest = chain.links.slice(builder + 1);
    const write = rest.find(link => QUERY_BUILDER_WRITES.has(link.name ?? ''));
    if (write) return access('mutation', 'typeorm', write.name!, `${calleeLabel(context, chain.links[builder]!)}().${write.name}`);
    const read = rest.find(link => QUERY_BUILDER_READS.has(link.name ?? ''));
    return read ? access('read', 'typeorm', read.name!, `${calleeLabel(context, chain.links[builder]!)}().${read.name}`) : undefined;
  }
  const link = chain.links.find(
    candidate =>
      candidate.object !== undefined &&
      (TYPEORM_WRITES.has(candidate.name ?? '') || TYPEORM_READS.has(candidate.name ?? '')) &&
      (isTypeOrmRepository(scope, candidate.object) || isTypeOrmManager(scope, candidate.object)),
  );
  if (!link?.name) return undefined;
  return access(TYPEORM_WRITES.has(link.name) ? 'mutation' : 'read', 'typeorm', link.name, calleeLabel(context, link));
}

function hasWritingStage(pipeline: TSESTree.Node | undefined): boolean {
  if (!pipeline) return false;
  const target = skipTypeWrappers(pipeline);
  return (
    target.type === AST_NODE_TYPES.ArrayExpression &&
    target.elements.some(
      stage =>
        stage?.type === AST_NODE_TYPES.ObjectExpression &&
        stage.properties.some(
          property =>
            property.type === AST_NODE_TYPES.Property &&
            ((property.key.type === AST_NODE_TYPES.Identifier && (property.key.name === '$out' || property.key.name === '$merge')) ||
              (property.key.type === AST_NODE_TYPES.Literal && (property.key.value === '$out' || property.key.value === '$merge'))),
        ),
    )
  );
}

function mongoSubject(scope: Scope, receiver: TSESTree.Node, hops = 0): string | undefined {
  if (hops > MAX_BINDING_HOPS) return undefined;
  const target = skipAwait(receiver);
  if (target.type === AST_NODE_TYPES.CallExpression && lastName(target.callee) === 'collection') return stringValue(target.arguments[0]);
  if (isModelClass(target)) return lastName(target.type === AST_NODE_TYPES.CallExpression ? target.arguments[0] ?? target : target);
  if (target.type === AST_NODE_TYPES.Identifier) {
    const init = initOf(scope, target);
    if (init) return mongoSubject(scope, init, hops + 1);
  }
  return undefined;
}

const MONGO_VERBS = new Set([...MONGO_WRITES, ...MONGO_DISTINCT_READS, ...MONGO_READS, ...MONGO_COLLECTION_WRITES, ...TYPEORM_READS, ...MODEL_STATIC_WRITES, 'create']);

function classifyMongo(context: Context, scope: Scope, chain: Chain): DataAccess | undefined {
  const link = chain.links.find(candidate => candidate.object !== undefined && (MONGO_VERBS.has(candidate.name ?? '') || /^findByIdAnd/.test(candidate.name ?? '')));
  if (!link?.object || !link.name) return undefined;
  const { name, object } = link;
  const model = isModelClass(object);
  const library: DataLibrary = model || MONGOOSE_ONLY.test(name) ? 'mongoose' : 'mongodb';
  const label = calleeLabel(context, link);
  const subject = () => mongoSubject(scope, object);
  if (MONGO_WRITES.has(name) || /^findByIdAnd/.test(name)) return access('mutation', library, name, label, subject());
  if (MONGO_DISTINCT_READS.has(name)) return access('read', library, name, label, subject());
  const collection = !model && isMongoCollection(scope, object);
  if (!model && !collection) return undefined;
  if (name === 'aggregate') return access(hasWritingStage(link.call.arguments[0]) ? 'mutation' : 'read', library, name, label, subject());
  if (MONGO_READS.has(name)) return access('read', library, name, label, subject());
  if (collection) return MONGO_COLLECTION_WRITES.has(name) ? access('mutation', library, name, label, subject()) : undefined;
  // `Post.create(…)` writes in Mongoose but only builds an entity in TypeORM's BaseEntity,
  // where it is never awaited: the await tells them apart.
  if (name === 'create') return isAwaited(chain.links[chain.links.length - 1]!.call) ? access('mutation', 'mongoose', name, label, subject()) : undefined;
  if (MODEL_STATIC_WRITES.has(name)) return access('mutation', 'typeorm', name, label, subject());
  if (TYPEORM_READS.has(name)) return access('read', 'typeorm', name, label, subject());
  return undefined;
}

/** `await post.save()`: Mongoose documents and TypeORM active records write themselves. */
function classifyDocumentSave(context: Context, chain: Chain): DataAccess | undefined {
  const link = chain.links[0];
  if (chain.links.length !== 1 || link?.name !== 'save' || !link.object || link.call.arguments.length > 1) return undefined;
  const argument = link.call.arguments[0];
  if (argument && skipTypeWrappers(argument).type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  if (!isAwaited(link.call)) return undefined;
  return access('mutation', 'mongoose', 'save', calleeLabel(context, link));
}

function firestoreSubject(scope: Scope, node: TSESTree.Node | undefined, depth = 0): string | undefined {
  if (!node || depth > 3) return undefined;
  const target = skipAwait(node);
  if (target.type === AST_NODE_TYPES.Identifier) return firestoreSubject(scope, initOf(scope, target), depth + 1);
  if (target.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const name = lastName(target.callee);
  if (name === 'collection' || name === 'doc' || name === 'collectionGroup') {
    // Modular `collection(db, 'posts')` names the path second; admin `db.collection('posts')` first.
    const path = target.callee.type === AST_NODE_TYPES.Identifier ? stringValue(target.arguments[1]) : stringValue(target.arguments[0]);
    if (path) return path.split('/')[0];
  }
  for (const argument of target.arguments) {
    const found = firestoreSubject(scope, argument, depth + 1);
    if (found) return found;
  }
  const callee = skipTypeWrappers(target.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression ? firestoreSubject(scope, callee.object, depth + 1) : undefined;
}

function classifyFirestore(context: Context, scope: Scope, chain: Chain): DataAccess | undefined {
  const first = chain.links[0]!;
  if (!first.object && first.name) {
    if (FIRESTORE_CLIENT_WRITES.has(first.name)) return access('mutation', 'firestore', first.name, first.name, firestoreSubject(scope, first.call.arguments[0]));
    if (FIRESTORE_CLIENT_READS.has(first.name)) return access('read', 'firestore', first.name, first.name, firestoreSubject(scope, first.call.arguments[0]));
    return undefined;
  }
  // The verb follows the path: `db.collection('posts').doc(id).update(…)`, `query.count().get()`.
  const verb = chain.links.find(link => link.object !== undefined && (FIRESTORE_REF_WRITES.has(link.name ?? '') || FIRESTORE_REF_READS.has(link.name ?? '') || link.name === 'commit'));
  if (!verb?.name || !verb.object) return undefined;
  const { name, object } = verb;
  const label = calleeLabel(context, verb);
  if (name === 'commit' && isFirestoreBatch(scope, object)) return access('mutation', 'firestore', name, label);
  if (isFirestoreTransaction(scope, object)) {
    if (name === 'get' || name === 'getAll') return access('read', 'firestore', name, label);
    if (FIRESTORE_REF_WRITES.has(name)) return access('mutation', 'firestore', name, label, firestoreSubject(scope, verb.call.arguments[0]));
    return undefined;
  }
  const writes = FIRESTORE_REF_WRITES.has(name);
  if (!writes && !FIRESTORE_REF_READS.has(name)) return undefined;
  if (name === 'getAll' ? !isDbName(lastName(object)) && !/firestore/i.test(lastName(object) ?? '') : !isFirestoreRef(scope, object)) return undefined;
  return access(writes ? 'mutation' : 'read', 'firestore', name, label, firestoreSubject(scope, object));
}

function redisCommand(link: Link): string | undefined {
  if (!link.name || !link.object) return undefined;
  const object = skipTypeWrappers(link.object);
  const prefix = object.type === AST_NODE_TYPES.MemberExpression && memberName(object) === 'json' ? 'json.' : '';
  return prefix + link.name.toLowerCase();
}

function classifyRedis(context: Context, scope: Scope, chain: Chain): DataAccess | undefined {
  const first = chain.links[0];
  if (!first?.object) return undefined;
  const object = skipTypeWrappers(first.object);
  const client = object.type === AST_NODE_TYPES.MemberExpression && memberName(object) === 'json' ? object.object : object;
  if (!isRedisClient(scope, client)) return undefined;
  const commands = chain.links.map(link => ({ link, command: redisCommand(link) }));
  const write = commands.find(entry => entry.command !== undefined && REDIS_WRITES.has(entry.command));
  if (write) return access('mutation', 'redis', write.command!, calleeLabel(context, write.link));
  const read = commands.find(entry => entry.command !== undefined && REDIS_READS.has(entry.command));
  return read ? access('read', 'redis', read.command!, calleeLabel(context, read.link)) : undefined;
}

/** `db.execute(sql\`…\`)`, `pool.query('UPDATE …')`, `sql\`…\`.execute(db)`, `db.prepare('…').run()`. */
function classifySqlCall(context: Context, chain: Chain): DataAccess | undefined {
  const root = skipTypeWrappers(chain.root);
  if (root.type === AST_NODE_TYPES.TaggedTemplateExpression && isSqlTag(root.tag)) {
    const statement = classifySql(sqlTextOf(root) ?? '');
    return statement && access(statement.kind, 'sql', statement.verb, statement.label, statement.table);
  }
  for (const link of chain.links) {
    if (!link.name || !SQL_RUNNERS.has(link.name)) continue;
    const text = sqlTextOf(link.call.arguments[0]);
    const statement = text === undefined ? undefined : classifySql(text);
    if (statement) return access(statement.kind, 'sql', statement.verb, statement.label, statement.table);
  }
  return undefined;
}

/**
 * A tagged template that runs a query where it stands: `await sql\`INSERT …\``
 * (@vercel/postgres, postgres.js, Neon) or Prisma's `db.$executeRaw\`…\``. Drizzle's and
 * Kysely's `sql` build fragments, which only run through a call around them, so a `sql`
 * template counts here only when it is awaited, returned or listed for a transaction.
 */
function classifyTaggedTemplate(context: Context, node: TSESTree.TaggedTemplateExpression): DataAccess | undefined {
  const tag = skipTypeWrappers(node.tag);
  const name = lastName(tag);
  const text = sqlTextOf(node) ?? '';
  if (isPrismaRaw(name) && tag.type === AST_NODE_TYPES.MemberExpression) {
    const statement = classifySql(text);
    const kind = statement?.kind ?? (PRISMA_CLIENT_WRITES.has(name) ? 'mutation' : 'read');
    return access(kind, 'prisma', name, compactText(context, tag), statement?.table);
  }
  if (!isSqlTag(tag) || isInnerChainLink(node) || !isAwaited(node)) return undefined;
  const statement = classifySql(text);
  return statement && access(statement.kind, 'sql', statement.verb, statement.label, statement.table);
}

/**
 * Whether a call (the outermost of its chain) or a tagged template reads or writes through a data
 * layer this plugin knows, and how. Inner links of a chain answer undefined: `db.insert(t)` in
 * `db.insert(t).values(v)` is decided once, on the whole chain.
 */
export function classifyDataAccess(context: Context, node: TSESTree.Node): DataAccess | undefined {
  if (node.type === AST_NODE_TYPES.TaggedTemplateExpression) return classifyTaggedTemplate(context, node);
  if (node.type !== AST_NODE_TYPES.CallExpression || isInnerChainLink(node)) return undefined;
  const chain = chainOf(node);
  if (chain.links.length === 0) return undefined;
  const scope = context.sourceCode.getScope(node);
  return (
    classifySqlCall(context, chain) ??
    classifyKysely(context, chain) ??
    classifySupabase(context, chain) ??
    classifyDrizzle(context, scope, chain) ??
    classifyPrisma(context, scope, chain) ??
    classifyTypeOrm(context, scope, chain) ??
    classifyFirestore(context, scope, chain) ??
    classifyRedis(context, scope, chain) ??
    classifyMongo(context, scope, chain) ??
    classifyDocumentSave(context, chain)
  );
}

/** The calls of a chain from the innermost, for callers that need to look along it (effects.ts). */
export function chainCalls(node: TSESTree.CallExpression): { calls: TSESTree.CallExpression[]; root: TSESTree.Node } {
  const chain = chainOf(node);
  return { calls: chain.links.map(link => link.call), root: chain.root };
}
