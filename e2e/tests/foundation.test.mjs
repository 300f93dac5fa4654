// Every demo role logs in, opens the village portal, switches language and logs out,
// on a phone-sized screen; every page passes axe-core without serious violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, phone, look, DEMO_PASSWORD as PASSWORD } from '../harness.mjs';

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

for (const [role, email, name] of ROLES) {
  test(`${role} logs in, opens the portal, switches language and logs out`, async () => {
    const { context, page, errors } = await phone(browser);
    await page.goto(`${server.url}/desa/majasari`);
    await look(page, `portal-public`);
    await page.getByRole('link', { name: 'Masuk' }).click();
    await page.getByLabel('Email atau nomor HP').fill(email);
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await look(page, `login-${role}`);
    await page.getByRole('button', { name: 'Masuk' }).click();
    // Back on the portal the login started from, with the person's name.
    await page.waitForURL(`${server.url}/desa/majasari`);
    assert.match(await page.locator('header.top').innerText(), new RegExp(name));
    assert.match(await page.locator('h1').innerText(), /Majasari/);
    await look(page, `portal-${role}-id`);

    await page.getByRole('link', { name: 'English' }).click();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.match(await page.locator('main').innerText(), /Village facts/);
    await look(page, `portal-${role}-en`);
    // The choice is remembered on the next page.
    await page.getByRole('link', { name: 'Home' }).click();
    assert.match(await page.locator('h1').innerText(), /Villages on this installation/);

    if (role === 'admin') {
      await page.getByRole('link', { name: 'Administration' }).click();
      assert.match(await page.locator('h1').innerText(), /Villages/);
      await look(page, 'admin-villages-en');
      await page.getByRole('link', { name: 'Accounts' }).click();
      await look(page, 'admin-accounts-en');
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
  const { context, page, errors } = await phone(browser);
  await page.goto(`${server.url}/masuk?next=/admin/desa/baru`);
  await page.getByLabel('Email atau nomor HP').fill('admin@majasari.desa.id');
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
  await look(page, 'admin-village-invalid');
  await page.getByLabel('Kode desa (Kemendagri)').fill('32.03.11.2004');
  await page.getByRole('button', { name: 'Simpan' }).click();
  await page.waitForURL(`${server.url}/desa/sukamaju`);
  assert.match(await page.locator('main').innerText(), /Dusun Kidul/);
  assert.match(await page.locator('main').innerText(), /32\.03\.11\.2004/);
  await look(page, 'portal-new-village');
  assert.deepEqual(errors, []);
  await context.close();
});

test('error pages are in the layout and pass axe-core', async () => {
  const { context, page } = await phone(browser);
  const response = await page.goto(`${server.url}/desa/tidak-ada`);
  assert.equal(response.status(), 404);
  assert.match(await page.locator('h1').innerText(), /Halaman tidak ditemukan/);
  await look(page, 'error-404');
  await context.close();
});

test('a crafted login link never sends the browser off the site', async () => {
  // `next` as an attacker would write it into a link; Chromium itself reads the answer.
  const tricky = ['/%09/127.0.0.1:4299/pwned.html', '/%5C127.0.0.1:4299/', '%2F%2F127.0.0.1:4299/',
    '/%0D%0A/127.0.0.1:4299/', '%09//127.0.0.1:4299/', '/%2F127.0.0.1:4299/', 'https:127.0.0.1:4299/'];
  const { context, page } = await phone(browser);
  const origin = new URL(server.url).origin;
  for (const [i, next] of tricky.entries()) {
    await page.goto(`${server.url}/masuk?next=${next}`);
    if (i === 0) {
      // The login form carries `next` and the POST follows the same rule.
      await page.getByLabel('Email atau nomor HP').fill('warga@majasari.desa.id');
      await page.getByLabel('Kata sandi').fill(PASSWORD);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForLoadState('load');
    }
    assert.equal(new URL(page.url()).origin, origin, `next=${next} left the site: ${page.url()}`);
    assert.match(await page.locator('header.top').innerText(), /Siti Aminah/, `next=${next}: still logged in`);
  }
  await context.close();
});
