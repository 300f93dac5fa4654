// Starts a real `musdes serve --demo` on a fresh database and a headless Debian chromium.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const shots = join(root, 'target', 'e2e');
mkdirSync(shots, { recursive: true });

/** A database of its own for each server, so one test file never sees another's records:
 * on PostgreSQL (E2E_DATABASE_URL, in CI) a new database made beside that one with psql
 * and dropped when the server stops; else a new SQLite file. */
function freshDatabase() {
  const pg = process.env.E2E_DATABASE_URL;
  if (pg) {
    const name = `musdes_e2e_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    execFileSync('psql', [pg, '-q', '-c', `CREATE DATABASE ${name}`]);
    return {
      url: pg.replace(/\/[^/]*$/, `/${name}`),
      drop: () => execFileSync('psql', [pg, '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'musdes-e2e-'));
  return { url: `sqlite://${join(dir, 'musdes.db')}`, drop: () => {} };
}

export const backend = () => (process.env.E2E_DATABASE_URL ? 'postgres' : 'sqlite');

/** A loopback port free at this moment. */
async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The server on a port known beforehand, so that its public address (what printed QR
 * codes carry) is its real one. */
export async function startServer() {
  const bin = process.env.MUSDES_BIN ?? join(root, 'target', 'debug', 'musdes');
  const port = await freePort();
  const database = freshDatabase();
  const child = spawn(bin, ['serve', '--demo', '--bind', `127.0.0.1:${port}`], {
    env: { ...process.env, DATABASE_URL: database.url, MUSDES_LOG: 'warn', MUSDES_PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('musdes did not start in 30 s')), 30_000);
    lines.on('line', (line) => {
      const m = line.match(/serving on (http:\/\/[^/]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => reject(new Error(`musdes exited with ${code}`)));
  });
  return {
    url,
    async stop() {
      const done = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await done;
      database.drop();
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update',
      '--disable-gpu', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}

const axeSource = readFileSync(join(root, 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page (evaluated outside the page's CSP). */
export async function accessibilityProblems(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => globalThis.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Fails the test on any console error, CSP violations included. */
export function watchConsole(page, errors) {
  // A 4xx answer the test expects (422 for a wrong form) is logged by chromium too; skip those.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/responded with a status of 4\d\d/.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
}

export const DEMO_PASSWORD = 'majasari-demo-2026';

/** A new browser context the size of a cheap Android phone, with its console watched. */
export async function phone(browser) {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors = [];
  watchConsole(page, errors);
  return { context, page, errors };
}

/** Logs in as a demo account through the login form and waits to arrive at `next`. */
export async function login(page, baseUrl, email, next) {
  await page.goto(`${baseUrl}/masuk?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email atau nomor HP').fill(email);
  await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(`${baseUrl}${next}`);
}

/** The texts of a drawing (an inline SVG: charts, the network map) whose boxes, as
 *  rendered, overlap another text of the same drawing: `"a" × "b"`. */
export async function overlappingTexts(page) {
  return page.evaluate(() => {
    const found = [];
    for (const svg of document.querySelectorAll('svg')) {
      const boxes = [...svg.querySelectorAll('text')]
        .map((t) => [t.textContent.trim(), t.getBoundingClientRect()])
        .filter(([, r]) => r.width > 0 && r.height > 0);
      for (let i = 0; i < boxes.length; i += 1) {
        for (let j = i + 1; j < boxes.length; j += 1) {
          const [a, A] = boxes[i];
          const [b, B] = boxes[j];
          if (A.left < B.right && B.left < A.right && A.top < B.bottom && B.top < A.bottom) {
            found.push(`"${a}" × "${b}"`);
          }
        }
      }
    }
    return found;
  });
}

/** Saves a screenshot, then fails on serious accessibility problems, on texts of a drawing
 *  lying on each other, or on a page wider than the phone. */
export async function look(page, name) {
  await page.screenshot({ path: join(shots, `${backend()}-${name}.png`), fullPage: true });
  assert.deepEqual(await accessibilityProblems(page), [], `${name}: accessibility problems`);
  assert.deepEqual(await overlappingTexts(page), [], `${name}: texts of a drawing overlap`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `${name}: the page is ${wide}px wide on a 360px screen`);
}
