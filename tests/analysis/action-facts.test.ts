import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import {
  type BodyNode,
  getActionFacts,
  getBodyFacts,
  IN_CALLBACK,
  IN_CALLBACK_HEAD,
  IN_DEFINED_FUNCTION,
  IN_OWN_THIS,
  IN_TYPE,
} from '../../src/analysis/action-facts.js';
import { getServerActions } from '../../src/analysis/server-actions.js';
import { findFunction } from '../support/parse.js';
import { withContext } from '../support/probe.js';

const FLAGS: [number, string][] = [
  [IN_TYPE, 'type'],
  [IN_DEFINED_FUNCTION, 'defined'],
  [IN_CALLBACK_HEAD, 'head'],
  [IN_CALLBACK, 'callback'],
  [IN_OWN_THIS, 'own-this'],
];

/** One line per recorded call or `this`: its text, then where it sits. */
function described(entries: readonly BodyNode[], text: (entry: BodyNode) => string): string[] {
  return entries
    .filter(({ node }) => node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.ThisExpression)
    .map(entry => [text(entry), ...FLAGS.filter(([bit]) => entry.where & bit).map(([, name]) => name)].join(' '));
}

const code = `'use server';
export async function action(items: string[], id = pick()) {
  const rows = await db.post.findMany({ where: { id: check(id) } });
  items.map((item = fallback()) => save(item));
  function later() { return this.flush(); }
  @register() class Job {}
  return rows;
}
`;

describe('getBodyFacts', () => {
  it('records the calls of a body in source order and in evaluation order, each with where it sits', () => {
    const { pre, post } = withContext(code, 'app/actions.ts', context => {
      const facts = getBodyFacts(context, findFunction(context.sourceCode.ast, 'action'));
      const text = ({ node }: BodyNode) => context.sourceCode.getText(node);
      return { pre: described(facts.nodes, text), post: described(facts.evaluationOrder, text) };
    });
    expect(pre).toEqual([
      'db.post.findMany({ where: { id: check(id) } })',
      'check(id)',
      'items.map((item = fallback()) => save(item))',
      'fallback() head',
      'save(item) callback',
      'this.flush() defined own-this',
      'this defined own-this',
      'register() type',
    ]);
    expect(post).toEqual([
      'check(id)',
      'db.post.findMany({ where: { id: check(id) } })',
      'fallback() head',
      'save(item) callback',
      'items.map((item = fallback()) => save(item))',
      'this defined own-this',
      'this.flush() defined own-this',
      'register() type',
    ]);
  });

  it('walks a body once, however many readers ask', () => {
    withContext(code, 'app/actions.ts', context => {
      const fn = findFunction(context.sourceCode.ast, 'action');
      expect(getBodyFacts(context, fn)).toBe(getBodyFacts(context, fn));
    });
  });
});

describe('getActionFacts', () => {
  it("leaves a nested inline action's nodes to that action", () => {
    const own = withContext(
      `export default function Page() {
  async function outer(data: FormData) {
    'use server';
    await db.post.create({ data });
    async function inner() {
      'use server';
      await db.post.delete({ where: { id: 1 } });
    }
    return inner;
  }
  return outer;
}
`,
      'app/page.tsx',
      context => {
        const actions = getServerActions(context).actions;
        return actions.map(action => ({
          name: action.name,
          calls: getActionFacts(context, action)
            .ownNodes.filter(({ node }) => node.type === AST_NODE_TYPES.CallExpression)
            .map(({ node }) => context.sourceCode.getText(node)),
        }));
      },
    );
    expect(own).toEqual([
      { name: 'outer', calls: ['db.post.create({ data })'] },
      { name: 'inner', calls: ['db.post.delete({ where: { id: 1 } })'] },
    ]);
  });
});
