import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { getActionFacts } from '../analysis/action-facts.js';
import { getFileFacts, mayDefineServerActions } from '../analysis/file-kind.js';
import {
  declaratorOf,
  headerRead,
  isGlobalReference,
  isMachineAuthHeader,
  isRequestType,
  parameterTypeName,
  propertyName,
} from '../analysis/http.js';
import { actionReportLoc, actionSubject, type FunctionNode, getServerActions, isFunctionNode, type ServerAction } from '../analysis/server-actions.js';
import { createRule } from '../utils/create-rule.js';
import { skipAwait } from '../utils/ast.js';
import { importOf } from '../analysis/scope.js';

export type Options = [];
export type MessageIds =
  | 'responseInAction'
  | 'redirectResponse'
  | 'proxyResponse'
  | 'httpStatusInResult'
  | 'httpResults'
  | 'machineAuth'
  | 'requestParameter';

type SourceCode = Readonly<TSESLint.SourceCode>;

const RESPONSE_METHODS = new Set(['json', 'redirect', 'error']);
const NEXT_RESPONSE_METHODS = new Set(['json', 'redirect', 'next', 'rewrite']);
const EQUALITY = new Set(['===', '!==', '==', '!=']);
const CONSTANT_TIME_COMPARE = /^(?:timingSafeEqual|safeCompare|secureCompare|constantTimeEqual|timingSafeCompare)$/;
const SECRET_NAME = /secret|api_?key|token|password|passphrase/i;

interface ResponseCall {
  /** How the call reads in a message: `NextResponse.json(…)`, `new Response(…)`. */
  expression: string;
  method: string | undefined;
  isNew: boolean;
}

function isNextServerImport(sourceCode: SourceCode, identifier: TSESTree.Identifier): boolean {
  const binding = importOf(sourceCode, identifier);
  return binding !== undefined && /^next\/server(?:\.js)?$/.test(binding.source) && binding.imported === 'NextResponse';
}

/** `new Response(…)`, `Response.json(…)`, `new NextResponse(…)`, `NextResponse.redirect(…)`. */
function responseCall(sourceCode: SourceCode, node: TSESTree.NewExpression | TSESTree.CallExpression): ResponseCall | undefined {
  const callee = skipAwait(node.callee);
  if (node.type === AST_NODE_TYPES.NewExpression) {
    if (callee.type !== AST_NODE_TYPES.Identifier) return undefined;
    const isResponse =
      (callee.name === 'Response' && isGlobalReference(sourceCode, callee)) || isNextServerImport(sourceCode, callee);
    return isResponse ? { expression: `new ${callee.name}(…)`, method: undefined, isNew: true } : undefined;
  }
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const object = skipAwait(callee.object);
  const method = propertyName(callee);
  if (object.type !== AST_NODE_TYPES.Identifier || method === undefined) return undefined;
  const matches =
    (object.name === 'Response' && RESPONSE_METHODS.has(method) && isGlobalReference(sourceCode, object)) ||
    (NEXT_RESPONSE_METHODS.has(method) && isNextServerImport(sourceCode, object));
  return matches ? { expression: `${object.name}.${method}(…)`, method, isNew: false } : undefined;
}

/** The function a node belongs to (the nearest enclosing one). */
function enclosingFunction(node: TSESTree.Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionNode(current)) return current;
  }
  return undefined;
}

/** Whether a value leaves the action as its result or as what it throws. */
function isReturnedOrThrown(node: TSESTree.Node, fn: FunctionNode): boolean {
  let current: TSESTree.Node = node;
  for (;;) {
    const { parent } = current;
    if (!parent) return false;
    switch (parent.type) {
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.LogicalExpression:
        current = parent;
        break;
      case AST_NODE_TYPES.ConditionalExpression:
        if (parent.test === current) return false;
        current = parent;
        break;
      case AST_NODE_TYPES.ReturnStatement:
      case AST_NODE_TYPES.ThrowStatement:
        return enclosingFunction(parent) === fn;
      case AST_NODE_TYPES.ArrowFunctionExpression:
        return parent === fn && parent.body === current;
      default:
        return false;
    }
  }
}

