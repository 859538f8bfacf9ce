import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import * as ASTUtils from '@typescript-eslint/utils/ast-utils';
import { importsActionModule, isClientCode } from '../analysis/callers.js';
import { getFileFacts } from '../analysis/file-kind.js';
import { isServerActionExpression } from '../analysis/modules.js';
import { isFunctionNode } from '../analysis/server-actions.js';
import { mayImportServerAction } from '../analysis/text-gates.js';
import { skipTypeWrappers, walkNodes } from '../utils/ast.js';
import { createRule } from '../utils/create-rule.js';

export type Options = [];
export type MessageIds = 'parallelPromise' | 'unawaitedCalls' | 'loopCalls';

type LoopStatement =
  | TSESTree.ForStatement
  | TSESTree.ForInStatement
  | TSESTree.ForOfStatement
  | TSESTree.WhileStatement
  | TSESTree.DoWhileStatement;

const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);
const PROMISE_CHAIN = new Set(['then', 'catch', 'finally']);
const HOOK_NAME = /^use[A-Z0-9]/;
const SKIPPED = new Set<string>([
  AST_NODE_TYPES.FunctionDeclaration,
  AST_NODE_TYPES.FunctionExpression,
  AST_NODE_TYPES.ArrowFunctionExpression,
  AST_NODE_TYPES.JSXElement,
  AST_NODE_TYPES.JSXFragment,
]);
const ITERATION_METHODS = new Set(['forEach', 'map', 'flatMap']);

const LOOP_LABELS: Record<LoopStatement['type'], string> = {
  [AST_NODE_TYPES.ForStatement]: '`for` loop',
  [AST_NODE_TYPES.ForInStatement]: '`for…in` loop',
  [AST_NODE_TYPES.ForOfStatement]: '`for…of` loop',
  [AST_NODE_TYPES.WhileStatement]: '`while` loop',
  [AST_NODE_TYPES.DoWhileStatement]: '`do…while` loop',
};

const WAYS_OUT =
  'Do this work inside one Server Action that runs it in parallel on the server, or, for independent reads, fetch in a Server Component or from Route Handlers.';

function memberName(node: TSESTree.Node): string | undefined {
  return node.type === AST_NODE_TYPES.MemberExpression && !node.computed && node.property.type === AST_NODE_TYPES.Identifier
    ? node.property.name
    : undefined;
}

