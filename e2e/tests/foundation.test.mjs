// Every demo role logs in, opens the village portal, switches language and logs out,
// on a phone-sized screen; every page passes axe-core without serious violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launch, accessibilityProblems, watchConsole, shots, backend } from '../harness.mjs';

const PASSWORD = 'majasari-demo-2026';
const ROLES = [
  ['admin', 'admin@majasari.desa.id', 'Admin Kabupaten'],
  ['official', 'kades@majasari.desa.id', 'Sutrisno'],
  ['facilitator', 'pendamping@majasari.desa.id', 'Rina Wulandari'],
  ['resident', 'warga@majasari.desa.id', 'Siti Aminah'],
];

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function phone() {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors = [];
  watchConsole(page, errors);
  return { context, page, errors };
}

async function checkPage(page, name) {
  await page.screenshot({ path: join(shots, `${backend()}-${name}.png`), fullPage: true });
  const problems = await accessibilityProblems(page);
  assert.deepEqual(problems, [], `${name}: accessibility problems`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `${name}: the page is ${wide}px wide on a 360px screen`);
}

for (const [role, email, name] of ROLES) {
  test(`${role} logs in, opens the portal, switches language and logs out`, async () => {
    const { context, page, errors } = await phone();
    await page.goto(`${server.url}/desa/majasari`);
    await checkPage(page, `portal-public`);
    await page.getByRole('link', { name: 'Masuk' }).click();
    await page.getByLabel('Alamat email').fill(email);
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await checkPage(page, `login-${role}`);
    await page.getByRole('button', { name: 'Masuk' }).click();
    // Back on the portal the login started from, with the person's name.
    await page.waitForURL(`${server.url}/desa/majasari`);
    assert.match(await page.locator('header.top').innerText(), new RegExp(name));
    assert.match(await page.locator('h1').innerText(), /Majasari/);
    await checkPage(page, `portal-${role}-id`);

    await page.getByRole('link', { name: 'English' }).click();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.match(await page.locator('main').innerText(), /Village facts/);
    await checkPage(page, `portal-${role}-en`);
    // The choice is remembered on the next page.
    await page.getByRole('link', { name: 'Home' }).click();
    assert.match(await page.locator('h1').innerText(), /Villages on this installation/);

    if (role === 'admin') {
      await page.getByRole('link', { name: 'Administration' }).click();
      assert.match(await page.locator('h1').innerText(), /Villages/);
      await checkPage(page, 'admin-villages-en');
      await page.getByRole('link', { name: 'Accounts' }).click();
      await checkPage(page, 'admin-accounts-en');
    }

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${server.url}/`);
    assert.match(await page.locator('header.top').innerText(), /Log in/);
    assert.doesNotMatch(await page.locator('header.top').innerText(), new RegExp(name));
    assert.deepEqual(errors, [], 'no console errors (CSP included)');
    await context.close();
  });
}

test('an admin adds a village with one mistake, fixes it and sees its portal', async () => {
  const { context, page, errors } = await phone();
  await page.goto(`${server.url}/masuk?next=/admin/desa/baru`);
  await page.getByLabel('Alamat email').fill('admin@majasari.desa.id');
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(`${server.url}/admin/desa/baru`);
  await page.getByLabel('Nama desa').fill('Sukamaju');
  await page.getByLabel('Alamat singkat (slug)').fill('sukamaju');
  await page.getByLabel('Kode desa (Kemendagri)').fill('12.34.56');
  await page.getByLabel('Dusun').fill('Dusun Kaler, Dusun Kidul');
  await page.getByRole('button', { name: 'Simpan' }).click();
  // The mistake is named beside its field; what was typed is still there.
  assert.match(await page.locator('#e-code').innerText(), /10 angka/);
  assert.equal(await page.getByLabel('Dusun').inputValue(), 'Dusun Kaler, Dusun Kidul');
  await checkPage(page, 'admin-village-invalid');
  await page.getByLabel('Kode desa (Kemendagri)').fill('32.03.11.2004');
  await page.getByRole('button', { name: 'Simpan' }).click();
  await page.waitForURL(`${server.url}/desa/sukamaju`);
  assert.match(await page.locator('main').innerText(), /Dusun Kidul/);
  assert.match(await page.locator('main').innerText(), /32\.03\.11\.2004/);
  await checkPage(page, 'portal-new-village');
  assert.deepEqual(errors, []);
  await context.close();
});

test('error pages are in the layout and pass axe-core', async () => {
  const { context, page } = await phone();
  const response = await page.goto(`${server.url}/desa/tidak-ada`);
  assert.equal(response.status(), 404);
  assert.match(await page.locator('h1').innerText(), /Halaman tidak ditemukan/);
  await checkPage(page, 'error-404');
  await context.close();
});
