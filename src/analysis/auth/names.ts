import type { TSESTree } from '@typescript-eslint/utils';

/*
 * Every name by which the plugin knows an authentication function, for the three modules that ask:
 * effects.ts (is this call an `auth` effect?), name-evidence.ts (does this read's name say it reads
 * who is asking?) and the auth analysis (is this call a check, a contract, a wrapper?). Where two
 * of them ask different questions the lists stay apart, side by side, each saying what it answers.
 */

export function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

export function previousSegment(path: string): string | undefined {
  const segments = path.split('.');
  return segments[segments.length - 2];
}

// ---------------------------------------------------------------------------------------------
// Library functions

/** Built-in authentication functions that answer rather than throw: their result has to be checked. */
export const CHECK_NAMES = new Set([
  'auth', 'getServerSession', 'getServerAuthSession', 'currentUser', 'getCurrentUser', 'getSession', 'getKindeServerSession',
  'getIronSession', 'validateRequest', 'getUser', 'getClaims', 'withAuth',
]);
/** Built-in authentication functions that throw or redirect for a signed-out caller. */
const CONTRACT_NAMES = new Set(['requireUser', 'requireAuth', 'requireSession', 'verifySession', 'jwtVerify']);
/** Results that are objects whatever the caller: only their properties tell (`{ userId }`, `{ data: { user } }`). */
export const OBJECT_RESULT_NAMES = new Set(['getKindeServerSession', 'getIronSession', 'validateRequest', 'withAuth']);
/** Methods of an `auth` object that answer with the caller: Supabase `supabase.auth.getUser()`, `auth.getClaims()`. */
export const AUTH_ANSWER_MEMBERS = new Set(['getUser', 'getClaims', 'getSession']);
/** Methods of an `auth` object that authenticate, Clerk's throwing `auth.protect()` included. */
const AUTH_MEMBERS = new Set([...AUTH_ANSWER_MEMBERS, 'protect']);

/**
 * The names effects.ts takes for an `auth` effect, for every rule, from the callee alone. Four
 * names of the lists above are left out because the callee alone says too little: `getUser` reads
 * some user unless called without arguments, `getClaims` and `jwtVerify` read any token's claims,
 * and `withAuth` is a wrapper when it is handed a function. The auth analysis, which also reads the
 * call's arguments and how its answer is used, takes them; effects.ts never did, and taking them
 * there would change what every rule sees (a helper that calls `jwtVerify` would become an
 * authentication function to its callers).
 */
const NAMES_READ_IN_CONTEXT = new Set(['getUser', 'getClaims', 'jwtVerify', 'withAuth']);
const LIBRARY_AUTH_NAMES = new Set([...CHECK_NAMES, ...CONTRACT_NAMES].filter(name => !NAMES_READ_IN_CONTEXT.has(name)));

/**
 * Calls that authenticate, by the libraries' own names, as effects.ts counts them: Auth.js
 * `auth()`/`getServerSession`, Clerk `auth()`/`currentUser()`/`auth.protect()`, Supabase
 * `….auth.getUser()`/`getClaims()`, Better Auth `auth.api.getSession`, Kinde, iron-session, Lucia
 * `validateRequest`, and the Data Access Layer names from the Next.js docs (`verifySession`,
 * `getUser()` without arguments).
 */
export function isBuiltinAuth(path: string, call: TSESTree.CallExpression): boolean {
  const last = lastSegment(path);
  const previous = previousSegment(path);
  if (LIBRARY_AUTH_NAMES.has(last)) return true;
  if (previous === 'auth' && AUTH_MEMBERS.has(last)) return true;
  return previous === undefined && last === 'getUser' && call.arguments.length === 0;
}

/**
 * Calls that authenticate by a library's name, as the auth analysis counts them on a callee path
 * with aliased imports put back (`auth.protect` for `clerkAuth.protect`). Unlike `isBuiltinAuth`,
 * a member of `auth` or `auth()` is one only when it is an authentication method (so
 * `auth.requireUser` is not), every plain user getter counts without arguments (`fetchUser()`), and
 * the four names effects.ts leaves out count.
 */
export function isBuiltinAuthName(path: string, call: TSESTree.CallExpression): boolean {
  const last = lastSegment(path);
  const previous = previousSegment(path);
  if (previous !== undefined && /^auth(?:\(\))?$/.test(previous)) return AUTH_MEMBERS.has(last);
  if (PLAIN_USER_GETTER.test(last)) return previous === undefined && call.arguments.length === 0;
  return CHECK_NAMES.has(last) || CONTRACT_NAMES.has(last);
}

// ---------------------------------------------------------------------------------------------
// The project's own functions, by how they are named

