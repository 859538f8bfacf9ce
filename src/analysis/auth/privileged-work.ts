import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { memberName } from '../../utils/ast.js';
import { type Effect, isMutatingHttp } from '../effects.js';
import { classifyPrivilegedCall } from '../privileged-calls.js';
import type { FunctionNode } from '../server-actions.js';
import { SESSION_TABLE } from './names.js';
import { someNode, variableOf } from './syntax.js';

/*
 * Which work needs a signed-in caller at all: what an action may do for anyone (render public
 * content, serve callers throttled by their IP address) is not held against it.
 */

/**
 * Tables and models of what public pages render: a catalogue, posts and stories, their categories
 * and reviews. Anything else may belong to someone, so a read of it stays privileged.
 */
const PUBLIC_SUBJECT =
  /^(?:products?|product_?variants?|variants?|categor(?:y|ies)|subcategor(?:y|ies)|collections?|brands?|posts?|articles?|stor(?:y|ies)|blogs?|blog_?posts?|pages?|tags?|reviews?|faqs?|listings?|events?|courses?|lessons?|recipes?|episodes?|videos?|books?|authors?|changelogs?|releases?|jobs?|locations?)$/i;
/** Filters that tie a read to a user or a tenant: `where: { userId }`, `eq(t.teamId, id)`. */
const OWNER_KEY = /^(?:user|owner|team|org|organization|tenant|workspace|customer|account|member)_?id$|^email$/i;
/** A rate limiter: `ratelimit(…).limit(key)`, `rateLimit(key)`, `limiter.check(key)`. */
const RATE_LIMIT = /rate_?limit|limiter/i;
/** Names of the caller's IP address. */
const CALLER_IP = /^(?:ip|ipAddress|clientIp|getIP|getIp|getClientIp|x-forwarded-for|x-real-ip)$|\bgetI[Pp]\(|x-forwarded-for|x-real-ip/;

/**
 * Work that needs a signed-in caller: a write, a mutating HTTP request, or a read when the
 * function hands read data back (a read that only feeds a condition shows the caller nothing).
 */
function isPrivilegedEffect(found: Effect, returnsReadData: boolean): boolean {
  if (found.kind === 'mutation') return true;
  // Looking a session up is the authentication check, not the data it protects.
  if (found.kind === 'read') return returnsReadData && (found.subject === undefined || !SESSION_TABLE.test(found.subject));
  return isMutatingHttp(found);
}

/** A read of what public pages render: a table that belongs to nobody, not filtered by an owner. */
function isPublicContentRead(sourceCode: TSESLint.SourceCode, found: Effect): boolean {
  if (found.kind !== 'read' || found.subject === undefined || !PUBLIC_SUBJECT.test(found.subject.replace(/^.*\./, ''))) return false;
  return !someNode(found.origin, sourceCode.visitorKeys, inner => {
    if (inner.type === AST_NODE_TYPES.Property && !inner.computed && inner.key.type === AST_NODE_TYPES.Identifier) return OWNER_KEY.test(inner.key.name);
    if (inner.type === AST_NODE_TYPES.MemberExpression) return OWNER_KEY.test(memberName(inner) ?? '');
    return inner.type === AST_NODE_TYPES.Literal && typeof inner.value === 'string' && OWNER_KEY.test(inner.value);
  });
}

/** The effect as privileged work, named for the message, or undefined when it is not. */
export function privilegedWork(sourceCode: TSESLint.SourceCode, found: Effect, returnsReadData: boolean): Effect | undefined {
  if (found.kind === 'unknownCall') {
    const packaged = classifyPrivilegedCall(found.origin);
    return packaged && { ...found, label: packaged.label };
  }
  if (!isPrivilegedEffect(found, returnsReadData) || isPublicContentRead(sourceCode, found)) return undefined;
  return found;
}

/**
 * Whether `fn` throttles its callers by their IP address (`ratelimit(…).limit(\`apply:${ip}\`)`):
 * an action written for anonymous callers, public on purpose.
 */
export function isRateLimitedByIp(sourceCode: TSESLint.SourceCode, fn: FunctionNode): boolean {
  const { visitorKeys } = sourceCode;
  /** A variable holding the caller's IP: `const ip = await getIP()`, `const ipAddress = headers().get('x-forwarded-for')`. */
  const ipVariable = (identifier: TSESTree.Identifier): boolean => {
    const definition = variableOf(sourceCode, identifier)?.defs[0];
    return definition?.type === 'Variable' && definition.node.init !== null && CALLER_IP.test(sourceCode.getText(definition.node.init));
  };
  return someNode(fn.body, visitorKeys, node => {
    if (node.type !== AST_NODE_TYPES.CallExpression) return false;
    if (!RATE_LIMIT.test(sourceCode.getText(node.callee))) return false;
    return node.arguments.some(argument => someNode(argument, visitorKeys, inner => {
      if (inner.type === AST_NODE_TYPES.Identifier) return CALLER_IP.test(inner.name) || ipVariable(inner);
      return inner.type === AST_NODE_TYPES.Literal && typeof inner.value === 'string' && /^x-(?:forwarded-for|real-ip)$/i.test(inner.value);
    }));
  });
}
