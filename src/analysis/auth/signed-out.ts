import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { skipAwait, skipTypeWrappers } from '../../utils/ast.js';
import { getBodyFacts, IN_DEFINED_FUNCTION, IN_TYPE } from '../action-facts.js';
import { calleePath, importedCallee } from '../effects.js';
import { type FunctionNode, isFunctionNode } from '../server-actions.js';
import type { AuthCall } from './calls.js';
import { AUTH_ANSWER_MEMBERS, lastSegment, OBJECT_RESULT_NAMES, previousSegment } from './names.js';
import { type Context, codeChildren, rootIdentifier, variableOf } from './syntax.js';

/*
 * What the values of a function look like to a signed-out caller: an authentication call answers
 * `null`, `undefined` or `false` (or an object whose properties are missing), and so does what is
 * read or computed from it. A condition on such values tells the two kinds of caller apart.
 */

export type Truth = 'truthy' | 'falsy' | 'unknown';

/** Permission predicates on a user: `canEdit(user, post)`, `hasRole(session, 'admin')`, `isOwner(user, doc)`. */
const PERMISSION_PREDICATE = /^(?:can|has|is|may|allow|authori[sz]e|check|verify)[A-Z_]/;
/** Predicates that are true for a signed-out caller. */
const NEGATIVE_PREDICATE = /Guest|Anonymous|Out$|Banned|Blocked|Suspended|Expired|Locked|Disabled/;
const ERROR_NAME = /^(?:error|err|authError)$/;
/** Conversions that turn a signed-out caller's `null`/`undefined` into a falsy value: `Number(id)` is 0 or NaN. */
const NUMERIC_CONVERSIONS = new Set(['Number', 'parseInt', 'parseFloat']);

export interface SignedOutValues {
  /** The value an expression holds for a signed-out caller, when it comes from an authentication call. */
  derivedTruth(node: TSESTree.Node): Truth;
  /** Marks the variables of a function that hold what an authentication call answered, and what derives from it. */
  scanBindings(fn: FunctionNode): void;
  /** Whether an expression reads what an authentication call answered. */
  usesAuth(node: TSESTree.Node): boolean;
  /** What a branch condition evaluates to for a signed-out caller: only conditions on authentication results count. */
  polarity(test: TSESTree.Node): Truth;
}

/** Whether an authentication call resolves to an object even for a signed-out caller (Clerk `auth()`, Supabase `auth.getUser()`). */
export function isObjectResult(context: Context, call: TSESTree.CallExpression, path: string): boolean {
  const last = lastSegment(path);
  if (OBJECT_RESULT_NAMES.has(last)) return true;
  // Supabase: `supabase.auth.getUser()` answers `{ data: { user }, error }`.
  if (previousSegment(path) === 'auth' && path.split('.').length >= 3 && AUTH_ANSWER_MEMBERS.has(last)) return true;
  const imported = importedCallee(context, call.callee);
  return last === 'auth' && imported !== undefined && imported.source.startsWith('@clerk/');
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

/** The signed-out values of one file; `classifyAuthCall` says which calls answer who is calling. */
export function createSignedOutValues(
  context: Context,
  classifyAuthCall: (node: TSESTree.Node) => AuthCall | undefined,
): SignedOutValues {
  const { sourceCode } = context;
  const { visitorKeys } = sourceCode;
  const variableTruth = new Map<TSESLint.Scope.Variable, Truth>();
  const scannedFunctions = new WeakSet<FunctionNode>();

  function identifierTruth(identifier: TSESTree.Identifier): Truth {
    const variable = variableOf(sourceCode, identifier);
    return (variable && variableTruth.get(variable)) ?? 'unknown';
  }

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
          const variable = variableOf(sourceCode, node);
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

  function scanBindings(fn: FunctionNode): void {
    if (scannedFunctions.has(fn)) return;
    scannedFunctions.add(fn);
    const declarators: TSESTree.VariableDeclarator[] = [];
    const assignments: TSESTree.AssignmentExpression[] = [];
    const { evaluationOrder } = getBodyFacts(context, fn);
    // Last first: the order the bindings were always settled in.
    for (let index = evaluationOrder.length - 1; index >= 0; index--) {
      const { node, where } = evaluationOrder[index]!;
      // Type annotations never decide who is calling; functions defined for later do not run here.
      if (where & (IN_TYPE | IN_DEFINED_FUNCTION)) continue;
      if (node.type === AST_NODE_TYPES.VariableDeclarator && node.init) declarators.push(node);
      if (node.type === AST_NODE_TYPES.AssignmentExpression && node.operator === '=' && node.left.type === AST_NODE_TYPES.Identifier) assignments.push(node);
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

  function polarity(test: TSESTree.Node): Truth {
    return usesAuth(test) ? signedOutTruth(test) : 'unknown';
  }

  return { derivedTruth, scanBindings, usesAuth, polarity };
}
