import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { memberName, skipAwait, skipTypeWrappers } from '../utils/ast.js';
import { isFunctionNode } from './server-actions.js';

/*
 * How code says that something failed: the results it hands back (`{ error }`, a 4xx
 * `Response`) and the tests it branches on (`if (!parsed.success)`). A path that reports a
 * failure changed nothing the page must show, so the revalidation rule lets it return as is.
 */

const ERROR_KEY = /^(?:errors?|[a-z]\w*Errors?|issues)$/;
const ERROR_NAME = /^(?:e|err|error|errors|[a-z]\w*Errors?)$/;
const SUCCESS_NAME = /^(?:ok|success|succeeded|isSuccess|valid|isValid)$/;
const FAILURE_STATUS = /^(?:error|errors|failed|failure|fail|invalid)$/i;
const FAILURE_TEXT = /\b(?:fail(?:ed|ure|s)?|error|could\s?n[o']t|cannot|can't|unable|invalid|denied|not\s+found|unauthori[sz]ed|forbidden|went\s+wrong)\b/i;

/** A property's key when it is written as a name or a string. */
export function keyName(property: TSESTree.Property): string | undefined {
  if (!property.computed && property.key.type === AST_NODE_TYPES.Identifier) return property.key.name;
  return property.key.type === AST_NODE_TYPES.Literal && typeof property.key.value === 'string' ? property.key.value : undefined;
}

function literalText(node: TSESTree.Node): string | undefined {
  const target = skipTypeWrappers(node);
  if (target.type === AST_NODE_TYPES.Literal && typeof target.value === 'string') return target.value;
  if (target.type === AST_NODE_TYPES.TemplateLiteral) return target.quasis.map(quasi => quasi.value.cooked ?? '').join(' ');
  return undefined;
}

function isNothing(node: TSESTree.Node): boolean {
  const target = skipTypeWrappers(node);
  if (target.type === AST_NODE_TYPES.Literal) return target.value === null || target.value === false || target.value === '';
  if (target.type === AST_NODE_TYPES.Identifier) return target.name === 'undefined';
  if (target.type === AST_NODE_TYPES.ArrayExpression) return target.elements.length === 0;
  return target.type === AST_NODE_TYPES.ObjectExpression && target.properties.length === 0;
}

function isFailureStatus(node: TSESTree.Node): boolean {
  const target = skipTypeWrappers(node);
  return target.type === AST_NODE_TYPES.Literal && typeof target.value === 'number' && target.value >= 400;
}

/** `{ error }`, `{ success: false }`, `{ errors: … }`, `{ message: 'Failed to …' }`, a 4xx/5xx `Response`. */
export function isErrorResult(node: TSESTree.Node): boolean {
  const target = skipAwait(node);
  switch (target.type) {
    case AST_NODE_TYPES.ObjectExpression:
      return target.properties.some(property => {
        if (property.type !== AST_NODE_TYPES.Property) return false;
        const key = keyName(property);
        if (key === undefined) return false;
        const value = property.value;
        if (ERROR_KEY.test(key)) return !isNothing(value);
        if (SUCCESS_NAME.test(key)) return value.type === AST_NODE_TYPES.Literal && value.value === false;
        if (key === 'status' || key === 'state' || key === 'type' || key === 'result') {
          if (isFailureStatus(value)) return true;
          const text = literalText(value);
          if (text !== undefined && FAILURE_STATUS.test(text)) return true;
        }
        if (key === 'message' || key === 'msg' || key === 'status' || key === 'title') {
          const text = literalText(value);
          return text !== undefined && FAILURE_TEXT.test(text);
        }
        return false;
      });
    case AST_NODE_TYPES.ConditionalExpression:
      return isErrorResult(target.consequent) || isErrorResult(target.alternate);
    case AST_NODE_TYPES.Identifier:
      return ERROR_NAME.test(target.name);
    case AST_NODE_TYPES.MemberExpression:
      return ERROR_NAME.test(memberName(target) ?? '') || isErrorResult(target.object);
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression: {
      // `return new Error('…')`: an error handed back as a value.
      if (target.type === AST_NODE_TYPES.NewExpression && target.callee.type === AST_NODE_TYPES.Identifier && /Error$/.test(target.callee.name)) return true;
      // `NextResponse.json({ error }, { status: 500 })`, `new Response('Not found', { status: 404 })`
      const name = target.callee.type === AST_NODE_TYPES.MemberExpression ? memberName(target.callee) : undefined;
      const owner = target.callee.type === AST_NODE_TYPES.MemberExpression ? target.callee.object : target.callee;
      if (owner.type !== AST_NODE_TYPES.Identifier || !/^(?:Next)?Response$/.test(owner.name)) return false;
      if (name === 'error') return true;
      const [body, init] = target.arguments;
      const status =
        init?.type === AST_NODE_TYPES.ObjectExpression
          ? init.properties.find((property): property is TSESTree.Property => property.type === AST_NODE_TYPES.Property && keyName(property) === 'status')
          : undefined;
      return (status !== undefined && isFailureStatus(status.value)) || (body !== undefined && body.type !== AST_NODE_TYPES.SpreadElement && isErrorResult(body));
    }
    default:
      return false;
  }
}

/**
 * A test that is true when something failed: `error`, `!parsed.success`, `!res.ok`,
 * `error !== null`, or `!post` / `post === null` where `post` holds what a mutation returned.
 */
function isFailureTest(node: TSESTree.Node, holdsWriteResult: (node: TSESTree.Node) => boolean): boolean {
  const target = skipTypeWrappers(node);
  switch (target.type) {
    case AST_NODE_TYPES.Identifier:
      return ERROR_NAME.test(target.name);
    case AST_NODE_TYPES.MemberExpression:
      return ERROR_NAME.test(memberName(target) ?? '');
    case AST_NODE_TYPES.UnaryExpression:
      return target.operator === '!' && (isSuccessTest(target.argument) || holdsWriteResult(target.argument));
    case AST_NODE_TYPES.LogicalExpression:
      return isFailureTest(target.left, holdsWriteResult) || isFailureTest(target.right, holdsWriteResult);
    case AST_NODE_TYPES.CallExpression: {
      const callee = skipTypeWrappers(target.callee);
      const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : undefined;
      return name !== undefined && /error|fail/i.test(name);
    }
    case AST_NODE_TYPES.BinaryExpression: {
      const { left, right, operator } = target;
      if (operator === 'in') return literalText(left) === 'error' || literalText(left) === 'errors';
      const sides: [TSESTree.Node, TSESTree.Node][] = [[left, right], [right, left]];
      return sides.some(([subject, other]) => {
        if ((operator === '!==' || operator === '!=') && isNothing(other)) return isFailureTest(subject, holdsWriteResult);
        if ((operator === '===' || operator === '==') && isNothing(other) && holdsWriteResult(subject)) return true;
        if ((operator === '===' || operator === '==') && other.type === AST_NODE_TYPES.Literal && other.value === false) return isSuccessTest(subject);
        if (operator === '===' || operator === '==') {
          const text = literalText(other);
          return text !== undefined && FAILURE_STATUS.test(text);
        }
        if (operator === '>=' || operator === '>') return isFailureStatus(other) && subject === left;
        return false;
      });
    }
    default:
      return false;
  }
}

function isSuccessTest(node: TSESTree.Node): boolean {
  const target = skipTypeWrappers(node);
  if (target.type === AST_NODE_TYPES.Identifier) return SUCCESS_NAME.test(target.name);
  if (target.type === AST_NODE_TYPES.MemberExpression) return SUCCESS_NAME.test(memberName(target) ?? '');
  return false;
}

/**
 * A `return` that reports a failure: an error result, or any return guarded by a failure test.
 * `holdsWriteResult` says whether a name holds what a write handed back (empty when it failed).
 */
export function isErrorReturn(node: TSESTree.ReturnStatement, holdsWriteResult: (node: TSESTree.Node) => boolean): boolean {
  if (node.argument && isErrorResult(node.argument)) return true;
  let child: TSESTree.Node = node;
  for (let parent: TSESTree.Node | undefined = node.parent; parent && !isFunctionNode(parent); child = parent, parent = parent.parent) {
    if (parent.type !== AST_NODE_TYPES.IfStatement) continue;
    if (parent.consequent === child && isFailureTest(parent.test, holdsWriteResult)) return true;
    if (parent.alternate === child && isSuccessTest(parent.test)) return true;
  }
  return false;
}
