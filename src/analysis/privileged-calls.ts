import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { memberName, skipAwait, skipTypeWrappers } from '../utils/ast.js';
import { importedName } from '../utils/imports.js';

/*
 * Package calls that do privileged work on someone's behalf, beside the data-layer catalogue:
 * deleting files in a storage service, reading or changing payment-provider records of a customer,
 * sending email to an address the code was handed, and paid AI generation. An action that runs one
 * of them for an anonymous caller spends the app's money or reaches another user's records, even
 * though no database row changes.
 *
 * Calls are recognised by the shape of the call and, for bare functions (`del`, `generateText`),
 * by the package they are imported from. The import is read from the module's own statements,
 * so that a call found in an imported helper is judged in its module, without a rule context.
 * Reads of public catalogue data (`stripe.prices.list`, `stripe.products.retrieve`) and the
 * creation of a checkout session (a guest checkout) are not privileged, and neither is email to a
 * fixed address (a contact form that mails the site owner).
 */

export type PrivilegedCallKind = 'storage' | 'payment' | 'email' | 'ai';

export interface PrivilegedCall {
  kind: PrivilegedCallKind;
  /** How the call reads in a message: `utapi.deleteFiles`, `stripe.customers.retrieve`, `generateText`. */
  label: string;
}

/** Stripe resources that belong to one customer; prices, products and checkout sessions do not. */
const STRIPE_CUSTOMER_RESOURCES = new Set([
  'customers', 'subscriptions', 'subscriptionItems', 'invoices', 'paymentMethods', 'paymentIntents', 'setupIntents', 'charges',
  'refunds', 'accounts', 'accountLinks', 'transfers', 'payouts',
]);
const STRIPE_RECEIVER = /^stripe$|Stripe$/i;

/** Storage deletions by receiver shape: UploadThing `utapi.deleteFiles`, Cloudinary `uploader.destroy`, Firebase `bucket.file(…).delete()`. */
const STORAGE_METHODS: ReadonlyArray<{ receiver: RegExp; method: RegExp }> = [
  { receiver: /^(?:utapi|utApi|uploadthing|UTApi)$/i, method: /^(?:deleteFiles|renameFiles)$/ },
  { receiver: /^uploader$/, method: /^(?:destroy|rename)$/ },
  { receiver: /^api$/, method: /^(?:delete_resources|delete_resources_by_prefix|delete_all_resources)$/ },
  { receiver: /^(?:storage|bucket)$/i, method: /^(?:remove|deleteFiles)$/ },
];
/** AWS SDK v3 commands handed to `client.send(…)` that delete objects. */
const DELETE_COMMAND = /^Delete(?:Object|Objects|Bucket)Command$/;

/** Bare functions of storage, email and AI packages, by the package they come from. */
const PACKAGE_FUNCTIONS: ReadonlyArray<{ source: RegExp; names: ReadonlySet<string>; kind: PrivilegedCallKind }> = [
  { source: /^@vercel\/blob$/, names: new Set(['del', 'copy', 'put']), kind: 'storage' },
  { source: /^ai$/, names: new Set(['generateText', 'streamText', 'generateObject', 'streamObject', 'generateImage', 'experimental_generateImage', 'embed', 'embedMany']), kind: 'ai' },
];

/** Email senders: Resend `resend.emails.send`, SendGrid `sgMail.send`, Nodemailer `transporter.sendMail`, Postmark. */
const EMAIL_METHODS: ReadonlyArray<{ receiver: RegExp; method: RegExp }> = [
  { receiver: /^emails$/, method: /^send$/ },
  { receiver: /^batch$/, method: /^send$/ },
  { receiver: /^(?:sgMail|sendgrid|mail)$/i, method: /^(?:send|sendMultiple)$/ },
  { receiver: /transport|mailer/i, method: /^sendMail$/ },
  { receiver: /postmark|client/i, method: /^(?:sendEmail|sendEmailWithTemplate)$/ },
];
/** Paid model calls by shape: OpenAI `openai.chat.completions.create`, Anthropic `anthropic.messages.create`. */
const AI_METHODS: ReadonlyArray<{ path: RegExp }> = [
  { path: /(?:^|\.)(?:openai|client|ai)\.(?:chat\.completions|completions|responses|images|embeddings)\.(?:create|generate)$/i },
  { path: /(?:^|\.)(?:anthropic|claude|client)\.messages\.(?:create|stream)$/i },
];

