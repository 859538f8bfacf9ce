import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { refreshFollows, runsInInitialEffect } from '../../src/analysis/client-loading.js';
import { walkNodes } from '../../src/utils/ast.js';
import { withContext } from '../support/probe.js';

/** For each `fetch(…)` call of a client module, what `judge` says of it. */
const judgedFetches = (code: string, judge: (call: TSESTree.CallExpression, sourceCode: Parameters<typeof refreshFollows>[1]) => boolean) =>
  withContext(`'use client';\n${code}`, 'app/posts/list.tsx', context => {
    const verdicts: boolean[] = [];
    walkNodes(context.sourceCode.ast, context.sourceCode.visitorKeys, node => {
      if (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === 'fetch') {
        verdicts.push(judge(node, context.sourceCode));
      }
    });
    return verdicts;
  });

describe('runsInInitialEffect', () => {
  it('follows a mount effect into the functions it calls, but not into timers or handlers', () => {
    expect(
      judgedFetches(
        `export function List() {
  const load = useCallback(async () => { await fetch('/api/posts'); }, []);
  useEffect(() => { load(); }, []);
  useEffect(() => { fetch('/api/direct'); }, []);
  useEffect(() => { setInterval(() => fetch('/api/poll'), 1000); }, []);
  useEffect(() => { fetch('/api/again'); }, [id]);
  return <button onClick={() => fetch('/api/click')} />;
}
`,
        (call, sourceCode) => runsInInitialEffect(call, sourceCode, 2),
      ),
    ).toEqual([true, true, false, false, false]);
  });
});

describe('refreshFollows', () => {
  it('finds router.refresh() after the request in the same function', () => {
    expect(
      judgedFetches(
        `export function Form() {
  const router = useRouter();
  const save = async () => { await fetch('/api/posts', { method: 'POST' }); router.refresh(); };
  const remove = async () => { router.refresh(); await fetch('/api/posts', { method: 'DELETE' }); };
  return null;
}
`,
        refreshFollows,
      ),
    ).toEqual([true, false]);
  });
});
