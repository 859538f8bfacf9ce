import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { visitorKeys as typescriptVisitorKeys } from '@typescript-eslint/visitor-keys';
import { createNameMatcher, getSettings } from '../settings.js';
import { childNodes, memberName, skipAwait, skipTypeWrappers, TYPE_KEYS, walkNodes } from '../utils/ast.js';
import { chainCalls } from './data-layer.js';
import {
  calleePath,
  classifyCall as classifyEffectCall,
  type Effect,
  getFunctionEffects,
  importedCallee,
  isCallbackArgument,
  isMutatingHttp,
  MAX_HELPER_DEPTH,
} from './effects.js';
import { contextFile, type ForeignFunction, loadModuleProgram, resolveImportedFunction } from './foreign-module.js';
import { classifyPrivilegedCall } from './privileged-calls.js';
import { resolveImport } from './modules.js';
import { type FunctionNode, isFunctionNode } from './server-actions.js';
import { importedName } from '../utils/imports.js';

/*
 * Whether a function checks who is calling before it does privileged work.
 *
 * An authentication call is a `contract` when it throws or redirects by itself for a signed-out
 * caller (`requireUser()`, `auth.protect()`), and a `check` when it only answers (`auth()`,
 * `getServerSession()`): a check guards nothing until a branch on its result stops the function.
 *
 * Order is judged on the syntax tree, as a sound approximation of the control-flow graph: a walk
 * in evaluation order carries one fact, "a guard has passed on every path to here". A contract
 * sets it for what follows; a branch on a check's result (`if`, `?:`, `&&`, `||`) sets it inside
 * the branch a signed-in caller takes, and after the statement when the other branch cannot
 * complete (`throw`, `return`, `break`, `redirect()`, `notFound()`, `unauthorized()`,
 * `forbidden()`, a same-file helper that always throws). Guards inside loops, `switch` cases,
 * `catch`/`finally` blocks and callbacks hold only inside them; a `catch` block starts from the
 * fact as it was before its `try`. Code after an unconditional exit is unreachable and counts as
 * guarded.
 *
 * Helpers are followed: a same-file function, or one imported from a project module (through
 * foreign-module.ts, analysed in its own module), is a contract when it stops a signed-out caller
 * on every way it completes, and the work it does is judged where it happens. Action clients and
 * wrappers are recognised by name, or by reading their definition (in this file, or in the module
 * they are imported from, parsed here without scopes) for a call of an authentication function.
 */

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;
type Truth = 'truthy' | 'falsy' | 'unknown';

export type AuthCallKind = 'contract' | 'check';

export interface AuthCall {
  node: TSESTree.CallExpression;
  kind: AuthCallKind;
  /** How the call reads in a message: `auth()`, `supabase.auth.getUser()`. */
  label: string;
  /**
   * The callee is an authentication function by its name (built in, configured, or named like
   * `requireAdmin`/`getCurrentUser`): whatever it does inside is the check itself, not privileged work.
   */
  named: boolean;
  /** The call resolves to an object even for a signed-out caller (Clerk `auth()`, Supabase `auth.getUser()`). */
  objectResult: boolean;
}

export interface FunctionGuards {
  /** Authentication calls the function makes itself (callbacks included, helpers not), in source order. */
  authCalls: readonly AuthCall[];
  /** Whether a guard has passed on every path to a call or tagged template of the function; undefined for nodes it does not run. */
  guardedAt(node: TSESTree.Node): boolean | undefined;
  /** One entry per way the function completes normally (each `return`, the end of the body): guarded there or not. */
  exits: readonly boolean[];
  /** Whether some condition of the function (`if`, `?:`, `&&`, `||`) tests what an authentication call answered. */
  testsAuth: boolean;
}

export interface UnguardedWork {
  /**
   * The privileged effect some path reaches without a guard: the first write (data, a mutating
   * request, a catalogued package call), else the first read whose data is handed back.
   */
  effect: Effect;
  /** The authentication calls of the function itself, in source order. */
  authCalls: readonly AuthCall[];
  /** Whether some condition of the function tests what an authentication call answered. */
  testsAuth: boolean;
}

export interface AuthAnalyzer {
  classifyAuthCall(node: TSESTree.Node): AuthCall | undefined;
  /** A wrapper that runs the function it receives only for a signed-in caller (`authActionClient.action(…)`, `withAuth(…)`). */
  isAuthWrapper(call: TSESTree.CallExpression): boolean;
  /**
   * A wrapped handler that receives the caller from its wrapper: the `ctx` of a next-safe-action or
   * zsa auth middleware (`{ ctx: { userId } }`), or a `user`/`session` parameter.
   */
  readsAuthContext(fn: FunctionNode): boolean;
  analyze(fn: FunctionNode): FunctionGuards;
  /**
   * Whether an effect of `fn` only runs after a guard: in `fn`, or inside the same-file or imported
   * helper it happens in (`effect.via`), each judged in its own module.
   */
  isEffectGuarded(fn: FunctionNode, effect: Effect, depth?: number): boolean;
  /**
   * Whether an effect of `fn` is authorised by a capability rather than a session: its call is
   * filtered by a value read from a cookie the server set (`cookies().get('cartId')`) or by a row
   * found with a one-time secret (`where: { token }`), in `fn` or in the helper it happens in; or
   * it makes the resource whose id the action then puts into such a cookie.
   */
  isCapabilityScoped(fn: FunctionNode, effect: Effect, depth?: number): boolean;
  findUnguardedWork(fn: FunctionNode): UnguardedWork | undefined;
}

