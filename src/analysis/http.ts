import path from 'node:path';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import type { FileFacts } from './file-kind.js';
import { skipAwait, walkNodes } from '../utils/ast.js';
import { type FunctionNode, isFunctionNode } from './server-actions.js';
import { definitionOf, type ImportedBinding, importOf } from './scope.js';

type SourceCode = Readonly<TSESLint.SourceCode>;

/** The webhook senders the catalogues below know by name. */
export type WebhookProvider =
  | 'clerk'
  | 'github'
  | 'lemonsqueezy'
  | 'paddle'
  | 'polar'
  | 'razorpay'
  | 'resend'
  | 'shopify'
  | 'slack'
  | 'stripe'
  | 'twilio';

/** How a provider is written in prose; its id is the route folder (`app/api/webhooks/<id>`). */
export const providerLabels: Readonly<Record<WebhookProvider, string>> = {
  clerk: 'Clerk',
  github: 'GitHub',
  lemonsqueezy: 'Lemon Squeezy',
  paddle: 'Paddle',
  polar: 'Polar',
  razorpay: 'Razorpay',
  resend: 'Resend',
  shopify: 'Shopify',
  slack: 'Slack',
  stripe: 'Stripe',
  twilio: 'Twilio',
};

const providerIds = Object.keys(providerLabels) as WebhookProvider[];

