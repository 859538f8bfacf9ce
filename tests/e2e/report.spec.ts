import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fixturesDir } from '../support/fixtures.js';
import { installedVersion, npm, run } from './support.js';

/*
 * `npx next-actions report` as a user runs it: the bin of the installed tarball, in a copy of the
 * example app. Its SARIF is checked against the official SARIF 2.1.0 schema (the copy that
 * Microsoft's jest-sarif package ships, installed here with the validator it was written for), and
 * its HTML is opened in a real headless Chromium.
 */

const SCHEMA_PACKAGE = '@microsoft/jest-sarif@1.0.0-beta.0';
const SCHEMA_FILE = 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let workDir: string;
let app: string;
let tools: string;

function report(args: readonly string[]) {
  return run(process.execPath, [path.join(app, 'node_modules/.bin/next-actions'), 'report', ...args], app, { NO_COLOR: '1' });
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'next-actions-report-'));
  app = path.join(workDir, 'app');
  cpSync(path.join(fixturesDir, 'next-app'), app, { recursive: true, filter: source => path.basename(source) !== 'node_modules' });
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'e2e-report-app', private: true, dependencies: { next: '^16.0.0' } }, null, 2));
  tools = path.join(workDir, 'tools');
  const [appInstall, toolInstall] = await Promise.all([
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', inject('tarball'), `eslint@${installedVersion('eslint')}`, `typescript@${installedVersion('typescript')}`], app),
    npm(['install', '--prefix', tools, '--no-audit', '--no-fund', '--loglevel=error', SCHEMA_PACKAGE, 'ajv@6.12.6'], workDir),
  ]);
  if (appInstall.code !== 0) throw new Error(`npm install failed in ${app}:\n${appInstall.stderr}`);
  if (toolInstall.code !== 0) throw new Error(`installing the SARIF schema failed:\n${toolInstall.stderr}`);
}, 300_000);

afterAll(() => {
  if (workDir && !process.env.KEEP_E2E) rmSync(workDir, { recursive: true, force: true });
});

describe('npx next-actions report on the installed package', () => {
  it('prints the text report of the app it runs in', async () => {
    const result = await report([]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Server surface of .');
    expect(result.stdout).toMatch(/^createPost\s+app\/posts\/actions\.ts:7\s+file-level\s+client ×4, form ×1/m);
  });

  it('writes SARIF that the official SARIF 2.1.0 schema accepts, with help URIs', async () => {
    const output = path.join(workDir, 'surface.sarif');
    const result = await report(['--format', 'sarif', '--output', output]);
    expect(result.code).toBe(0);
    const sarif = JSON.parse(readFileSync(output, 'utf8'));
    const requireTool = createRequire(path.join(tools, 'package.json'));
    const Ajv = requireTool('ajv') as new (options: object) => {
      addMetaSchema(schema: object): void;
      compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown };
    };
    const schema = JSON.parse(readFileSync(path.join(tools, SCHEMA_FILE), 'utf8'));
    // The SARIF schema is written in JSON Schema draft 4, which ajv 6 knows but does not load by default.
    const ajv = new Ajv({ allErrors: true, schemaId: 'auto' });
    ajv.addMetaSchema(requireTool('ajv/lib/refs/json-schema-draft-04.json') as object);
    const validate = ajv.compile(schema);
    const valid = validate(sarif);
    expect(validate.errors ?? null).toBeNull();
    expect(valid).toBe(true);
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    for (const rule of sarif.runs[0].tool.driver.rules) expect(rule.helpUri).toMatch(/^https:\/\/.+\/docs\/rules\/.+\.md$/);
  });

  it('writes an HTML page that renders in headless Chromium with no console error and the picture', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is needed (Debian package chromium; .ci/run installs it)`).toBe(true);
    const output = path.join(workDir, 'surface.html');
    const result = await report(['--format', 'html', '--output', output]);
    expect(result.code).toBe(0);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', message => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
      });
      page.on('pageerror', error => problems.push(error.message));
      page.on('request', request => requests.push(request.url()));
      await page.goto(`file://${output}`);
      expect(problems).toEqual([]);
      expect(requests.filter(url => !url.startsWith('file://'))).toEqual([]);
      const pictures = page.locator('figure svg');
      expect(await pictures.count()).toBe(2);
      const box = await pictures.first().boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(await page.locator('figure svg .node').count()).toBeGreaterThan(10);
      expect(await page.locator('table tr').count()).toBeGreaterThan(10);
    } finally {
      await browser.close();
    }
  });
});
