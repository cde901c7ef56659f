#!/usr/bin/env node
// Renders resources/icons/icon.svg to the app icon (resources/icons/icon.png, 512 px, for electron-builder) and the
// favicon (src/renderer/public/favicon.ico: 16/32/48 px PNG entries) with the system Chromium. Run after editing
// the SVG; the outputs are committed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svg = fs.readFileSync(path.join(root, 'resources/icons/icon.svg'), 'utf8');

const browser = await chromium.launch({
  executablePath: process.env.PAIGE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
async function render(size) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const sized = svg.replace(/width="512" height="512"/, `width="${size}" height="${size}"`);
  await page.setContent(`<html><body style="margin:0;background:transparent">${sized}</body></html>`);
  const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  await page.close();
  return png;
}
try {
  fs.writeFileSync(path.join(root, 'resources/icons/icon.png'), await render(512));
  const sizes = [16, 32, 48];
  const pngs = [];
  for (const s of sizes) pngs.push(await render(s));
  // ICO: a 6-byte header, one 16-byte directory entry per image, then the PNG data.
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(sizes.length, 4);
  let offset = 6 + 16 * sizes.length;
  const entries = sizes.map((s, i) => {
    const e = Buffer.alloc(16);
    e.writeUInt8(s, 0);
    e.writeUInt8(s, 1);
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(pngs[i].length, 8);
    e.writeUInt32LE(offset, 12);
    offset += pngs[i].length;
    return e;
  });
  fs.mkdirSync(path.join(root, 'src/renderer/public'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src/renderer/public/favicon.ico'), Buffer.concat([header, ...entries, ...pngs]));
} finally {
  await browser.close();
}