/** `a`, `a` and `b`, `a`, `b` and `c`. */
function listNames(names: readonly string[]): string {
  const quoted = names.map(name => `\`${name}\``);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)!}`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

export default createRule<Options, MessageIds>({
  name: 'no-parallel-actions',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Disallow starting several Server Actions at once from client code, where they run one after another',
      recommended: 'warn',
      strict: 'error',
    },
    schema: [],
    messages: {
      parallelPromise:
        '`Promise.{{method}}` does not run Server Actions in parallel: the client dispatches and awaits them one at a time, so {{calls}} run one after another. ' + WAYS_OUT,
      unawaitedCalls:
        '`{{current}}` is started while {{previous}} is still pending, but the client dispatches and awaits Server Actions one at a time, so they run one after another: `{{current}}` waits until {{previous}} has finished. ' + WAYS_OUT,
      loopCalls:
        'This {{loop}} starts {{calls}} on every iteration without `await`, but the client dispatches and awaits Server Actions one at a time, so the calls run one after another. Pass the whole list to one Server Action that does the work on the server, in parallel there if needed, or, for independent reads, fetch in a Server Component or from Route Handlers.',
    },
  },
  create(context) {
    const { sourceCode } = context;
    const facts = getFileFacts(context);
    // Client code is also a module without a directive that a "use client" module imports.
    if (!facts.isClient && facts.kind !== 'other') return {};
    // Client code sees Server Actions only as imports, or as props that carry imported ones.
    const hasValueImport = sourceCode.ast.body.some(
      statement => statement.type === AST_NODE_TYPES.ImportDeclaration && statement.importKind !== 'type' && statement.specifiers.length > 0,
    );
    if (!hasValueImport) return {};
    // Without inline actions, a reference names an action only through an import of one.
    if (!facts.mayHaveInlineActions && !mayImportServerAction(context)) return {};
    // A module without a directive is looked at when the app graph says a client module imports it
    // and it imports an actions module.
    if (!facts.isClient && !(isClientCode(facts) && importsActionModule(facts))) return {};

    const promiseCalls: TSESTree.CallExpression[] = [];
    const loops: LoopStatement[] = [];
    const iterations: TSESTree.CallExpression[] = [];
    const blocks: TSESTree.BlockStatement[] = [];
    const claimed = new Set<TSESTree.Node>();
    const actionCalls = new Map<TSESTree.CallExpression, boolean>();

    function isActionCall(node: TSESTree.Node): node is TSESTree.CallExpression {
      if (node.type !== AST_NODE_TYPES.CallExpression) return false;
      let known = actionCalls.get(node);
      if (known === undefined) {
        // Hooks (`useState()`, `useRouter()`) are called in every component and are never actions.
        const callee = skipTypeWrappers(node.callee);
        known = !(callee.type === AST_NODE_TYPES.Identifier && HOOK_NAME.test(callee.name)) && isServerActionExpression(context, node.callee);
        actionCalls.set(node, known);
      }
      return known;
    }

    function nameOf(call: TSESTree.CallExpression | TSESTree.Expression): string {
      const target = call.type === AST_NODE_TYPES.CallExpression ? call.callee : call;
      return sourceCode.getText(skipTypeWrappers(target)).replace(/\s+/g, '');
    }

    /** The action call that starts a promise expression: `save()`, `save().then(…)`, `void save()`. */
    function startedActionCall(node: TSESTree.Node | null | undefined): TSESTree.CallExpression | undefined {
      if (!node) return undefined;
      let current = skipTypeWrappers(node);
      if (current.type === AST_NODE_TYPES.UnaryExpression && current.operator === 'void') current = skipTypeWrappers(current.argument);
      while (current.type === AST_NODE_TYPES.CallExpression && PROMISE_CHAIN.has(memberName(skipTypeWrappers(current.callee)) ?? '')) {
        current = skipTypeWrappers((skipTypeWrappers(current.callee) as TSESTree.MemberExpression).object);
      }
      return isActionCall(current) ? current : undefined;
    }

    /**
     * Walks a subtree without entering nested functions (their bodies run at another time) or JSX
     * (rendered markup, where actions appear as handlers and props, not as calls).
     */
    function walk(root: TSESTree.Node, visit: (node: TSESTree.Node) => void): void {
      walkNodes(root, sourceCode.visitorKeys, node => {
        if (node !== root && SKIPPED.has(node.type)) return 'skip';
        visit(node);
        return undefined;
      });
    }

    function actionCallsIn(root: TSESTree.Node): TSESTree.CallExpression[] {
      const found: TSESTree.CallExpression[] = [];
      walk(root, node => {
        if (isActionCall(node)) found.push(node);
      });
      return found;
    }

    function contains(root: TSESTree.Node, test: (node: TSESTree.Node) => boolean): boolean {
      let found = false;
      walk(root, node => {
        found ||= test(node);
      });
      return found;
    }

    /** The action calls a callback makes each time an iteration method calls it. */
    function callbackActionCalls(callback: TSESTree.Node | undefined): { calls: TSESTree.CallExpression[]; reference: TSESTree.Expression | undefined } {
      if (!callback) return { calls: [], reference: undefined };
      const fn = skipTypeWrappers(callback);
      if (isFunctionNode(fn)) return { calls: actionCallsIn(fn.body), reference: undefined };
      // `ids.forEach(deletePost)` calls the action itself once per item.
      if (fn.type !== AST_NODE_TYPES.SpreadElement && isServerActionExpression(context, fn)) return { calls: [], reference: fn as TSESTree.Expression };
      return { calls: [], reference: undefined };
    }

    interface Started {
      calls: TSESTree.CallExpression[];
      names: string[];
      perItem: boolean;
    }

    /** Action calls a `Promise.all` argument starts together: array elements, spreads and `.map` callbacks. */
    function startedTogether(node: TSESTree.Node, started: Started, depth: number): void {
      const expression = skipTypeWrappers(node);
      if (expression.type === AST_NODE_TYPES.ArrayExpression) {
        for (const element of expression.elements) {
          if (!element) continue;
          if (element.type === AST_NODE_TYPES.SpreadElement) {
            startedTogether(element.argument, started, depth);
            continue;
          }
          const call = startedActionCall(element);
          if (call) {
            started.calls.push(call);
            started.names.push(nameOf(call));
          } else {
            startedTogether(element, started, depth);
          }
        }
      } else if (expression.type === AST_NODE_TYPES.CallExpression && ITERATION_METHODS.has(memberName(skipTypeWrappers(expression.callee)) ?? '')) {
        const { calls, reference } = callbackActionCalls(expression.arguments[0]);
        if (calls.length > 0 || reference) started.perItem = true;
        started.calls.push(...calls);
        started.names.push(...calls.map(nameOf), ...(reference ? [nameOf(reference)] : []));
        if (reference) claimed.add(reference);
      } else if (expression.type === AST_NODE_TYPES.Identifier && depth === 0) {
        // `const pending = ids.map(…); await Promise.all(pending)`.
        const variable = ASTUtils.findVariable(sourceCode.getScope(expression), expression);
        const def = variable?.defs.length === 1 ? variable.defs[0]! : undefined;
        const reassigned = variable?.references.some(reference => reference.isWrite() && !reference.init);
        if (def?.type === 'Variable' && def.node.id === def.name && def.node.init && !reassigned) {
          startedTogether(def.node.init, started, depth + 1);
        }
      }
    }

    function describeCalls(started: Started): string {
      const names = unique(started.names);
      if (started.perItem) return `the calls to ${listNames(names)} for each item`;
      if (names.length === 1) return `the ${started.calls.length} calls to ${listNames(names)}`;
      return listNames(names);
    }

    function checkPromiseCall(call: TSESTree.CallExpression): void {
      const callee = skipTypeWrappers(call.callee);
      const method = memberName(callee)!;
      const started: Started = { calls: [], names: [], perItem: false };
      if (call.arguments[0]) startedTogether(call.arguments[0], started, 0);
      if (!started.perItem && started.calls.length < 2) return;
      for (const startedCall of started.calls) claimed.add(startedCall);
      context.report({ node: call, messageId: 'parallelPromise', data: { method, calls: describeCalls(started) } });
    }

    function reportLoop(loop: string, calls: TSESTree.CallExpression[], reference: TSESTree.Expression | undefined): void {
      const fresh = calls.filter(call => !claimed.has(call));
      const target = fresh[0] ?? (reference && !claimed.has(reference) ? reference : undefined);
      if (!target) return;
      for (const call of fresh) claimed.add(call);
      if (reference) claimed.add(reference);
      const names = unique([...fresh.map(nameOf), ...(reference ? [nameOf(reference)] : [])]);
      context.report({ node: target, messageId: 'loopCalls', data: { loop, calls: listNames(names) } });
    }

    function checkLoop(loop: LoopStatement): void {
      const calls = actionCallsIn(loop.body);
      if (calls.length === 0) return;
      // An `await` may pace the loop, and an early exit may mean a single call: leave those alone.
      // The iterable of `for…of`/`for…in` is evaluated once, so an `await` there paces nothing.
      const repeated = [loop.body, 'test' in loop ? loop.test : null, 'update' in loop ? loop.update : null];
      const paced = repeated.some(
        part =>
          part &&
          contains(part, node =>
            node.type === AST_NODE_TYPES.AwaitExpression ||
            node.type === AST_NODE_TYPES.BreakStatement ||
            node.type === AST_NODE_TYPES.ReturnStatement ||
            node.type === AST_NODE_TYPES.ThrowStatement,
          ),
      );
      if (!paced) reportLoop(LOOP_LABELS[loop.type], calls, undefined);
    }

    function checkIteration(call: TSESTree.CallExpression): void {
      const { calls, reference } = callbackActionCalls(call.arguments[0]);
      if (calls.length > 0 || reference) reportLoop(`\`${memberName(skipTypeWrappers(call.callee))!}\` callback`, calls, reference);
    }

    /** Runs of action calls in a block that are started before the previous ones are awaited. */
    function checkBlock(block: TSESTree.BlockStatement): void {
      let run: TSESTree.CallExpression[] = [];
      const flush = () => {
        const [first, second] = run;
        if (first && second && !claimed.has(second)) {
          const current = nameOf(second);
          const earlier = nameOf(first);
          const previous = earlier === current ? `an earlier call to \`${current}\`` : `\`${earlier}\``;
          for (const call of run) claimed.add(call);
          context.report({ node: second, messageId: 'unawaitedCalls', data: { current, previous } });
        }
        run = [];
      };
      for (const statement of block.body) {
        const started =
          statement.type === AST_NODE_TYPES.ExpressionStatement
            ? [startedActionCall(statement.expression)]
            : statement.type === AST_NODE_TYPES.ReturnStatement
              ? [startedActionCall(statement.argument)]
              : statement.type === AST_NODE_TYPES.VariableDeclaration
                ? statement.declarations.map(declarator => startedActionCall(declarator.init))
                : [];
        const calls = started.filter(call => call !== undefined);
        if (calls.length > 0) {
          run.push(...calls);
        } else if (run.length > 0 && contains(statement, node => node.type === AST_NODE_TYPES.AwaitExpression)) {
          // Whatever is awaited here may be one of the pending actions; do not guess.
          flush();
        }
      }
      flush();
    }

    return {
      CallExpression(node) {
        const callee = skipTypeWrappers(node.callee);
        const method = memberName(callee);
        if (method === undefined) return;
        if (PROMISE_COMBINATORS.has(method)) {
          const object = skipTypeWrappers((callee as TSESTree.MemberExpression).object);
          if (object.type !== AST_NODE_TYPES.Identifier || object.name !== 'Promise') return;
          const variable = ASTUtils.findVariable(sourceCode.getScope(object), object);
          if (!variable || variable.defs.length === 0) promiseCalls.push(node);
        } else if (ITERATION_METHODS.has(method) && node.arguments.length > 0) {
          iterations.push(node);
        }
      },
      'ForStatement, ForInStatement, ForOfStatement, WhileStatement, DoWhileStatement'(node: LoopStatement) {
        loops.push(node);
      },
      BlockStatement(node) {
        if (node.body.length > 1) blocks.push(node);
      },
      'Program:exit'() {
        if (promiseCalls.length + loops.length + iterations.length + blocks.length === 0) return;
        promiseCalls.forEach(checkPromiseCall);
        loops.forEach(checkLoop);
        iterations.forEach(checkIteration);
        blocks.forEach(checkBlock);
      },
    };
  },
});
