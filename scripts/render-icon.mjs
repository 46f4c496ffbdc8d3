// Renders media/icon.svg to media/icon.png (128×128), the picture VS Code shows for the extension
// and its walkthrough: the Marketplace and `vsce` take a PNG icon, not an SVG. Needs the test bed's
// Chromium (scripts/testbed/install.sh). Run it after editing the SVG and commit both.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, launchBrowser } from './testbed/server.mjs';

const svg = readFileSync(path.join(REPO_ROOT, 'media/icon.svg'), 'utf8');
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: path.join(REPO_ROOT, 'media/icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