export interface AuthAnalyzerOptions {
  /** Extra wrapper and action-client names (or `*` patterns) that authenticate. */
  authWrappers?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Names

/** Built-in authentication functions that answer rather than throw: their result has to be checked. */
const CHECK_NAMES = new Set([
  'auth', 'getServerSession', 'getServerAuthSession', 'currentUser', 'getCurrentUser', 'getSession', 'getKindeServerSession',
  'getIronSession', 'validateRequest', 'getUser', 'getClaims', 'withAuth',
]);
/** Built-in authentication functions that throw or redirect for a signed-out caller. */
const CONTRACT_NAMES = new Set(['requireUser', 'requireAuth', 'requireSession', 'verifySession', 'jwtVerify']);
/** Results that are objects whatever the caller: only their properties tell (`{ userId }`, `{ data: { user } }`). */
const OBJECT_RESULT_NAMES = new Set(['getKindeServerSession', 'getIronSession', 'validateRequest', 'withAuth']);

const AUTH_WORD = '(?:Auth|User|Session|Admin|Role|Permission|Login|LoggedIn|SignedIn|Owner|Member|Access|Org|Team|Staff|Viewer|Can|Scope|Authenticated|Authorized)';
/** `requireAdmin`, `assertCanEdit`, `ensureSignedIn`, `protectRoute`, `getUserOrThrow`, `authorize`. */
const CONTRACT_PATTERN = new RegExp(
  `^(?:(?:require|ensure|assert|enforce|protect|guard)(?:Is|Has)?${AUTH_WORD}\\w*|\\w*(?:User|Session|Auth|Viewer|Member)Or(?:Throw|Redirect|Fail)|authori[sz]e)$`,
);
/** An assertion by its verb: a guard when it is handed a user or session and its value is dropped (`checkPermission(user, …);`). */
const ASSERTION_VERB = /^(?:assert|require|ensure|enforce|guard|authori[sz]e|check|verify|validate)/;
/** `getAuthUser`, `getCurrentSession`, `fetchViewer`, `getLoggedInUser`, `getUserSession`, `getMe`. */
const CHECK_PATTERN =
  /^(?:get|fetch|load|read)(?:Current|Auth|Authenticated|Authed|LoggedIn|SignedIn|Server|Active|Verified)*(?:User|Session|Viewer|Auth|Claims|Identity|Principal|Me)(?:Session|User|Id|Info|Data)?$/;
/** Yes/no questions about the caller: `isAuthenticated()`, `isAdmin()`, `checkIsAdmin()`, `isUserLoggedIn()`. */
const AUTH_PREDICATE = /^(?:is|has|check|verify|get)(?:Is)?(?:User|Current)?(?:Authenticated|Authed|LoggedIn|SignedIn|Admin|SuperAdmin|Authorized|Staff)$/;
/** `getUser(id)` reads some user; only without arguments is it the caller. */
const PLAIN_USER_GETTER = /^(?:get|fetch|load|read)User$/;
const REDIRECT_TO_SIGN_IN = /^redirectTo(?:SignIn|SignUp|Login)$/;
/** Permission predicates on a user: `canEdit(user, post)`, `hasRole(session, 'admin')`, `isOwner(user, doc)`. */
const PERMISSION_PREDICATE = /^(?:can|has|is|may|allow|authori[sz]e|check|verify)[A-Z_]/;
/** Predicates that are true for a signed-out caller. */
const NEGATIVE_PREDICATE = /Guest|Anonymous|Out$|Banned|Blocked|Suspended|Expired|Locked|Disabled/;
const ERROR_NAME = /^(?:error|err|authError)$/;
const SESSION_TABLE = /^(?:user_?)?sessions?$/i;
/** Conversions that turn a signed-out caller's `null`/`undefined` into a falsy value: `Number(id)` is 0 or NaN. */
const NUMERIC_CONVERSIONS = new Set(['Number', 'parseInt', 'parseFloat']);
/**
 * Webhook signature checks, which throw for a forged request: Stripe `stripe.webhooks.constructEvent`,
 * svix `wh.verify(…)`. Processors behind them are called by the provider, not by a signed-in user.
 */
const WEBHOOK_CONTRACT = /^constructEvent(?:Async)?$/;
const WEBHOOK_RECEIVER = /^(?:wh|webhook|webhooks|svix|Webhook)$/i;
/** Signature checks that answer yes or no: `verifySignature(…)`, `verifyWebhook(…)`, `isValidSignature(…)`. */
const SIGNATURE_CHECK = /^(?:verify|validate|check|isValid)(?:Webhook)?(?:Signature|Webhook|Hmac)\w*$/;

/**
 * Tables and models of what public pages render: a catalogue, posts and stories, their categories
 * and reviews. Anything else may belong to someone, so a read of it stays privileged.
 */
const PUBLIC_SUBJECT =
  /^(?:products?|product_?variants?|variants?|categor(?:y|ies)|subcategor(?:y|ies)|collections?|brands?|posts?|articles?|stor(?:y|ies)|blogs?|blog_?posts?|pages?|tags?|reviews?|faqs?|listings?|events?|courses?|lessons?|recipes?|episodes?|videos?|books?|authors?|changelogs?|releases?|jobs?|locations?)$/i;
/** Filters that tie a read to a user or a tenant: `where: { userId }`, `eq(t.teamId, id)`. */
const OWNER_KEY = /^(?:user|owner|team|org|organization|tenant|workspace|customer|account|member)_?id$|^email$/i;
/**
 * Cookie names that state who the caller is: a client can write any value into them, so they are
 * claims, not capabilities. An opaque id the server set (`cartId`, `guestToken`) is a capability.
 */
const IDENTITY_COOKIE = /^(?:user|uid|user_?id|username|email|role|roles|admin|is_?admin|account|account_?id|org|org_?id|team|team_?id)$/i;
/** A rate limiter: `ratelimit(…).limit(key)`, `rateLimit(key)`, `limiter.check(key)`. */
const RATE_LIMIT = /rate_?limit|limiter/i;
/** Names of the caller's IP address. */
const CALLER_IP = /^(?:ip|ipAddress|clientIp|getIP|getIp|getClientIp|x-forwarded-for|x-real-ip)$|\bgetI[Pp]\(|x-forwarded-for|x-real-ip/;
/** Keys of a lookup by a one-time secret: `where: { token }`, `eq(invites.code, code)`. */
const SECRET_KEY = /^(?:\w*token|code|otp|secret|hash|nonce)$/i;

/** Wrappers and clients that authenticate: `authActionClient`, `authedProcedure`, `protectedAction`, `withAuth`, `requireUser`. */
const AUTH_WRAPPER =
  /^(?:auth|authed|authenticated|authorized|protected|private|secure|user|admin|member|session|signedIn|loggedIn)(?:[A-Z_]|$)|(?:^w|[a-z]W)ith(?:Auth|Session|User|Authentication|Login|SignedIn|Admin|Member|Team|Org|Organization|Workspace)(?:[A-Z_]|$)|^require(?:Auth|User|Session|Login|Admin)(?:[A-Z_]|$)/;
/** A wrapped function that receives the caller as a plain parameter (`withTeam(async (formData, user) => …)`) gets it from the wrapper. */
const CALLER_PARAMETER = /^(?:user|session|currentUser|viewer|authUser|sessionUser|me)$/;
/** Names of action clients and procedures (`authActionClient`, `authedProcedure`), as opposed to a variable such as `user`. */
const AUTH_CLIENT = /Client|Procedure|Action/;
/** Middleware handed to `.use(…)` of an action client, by name: `authMiddleware`, `requireSession`. */
const AUTH_MIDDLEWARE = /auth|session|protect|signedin|loggedin|requireuser/i;
/** Keys of a middleware `ctx` that carry the signed-in user. */
const AUTH_CONTEXT_KEY = /^(?:user|userId|session|auth|viewer|member|account|org|orgId|organization|currentUser|tenant|tenantId)$/;

/**
 * Names of Server Actions that take part in signing in, so that a signed-out caller is the point:
 * `signIn`, `signUpAction`, `handleLogin`, `register`, `forgotPassword`, `verifyEmail`, `sendMagicLink`.
 */
const AUTH_FLOW_ACTION =
  /^(?:sign(?:in|up|out)|log(?:in|out)|register|authenticate|forgotpassword|resetpassword|requestpasswordreset|sendpasswordreset(?:email|link)?|verify(?:email|otp|code)|sendmagiclink|magiclink)(?:with\w+|user|account|email)?$/;

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

function previousSegment(path: string): string | undefined {
  const segments = path.split('.');
  return segments[segments.length - 2];
}

/** Whether a Server Action's own name says it signs people in, up or out, or is an authentication function itself. */
export function isAuthFlowActionName(name: string): boolean {
  const core = name.replace(/^handle(?=[A-Z])/, '').replace(/Action$/, '');
  if (AUTH_FLOW_ACTION.test(core.toLowerCase())) return true;
  // `getUser(id)` as an action reads some user; the other names are authentication functions themselves.
  if (PLAIN_USER_GETTER.test(name)) return false;
  return CHECK_NAMES.has(name) || CONTRACT_NAMES.has(name) || CHECK_PATTERN.test(name) || CONTRACT_PATTERN.test(name);
}

/** Whether a configured or written auth function name reads as one that throws or redirects by itself. */
export function isContractName(path: string): boolean {
  const last = lastSegment(path);
  if (CONTRACT_NAMES.has(last) || CONTRACT_PATTERN.test(last)) return true;
  return last === 'protect' && /^auth(?:\(\))?$/.test(previousSegment(path) ?? '');
}

function hasEnsureSignedIn(call: TSESTree.CallExpression): boolean {
  return call.arguments.some(
    argument =>
      argument.type === AST_NODE_TYPES.ObjectExpression &&
      argument.properties.some(
        property =>
          property.type === AST_NODE_TYPES.Property &&
          property.key.type === AST_NODE_TYPES.Identifier &&
          property.key.name === 'ensureSignedIn' &&
          property.value.type === AST_NODE_TYPES.Literal &&
          property.value.value === true,
      ),
  );
}

function callLabel(context: Context, call: TSESTree.CallExpression): string {
  const text = context.sourceCode.getText(call.callee).replace(/\s+/g, ' ');
  return `${text.length <= 48 ? text : lastSegment(calleePath(call.callee))}()`;
}

/**
 * Whether a call has finished before what follows it runs: awaited, or used as a statement, an
 * initializer, an assignment or a return value. A contract handed on as a promise
 * (`Promise.all([requireUser(), db.post.findMany()])`) guards nothing that runs beside it.
 */
function isSettled(call: TSESTree.Node): boolean {
  let current = call;
  while (
    current.parent?.type === AST_NODE_TYPES.ChainExpression ||
    current.parent?.type === AST_NODE_TYPES.TSNonNullExpression ||
    current.parent?.type === AST_NODE_TYPES.TSAsExpression
  ) {
    current = current.parent;
  }
  const parent = current.parent;
  return (
    parent?.type === AST_NODE_TYPES.AwaitExpression ||
    parent?.type === AST_NODE_TYPES.ExpressionStatement ||
    parent?.type === AST_NODE_TYPES.ReturnStatement ||
    (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === current) ||
    (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === current)
  );
}

/** Whether the value of a call is thrown away: `await assertCan(user, 'edit');`. */
function isDiscarded(call: TSESTree.Node): boolean {
  let current = call;
  while (current.parent?.type === AST_NODE_TYPES.AwaitExpression || current.parent?.type === AST_NODE_TYPES.ChainExpression) current = current.parent;
  return current.parent?.type === AST_NODE_TYPES.ExpressionStatement;
}

/**
 * Work that needs a signed-in caller: a write, a mutating HTTP request, or a read when the
 * function hands read data back (a read that only feeds a condition shows the caller nothing).
 */
export function isPrivilegedEffect(found: Effect, returnsReadData: boolean): boolean {
  if (found.kind === 'mutation') return true;
  // Looking a session up is the authentication check, not the data it protects.
  if (found.kind === 'read') return returnsReadData && (found.subject === undefined || !SESSION_TABLE.test(found.subject));
  return isMutatingHttp(found);
}

// ---------------------------------------------------------------------------------------------
// Action clients and wrappers defined in other modules

/**
 * Whether a callee path names an authentication call, by name alone: how the definitions of
 * clients and wrappers in other modules are read, without scopes.
 */
function isAuthCalleeName(path: string, call: TSESTree.CallExpression, configured: (path: string) => boolean): boolean {
  const last = lastSegment(path);
  if (configured(path) || isContractName(path) || CONTRACT_NAMES.has(last)) return true;
  if (PLAIN_USER_GETTER.test(last)) return call.arguments.length === 0;
  if (CHECK_NAMES.has(last) || CHECK_PATTERN.test(last) || AUTH_PREDICATE.test(last)) return true;
  return previousSegment(path) === 'auth' && ['getUser', 'getClaims', 'getSession'].includes(last);
}

function containsAuthCall(root: TSESTree.Node, configured: (path: string) => boolean): boolean {
  let found = false;
  // Definitions in other modules come from the TypeScript parser, whatever parser lints this file.
  walkNodes(root, typescriptVisitorKeys as TSESLint.SourceCode['visitorKeys'], node => {
    if (found) return 'skip';
    if (node.type === AST_NODE_TYPES.CallExpression && isAuthCalleeName(calleePath(node.callee), node, configured)) found = true;
    return undefined;
  });
  return found;
}

const MAX_MODULE_HOPS = 4;
type TopLevelBinding =
  | { kind: 'value'; node: TSESTree.Node }
  | { kind: 'import'; source: string; imported: string };

/** What a module-level name is bound to, read from the statements (no scope analysis). */
function topLevelBinding(program: TSESTree.Program, name: string): TopLevelBinding | undefined {
  let local = name;
  for (const statement of program.body) {
    if (statement.type !== AST_NODE_TYPES.ExportNamedDeclaration || statement.source) continue;
    for (const specifier of statement.specifiers) {
      const exported = specifier.exported.type === AST_NODE_TYPES.Identifier ? specifier.exported.name : specifier.exported.value;
      if (exported === name && specifier.local.type === AST_NODE_TYPES.Identifier) local = specifier.local.name;
    }
  }
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration) {
      for (const specifier of statement.specifiers) {
        if (specifier.local.name !== local) continue;
        const imported =
          specifier.type === AST_NODE_TYPES.ImportSpecifier
            ? importedName(specifier)
            : 'default';
        return { kind: 'import', source: statement.source.value, imported };
      }
      continue;
    }
    const declaration = statement.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.declaration : statement;
    if (declaration?.type === AST_NODE_TYPES.FunctionDeclaration && declaration.id?.name === local) return { kind: 'value', node: declaration };
    if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === AST_NODE_TYPES.Identifier && declarator.id.name === local && declarator.init) return { kind: 'value', node: declarator.init };
      }
    }
  }
  return undefined;
}

