import { describe, expect, it } from 'vitest';
import { mayImportServerAction, namesAny } from '../../src/analysis/text-gates.js';
import { withContext } from '../support/probe.js';

const gate = (code: string) => withContext(code, 'components/probe.tsx', mayImportServerAction);

describe('mayImportServerAction', () => {
  it('lets through an import that may be an action: called, aliased, bound, passed, or a namespace member', () => {
    for (const code of [
      "import { createPost } from '@/app/posts/actions';\ncreatePost();",
      "import * as posts from '@post-actions';\nposts.createPost();",
      "import save from './actions';\nconst alias = save;",
      "import { createPost } from '../actions';\nexport const bound = createPost.bind(null, 'a');",
      "import { createPost } from '../actions';\nexport const form = <Form onSave={createPost} />;",
      "import { createPost } from '@acme/actions';\nids.forEach(createPost);",
      "import { createPost } from '@/app/posts/actions';\n(createPost as () => void)();",
    ]) {
      expect(gate(code), code).toBe(true);
    }
  });

  it('leaves out types, React and Next.js, and imports used only as a tag, a member object or not at all', () => {
    for (const code of [
      "import type { createPost } from '@/app/posts/actions';\nlet a: typeof createPost;",
      "import { type createPost } from '@/app/posts/actions';\nlet a: typeof createPost;",
      "import { useState } from 'react';\nimport { useRouter } from 'next/navigation';\nuseState(useRouter());",
      "import { Button } from '@/components/button';\nexport const b = <Button />;",
      "import { Icons } from '@/components/icons';\nexport const i = <Icons.Spinner />;",
      "import { toast } from 'sonner';\ntoast.success('saved');",
      "import { createPost } from '@/app/posts/actions';",
      "import '@/app/globals.css';",
    ]) {
      expect(gate(code), code).toBe(false);
    }
  });
});

describe('namesAny', () => {
  const test = namesAny(['useEffect', 'useSWR', '$load']);

  it('finds a name as a call or a member, in one pass', () => {
    expect(test('React.useEffect(() => {}, [])')).toBe(true);
    expect(test("useSWRInfinite('key')")).toBe(true);
    expect(test('$load()')).toBe(true);
  });

  it('says no when none is named', () => {
    expect(test('useLayoutEffect(() => {})')).toBe(false);
    expect(test('load()')).toBe(false);
  });
});