/** The objects an action's `return` statements produce (both branches of `a ? {…} : {…}`). */
function returnedObjects(argument: TSESTree.Node): TSESTree.ObjectExpression[] {
  const target = skipAwait(argument);
  if (target.type === AST_NODE_TYPES.ObjectExpression) return [target];
  if (target.type === AST_NODE_TYPES.ConditionalExpression) return [...returnedObjects(target.consequent), ...returnedObjects(target.alternate)];
  if (target.type === AST_NODE_TYPES.LogicalExpression) return returnedObjects(target.right);
  return [];
}

function keyOf(property: TSESTree.ObjectLiteralElement): string | undefined {
  if (property.type !== AST_NODE_TYPES.Property || property.computed) return undefined;
  if (property.key.type === AST_NODE_TYPES.Identifier) return property.key.name;
  return property.key.type === AST_NODE_TYPES.Literal && typeof property.key.value === 'string' ? property.key.value : undefined;
}

function isHttpStatusCode(node: TSESTree.Node): boolean {
  return node.type === AST_NODE_TYPES.Literal && typeof node.value === 'number' && Number.isInteger(node.value) && node.value >= 100 && node.value <= 599;
}

/**
 * The property that makes a returned object an HTTP response in disguise: `statusText`, or a
 * numeric `status` next to `headers`. `{ status: 400, error }` alone is a result the caller reads.
 */
function httpShapedProperty(object: TSESTree.ObjectExpression): TSESTree.Property | undefined {
  const properties = object.properties.filter((property): property is TSESTree.Property => property.type === AST_NODE_TYPES.Property);
  const statusText = properties.find(property => keyOf(property) === 'statusText');
  if (statusText) return statusText;
  const status = properties.find(property => keyOf(property) === 'status' && isHttpStatusCode(skipAwait(property.value)));
  return status && properties.some(property => keyOf(property) === 'headers') ? status : undefined;
}