interface ModuleWalk {
  configured: (path: string) => boolean;
  seen: Set<string>;
}

/** Whether the module-level name `name` of `file` is a client or wrapper that authenticates. */
function moduleNameAuthenticates(file: string, program: TSESTree.Program, name: string, walk: ModuleWalk, hops: number): boolean {
  const key = `${file}\0${name}`;
  if (walk.seen.has(key) || hops > MAX_MODULE_HOPS) return false;
  walk.seen.add(key);
  const binding = topLevelBinding(program, name);
  if (!binding) return false;
  if (binding.kind === 'value') return valueAuthenticates(file, program, binding.node, walk, hops);
  const target = resolveImport(file, binding.source);
  const targetProgram = target === undefined ? undefined : loadModuleProgram(target);
  return targetProgram !== undefined && moduleNameAuthenticates(target!, targetProgram, binding.imported, walk, hops + 1);
}

/**
 * A client or wrapper authenticates when its definition calls an authentication function: inside
 * the wrapper function, in a middleware of the client chain (`.use(async ({ next }) => …)`), or in
 * the client it is built from.
 */
function valueAuthenticates(file: string, program: TSESTree.Program, node: TSESTree.Node, walk: ModuleWalk, hops: number): boolean {
  const value = skipTypeWrappers(node);
  if (isFunctionNode(value)) return containsAuthCall(value.body, walk.configured);
  if (value.type === AST_NODE_TYPES.Identifier) return moduleNameAuthenticates(file, program, value.name, walk, hops);
  if (value.type !== AST_NODE_TYPES.CallExpression) return false;
  const { calls, root } = chainCalls(value);
  for (const link of calls) {
    for (const argument of link.arguments) {
      const inner = skipTypeWrappers(argument);
      if (isFunctionNode(inner) && containsAuthCall(inner.body, walk.configured)) return true;
      if (inner.type === AST_NODE_TYPES.Identifier && /^(?:use|middleware)$/.test(lastSegment(calleePath(link.callee)))) {
        if (AUTH_MIDDLEWARE.test(inner.name) || moduleNameAuthenticates(file, program, inner.name, walk, hops)) return true;
      }
    }
  }
  const base = skipTypeWrappers(root);
  return base.type === AST_NODE_TYPES.Identifier && calls[0]?.callee !== base && moduleNameAuthenticates(file, program, base.name, walk, hops);
}

// ---------------------------------------------------------------------------------------------
// The analyzer

function codeChildren(node: TSESTree.Node, visitorKeys: TSESLint.SourceCode['visitorKeys']): TSESTree.Node[] {
  return childNodes(node, visitorKeys, TYPE_KEYS);
}

interface Flow {
  /** The statement can complete normally. */
  normal: boolean;
  /** A guard has passed on every path that completes normally. */
  guarded: boolean;
}

interface Analysis extends FunctionGuards {
  stateAt: Map<TSESTree.Node, boolean>;
}

/** What the analyzer of a linted file shares with those it makes for the modules it follows. */
interface Shared {
  /** The functions being analysed, across modules: bounds the depth and breaks cycles. */
  inProgress: FunctionNode[];
  analyzers: Map<Context, AuthAnalyzer>;
}

/**
 * The authentication analysis of one file (the linted one, or a module followed from it through
 * foreign-module.ts), with its caches. Create one per rule run.
 */
export function createAuthAnalyzer(context: Context, options: AuthAnalyzerOptions = {}): AuthAnalyzer {
  return buildAnalyzer(context, options, { inProgress: [], analyzers: new Map() });
}

