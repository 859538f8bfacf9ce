import { describe, expect, it } from 'vitest';
import { getPrologue, hasDirective, intendedDirective, knownDirective } from '../../src/analysis/directives.js';
import { parseModule } from '../support/parse.js';

const prologueOf = (code: string) => getPrologue(parseModule(code).body).map(directive => directive.value);

describe('getPrologue', () => {
  it('reads the leading directives with their cooked values', () => {
    expect(prologueOf(`// comment\n'use strict';\n"use server";\nexport async function a() {}`)).toEqual(['use strict', 'use server']);
    expect(prologueOf(`'use\\x20server';`)).toEqual(['use server']);
  });

  it('stops at the first statement that is not a directive', () => {
    expect(prologueOf(`import a from 'a';\n'use server';`)).toEqual([]);
    expect(prologueOf(`('use server');`)).toEqual([]);
    expect(prologueOf('`use server`;')).toEqual([]);
    expect(prologueOf(`const a = 1;\n'use client';`)).toEqual([]);
  });

  it('accepts a directive after `import type`, which Next.js erases first', () => {
    expect(prologueOf(`import type { A } from './a';\n'use server';`)).toEqual(['use server']);
    expect(prologueOf(`import type { A } from './a';\n('use server');`)).toEqual([]);
    expect(prologueOf(`import { type A } from './a';\n'use server';`)).toEqual([]);
  });

  it('reads function body prologues', () => {
    const program = parseModule(`async function a() { 'use server'; return 1; }`);
    const fn = program.body[0] as { body: { body: Parameters<typeof getPrologue>[0] } };
    expect(hasDirective(getPrologue(fn.body.body), 'use server')).toBe(true);
  });
});

describe('knownDirective', () => {
  it('knows the directives and the cache kinds', () => {
    expect(knownDirective('use server')).toBe('use server');
    expect(knownDirective('use client')).toBe('use client');
    expect(knownDirective('use cache')).toBe('use cache');
    expect(knownDirective('use cache: remote')).toBe('use cache');
    expect(knownDirective('use cache:remote')).toBeUndefined();
    expect(knownDirective('use strict')).toBeUndefined();
  });
});

describe('intendedDirective', () => {
  it.each([
    ['use sever', 'use server'],
    ['use-server', 'use server'],
    ['use server;', 'use server'],
    ['Use Server', 'use server'],
    ['use action', 'use server'],
    ['use_client', 'use client'],
    ['use clinet', 'use client'],
    ['use cache:remote', 'use cache: remote'],
    ['use  cache :  private', 'use cache: private'],
  ])('%s was meant to be %s', (written, meant) => {
    expect(intendedDirective(written)).toBe(meant);
  });

  it.each(['use strict', 'use memo', 'use no memo', 'use server', 'use client', 'use cache: remote', 'hello world', 'use', 'use workflow', 'use step'])(
    '%s is not a near miss',
    value => {
      expect(intendedDirective(value)).toBeUndefined();
    },
  );
});