/** The non-computed property name of a member expression, or a string-literal computed one. */
export function propertyName(node: TSESTree.MemberExpression): string | undefined {
  if (!node.computed && node.property.type === AST_NODE_TYPES.Identifier) return node.property.name;
  if (node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string') return node.property.value;
  return undefined;
}

/** The text of a string literal or a template literal without expressions. */
export function staticString(node: TSESTree.Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
  if (node.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0) return node.quasis[0]!.value.cooked ?? undefined;
  return undefined;
}

/** A string literal, or a `const` initialised with one: `SIGNATURE_HEADER` for `'stripe-signature'`. */
export function constantString(sourceCode: SourceCode, node: TSESTree.Node | null | undefined): string | undefined {
  const direct = staticString(node);
  if (direct !== undefined || node?.type !== AST_NODE_TYPES.Identifier) return direct;
  const definition = definitionOf(sourceCode, node);
  if (definition?.type !== 'Variable' || definition.node.type !== AST_NODE_TYPES.VariableDeclarator) return undefined;
  const declaration = definition.parent;
  return declaration?.type === AST_NODE_TYPES.VariableDeclaration && declaration.kind === 'const' ? staticString(definition.node.init) : undefined;
}

/** True when `name` at `node` is the global of that name (not shadowed, not imported). */
export function isGlobalReference(sourceCode: SourceCode, node: TSESTree.Identifier): boolean {
  const variable = ASTUtils.findVariable(sourceCode.getScope(node), node);
  return !variable || variable.defs.length === 0;
}

/**
 * The imported export a callee names: `headers` for `headers()` or `nextHeaders.headers()` when
 * they come from `next/headers`, with the module it comes from.
 */
export function importedCallee(sourceCode: SourceCode, callee: TSESTree.Node): ImportedBinding | undefined {
  const target = skipAwait(callee);
  if (target.type === AST_NODE_TYPES.Identifier) return importOf(sourceCode, target);
  if (target.type === AST_NODE_TYPES.MemberExpression) {
    const object = skipAwait(target.object);
    const name = propertyName(target);
    if (object.type !== AST_NODE_TYPES.Identifier || name === undefined) return undefined;
    const binding = importOf(sourceCode, object);
    if (binding?.imported === '*') return { source: binding.source, imported: name };
    // `twilio.validateRequest(…)` on a default import: the member of the default export.
    if (binding?.imported === 'default') return { source: binding.source, imported: `default.${name}` };
  }
  return undefined;
}

/** The declarator a variable reference was initialised by, when it is a plain `const`/`let` binding. */
export function declaratorOf(sourceCode: SourceCode, identifier: TSESTree.Identifier): TSESTree.VariableDeclarator | undefined {
  const definition = definitionOf(sourceCode, identifier);
  return definition?.type === 'Variable' && definition.node.type === AST_NODE_TYPES.VariableDeclarator ? definition.node : undefined;
}

const HEADER_TYPES = new Set(['Headers', 'ReadonlyHeaders', 'IncomingHttpHeaders']);
const REQUEST_NAME = /^(?:req|request|.*Request)$/;
const RESPONSE_NAME = /^(?:res|response|.*Response)$/;
const REQUEST_TYPES = new Set(['Request', 'NextRequest', 'NextApiRequest', 'IncomingMessage']);

/** Whether a type name is an HTTP request type: `Request`, `NextRequest`, `NextApiRequest`, `IncomingMessage`. */
export function isRequestType(name: string): boolean {
  return REQUEST_TYPES.has(name);
}

function isNextHeadersCall(sourceCode: SourceCode, node: TSESTree.Node): boolean {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const binding = importedCallee(sourceCode, node.callee);
  return binding?.source === 'next/headers' && binding.imported === 'headers';
}

function typeName(annotation: TSESTree.TypeNode | undefined): string | undefined {
  if (annotation?.type !== AST_NODE_TYPES.TSTypeReference) return undefined;
  const name = annotation.typeName;
  if (name.type === AST_NODE_TYPES.Identifier) return name.name;
  if (name.type === AST_NODE_TYPES.TSQualifiedName) return name.right.name;
  return undefined;
}

/** The type annotation written on a parameter (`req: Request`, `req: Request = …`). */
export function parameterTypeName(parameter: TSESTree.Parameter): string | undefined {
  const target = parameter.type === AST_NODE_TYPES.AssignmentPattern ? parameter.left : parameter;
  if (target.type === AST_NODE_TYPES.Identifier || target.type === AST_NODE_TYPES.ObjectPattern) {
    return typeName(target.typeAnnotation?.typeAnnotation);
  }
  return undefined;
}

/** The parameter a parameter definition declares (the whole `h: Headers`, not just its name). */
function parameterNode(definition: TSESLint.Scope.Definition): TSESTree.Parameter | undefined {
  if (definition.type !== 'Parameter' || !isFunctionNode(definition.node as TSESTree.Node)) return undefined;
  const fn = definition.node as FunctionNode;
  const declared = definition.name;
  return fn.params.find(param => param.range[0] <= declared.range[0] && declared.range[1] <= param.range[1]);
}

/**
 * Whether a parameter can hold an incoming request: typed as one, or untyped in a function that is
 * not a callback. Callbacks get outgoing `fetch` responses (`fetch(url).then(r => r.headers)`).
 */
function isRequestParameter(definition: TSESLint.Scope.Definition): boolean {
  const parameter = parameterNode(definition);
  const type = parameter && parameterTypeName(parameter);
  if (type !== undefined) return isRequestType(type);
  const fn = definition.node as TSESTree.Node;
  return !(fn.parent?.type === AST_NODE_TYPES.CallExpression && fn.parent.arguments.includes(fn as TSESTree.CallExpressionArgument));
}

/** Whether a request-like value owns this `.headers`: a value named like a request, or a request parameter. */
function isIncomingRequest(sourceCode: SourceCode, node: TSESTree.Node): boolean {
  const target = skipAwait(node);
  if (target.type !== AST_NODE_TYPES.Identifier || RESPONSE_NAME.test(target.name)) return false;
  if (REQUEST_NAME.test(target.name)) return true;
  const definition = definitionOf(sourceCode, target);
  return definition?.type === 'Parameter' && isRequestParameter(definition);
}

/**
 * Whether an expression is a request's headers: `headers()` / `await headers()` from
 * `next/headers`, `request.headers` of a parameter, or a variable or parameter holding one.
 */
export function isHeadersObject(sourceCode: SourceCode, node: TSESTree.Node, depth = 0): boolean {
  const target = skipAwait(node);
  if (isNextHeadersCall(sourceCode, target)) return true;
  if (target.type === AST_NODE_TYPES.MemberExpression) {
    return propertyName(target) === 'headers' && isIncomingRequest(sourceCode, target.object);
  }
  if (target.type !== AST_NODE_TYPES.Identifier || depth > 3) return false;
  const definition = definitionOf(sourceCode, target);
  if (!definition) return false;
  if (definition.type === 'Parameter') {
    const parameter = parameterNode(definition);
    if (parameter && parameter.type === AST_NODE_TYPES.Identifier) {
      const type = parameterTypeName(parameter);
      return type === undefined ? /headers$/i.test(target.name) : HEADER_TYPES.has(type);
    }
    // `({ headers }: Request) => …`
    return target.name === 'headers' && isRequestParameter(definition);
  }
  if (definition.type !== 'Variable' || definition.node.type !== AST_NODE_TYPES.VariableDeclarator) return false;
  const declarator = definition.node;
  if (!declarator.init) return false;
  if (declarator.id.type === AST_NODE_TYPES.Identifier) return isHeadersObject(sourceCode, declarator.init, depth + 1);
  // `const { headers } = request`
  return declarator.id.type === AST_NODE_TYPES.ObjectPattern && target.name === 'headers' && isIncomingRequest(sourceCode, declarator.init);
}

/**
 * The lower-cased name of the request header a node reads, for `h.get('x')` on a headers object
 * (see isHeadersObject) and `req.headers['x']`. Undefined for anything else or a dynamic name.
 */
export function headerRead(sourceCode: SourceCode, node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.CallExpression) {
    const callee = skipAwait(node.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || propertyName(callee) !== 'get') return undefined;
    const name = constantString(sourceCode, node.arguments[0]);
    return name !== undefined && isHeadersObject(sourceCode, callee.object) ? name.toLowerCase() : undefined;
  }
  if (node.type === AST_NODE_TYPES.MemberExpression && node.computed) {
    const name = constantString(sourceCode, node.property);
    const object = skipAwait(node.object);
    const ownsHeaders = object.type === AST_NODE_TYPES.MemberExpression && isHeadersObject(sourceCode, object);
    return name !== undefined && ownsHeaders ? name.toLowerCase() : undefined;
  }
  return undefined;
}