/** The dotted path of a callee: `stripe.customers.retrieve`, `client.send`. */
function path(node: TSESTree.Node): string | undefined {
  const target = skipTypeWrappers(node);
  if (target.type === AST_NODE_TYPES.Identifier) return target.name;
  if (target.type === AST_NODE_TYPES.ThisExpression) return 'this';
  if (target.type === AST_NODE_TYPES.CallExpression) return path(target.callee);
  if (target.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const object = path(target.object);
  const name = memberName(target);
  return object === undefined || name === undefined ? undefined : `${object}.${name}`;
}

function programOf(node: TSESTree.Node): TSESTree.Program | undefined {
  let current: TSESTree.Node | undefined = node;
  while (current && current.type !== AST_NODE_TYPES.Program) current = current.parent;
  return current;
}

/** The package a module-level name is imported from, and the name it has there. */
function importOf(node: TSESTree.Node, local: string): { source: string; imported: string } | undefined {
  const program = programOf(node);
  if (!program) return undefined;
  for (const statement of program.body) {
    if (statement.type !== AST_NODE_TYPES.ImportDeclaration || statement.importKind === 'type') continue;
    for (const specifier of statement.specifiers) {
      if (specifier.local.name !== local) continue;
      const imported =
        specifier.type === AST_NODE_TYPES.ImportSpecifier
          ? importedName(specifier)
          : 'default';
      return { source: statement.source.value, imported };
    }
  }
  return undefined;
}

function objectArgument(call: TSESTree.CallExpression): TSESTree.ObjectExpression | undefined {
  const first = call.arguments[0];
  const target = first && first.type !== AST_NODE_TYPES.SpreadElement ? skipAwait(first) : undefined;
  return target?.type === AST_NODE_TYPES.ObjectExpression ? target : undefined;
}

/** A fixed address: a string, or a value of `process.env`. */
function isFixedValue(node: TSESTree.Node): boolean {
  const target = skipTypeWrappers(node);
  switch (target.type) {
    case AST_NODE_TYPES.Literal:
      return true;
    case AST_NODE_TYPES.TemplateLiteral:
      return target.expressions.every(isFixedValue);
    case AST_NODE_TYPES.ArrayExpression:
      return target.elements.every(element => element !== null && element.type !== AST_NODE_TYPES.SpreadElement && isFixedValue(element));
    case AST_NODE_TYPES.LogicalExpression:
      return isFixedValue(target.left) && isFixedValue(target.right);
    case AST_NODE_TYPES.MemberExpression:
      return path(target.object) === 'process.env' || path(target)?.startsWith('process.env.') === true;
    default:
      return false;
  }
}

/** Email to a fixed recipient (a contact form mailing the owner) spends nothing on someone else's behalf. */
function sendsToFixedAddress(call: TSESTree.CallExpression): boolean {
  const options = objectArgument(call);
  if (!options) return false;
  const to = options.properties.find(
    (property): property is TSESTree.Property =>
      property.type === AST_NODE_TYPES.Property && !property.computed && property.key.type === AST_NODE_TYPES.Identifier && property.key.name === 'to',
  );
  return to !== undefined && isFixedValue(to.value);
}

function matchesMethod(callPath: string, table: ReadonlyArray<{ receiver: RegExp; method: RegExp }>): boolean {
  const segments = callPath.split('.');
  const method = segments[segments.length - 1]!;
  const receiver = segments[segments.length - 2];
  return receiver !== undefined && table.some(entry => entry.receiver.test(receiver) && entry.method.test(method));
}

/**
 * Whether a call is privileged work in a package's catalogue: what it does and how to name it.
 * Works on nodes of any parsed module (it reads imports from the module's statements).
 */
export function classifyPrivilegedCall(node: TSESTree.Node): PrivilegedCall | undefined {
  const call = skipAwait(node);
  if (call.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const callPath = path(call.callee);
  if (callPath === undefined) return undefined;
  const segments = callPath.split('.');
  const method = segments[segments.length - 1]!;

  // Stripe: `stripe.customers.retrieve(id)`, `stripe.subscriptions.update(id, …)`, `stripe.billingPortal.sessions.create(…)`.
  if (segments.length >= 3 && STRIPE_RECEIVER.test(segments[0]!)) {
    const resource = segments[segments.length - 2]!;
    if (STRIPE_CUSTOMER_RESOURCES.has(resource)) return { kind: 'payment', label: callPath };
    if (resource === 'sessions' && segments[segments.length - 3] === 'billingPortal') return { kind: 'payment', label: callPath };
  }

  if (matchesMethod(callPath, STORAGE_METHODS)) return { kind: 'storage', label: callPath };
  // Supabase Storage: `supabase.storage.from('avatars').remove([path])`.
  if (method === 'remove' && callPath.includes('storage.from.')) return { kind: 'storage', label: callPath };
  // `s3.send(new DeleteObjectCommand({ Bucket, Key }))`
  if (method === 'send') {
    const command = call.arguments[0];
    if (command?.type === AST_NODE_TYPES.NewExpression && command.callee.type === AST_NODE_TYPES.Identifier && DELETE_COMMAND.test(command.callee.name)) {
      return { kind: 'storage', label: `${callPath}(new ${command.callee.name}(…))` };
    }
  }

  if (matchesMethod(callPath, EMAIL_METHODS) && !sendsToFixedAddress(call)) return { kind: 'email', label: callPath };

  if (AI_METHODS.some(entry => entry.path.test(callPath))) return { kind: 'ai', label: callPath };

  if (segments.length === 1) {
    const imported = importOf(call, callPath);
    if (imported) {
      for (const entry of PACKAGE_FUNCTIONS) {
        if (entry.source.test(imported.source) && entry.names.has(imported.imported)) return { kind: entry.kind, label: callPath };
      }
    }
  }
  return undefined;
}
