import { describe, expect, it } from 'vitest';
import { createNameMatcher, getSettings, parseSettings, SettingsError } from '../../src/settings.js';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fixturesDir } from '../support/fixtures.js';
import { withContext } from '../support/probe.js';
import { makeTempDir } from '../support/temp-tree.js';

describe('parseSettings', () => {
  it('defaults every key', () => {
    expect(parseSettings(undefined)).toEqual({
      rootDir: undefined,
      appDir: undefined,
      basePath: '',
      authFunctions: [],
      mutationFunctions: [],
      readFunctions: [],
      revalidateFunctions: [],
    });
  });

  it('keeps valid values', () => {
    const parsed = parseSettings({ appDir: 'src/app', basePath: '/docs', authFunctions: ['requireAdmin'] });
    expect(parsed.appDir).toBe('src/app');
    expect(parsed.basePath).toBe('/docs');
    expect(parsed.authFunctions).toEqual(['requireAdmin']);
  });

  it.each([
    [5, "eslint-plugin-next-actions: invalid settings['next-actions']: expected an object, got number 5."],
    [{ authFunctions: 5 }, "eslint-plugin-next-actions: invalid settings['next-actions']: 'authFunctions' must be an array of names or patterns such as 'db.*.create', got number 5."],
    [{ readFunctions: ['ok', 3] }, "'readFunctions[1]' must be a non-empty name or pattern such as 'db.*.create', got number 3."],
    [{ appDir: ['app'] }, "'appDir' must be a string, got an array."],
    [{ basePath: 'docs' }, "'basePath' must start with '/'"],
    [{ basePath: '/docs/' }, "must not end with '/'"],
    [{ authFunction: [] }, "unknown key 'authFunction'"],
    [{ authFunctions: [1] }, "'authFunctions[0]' must be a non-empty name or pattern such as 'db.*.create', got number 1."],
    [{ mutationFunctions: ['save', ''] }, `'mutationFunctions[1]' must be a non-empty name or pattern such as 'db.*.create', got string "".`],
    [{ appDir: '' }, `'appDir' must be the App Router folder relative to the project root (such as 'app' or 'src/app'), got "".`],
    [{ appDir: '/' }, `got "/".`],
    [{ appDir: '.' }, `got ".".`],
    [{ appDir: '../other/app' }, `got "../other/app".`],
    [{ rootDir: '' }, `'rootDir' must name the Next.js project folder`],
  ])('rejects %j with a message naming the key', (raw, message) => {
    expect(() => parseSettings(raw)).toThrow(SettingsError);
    expect(() => parseSettings(raw)).toThrow(message);
  });

  it('stops on a configured folder that does not exist, naming the key and the path', () => {
    const app = path.join(fixturesDir, 'next-app');
    const read = (settings: Record<string, unknown>) => () => withContext('', path.join(app, 'x.ts'), getSettings, { cwd: app, settings: { 'next-actions': settings } });
    expect(read({ rootDir: '.', appDir: 'app' })).not.toThrow();
    expect(read({ rootDir: 'missing' })).toThrow(`'rootDir' is "missing", but there is no folder ${path.join(app, 'missing')}.`);
    expect(read({ rootDir: '.', appDir: 'src/app' })).toThrow(`'appDir' is "src/app", but there is no folder ${path.join(app, 'src', 'app')}.`);
  });

  it('prints one line instead of a stack trace', () => {
    try {
      parseSettings({ authFunctions: 'auth' });
    } catch (error) {
      expect((error as Error).stack).toBe((error as Error).message);
      expect((error as Error).message).not.toContain('\n');
    }
    expect.assertions(2);
  });
});

describe('getSettings', () => {
  const rootDirFrom = (settings: Record<string, unknown>) => withContext('', 'app/page.tsx', context => getSettings(context).rootDir, { settings });

  it("falls back to `settings.next.rootDir`, the key @next/eslint-plugin-next users set", () => {
    expect(rootDirFrom({ next: { rootDir: 'apps/web' } })).toBe('apps/web');
    expect(rootDirFrom({ next: { rootDir: ['apps/web/'] } })).toBe('apps/web/');
    expect(rootDirFrom({ next: { rootDir: 'apps/web' }, 'next-actions': { appDir: 'src/app' } })).toBe('apps/web');
  });

  it("prefers `settings['next-actions'].rootDir`", () => {
    // A configured rootDir must exist: the monorepo is made on disk.
    const cwd = makeTempDir('settings-monorepo-');
    mkdirSync(path.join(cwd, 'apps/site'), { recursive: true });
    const settings = { next: { rootDir: 'apps/web' }, 'next-actions': { rootDir: 'apps/site' } };
    expect(withContext('', 'app/page.tsx', context => getSettings(context).rootDir, { settings, cwd })).toBe('apps/site');
    rmSync(cwd, { recursive: true, force: true });
  });

  it.each([
    [{ rootDir: 'apps/*/' }],
    [{ rootDir: ['apps/web', 'apps/docs'] }],
    [{ rootDir: 5 }],
    [{ rootDir: '' }],
    [{}],
    ['apps/web'],
  ])('leaves the default when `settings.next` is %j: no single folder', next => {
    expect(rootDirFrom({ next })).toBeUndefined();
  });
});

describe('createNameMatcher', () => {
  it('matches plain names against the last segment and dotted patterns against the whole path', () => {
    const matches = createNameMatcher(['savePost', 'db.*.create', 'audit*']);
    expect(matches('savePost')).toBe(true);
    expect(matches('posts.savePost')).toBe(true);
    expect(matches('db.user.create')).toBe(true);
    expect(matches('db.user.findMany')).toBe(false);
    expect(matches('client.db.user.create')).toBe(false);
    expect(matches('auditLog')).toBe(true);
    expect(matches('save')).toBe(false);
  });

  it('matches nothing without patterns', () => {
    expect(createNameMatcher([])('anything')).toBe(false);
  });
});
