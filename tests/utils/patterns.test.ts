import { describe, expect, it } from 'vitest';
import { compileNamePattern, compileUrlGlob } from '../../src/utils/patterns.js';

describe('compileNamePattern', () => {
  it('matches `*` within one dotted segment', () => {
    const matches = compileNamePattern('db.*.create');
    expect(matches('db.post.create')).toBe(true);
    expect(matches('db..create')).toBe(true);
    expect(matches('db.post.comment.create')).toBe(false);
    expect(matches('db.post.createMany')).toBe(false);
    expect(compileNamePattern('audit*')('auditLog')).toBe(true);
    expect(compileNamePattern('audit*')('audit.log')).toBe(false);
    expect(compileNamePattern('*Post')('savePost')).toBe(true);
    expect(compileNamePattern('a*b*c')('axxbyyc')).toBe(true);
    expect(compileNamePattern('a*b*c')('axxbyy')).toBe(false);
    expect(compileNamePattern('get.(x)')('get.(x)')).toBe(true);
  });

  it('answers the worst cases of a backtracking matcher at once', () => {
    const long = 'a'.repeat(5000);
    const started = performance.now();
    expect(compileNamePattern('a******b')(long)).toBe(false);
    expect(compileNamePattern('a********b')(long)).toBe(false);
    expect(compileNamePattern('*a*a*a*a*a*a*a*a*b')(long)).toBe(false);
    expect(compileNamePattern('a********a')(long)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('compileUrlGlob', () => {
  it('matches `*` within a segment, `**` across segments and `/**` the folder and below', () => {
    const auth = compileUrlGlob('/api/auth/**');
    expect(auth('/api/auth')).toBe(true);
    expect(auth('/api/auth/')).toBe(true);
    expect(auth('/api/auth/callback/github')).toBe(true);
    expect(auth('/api/authx')).toBe(false);
    expect(auth('/api')).toBe(false);
    const one = compileUrlGlob('/api/*/items');
    expect(one('/api/posts/items')).toBe(true);
    expect(one('/api/posts/42/items')).toBe(false);
    expect(compileUrlGlob('/api/**/items')('/api/a/b/c/items')).toBe(true);
    expect(compileUrlGlob('/files**')('/files/a/b')).toBe(true);
    expect(compileUrlGlob('/api/uploadthing')('/api/uploadthing/')).toBe(true);
    expect(compileUrlGlob('/api/uploadthing')('/api/uploadthings')).toBe(false);
    expect(compileUrlGlob('/api/posts/[id]')('/api/posts/[id]')).toBe(true);
  });

  it('answers the worst cases of a backtracking matcher at once', () => {
    const deep = `/${Array.from({ length: 60 }, () => 'segment').join('/')}/x`;
    const started = performance.now();
    expect(compileUrlGlob(`${'/**'.repeat(8)}/y`)(deep)).toBe(false);
    expect(compileUrlGlob(`${'/**/'.repeat(12)}y`)(deep)).toBe(false);
    expect(compileUrlGlob(`${'/**/*'.repeat(8)}/y`)(deep)).toBe(false);
    expect(compileUrlGlob(`/${'*/'.repeat(30)}**/y`)(deep)).toBe(false);
    expect(compileUrlGlob('/**/**/**/**/**/**/**/**/x')(deep)).toBe(true);
    expect(compileUrlGlob(`/${'*a'.repeat(20)}`)(`/${'a'.repeat(5000)}b`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
