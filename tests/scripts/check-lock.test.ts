import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/fixtures.js';
import { makeTempDir, writeInto } from '../support/temp-tree.js';

const script = path.join(repoRoot, 'scripts/check-lock.js');

function checkLock(lock: unknown): { status: number | null; stdout: string; stderr: string } {
  const file = writeInto(makeTempDir('check-lock-'), 'package-lock.json', JSON.stringify(lock));
  const result = spawnSync(process.execPath, [script, file], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function lockWith(dependencies: Record<string, string>, field = 'dependencies') {
  return {
    lockfileVersion: 3,
    packages: {
      '': { name: 'app', devDependencies: { formatter: '^3.1.0' } },
      'node_modules/formatter': { version: '3.1.0', [field]: dependencies },
    },
  };
}

describe('scripts/check-lock.js (run by .ci/run before npm ci)', () => {
  it('passes the committed package-lock.json', () => {
    const result = spawnSync(process.execPath, [script, path.join(repoRoot, 'package-lock.json')], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(['latest', 'next', 'beta', 'canary', 'rc-1.x'])('fails on a dependency requested as "%s", naming the package and who asks', tag => {
    const result = checkLock(lockWith({ jschardet: tag }));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `package-lock.json: node_modules/formatter requests jschardet@"${tag}" in dependencies: a dist-tag, which breaks \`npm ci\` when jschardet publishes. Pin it through "overrides" or drop the package.\n`,
    );
  });

  it.each(['optionalDependencies', 'peerDependencies'])('looks in %s too', field => {
    expect(checkLock(lockWith({ jschardet: 'latest' }, field)).status).toBe(1);
  });

  it('fails on the root package as well', () => {
    const result = checkLock({ packages: { '': { name: 'app', devDependencies: { eslint: 'latest' } } } });
    expect(result.stderr).toContain('(root) requests eslint@"latest" in devDependencies');
    expect(result.status).toBe(1);
  });

  it.each([
    '4.0.0',
    '^4.0.0',
    '~4.0',
    '>=1.2.3 <2',
    '1.x || 2.x',
    '*',
    'x',
    'v1.0.0',
    '',
    'npm:other@^1.0.0',
    'file:../local',
    'workspace:*',
    'github:owner/repo',
    'owner/repo#main',
    'git+https://example.test/repo.git',
  ])('accepts "%s", which is a version, a range or a source', spec => {
    const result = checkLock(lockWith({ dep: spec }));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