/** Headers only a webhook delivery carries, by the provider that sends them. */
const webhookHeaders: ReadonlyMap<string, WebhookProvider | undefined> = new Map<string, WebhookProvider | undefined>([
  ['stripe-signature', 'stripe'],
  ['svix-id', undefined],
  ['svix-timestamp', undefined],
  ['svix-signature', undefined],
  ['webhook-id', undefined],
  ['webhook-timestamp', undefined],
  ['webhook-signature', undefined],
  ['x-hub-signature', 'github'],
  ['x-hub-signature-256', 'github'],
  ['x-github-event', 'github'],
  ['x-github-delivery', 'github'],
  ['x-github-hook-id', 'github'],
  ['x-signature', undefined],
  ['x-event-name', 'lemonsqueezy'],
  ['x-shopify-hmac-sha256', 'shopify'],
  ['x-shopify-topic', 'shopify'],
  ['x-shopify-webhook-id', 'shopify'],
  ['x-slack-signature', 'slack'],
  ['x-slack-request-timestamp', 'slack'],
  ['x-twilio-signature', 'twilio'],
  ['paddle-signature', 'paddle'],
  ['x-razorpay-signature', 'razorpay'],
]);

// `x-vercel-signature`, `linear-signature`, `x-signature-ed25519`: a signature segment in a
// dashed name. A bare `signature` is left out: signed links carry it in the query string.
const SIGNATURE_HEADER = /^(?:[a-z0-9]+-)+(?:signature|hmac)(?:-[a-z0-9]+)*$|^(?:signature|hmac)-[a-z0-9-]+$/;

export interface WebhookHeader {
  /** The provider that sends this header, when only one does. */
  provider: WebhookProvider | undefined;
}

/** Whether a (lower-cased) header name is one only webhook deliveries carry, and whose. */
export function webhookHeader(name: string): WebhookHeader | undefined {
  if (webhookHeaders.has(name)) return { provider: webhookHeaders.get(name) };
  return SIGNATURE_HEADER.test(name) ? { provider: undefined } : undefined;
}

