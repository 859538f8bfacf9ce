import { afterEach, describe, expect, it, vi } from 'vitest';
import { warnMissingPeer } from '../../src/utils/missing-peer.js';

describe('warnMissingPeer', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('says once per peer what is skipped and what to install', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    warnMissingPeer('eslint', 'imported modules are read through ESLint');
    warnMissingPeer('eslint', 'imported modules are read through ESLint');
    warnMissingPeer('typescript', 'imports are resolved with TypeScript');
    expect(warn.mock.calls).toEqual([
      [
        "eslint-plugin-next-actions: 'eslint' could not be loaded, so findings that depend on other files are skipped (imported modules are read through ESLint). Install 'eslint' as a devDependency next to the plugin.",
      ],
      [
        "eslint-plugin-next-actions: 'typescript' could not be loaded, so findings that depend on other files are skipped (imports are resolved with TypeScript). Install 'typescript' as a devDependency next to the plugin.",
      ],
    ]);
  });
});
