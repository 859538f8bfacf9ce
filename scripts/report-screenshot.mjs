// `npm run report:screenshot`: renders the HTML report of fixtures/next-app in headless Chromium
// and saves docs/images/report.png, the picture the README shows. Needs `npm run build` first and
// Debian's chromium (or CHROMIUM_PATH).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { runCli } from '../dist/report/cli.js';
import { repoRoot } from './link-example-app.js';

const temp = mkdtempSync(path.join(os.tmpdir(), 'next-actions-screenshot-'));
const html = path.join(temp, 'report.html');
const code = await runCli(['report', 'fixtures/next-app', '--format', 'html', '--output', html], {
  cwd: repoRoot,
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
if (code !== 0) process.exit(code);

const output = path.join(repoRoot, 'docs/images/report.png');
mkdirSync(path.dirname(output), { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`file://${html}`);
  await page.screenshot({ path: output, fullPage: false });
  console.log(`Wrote ${path.relative(repoRoot, output)}`);
} finally {
  await browser.close();
  rmSync(temp, { recursive: true, force: true });
}