function buildAnalyzer(context: Context, options: AuthAnalyzerOptions, shared: Shared): AuthAnalyzer {
  const { sourceCode } = context;
  const { visitorKeys } = sourceCode;
  const configuredWrapper = createNameMatcher(options.authWrappers ?? []);
  const configuredAuth = createNameMatcher(getSettings(context).authFunctions);
  const authCallCache = new Map<TSESTree.Node, AuthCall | null>();
  const analyses = new Map<FunctionNode, Analysis>();
  const { inProgress } = shared;
  const definitionCache = new Map<TSESLint.Scope.Variable, boolean>();

  /** The function an imported call runs, in its module, and the analyzer for that module. */
  function foreignTarget(call: TSESTree.Node): { target: ForeignFunction; analyzer: AuthAnalyzer } | undefined {
    if (call.type !== AST_NODE_TYPES.CallExpression) return undefined;
    const imported = importedCallee(context, call.callee);
    const target = imported && resolveImportedFunction(context, imported.source, imported.name);
    if (!target) return undefined;
    let analyzer = shared.analyzers.get(target.context);
    if (!analyzer) {
      analyzer = buildAnalyzer(target.context, options, shared);
      shared.analyzers.set(target.context, analyzer);
    }
    return { target, analyzer };
  }

  // --- Which calls authenticate ---------------------------------------------------------------

  function authCall(call: TSESTree.CallExpression, kind: AuthCallKind, named: boolean, objectResult = false): AuthCall {
    return { node: call, kind, label: callLabel(context, call), named, objectResult };
  }

  function isObjectResult(call: TSESTree.CallExpression, path: string): boolean {
    const last = lastSegment(path);
    if (OBJECT_RESULT_NAMES.has(last)) return true;
    // Supabase: `supabase.auth.getUser()` answers `{ data: { user }, error }`.
    if (previousSegment(path) === 'auth' && path.split('.').length >= 3 && ['getUser', 'getClaims', 'getSession'].includes(last)) return true;
    const imported = importedCallee(context, call.callee);
    return last === 'auth' && imported !== undefined && imported.source.startsWith('@clerk/');
  }

  function classifyByName(call: TSESTree.CallExpression, path: string): AuthCall | undefined {
    const last = lastSegment(path);
    if (isContractName(path) || hasEnsureSignedIn(call)) return authCall(call, 'contract', true);
    if (previousSegment(path) === 'jwt' && last === 'verify') return authCall(call, 'contract', true);
    if (WEBHOOK_CONTRACT.test(last) || (last === 'verify' && WEBHOOK_RECEIVER.test(previousSegment(path) ?? ''))) return authCall(call, 'contract', true);
    if (SIGNATURE_CHECK.test(last)) return authCall(call, isDiscarded(call) ? 'contract' : 'check', true);
    if ((CHECK_PATTERN.test(last) && !(PLAIN_USER_GETTER.test(last) && call.arguments.length > 0)) || AUTH_PREDICATE.test(last)) {
      // Nobody drops the answer of `verifyAdmin()` unless it throws.
      if (ASSERTION_VERB.test(last) && isDiscarded(call)) return authCall(call, 'contract', true);
      return authCall(call, 'check', true, isObjectResult(call, path));
    }
    if (ASSERTION_VERB.test(last) && isDiscarded(call) && call.arguments.some(argument => derivedTruth(argument) !== 'unknown')) {
      return authCall(call, 'contract', true);
    }
    return undefined;
  }

  /**
   * A call of a function the analysis can read (in this file, or imported from a project module):
   * a contract when the function stops a signed-out caller on every way it completes, a check when
   * it authenticates or is named like an authentication function.
   */
  function classifyFunctionCall(call: TSESTree.CallExpression, fn: FunctionNode, name: string, owner: AuthAnalyzer, ownerContext: Context): AuthCall | undefined {
    if (inProgress.includes(fn) || inProgress.length > MAX_HELPER_DEPTH) return undefined;
    const named = isContractName(name) || CHECK_PATTERN.test(name) || AUTH_PREDICATE.test(name) || CHECK_NAMES.has(name);
    const inner = owner.analyze(fn);
    if (inner.exits.length > 0 && inner.exits.every(Boolean)) return authCall(call, 'contract', named);
    if (isContractName(name)) return authCall(call, 'contract', true);
    const authenticates = inner.authCalls.length > 0 || getFunctionEffects(ownerContext, fn).effects.some(found => found.kind === 'auth');
    return named || authenticates ? authCall(call, 'check', named) : undefined;
  }

  /** The callee path with an aliased import put back under its exported name: `auth.protect` for `clerkAuth.protect`. */
  function canonicalPath(callee: TSESTree.Node): string {
    const path = calleePath(callee);
    const root = rootIdentifier(callee);
    const definition = root && variableOf(root)?.defs[0];
    if (definition?.type !== 'ImportBinding' || definition.node.type !== AST_NODE_TYPES.ImportSpecifier) return path;
    const imported = importedName(definition.node);
    return imported + path.slice(root!.name.length);
  }

  function isBuiltinAuthName(path: string, call: TSESTree.CallExpression): boolean {
    const last = lastSegment(path);
    const previous = previousSegment(path);
    if (previous !== undefined && /^auth(?:\(\))?$/.test(previous)) return ['getUser', 'getClaims', 'getSession', 'protect'].includes(last);
    if (PLAIN_USER_GETTER.test(last)) return previous === undefined && call.arguments.length === 0;
    return CHECK_NAMES.has(last) || CONTRACT_NAMES.has(last);
  }

  function classifyAuthCallUncached(node: TSESTree.Node): AuthCall | undefined {
    if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
    const classified = classifyEffectCall(context, node);
    if (classified?.kind === 'helper') return classifyFunctionCall(node, classified.fn, classified.name, analyzer, context);
    // A session looked up by hand (`db.session.findUnique({ where: { token } })`) answers like `auth()`.
    if (classified?.kind === 'read' && classified.subject !== undefined && SESSION_TABLE.test(classified.subject)) return authCall(node, 'check', true);
    if (classified && classified.kind !== 'auth' && classified.kind !== 'unknownCall') return undefined;
    // A call handed a function is a wrapper (`withAuth(async …)`), not a check.
    if (node.arguments.some(isFunctionNode)) return undefined;
    const path = canonicalPath(node.callee);
    const last = lastSegment(path);
    if (classified?.kind === 'auth' && classified.basis === 'settings' && configuredAuth(calleePath(node.callee)) && !CHECK_NAMES.has(last)) {
      return authCall(node, 'contract', true);
    }
    if (classified?.kind === 'auth' && classified.via.length > 0 && !isBuiltinAuthName(path, node)) {
      // An imported function that authenticates: judged in its own module.
      const foreign = foreignTarget(node);
      if (foreign) return classifyFunctionCall(node, foreign.target.fn, lastSegment(path), foreign.analyzer, foreign.target.context);
    }
    if (classified?.kind === 'auth' || isBuiltinAuthName(path, node)) {
      // The outermost call decides: `requireUser().catch(() => null)` no longer throws for a signed-out caller.
      const contract = isContractName(path) || hasEnsureSignedIn(node);
      return authCall(node, contract ? 'contract' : 'check', true, !contract && isObjectResult(node, path));
    }
    return classifyByName(node, path);
  }

  function classifyAuthCall(node: TSESTree.Node): AuthCall | undefined {
    const cached = authCallCache.get(node);
    if (cached !== undefined) return cached ?? undefined;
    // Whether an argument is a user depends on the variables of the functions around the call.
    for (let current = node.parent; current; current = current.parent) if (isFunctionNode(current)) scanBindings(current);
    const result = classifyAuthCallUncached(node);
    authCallCache.set(node, result ?? null);
    return result;
  }

  // --- What a signed-out caller's values look like ----------------------------------------------

  const variableTruth = new Map<TSESLint.Scope.Variable, Truth>();
  const scannedFunctions = new WeakSet<FunctionNode>();

  function variableOf(identifier: TSESTree.Identifier): TSESLint.Scope.Variable | null {
    return ASTUtils.findVariable(sourceCode.getScope(identifier), identifier);
  }

  function rootIdentifier(node: TSESTree.Node): TSESTree.Identifier | undefined {
    let current = skipTypeWrappers(node);
    while (current.type === AST_NODE_TYPES.MemberExpression || current.type === AST_NODE_TYPES.CallExpression) {
      current = skipTypeWrappers(current.type === AST_NODE_TYPES.MemberExpression ? current.object : current.callee);
    }
    return current.type === AST_NODE_TYPES.Identifier ? current : undefined;
  }

  function identifierTruth(identifier: TSESTree.Identifier): Truth {
    const variable = variableOf(identifier);
    return (variable && variableTruth.get(variable)) ?? 'unknown';
  }

  /** The value an expression holds for a signed-out caller, when it comes from an authentication call. */
  function derivedTruth(node: TSESTree.Node): Truth {
    const target = skipAwait(node);
    switch (target.type) {
      case AST_NODE_TYPES.Identifier:
        return identifierTruth(target);
      case AST_NODE_TYPES.CallExpression: {
        const found = classifyAuthCall(target);
        if (found) return found.objectResult || found.kind === 'contract' ? 'truthy' : 'falsy';
        const callee = skipTypeWrappers(target.callee);
        if (callee.type === AST_NODE_TYPES.Identifier && NUMERIC_CONVERSIONS.has(callee.name) && target.arguments[0] !== undefined) {
          return derivedTruth(target.arguments[0]) === 'unknown' ? 'unknown' : 'falsy';
        }
        const root = rootIdentifier(target.callee);
        if (root && identifierTruth(root) !== 'unknown' && !ERROR_NAME.test(root.name)) return 'falsy';
        return 'unknown';
      }
      case AST_NODE_TYPES.MemberExpression: {
        const root = rootIdentifier(target);
        if (root) return identifierTruth(root) !== 'unknown' && !ERROR_NAME.test(root.name) ? 'falsy' : 'unknown';
        const object = skipAwait(target.object);
        return object.type === AST_NODE_TYPES.CallExpression && classifyAuthCall(object) ? 'falsy' : 'unknown';
      }
      case AST_NODE_TYPES.LogicalExpression:
        return target.operator === '&&' ? 'unknown' : derivedTruth(target.left) === 'falsy' ? 'falsy' : 'unknown';
      default:
        return 'unknown';
    }
  }

  function bindPattern(pattern: TSESTree.Node, truth: Truth): boolean {
    let changed = false;
    const visit = (node: TSESTree.Node, top: boolean): void => {
      switch (node.type) {
        case AST_NODE_TYPES.Identifier: {
          const variable = variableOf(node);
          if (!variable || variableTruth.has(variable)) return;
          // A destructured property is missing for a signed-out caller, except the error that says so.
          variableTruth.set(variable, top ? truth : ERROR_NAME.test(node.name) ? 'truthy' : 'falsy');
          changed = true;
          break;
        }
        case AST_NODE_TYPES.ObjectPattern:
          for (const property of node.properties) visit(property.type === AST_NODE_TYPES.Property ? property.value : property.argument, false);
          break;
        case AST_NODE_TYPES.ArrayPattern:
          for (const element of node.elements) if (element) visit(element, false);
          break;
        case AST_NODE_TYPES.AssignmentPattern:
          visit(node.left, top);
          break;
        case AST_NODE_TYPES.RestElement:
          visit(node.argument, false);
          break;
        default:
          break;
      }
    };
    visit(pattern, true);
    return changed;
  }

  /** Marks the variables of a function that hold what an authentication call answered, and what derives from it. */
  function scanBindings(fn: FunctionNode): void {
    if (scannedFunctions.has(fn)) return;
    scannedFunctions.add(fn);
    const declarators: TSESTree.VariableDeclarator[] = [];
    const assignments: TSESTree.AssignmentExpression[] = [];
    const stack: TSESTree.Node[] = [fn.body];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (isFunctionNode(node) && !isCallbackArgument(node)) continue;
      if (node.type === AST_NODE_TYPES.VariableDeclarator && node.init) declarators.push(node);
      if (node.type === AST_NODE_TYPES.AssignmentExpression && node.operator === '=' && node.left.type === AST_NODE_TYPES.Identifier) assignments.push(node);
      stack.push(...codeChildren(node, visitorKeys));
    }
    for (let round = 0, changed = true; changed && round < 6; round++) {
      changed = false;
      for (const declarator of declarators) {
        const truth = derivedTruth(declarator.init!);
        if (truth !== 'unknown') changed = bindPattern(declarator.id, truth) || changed;
      }
      for (const assignment of assignments) {
        const truth = derivedTruth(assignment.right);
        if (truth !== 'unknown') changed = bindPattern(assignment.left, truth) || changed;
      }
    }
  }

  function usesAuth(node: TSESTree.Node): boolean {
    const stack = [node];
    while (stack.length > 0) {
      const current = stack.pop()!;
      if (isFunctionNode(current)) continue;
      if (current.type === AST_NODE_TYPES.Identifier && identifierTruth(current) !== 'unknown') return true;
      if (current.type === AST_NODE_TYPES.CallExpression && classifyAuthCall(current)) return true;
      stack.push(...codeChildren(current, visitorKeys));
    }
    return false;
  }

  function isNullish(node: TSESTree.Node): boolean {
    const target = skipTypeWrappers(node);
    if (target.type === AST_NODE_TYPES.Literal) return target.value === null;
    if (target.type === AST_NODE_TYPES.Identifier) return target.name === 'undefined';
    return target.type === AST_NODE_TYPES.UnaryExpression && target.operator === 'void';
  }

  function negate(truth: Truth): Truth {
    return truth === 'truthy' ? 'falsy' : truth === 'falsy' ? 'truthy' : 'unknown';
  }

  function comparison(operator: string, subject: Truth, other: TSESTree.Node): Truth {
    if (subject !== 'falsy') return 'unknown';
    const equal = operator === '===' || operator === '==';
    if (!equal && operator !== '!==' && operator !== '!=') return 'unknown';
    const target = skipTypeWrappers(other);
    // A signed-out caller's value is null, undefined or false: equal to "nothing", different from anything else.
    const matchesMissing = isNullish(target) || (target.type === AST_NODE_TYPES.Literal && target.value === false);
    return equal === matchesMissing ? 'truthy' : 'falsy';
  }

  /** What a condition evaluates to for a signed-out caller. */
  function signedOutTruth(node: TSESTree.Node): Truth {
    const target = skipTypeWrappers(node);
    switch (target.type) {
      case AST_NODE_TYPES.Literal:
        return target.value ? 'truthy' : 'falsy';
      case AST_NODE_TYPES.AwaitExpression:
        return signedOutTruth(target.argument);
      case AST_NODE_TYPES.Identifier:
      case AST_NODE_TYPES.MemberExpression:
        return isNullish(target) ? 'falsy' : derivedTruth(target);
      case AST_NODE_TYPES.CallExpression: {
        const derived = derivedTruth(target);
        if (derived !== 'unknown') return derived;
        const name = lastSegment(calleePath(target.callee));
        const onUser = target.arguments.some(argument => argument.type !== AST_NODE_TYPES.SpreadElement && derivedTruth(argument) !== 'unknown');
        return onUser && PERMISSION_PREDICATE.test(name) && !NEGATIVE_PREDICATE.test(name) ? 'falsy' : 'unknown';
      }
      case AST_NODE_TYPES.UnaryExpression:
        if (target.operator === '!') return negate(signedOutTruth(target.argument));
        return target.operator === 'void' ? 'falsy' : 'unknown';
      case AST_NODE_TYPES.BinaryExpression: {
        const left = skipTypeWrappers(target.left);
        const leftTruth = signedOutTruth(left);
        if (leftTruth !== 'unknown' || usesAuth(left)) return comparison(target.operator, leftTruth, target.right);
        return comparison(target.operator, signedOutTruth(target.right), left);
      }
      case AST_NODE_TYPES.LogicalExpression: {
        const left = signedOutTruth(target.left);
        const right = signedOutTruth(target.right);
        if (target.operator === '&&') return left === 'falsy' || right === 'falsy' ? 'falsy' : left === 'truthy' && right === 'truthy' ? 'truthy' : 'unknown';
        if (target.operator === '||') return left === 'truthy' || right === 'truthy' ? 'truthy' : left === 'falsy' && right === 'falsy' ? 'falsy' : 'unknown';
        return left === 'falsy' ? right : 'unknown';
      }
      case AST_NODE_TYPES.ConditionalExpression: {
        const consequent = signedOutTruth(target.consequent);
        return consequent === signedOutTruth(target.alternate) ? consequent : 'unknown';
      }
      case AST_NODE_TYPES.SequenceExpression:
        return signedOutTruth(target.expressions[target.expressions.length - 1]!);
      default:
        return 'unknown';
    }
  }

  /** A branch condition that tells a signed-out caller apart, and how: only conditions on authentication results count. */
  function polarity(test: TSESTree.Node): Truth {
    return usesAuth(test) ? signedOutTruth(test) : 'unknown';
  }

  // --- Wrappers -------------------------------------------------------------------------------

  function isAuthWrapper(call: TSESTree.CallExpression, depth = 0): boolean {
    const { calls, root } = chainCalls(call);
    const rootNode = skipTypeWrappers(root);
    const rootName = rootNode.type === AST_NODE_TYPES.Identifier ? rootNode.name : rootNode.type === AST_NODE_TYPES.MemberExpression ? memberName(rootNode) : undefined;
    if (rootName !== undefined) {
      // Called directly (`withAuth(fn)`), or a client built up by methods (`authActionClient.schema(s).action(fn)`);
      // a plain `user.posts.map(fn)` is neither.
      const direct = calls[0] !== undefined && skipTypeWrappers(calls[0].callee) === rootNode;
      if (configuredWrapper(rootName)) return true;
      if (rootName !== 'auth' && AUTH_WRAPPER.test(rootName) && (direct || AUTH_CLIENT.test(rootName))) return true;
      if (rootNode.type === AST_NODE_TYPES.Identifier && definitionAuthenticates(rootNode)) return true;
    }
    for (const link of calls) {
      const path = calleePath(link.callee);
      if (configuredWrapper(path)) return true;
      const last = lastSegment(path);
      for (const argument of link.arguments) {
        const inner = skipTypeWrappers(argument);
        if (last === 'use' || last === 'middleware') {
          if (inner.type === AST_NODE_TYPES.Identifier && AUTH_MIDDLEWARE.test(inner.name)) return true;
          if (isFunctionNode(inner) && analyze(inner).authCalls.length > 0) return true;
        }
        // `withLog(withAuth(async …))`
        if (inner.type === AST_NODE_TYPES.CallExpression && depth < 3 && isAuthWrapper(inner, depth + 1)) return true;
      }
    }
    return false;
  }

  /** Follows a client or wrapper name to its definition, in this file or in the module it is imported from. */
  function definitionAuthenticates(identifier: TSESTree.Identifier): boolean {
    const variable = variableOf(identifier);
    if (!variable) return false;
    const cached = definitionCache.get(variable);
    if (cached !== undefined) return cached;
    const definition = variable.defs[0];
    const walk: ModuleWalk = { configured: configuredAuth, seen: new Set() };
    const file = contextFile(context);
    let result = false;
    if (definition?.type === 'ImportBinding' && definition.parent.type === AST_NODE_TYPES.ImportDeclaration) {
      const specifier = definition.node;
      const imported =
        specifier.type === AST_NODE_TYPES.ImportSpecifier
          ? importedName(specifier)
          : 'default';
      const target = resolveImport(file, definition.parent.source.value);
      const program = target === undefined ? undefined : loadModuleProgram(target);
      result = program !== undefined && moduleNameAuthenticates(target!, program, imported, walk, 1);
    } else if (definition?.type === 'Variable' && definition.node.init) {
      result = valueAuthenticates(file, sourceCode.ast, definition.node.init, walk, 0);
    } else if (definition?.type === 'FunctionName' && isFunctionNode(definition.node as TSESTree.Node)) {
      result = containsAuthCall((definition.node as FunctionNode).body, configuredAuth);
    }
    definitionCache.set(variable, result);
    return result;
  }

  function readsAuthContext(fn: FunctionNode): boolean {
    if (fn.params.some(parameter => parameter.type === AST_NODE_TYPES.Identifier && CALLER_PARAMETER.test(parameter.name))) return true;
    const first = fn.params[0];
    if (first?.type !== AST_NODE_TYPES.ObjectPattern) return false;
    for (const property of first.properties) {
      if (property.type !== AST_NODE_TYPES.Property || property.key.type !== AST_NODE_TYPES.Identifier || property.key.name !== 'ctx') continue;
      const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
      if (value.type === AST_NODE_TYPES.ObjectPattern) {
        return value.properties.some(
          inner => inner.type === AST_NODE_TYPES.Property && inner.key.type === AST_NODE_TYPES.Identifier && AUTH_CONTEXT_KEY.test(inner.key.name),
        );
      }
      if (value.type !== AST_NODE_TYPES.Identifier) return false;
      const variable = variableOf(value);
      return (
        variable?.references.some(reference => {
          const parent = reference.identifier.parent;
          return parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === reference.identifier && AUTH_CONTEXT_KEY.test(memberName(parent) ?? '');
        }) ?? false
      );
    }
    return false;
  }

  // --- The walk -------------------------------------------------------------------------------

  /** A call after which the path does not go on: `redirect()`, `notFound()`, `redirectToSignIn()`, a helper that always throws. */
  function isStop(expression: TSESTree.Node): boolean {
    const call = skipAwait(expression);
    if (call.type !== AST_NODE_TYPES.CallExpression) return false;
    const classified = classifyEffectCall(context, call);
    if (classified?.kind === 'redirect' || classified?.kind === 'interrupt') return true;
    if (REDIRECT_TO_SIGN_IN.test(lastSegment(calleePath(call.callee)))) return true;
    if (classified?.kind !== 'helper' || inProgress.includes(classified.fn) || inProgress.length > MAX_HELPER_DEPTH) return false;
    return analyze(classified.fn).exits.length === 0;
  }

  function analyze(fn: FunctionNode): Analysis {
    const known = analyses.get(fn);
    if (known) return known;
    inProgress.push(fn);
    scanBindings(fn);
    const stateAt = new Map<TSESTree.Node, boolean>();
    const authCalls: AuthCall[] = [];
    let exits: boolean[] = [];
    let testsAuth = false;
    const sideOf = (test: TSESTree.Node): Truth => {
      if (!testsAuth && usesAuth(test)) testsAuth = true;
      return polarity(test);
    };

    const record = (node: TSESTree.Node, guarded: boolean) => {
      const previous = stateAt.get(node);
      stateAt.set(node, previous === undefined ? guarded : previous && guarded);
    };

    const walkFunction = (inner: FunctionNode, guarded: boolean): void => {
      const outer = exits;
      exits = [];
      if (inner.body.type === AST_NODE_TYPES.BlockStatement) walkList(inner.body.body, guarded);
      else walkExpression(inner.body, guarded);
      exits = outer;
    };

    const walkChildren = (node: TSESTree.Node, guarded: boolean): boolean => {
      let state = guarded;
      for (const child of codeChildren(node, visitorKeys)) state = walkExpression(child, state);
      return state;
    };

    const walkCall = (node: TSESTree.CallExpression | TSESTree.NewExpression, guarded: boolean): boolean => {
      let state = walkExpression(node.callee, guarded);
      const wrapper = node.type === AST_NODE_TYPES.CallExpression && node.arguments.some(isFunctionNode) && isAuthWrapper(node);
      for (const argument of node.arguments) {
        if (isFunctionNode(argument)) walkFunction(argument, state || wrapper);
        else state = walkExpression(argument, state);
      }
      if (node.type === AST_NODE_TYPES.NewExpression) return state;
      record(node, state);
      const found = classifyAuthCall(node);
      if (!found) return state;
      authCalls.push(found);
      return state || (found.kind === 'contract' && isSettled(node));
    };

    /** Walks an expression in evaluation order; answers whether a guard has passed once it is evaluated. */
    const walkExpression = (node: TSESTree.Node, guarded: boolean): boolean => {
      switch (node.type) {
        case AST_NODE_TYPES.FunctionExpression:
        case AST_NODE_TYPES.ArrowFunctionExpression:
        case AST_NODE_TYPES.FunctionDeclaration:
        case AST_NODE_TYPES.ClassBody:
          return guarded;
        case AST_NODE_TYPES.CallExpression:
        case AST_NODE_TYPES.NewExpression:
          return walkCall(node, guarded);
        case AST_NODE_TYPES.TaggedTemplateExpression: {
          const state = walkChildren(node, guarded);
          record(node, state);
          return state;
        }
        case AST_NODE_TYPES.LogicalExpression: {
          const left = walkExpression(node.left, guarded);
          const side = sideOf(node.left);
          // `session && work()` runs the work only when the left side is truthy, `!session || work()` only when it is falsy.
          const safe = (node.operator === '&&' && side === 'falsy') || (node.operator === '||' && side === 'truthy');
          walkExpression(node.right, left || safe);
          return left;
        }
        case AST_NODE_TYPES.ConditionalExpression: {
          const test = walkExpression(node.test, guarded);
          const side = sideOf(node.test);
          const consequent = walkExpression(node.consequent, test || side === 'falsy');
          const alternate = walkExpression(node.alternate, test || side === 'truthy');
          return consequent && alternate;
        }
        default:
          return walkChildren(node, guarded);
      }
    };

    const walkList = (statements: readonly TSESTree.Node[], guarded: boolean): Flow => {
      let flow: Flow = { normal: true, guarded };
      for (const statement of statements) {
        if (!flow.normal) {
          walkStatement(statement, true);
          continue;
        }
        flow = walkStatement(statement, flow.guarded);
      }
      return flow;
    };

    const walkStatement = (node: TSESTree.Node, guarded: boolean): Flow => {
      switch (node.type) {
        case AST_NODE_TYPES.BlockStatement:
        case AST_NODE_TYPES.StaticBlock:
          return walkList(node.body, guarded);
        case AST_NODE_TYPES.ExpressionStatement:
          return { normal: !isStop(node.expression), guarded: walkExpression(node.expression, guarded) };
        case AST_NODE_TYPES.ReturnStatement: {
          const state = node.argument ? walkExpression(node.argument, guarded) : guarded;
          exits.push(state);
          return { normal: false, guarded: state };
        }
        case AST_NODE_TYPES.ThrowStatement:
          walkExpression(node.argument, guarded);
          return { normal: false, guarded };
        case AST_NODE_TYPES.BreakStatement:
        case AST_NODE_TYPES.ContinueStatement:
          return { normal: false, guarded };
        case AST_NODE_TYPES.IfStatement: {
          const test = walkExpression(node.test, guarded);
          const side = sideOf(node.test);
          const consequent = walkStatement(node.consequent, test || side === 'falsy');
          const alternate = node.alternate ? walkStatement(node.alternate, test || side === 'truthy') : { normal: true, guarded: test || side === 'truthy' };
          return joinFlows(consequent, alternate);
        }
        case AST_NODE_TYPES.TryStatement: {
          const block = walkList(node.block.body, guarded);
          // Anything in the `try` may have thrown before its guard.
          const handler = node.handler ? walkList(node.handler.body.body, guarded) : { normal: false, guarded };
          const after = joinFlows(block, handler);
          if (!node.finalizer) return after;
          const finalizer = walkList(node.finalizer.body, guarded);
          return { normal: after.normal && finalizer.normal, guarded: after.guarded || finalizer.guarded };
        }
        case AST_NODE_TYPES.ForStatement: {
          let state = node.init ? (node.init.type === AST_NODE_TYPES.VariableDeclaration ? walkStatement(node.init, guarded).guarded : walkExpression(node.init, guarded)) : guarded;
          if (node.test) state = walkExpression(node.test, state);
          walkStatement(node.body, state);
          if (node.update) walkExpression(node.update, state);
          return { normal: true, guarded: state };
        }
        case AST_NODE_TYPES.ForInStatement:
        case AST_NODE_TYPES.ForOfStatement: {
          const state = walkExpression(node.right, guarded);
          walkStatement(node.body, state);
          return { normal: true, guarded: state };
        }
        case AST_NODE_TYPES.WhileStatement: {
          const state = walkExpression(node.test, guarded);
          walkStatement(node.body, state);
          return { normal: true, guarded: state };
        }
        case AST_NODE_TYPES.DoWhileStatement:
          walkStatement(node.body, guarded);
          walkExpression(node.test, guarded);
          return { normal: true, guarded };
        case AST_NODE_TYPES.SwitchStatement: {
          const state = walkExpression(node.discriminant, guarded);
          for (const switchCase of node.cases) {
            if (switchCase.test) walkExpression(switchCase.test, state);
            walkList(switchCase.consequent, state);
          }
          return { normal: true, guarded: state };
        }
        case AST_NODE_TYPES.LabeledStatement: {
          const body = walkStatement(node.body, guarded);
          return { normal: true, guarded: body.normal ? body.guarded : guarded };
        }
        case AST_NODE_TYPES.VariableDeclaration: {
          let state = guarded;
          for (const declarator of node.declarations) if (declarator.init) state = walkExpression(declarator.init, state);
          return { normal: true, guarded: state };
        }
        case AST_NODE_TYPES.FunctionDeclaration:
        case AST_NODE_TYPES.ClassDeclaration:
          return { normal: true, guarded };
        default:
          return { normal: true, guarded: node.type.startsWith('TS') ? guarded : walkChildren(node, guarded) };
      }
    };

    if (fn.body.type === AST_NODE_TYPES.BlockStatement) {
      const flow = walkList(fn.body.body, false);
      if (flow.normal) exits.push(flow.guarded);
    } else {
      exits.push(walkExpression(fn.body, false));
    }
    inProgress.pop();
    authCalls.sort((a, b) => a.node.range[0] - b.node.range[0]);
    const analysis: Analysis = { stateAt, authCalls, exits, testsAuth, guardedAt: node => stateAt.get(node) };
    analyses.set(fn, analysis);
    return analysis;
  }

  function joinFlows(a: Flow, b: Flow): Flow {
    if (!a.normal) return b;
    if (!b.normal) return a;
    return { normal: true, guarded: a.guarded && b.guarded };
  }

  // --- Privileged work ------------------------------------------------------------------------

  function isEffectGuarded(fn: FunctionNode, found: Effect, depth = 0): boolean {
    const state = analyze(fn).guardedAt(found.node);
    // Nodes the walk does not reach are not run by the function (effects and walk share that rule).
    if (state === undefined || state) return true;
    if (found.via.length === 0 || depth > MAX_HELPER_DEPTH) return false;
    // Whatever an authentication function does is the check itself.
    if (classifyAuthCall(found.node)?.named) return true;
    const next = innerEffect(found);
    return next !== undefined && next.analyzer.isEffectGuarded(next.fn, next.inner, depth + 1);
  }

  /** The effect of a follow-up call one level down: the same work, seen inside the helper it happens in. */
  function innerEffect(found: Effect): { fn: FunctionNode; inner: Effect; analyzer: AuthAnalyzer } | undefined {
    const rest = found.via.slice(1);
    const same = (candidate: Effect) =>
      candidate.origin === found.origin && candidate.kind === found.kind && candidate.via.length === rest.length && candidate.via.every((name, index) => name === rest[index]);
    const resolved = classifyEffectCall(context, found.node);
    if (resolved?.kind === 'helper') {
      const inner = getFunctionEffects(context, resolved.fn).effects.find(same);
      return inner && { fn: resolved.fn, inner, analyzer };
    }
    const foreign = foreignTarget(found.node);
    if (!foreign) return undefined;
    const inner = getFunctionEffects(foreign.target.context, foreign.target.fn).effects.find(same);
    return inner && { fn: foreign.target.fn, inner, analyzer: foreign.analyzer };
  }

  // --- Capabilities ---------------------------------------------------------------------------

  const capabilityCache = new Map<FunctionNode, Set<TSESLint.Scope.Variable>>();
  const secretCache = new Map<FunctionNode, Set<TSESLint.Scope.Variable>>();

  /** `cookies()`, `await cookies()`, or a variable holding it: the request's cookie store. */
  function isCookieStore(node: TSESTree.Node, hops = 0): boolean {
    const target = skipAwait(node);
    if (target.type === AST_NODE_TYPES.CallExpression) {
      const imported = importedCallee(context, target.callee);
      return imported?.source === 'next/headers' && imported.name === 'cookies';
    }
    if (target.type !== AST_NODE_TYPES.Identifier || hops > 2) return false;
    const definition = variableOf(target)?.defs[0];
    return definition?.type === 'Variable' && definition.node.init !== null && isCookieStore(definition.node.init, hops + 1);
  }

  function cookieCall(node: TSESTree.Node, method: string): TSESTree.CallExpression | undefined {
    const call = skipAwait(node);
    if (call.type !== AST_NODE_TYPES.CallExpression) return undefined;
    const callee = skipTypeWrappers(call.callee);
    return callee.type === AST_NODE_TYPES.MemberExpression && memberName(callee) === method && isCookieStore(callee.object) ? call : undefined;
  }

  /** `cookies().get('cartId')`: a cookie whose name is not a claim about the caller. */
  function isCapabilityCookieRead(node: TSESTree.Node): boolean {
    const call = cookieCall(node, 'get');
    const name = call?.arguments[0];
    return name?.type === AST_NODE_TYPES.Literal && typeof name.value === 'string' && !IDENTITY_COOKIE.test(name.value);
  }

  /**
   * Data access that finds its rows by a one-time secret: `db.invite.findUnique({ where: { token } })`,
   * `db.update(subscriptions).set(…).where(eq(subscriptions.token, token))`.
   */
  function isSecretLookup(node: TSESTree.Node): boolean {
    const call = skipAwait(node);
    if (call.type !== AST_NODE_TYPES.CallExpression && call.type !== AST_NODE_TYPES.TaggedTemplateExpression) return false;
    const kind = classifyEffectCall(context, call)?.kind;
    if (kind !== 'read' && kind !== 'mutation') return false;
    return someNode(call, inner => {
      if (inner.type === AST_NODE_TYPES.Property && !inner.computed && inner.key.type === AST_NODE_TYPES.Identifier) return SECRET_KEY.test(inner.key.name);
      return inner.type === AST_NODE_TYPES.MemberExpression && SECRET_KEY.test(memberName(inner) ?? '');
    });
  }

  function someNode(root: TSESTree.Node, test: (node: TSESTree.Node) => boolean): boolean {
    const stack: TSESTree.Node[] = [root];
    while (stack.length > 0) {
      const current = stack.pop()!;
      if (test(current)) return true;
      if (isFunctionNode(current) && current !== root && !isCallbackArgument(current)) continue;
      stack.push(...codeChildren(current, visitorKeys));
    }
    return false;
  }

  /**
   * The variables of `fn` that hold a capability, or something found or computed with one. With
   * `secrets`, also a one-time secret the caller hands in (a `token` or `code` parameter or field)
   * and what is computed from it (`hashToken(token)`): data keyed by it is only reached by whoever
   * holds the secret.
   */
  function capabilityVariables(fn: FunctionNode, secrets = false): Set<TSESLint.Scope.Variable> {
    const cache = secrets ? secretCache : capabilityCache;
    const known = cache.get(fn);
    if (known) return known;
    const held = new Set<TSESLint.Scope.Variable>(secrets ? capabilityVariables(fn) : []);
    cache.set(fn, held);
    const declarators: TSESTree.VariableDeclarator[] = [];
    walkNodes(fn.body, visitorKeys, node => {
      if (isFunctionNode(node) && !isCallbackArgument(node)) return 'skip';
      if (node.type === AST_NODE_TYPES.VariableDeclarator && node.init) declarators.push(node);
      return undefined;
    });
    if (secrets) {
      const declared = [fn, ...declarators].flatMap(node => sourceCode.scopeManager?.getDeclaredVariables(node) ?? []);
      for (const variable of declared) if (SECRET_KEY.test(variable.name)) held.add(variable);
    }
    for (let round = 0, changed = true; changed && round < 6; round++) {
      changed = false;
      for (const declarator of declarators) {
        if (!carriesCapability(declarator.init!, held)) continue;
        for (const variable of sourceCode.scopeManager?.getDeclaredVariables(declarator) ?? []) {
          if (held.has(variable)) continue;
          held.add(variable);
          changed = true;
        }
      }
    }
    return held;
  }

  function carriesCapability(node: TSESTree.Node, held: ReadonlySet<TSESLint.Scope.Variable>): boolean {
    return someNode(node, inner => {
      if (inner.type === AST_NODE_TYPES.Identifier) {
        const variable = variableOf(inner);
        return variable !== null && held.has(variable);
      }
      return isCapabilityCookieRead(inner) || isSecretLookup(inner);
    });
  }

  /** `const cart = await createCart(); (await cookies()).set('cartId', cart.id)`: the work makes the capability it hands out. */
  function mintsCapability(fn: FunctionNode, node: TSESTree.Node): boolean {
    let site = node;
    while (site.parent?.type === AST_NODE_TYPES.AwaitExpression || site.parent?.type === AST_NODE_TYPES.TSNonNullExpression || site.parent?.type === AST_NODE_TYPES.TSAsExpression) site = site.parent;
    const declarator = site.parent;
    if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== site) return false;
    const minted = new Set(sourceCode.scopeManager?.getDeclaredVariables(declarator) ?? []);
    if (minted.size === 0) return false;
    return someNode(fn.body, inner => {
      const set = cookieCall(inner, 'set');
      return set !== undefined && set.arguments.slice(1).some(argument => carriesCapability(argument, minted));
    });
  }

  function isCapabilityScoped(fn: FunctionNode, found: Effect, depth = 0): boolean {
    const node = skipAwait(found.node);
    if (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.TaggedTemplateExpression) {
      // A secret the caller hands in scopes data it keys, not requests or package calls made with it.
      const held = capabilityVariables(fn, found.kind === 'read' || found.kind === 'mutation');
      const inputs = node.type === AST_NODE_TYPES.CallExpression ? node.arguments : [node.quasi];
      if (inputs.some(argument => carriesCapability(argument, held)) || isSecretLookup(node)) return true;
      if (node.type === AST_NODE_TYPES.CallExpression) {
        // A query built in a chain filters in any link: `db.update(carts).set(…).where(eq(carts.id, cartId))`.
        if (chainCalls(node).calls.some(link => link.arguments.some(argument => carriesCapability(argument, held)))) return true;
      }
      if (mintsCapability(fn, found.node)) return true;
    }
    if (found.via.length === 0 || depth > MAX_HELPER_DEPTH) return false;
    const next = innerEffect(found);
    return next !== undefined && next.analyzer.isCapabilityScoped(next.fn, next.inner, depth + 1);
  }

  // --- What counts as privileged work ---------------------------------------------------------

  /** A read of what public pages render: a table that belongs to nobody, not filtered by an owner. */
  function isPublicContentRead(found: Effect): boolean {
    if (found.kind !== 'read' || found.subject === undefined || !PUBLIC_SUBJECT.test(found.subject.replace(/^.*\./, ''))) return false;
    return !someNode(found.origin, inner => {
      if (inner.type === AST_NODE_TYPES.Property && !inner.computed && inner.key.type === AST_NODE_TYPES.Identifier) return OWNER_KEY.test(inner.key.name);
      if (inner.type === AST_NODE_TYPES.MemberExpression) return OWNER_KEY.test(memberName(inner) ?? '');
      return inner.type === AST_NODE_TYPES.Literal && typeof inner.value === 'string' && OWNER_KEY.test(inner.value);
    });
  }

  /** The effect as privileged work, named for the message, or undefined when it is not. */
  function privilegedWork(found: Effect, returnsReadData: boolean): Effect | undefined {
    if (found.kind === 'unknownCall') {
      const packaged = classifyPrivilegedCall(found.origin);
      return packaged && { ...found, label: packaged.label };
    }
    if (!isPrivilegedEffect(found, returnsReadData) || isPublicContentRead(found)) return undefined;
    return found;
  }

  /**
   * Whether `fn` throttles its callers by their IP address (`ratelimit(…).limit(\`apply:${ip}\`)`):
   * an action written for anonymous callers, public on purpose.
   */
  function isRateLimitedByIp(fn: FunctionNode): boolean {
    return someNode(fn.body, node => {
      if (node.type !== AST_NODE_TYPES.CallExpression) return false;
      if (!RATE_LIMIT.test(sourceCode.getText(node.callee))) return false;
      return node.arguments.some(argument => someNode(argument, inner => {
        if (inner.type === AST_NODE_TYPES.Identifier) return CALLER_IP.test(inner.name) || ipVariable(inner);
        return inner.type === AST_NODE_TYPES.Literal && typeof inner.value === 'string' && /^x-(?:forwarded-for|real-ip)$/i.test(inner.value);
      }));
    });
  }

  /** A variable holding the caller's IP: `const ip = await getIP()`, `const ipAddress = headers().get('x-forwarded-for')`. */
  function ipVariable(identifier: TSESTree.Identifier): boolean {
    const definition = variableOf(identifier)?.defs[0];
    return definition?.type === 'Variable' && definition.node.init !== null && CALLER_IP.test(sourceCode.getText(definition.node.init));
  }

  function findUnguardedWork(fn: FunctionNode): UnguardedWork | undefined {
    if (isRateLimitedByIp(fn)) return undefined;
    const { effects, dataReturns } = getFunctionEffects(context, fn);
    const unguarded: Effect[] = [];
    for (const found of effects) {
      const work = privilegedWork(found, dataReturns.length > 0);
      if (work && !isEffectGuarded(fn, found) && !isCapabilityScoped(fn, found)) unguarded.push(work);
    }
    const effect = unguarded.find(work => work.kind !== 'read') ?? unguarded[0];
    const analysis = analyze(fn);
    return effect && { effect, authCalls: analysis.authCalls, testsAuth: analysis.testsAuth };
  }

  const analyzer: AuthAnalyzer = { classifyAuthCall, isAuthWrapper, readsAuthContext, analyze, isEffectGuarded, isCapabilityScoped, findUnguardedWork };
  return analyzer;
}