const CONTRACT_SUBJECT = '(?:Auth|User|Session|Admin|Role|Permission|Login|LoggedIn|SignedIn|Owner|Member|Access|Org|Team|Staff|Viewer|Can|Scope|Authenticated|Authorized)';
/** `requireAdmin`, `assertCanEdit`, `ensureSignedIn`, `protectRoute`, `getUserOrThrow`, `authorize`. */
const CONTRACT_PATTERN = new RegExp(
  `^(?:(?:require|ensure|assert|enforce|protect|guard)(?:Is|Has)?${CONTRACT_SUBJECT}\\w*|\\w*(?:User|Session|Auth|Viewer|Member)Or(?:Throw|Redirect|Fail)|authori[sz]e)$`,
);
/** An assertion by its verb: a guard when it is handed a user or session and its value is dropped (`checkPermission(user, …);`). */
export const ASSERTION_VERB = /^(?:assert|require|ensure|enforce|guard|authori[sz]e|check|verify|validate)/;
/** `getAuthUser`, `getCurrentSession`, `fetchViewer`, `getLoggedInUser`, `getUserSession`, `getMe`. */
export const CHECK_PATTERN =
  /^(?:get|fetch|load|read)(?:Current|Auth|Authenticated|Authed|LoggedIn|SignedIn|Server|Active|Verified)*(?:User|Session|Viewer|Auth|Claims|Identity|Principal|Me)(?:Session|User|Id|Info|Data)?$/;
/** Yes/no questions about the caller: `isAuthenticated()`, `isAdmin()`, `checkIsAdmin()`, `isUserLoggedIn()`. */
export const AUTH_PREDICATE = /^(?:is|has|check|verify|get)(?:Is)?(?:User|Current)?(?:Authenticated|Authed|LoggedIn|SignedIn|Admin|SuperAdmin|Authorized|Staff)$/;
/** `getUser(id)` reads some user; only without arguments is it the caller. */
export const PLAIN_USER_GETTER = /^(?:get|fetch|load|read)User$/;
export const REDIRECT_TO_SIGN_IN = /^redirectTo(?:SignIn|SignUp|Login)$/;
/** Tables of sessions: a row looked up there answers like `auth()`. */
export const SESSION_TABLE = /^(?:user_?)?sessions?$/i;

/**
 * Functions that find out who is calling, by their name, for effects.ts: their own writes renew the
 * session, not the caller's data (`getCurrentSession`, `validateSessionToken`, `requireUser`,
 * `getAuthUser`, `auth`, `refreshSession`). Apart from `CHECK_PATTERN` and `CONTRACT_PATTERN`,
 * which sort names into checks and contracts: this one does not care which, and takes session
 * renewals, which guard nothing.
 */
export const SESSION_FUNCTION =
  /^(?:auth|validateRequest|(?:get|fetch|load|read|validate|verify|check|require|ensure|assert)(?:Current|Auth|Authenticated|Authed|LoggedIn|SignedIn|Server|Active|Verified|Valid)*(?:Session|User|Viewer|Auth|Claims|Identity|Principal|Me)(?:Session|Token|User|Id|Info|Data|OrThrow|OrRedirect|FromCookies?|FromRequest|FromToken)?|(?:refresh|renew|extend|touch)\w*Session\w*)$/;

/**
 * Words of a read's name that say it reads who is asking, not app data, for name-evidence.ts:
 * `getSession`, `getToken`, `getViewer`, `getJWTClaims`.
 */
export const AUTH_WORDS = new Set(['Auth', 'Authenticated', 'Claims', 'Csrf', 'CSRF', 'Identity', 'Jwt', 'JWT', 'Me', 'Principal', 'Session', 'Token', 'Viewer']);
export const SIGNED_IN_USER = /(?:Current|LoggedIn|SignedIn)User$/;

/**
 * Webhook signature checks, which throw for a forged request: Stripe `stripe.webhooks.constructEvent`,
 * svix `wh.verify(…)`. Processors behind them are called by the provider, not by a signed-in user.
 */
export const WEBHOOK_CONTRACT = /^constructEvent(?:Async)?$/;
export const WEBHOOK_RECEIVER = /^(?:wh|webhook|webhooks|svix|Webhook)$/i;
/** Signature checks that answer yes or no: `verifySignature(…)`, `verifyWebhook(…)`, `isValidSignature(…)`. */
export const SIGNATURE_CHECK = /^(?:verify|validate|check|isValid)(?:Webhook)?(?:Signature|Webhook|Hmac)\w*$/;

/** Middleware handed to `.use(…)` of an action client, by name: `authMiddleware`, `requireSession`. */
export const AUTH_MIDDLEWARE = /auth|session|protect|signedin|loggedin|requireuser/i;

/**
 * Names of Server Actions that take part in signing in, so that a signed-out caller is the point:
 * `signIn`, `signUpAction`, `handleLogin`, `register`, `forgotPassword`, `verifyEmail`, `sendMagicLink`.
 */
const AUTH_FLOW_ACTION =
  /^(?:sign(?:in|up|out)|log(?:in|out)|register|authenticate|forgotpassword|resetpassword|requestpasswordreset|sendpasswordreset(?:email|link)?|verify(?:email|otp|code)|sendmagiclink|magiclink)(?:with\w+|user|account|email)?$/;

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

/**
 * Whether a callee path names an authentication call, by name alone: how the definitions of
 * clients and wrappers in other modules are read, without scopes.
 */
export function isAuthCalleeName(path: string, call: TSESTree.CallExpression, configured: (path: string) => boolean): boolean {
  const last = lastSegment(path);
  if (configured(path) || isContractName(path) || CONTRACT_NAMES.has(last)) return true;
  if (PLAIN_USER_GETTER.test(last)) return call.arguments.length === 0;
  if (CHECK_NAMES.has(last) || CHECK_PATTERN.test(last) || AUTH_PREDICATE.test(last)) return true;
  return previousSegment(path) === 'auth' && AUTH_ANSWER_MEMBERS.has(last);
}