/** The machine-credential header an expression is read from or derived from (`auth.split(' ')[1]`). */
function authHeaderOf(sourceCode: SourceCode, node: TSESTree.Node, depth = 0): string | undefined {
  if (depth > 5) return undefined;
  const target = skipAwait(node);
  const header = headerRead(sourceCode, target);
  if (header !== undefined) return isMachineAuthHeader(header) ? header : undefined;
  switch (target.type) {
    case AST_NODE_TYPES.Identifier: {
      const declarator = declaratorOf(sourceCode, target);
      return declarator?.init && declarator.id.type === AST_NODE_TYPES.Identifier ? authHeaderOf(sourceCode, declarator.init, depth + 1) : undefined;
    }
    case AST_NODE_TYPES.MemberExpression:
      return authHeaderOf(sourceCode, target.object, depth + 1);
    case AST_NODE_TYPES.CallExpression: {
      const callee = skipAwait(target.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression) {
        // `Buffer.from(apiKey)`, `auth.replace('Bearer ', '')`
        if (propertyName(callee) === 'from' && target.arguments[0]) return authHeaderOf(sourceCode, target.arguments[0], depth + 1);
        return authHeaderOf(sourceCode, callee.object, depth + 1);
      }
      return undefined;
    }
    case AST_NODE_TYPES.LogicalExpression:
      // `headers.get('x-api-key') ?? ''`
      return authHeaderOf(sourceCode, target.left, depth + 1);
    case AST_NODE_TYPES.TemplateLiteral:
      for (const expression of target.expressions) {
        const found = authHeaderOf(sourceCode, expression, depth + 1);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Whether an expression is a configured secret: `process.env.API_KEY`, `` `Bearer ${CRON_SECRET}` ``, `env.API_SECRET`. */
function isSecret(sourceCode: SourceCode, node: TSESTree.Node, depth = 0): boolean {
  if (depth > 5) return false;
  const target = skipAwait(node);
  switch (target.type) {
    case AST_NODE_TYPES.MemberExpression: {
      const object = skipAwait(target.object);
      const isEnv = object.type === AST_NODE_TYPES.MemberExpression && propertyName(object) === 'env';
      const name = propertyName(target);
      return isEnv || (name !== undefined && SECRET_NAME.test(name));
    }
    case AST_NODE_TYPES.Identifier: {
      if (SECRET_NAME.test(target.name)) return true;
      const declarator = declaratorOf(sourceCode, target);
      return declarator?.init && declarator.id.type === AST_NODE_TYPES.Identifier ? isSecret(sourceCode, declarator.init, depth + 1) : false;
    }
    case AST_NODE_TYPES.TemplateLiteral:
      return target.expressions.some(expression => isSecret(sourceCode, expression, depth + 1));
    case AST_NODE_TYPES.CallExpression: {
      const callee = skipAwait(target.callee);
      if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
      if (propertyName(callee) === 'from' && target.arguments[0]) return isSecret(sourceCode, target.arguments[0], depth + 1);
      return isSecret(sourceCode, callee.object, depth + 1);
    }
    case AST_NODE_TYPES.LogicalExpression:
      return isSecret(sourceCode, target.left, depth + 1);
    default:
      return false;
  }
}

/** The credential header compared when one side comes from it and the other is a secret. */
function comparedAuthHeader(sourceCode: SourceCode, left: TSESTree.Node, right: TSESTree.Node): string | undefined {
  for (const [candidate, other] of [
    [left, right],
    [right, left],
  ] as const) {
    const header = authHeaderOf(sourceCode, candidate);
    if (header !== undefined && authHeaderOf(sourceCode, other) === undefined && isSecret(sourceCode, other)) return header;
  }
  return undefined;
}


export default createRule<Options, MessageIds>({
  name: 'no-http-in-action',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow HTTP responses, status codes, machine authentication and request parameters in Server Actions',
      recommended: 'error',
    },
    schema: [],
    messages: {
      responseInAction:
        '{{subject}} builds an HTTP response with `{{expression}}`, but an action\'s return value is serialised by React for the component that called it and never sent as HTTP: this status, these headers and this body never reach the caller. Return plain data for the UI (for example `{ error: \'Not found\' }`); explicit HTTP contracts are what Route Handlers are for, so move this to a `route.ts` if another program calls it.',
      redirectResponse:
        '{{subject}} builds a redirect with `{{expression}}`, but an action\'s return value is serialised by React and never sent as HTTP, so nobody follows it. Call `redirect(…)` from `next/navigation` instead: Next.js turns it into a client-side navigation (or a 303 for a form posted without JavaScript).',
      proxyResponse:
        '{{subject}} calls `{{expression}}`, which only means something in `proxy.ts` (formerly `middleware.ts`): an action\'s return value is serialised by React, not sent as HTTP. Remove it, and call `redirect(…)` from `next/navigation` if the user should land elsewhere.',
      httpStatusInResult:
        '{{subject}} returns an object with `{{key}}`, shaped like an HTTP response, but the HTTP answer to an action belongs to Next.js and React serialises this object as plain data: no status line or headers reach the caller. Return plain data such as `{ error: \'…\' }`; if a program needs real status codes and headers, make this a Route Handler, which is what explicit HTTP contracts are for.',
      httpResults:
        '{{subject}} answers like an HTTP endpoint in {{count}} places ({{places}}), but an action\'s return value is serialised by React for the component that called it and never sent as HTTP: no status line, header or response body reaches the caller. Return plain data for the UI (for example `{ error: \'Not found\' }`) and call `redirect(…)` from `next/navigation` to send the user elsewhere; explicit HTTP contracts are what Route Handlers are for, so move this to a `route.ts` if another program calls it.',
      machineAuth:
        '{{subject}} authenticates its caller by comparing the `{{header}}` header to a secret: that is a program calling an HTTP endpoint, and a Server Action is the wrong door for it (the caller would need a build-specific action ID, and the action cannot answer 401). Move this endpoint to a Route Handler (`app/api/…/route.ts`) and check the header there; for signed-in users, check the session instead.',
      requestParameter:
        '{{subject}} takes a `{{type}}` parameter, but an action is called with the arguments its caller passes, serialised by React, never with an HTTP request. Take `FormData` or plain arguments and read headers and cookies with `headers()` and `cookies()` from `next/headers`; if another program posts requests here, make it a Route Handler, which is what explicit HTTP contracts are for.',
    },
  },
  create(context) {
    const facts = getFileFacts(context);
    if (!mayDefineServerActions(facts)) return {};
    const { sourceCode } = context;

    /** HTTP-shaped answers of one action: one root cause, reported once when there are several. */
    let answers: { node: TSESTree.Node; messageId: Exclude<MessageIds, 'httpResults' | 'machineAuth' | 'requestParameter'>; data: Record<string, string> }[] = [];

    function checkAction(action: ServerAction): void {
      answers = [];
      checkActionBody(action);
      if (answers.length === 1) {
        const [only] = answers;
        context.report({ node: only!.node, messageId: only!.messageId, data: only!.data });
      } else if (answers.length > 1) {
        const places = answers
          .map(answer => `\`${answer.data.expression ?? answer.data.key}\` on line ${answer.node.loc.start.line}`)
          .join(', ');
        context.report({ loc: actionReportLoc(action, sourceCode), messageId: 'httpResults', data: { subject: actionSubject(action), count: String(answers.length), places } });
      }
    }

    function checkActionBody(action: ServerAction): void {
      const subject = actionSubject(action);
      for (const parameter of action.fn.params) {
        const type = parameterTypeName(parameter);
        if (type !== undefined && isRequestType(type)) {
          context.report({ node: parameter, messageId: 'requestParameter', data: { subject, type } });
        }
      }

      for (const { node } of getActionFacts(context, action).ownNodes) {
        switch (node.type) {
          case AST_NODE_TYPES.NewExpression:
          case AST_NODE_TYPES.CallExpression: {
            const response = responseCall(sourceCode, node);
            if (response) {
              // `new Response(stream).text()` reads a body; only a response with an init, or one
              // the action hands back, is an HTTP answer.
              if (response.isNew && node.arguments.length < 2 && !isReturnedOrThrown(node, action.fn)) break;
              const messageId =
                response.method === 'redirect' ? 'redirectResponse' : response.method === 'next' || response.method === 'rewrite' ? 'proxyResponse' : 'responseInAction';
              answers.push({ node, messageId, data: { subject, expression: response.expression } });
              break;
            }
            if (node.type === AST_NODE_TYPES.CallExpression && node.arguments.length >= 2) {
              const callee = skipAwait(node.callee);
              const name =
                callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : undefined;
              if (name !== undefined && CONSTANT_TIME_COMPARE.test(name)) {
                const header = comparedAuthHeader(sourceCode, node.arguments[0]!, node.arguments[1]!);
                if (header) context.report({ node, messageId: 'machineAuth', data: { subject, header } });
              }
            }
            break;
          }
          case AST_NODE_TYPES.BinaryExpression: {
            if (!EQUALITY.has(node.operator)) break;
            const header = comparedAuthHeader(sourceCode, node.left, node.right);
            if (header) context.report({ node, messageId: 'machineAuth', data: { subject, header } });
            break;
          }
          case AST_NODE_TYPES.ReturnStatement:
            if (node.argument && enclosingFunction(node) === action.fn) reportHttpShapedResult(node.argument, subject);
            break;
          default:
            break;
        }
      }
      if (action.fn.type === AST_NODE_TYPES.ArrowFunctionExpression && action.fn.expression) reportHttpShapedResult(action.fn.body, subject);
    }

    function reportHttpShapedResult(returned: TSESTree.Node, subject: string): void {
      for (const object of returnedObjects(returned)) {
        const property = httpShapedProperty(object);
        if (property) answers.push({ node: property, messageId: 'httpStatusInResult', data: { subject, key: keyOf(property)! } });
      }
    }

    return {
      Program() {
        for (const action of getServerActions(context).actions) checkAction(action);
      },
    };
  },
});