const MACHINE_AUTH_HEADER = /^(?:authorization|x-api-key|api-key|apikey|x-api-token|x-auth-token|x-access-token|x-cron-secret|x-[a-z0-9-]*-secret|x-secret)$/;

/** Whether a (lower-cased) header name carries a credential that machines send: API keys, bearer tokens. */
export function isMachineAuthHeader(name: string): boolean {
  return MACHINE_AUTH_HEADER.test(name);
}

interface EventPattern {
  pattern: RegExp;
  provider: WebhookProvider | undefined;
  /** One name of this kind identifies a webhook; generic names need a second one beside them. */
  distinctive: boolean;
}

const eventPatterns: readonly EventPattern[] = [
  {
    pattern: /^(?:checkout\.session|customer\.subscription|payment_intent|setup_intent|subscription_schedule|charge\.dispute|invoice|billing_portal\.(?:session|configuration))\.[a-z_.]+$/,
    provider: 'stripe',
    distinctive: true,
  },
  { pattern: /^(?:customer|product|price|charge|payment_method|payout|refund)\.[a-z_.]+$/, provider: undefined, distinctive: false },
  {
    pattern: /^(?:user|session|organization|organizationMembership|organizationInvitation|organizationDomain|waitlistEntry|role|permission)\.[a-zA-Z_]+$/,
    provider: 'clerk',
    distinctive: false,
  },
  { pattern: /^email\.(?:sent|delivered|delivery_delayed|bounced|opened|clicked|complained|failed|scheduled)$/, provider: 'resend', distinctive: false },
  { pattern: /^(?:subscription_payment_[a-z_]+|license_key_[a-z_]+|affiliate_activated)$/, provider: 'lemonsqueezy', distinctive: true },
  { pattern: /^(?:order_(?:created|refunded)|subscription_(?:created|updated|cancelled|resumed|expired|paused|unpaused|plan_changed))$/, provider: 'lemonsqueezy', distinctive: false },
  { pattern: /^transaction\.[a-z_]+$/, provider: 'paddle', distinctive: false },
  { pattern: /^(?:payment\.(?:captured|authorized|failed)|order\.paid|subscription\.charged|payment_link\.paid)$/, provider: 'razorpay', distinctive: false },
  { pattern: /^(?:subscription|order|checkout)\.[a-z_]+$/, provider: undefined, distinctive: false },
  { pattern: /^(?:customer\.state_changed|benefit_grant\.[a-z_]+)$/, provider: 'polar', distinctive: true },
  {
    pattern: /^(?:orders|products|customers|app|shop|carts|checkouts|fulfillments|refunds|inventory_items|collections|app_subscriptions)\/[a-z_]+$/,
    provider: 'shopify',
    distinctive: true,
  },
  { pattern: /^(?:url_verification|event_callback|block_actions|view_submission)$/, provider: 'slack', distinctive: true },
];

export interface WebhookEvent {
  provider: WebhookProvider | undefined;
  /** True for names no app uses for its own events (`checkout.session.completed`). */
  distinctive: boolean;
}

/** Whether a string is the name of an event a webhook provider sends, and how telling it is. */
export function webhookEvent(name: string): WebhookEvent | undefined {
  const found = eventPatterns.find(entry => entry.pattern.test(name));
  return found && { provider: found.provider, distinctive: found.distinctive };
}

export interface WebhookVerification {
  provider: WebhookProvider | undefined;
  /** How the call reads in a message: `stripe.webhooks.constructEvent`, `verifyWebhook`. */
  callee: string;
}

/** Named verification functions, by module: only receivers of a webhook call them. */
const verifierImports: readonly { source: RegExp; names: ReadonlySet<string>; provider: WebhookProvider | undefined }[] = [
  { source: /^@clerk\//, names: new Set(['verifyWebhook']), provider: 'clerk' },
  { source: /^@octokit\/webhooks(?:-methods)?$/, names: new Set(['verify', 'verifyWithFallback']), provider: 'github' },
  { source: /^twilio(?:\/|$)/, names: new Set(['validateRequest', 'validateRequestWithBody', 'default.validateRequest', 'default.validateRequestWithBody']), provider: 'twilio' },
  { source: /^razorpay(?:\/|$)/, names: new Set(['validateWebhookSignature', 'default.validateWebhookSignature']), provider: 'razorpay' },
  { source: /^@slack\//, names: new Set(['verifySlackRequest', 'isValidSlackRequest']), provider: 'slack' },
  { source: /^@polar-sh\/sdk\/webhooks$/, names: new Set(['validateEvent']), provider: 'polar' },
];

/** Classes whose instances verify incoming deliveries; they can also sign, which does not count. */
const verifierClasses: readonly { source: RegExp; names: ReadonlySet<string>; methods: ReadonlySet<string>; provider: WebhookProvider | undefined }[] = [
  { source: /^(?:svix|standardwebhooks|standard-webhooks)$/, names: new Set(['Webhook']), methods: new Set(['verify']), provider: undefined },
  { source: /^@octokit\/webhooks$/, names: new Set(['Webhooks']), methods: new Set(['verify', 'verifyAndReceive', 'receive']), provider: 'github' },
];

/**
 * `<sdk>.webhooks.<method>` calls that only make sense on an incoming delivery. `validate` is
 * Shopify's only when the SDK object says so: elsewhere it may check a webhook's configuration.
 */
const sdkWebhookMethods: ReadonlyMap<string, WebhookProvider | undefined> = new Map<string, WebhookProvider | undefined>([
  ['unmarshal', 'paddle'],
  ['isSignatureValid', 'paddle'],
  ['verify', undefined],
  ['verifySignature', undefined],
]);

function calleeText(sourceCode: SourceCode, callee: TSESTree.Node): string {
  if (callee.type === AST_NODE_TYPES.MemberExpression) {
    const object = skipAwait(callee.object);
    // `new Webhook(secret).verify` reads as `new Webhook(…).verify`.
    if (object.type === AST_NODE_TYPES.NewExpression && object.callee.type === AST_NODE_TYPES.Identifier) {
      return `new ${object.callee.name}(…).${propertyName(callee) ?? ''}`;
    }
  }
  const text = sourceCode.getText(callee).replace(/\s+/g, '');
  return text.length <= 48 ? text : (callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee)) || text.slice(0, 48);
}

function verifierClassOf(sourceCode: SourceCode, node: TSESTree.Node, depth = 0): (typeof verifierClasses)[number] | undefined {
  const target = skipAwait(node);
  if (target.type === AST_NODE_TYPES.NewExpression && target.callee.type === AST_NODE_TYPES.Identifier) {
    const binding = importOf(sourceCode, target.callee);
    return binding && verifierClasses.find(entry => entry.source.test(binding.source) && entry.names.has(binding.imported));
  }
  if (target.type === AST_NODE_TYPES.Identifier && depth < 3) {
    const declarator = declaratorOf(sourceCode, target);
    if (declarator?.init && declarator.id.type === AST_NODE_TYPES.Identifier) return verifierClassOf(sourceCode, declarator.init, depth + 1);
  }
  return undefined;
}

/** The root identifier of a member chain: `stripe` in `stripe.webhooks.constructEvent`. */
function rootName(node: TSESTree.Node): string | undefined {
  let current = skipAwait(node);
  while (current.type === AST_NODE_TYPES.MemberExpression || current.type === AST_NODE_TYPES.CallExpression) {
    current = skipAwait(current.type === AST_NODE_TYPES.MemberExpression ? current.object : current.callee);
  }
  return current.type === AST_NODE_TYPES.Identifier ? current.name : undefined;
}

/**
 * Whether a call verifies an incoming webhook delivery: Stripe `constructEvent(Async)`, svix /
 * standard-webhooks `new Webhook(secret).verify`, Clerk `verifyWebhook`, Octokit `verify`,
 * Paddle `webhooks.unmarshal`, Shopify `webhooks.validate`, Twilio `validateRequest`, Razorpay
 * `validateWebhookSignature`, Slack `verifySlackRequest`, Polar `validateEvent`. Calls that
 * sign outgoing deliveries (`wh.sign`, `generateTestHeaderString`) are not verification.
 */
export function webhookVerification(sourceCode: SourceCode, call: TSESTree.CallExpression): WebhookVerification | undefined {
  const callee = skipAwait(call.callee);
  const binding = importedCallee(sourceCode, callee);
  if (binding) {
    const entry = verifierImports.find(item => item.source.test(binding.source) && item.names.has(binding.imported));
    if (entry) return { provider: entry.provider, callee: calleeText(sourceCode, callee) };
  }
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const method = propertyName(callee);
  if (method === undefined) return undefined;
  if (method === 'constructEvent' || method === 'constructEventAsync') {
    return { provider: 'stripe', callee: calleeText(sourceCode, callee) };
  }
  const object = skipAwait(callee.object);
  if (object.type === AST_NODE_TYPES.MemberExpression && propertyName(object) === 'webhooks') {
    const sdkProvider = providerFromName(rootName(object) ?? '');
    if (sdkWebhookMethods.has(method)) return { provider: sdkWebhookMethods.get(method) ?? sdkProvider, callee: calleeText(sourceCode, callee) };
    if (method === 'validate' && sdkProvider === 'shopify') return { provider: sdkProvider, callee: calleeText(sourceCode, callee) };
  }
  const verifier = verifierClassOf(sourceCode, object);
  if (verifier?.methods.has(method)) return { provider: verifier.provider, callee: calleeText(sourceCode, callee) };
  return undefined;
}

/** Whether a call computes or compares an HMAC: `createHmac`, `timingSafeEqual`, `crypto.subtle.verify`. */
export function isHmacCall(call: TSESTree.CallExpression): boolean {
  const callee = skipAwait(call.callee);
  const name =
    callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : undefined;
  if (name === 'createHmac' || name === 'timingSafeEqual') return true;
  if (name !== 'verify' || callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const object = skipAwait(callee.object);
  return object.type === AST_NODE_TYPES.MemberExpression && propertyName(object) === 'subtle';
}

/** The provider a name mentions: `handleStripeWebhook` → `stripe`, `lemonSqueezy` → `lemonsqueezy`. */
export function providerFromName(name: string): WebhookProvider | undefined {
  const lower = name.toLowerCase().replace(/[-_]/g, '');
  return providerIds.find(id => lower.includes(id));
}

const TS_FILE = /\.(?:[cm]?ts|tsx)$/;

/**
 * The Route Handler a webhook of this provider belongs in, relative to the project root:
 * `app/api/webhooks/stripe/route.ts`, `src/app/…` when the App Router lives there, and a
 * `<provider>` placeholder when the provider is unknown.
 */
export function webhookRoutePath(facts: FileFacts, provider: WebhookProvider | undefined): string {
  const { rootDir, appDir } = facts.layout;
  const relativeApp = appDir ? path.relative(rootDir, appDir).split(path.sep).join('/') : 'app';
  const base = relativeApp === '' || relativeApp.startsWith('..') ? 'app' : relativeApp;
  const extension = TS_FILE.test(facts.filename) ? 'ts' : 'js';
  return `${base}/api/webhooks/${provider ?? '<provider>'}/route.${extension}`;
}

/**
 * Calls `visit` for every node of a function's body in source order, nested functions included,
 * except the functions in `skip` (other actions, which are looked at on their own). The walk
 * starts below `fn`, so one set of every action of the file serves each of them.
 */
export function walkFunction(
  fn: FunctionNode,
  visitorKeys: SourceCode['visitorKeys'],
  skip: ReadonlySet<TSESTree.Node>,
  visit: (node: TSESTree.Node) => void,
): void {
  walkNodes(fn.body, visitorKeys, node => {
    if (skip.has(node)) return 'skip';
    visit(node);
    return undefined;
  });
}
