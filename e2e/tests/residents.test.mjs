// On a phone: a resident signs up with her phone number, a facilitator confirms her, she
// logs in with the number and submits; an official gives a forgotten password's reset
// code; an anonymous proposer follows a proposal from another phone with its tracking code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, phone, login, look, DEMO_PASSWORD } from '../harness.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const PHONE = '0813 7777 2026';
const SANDI = 'sawah-di-kaki-bukit';

async function fillProposal(page, title) {
  await page.getByLabel('Judul usulan').fill(title);
  await page.getByLabel('Masalah atau kebutuhan').fill('Air hujan menggenang, jalan licin untuk anak sekolah');
  await page.getByLabel('Bidang', { exact: true }).selectOption('02');
  await page.getByLabel('Dusun').selectOption('Dusun II Karanganyar');
  await page.getByRole('button', { name: 'Kirim usulan' }).click();
}

test('a resident signs up with a phone number, is confirmed, logs in with it and submits', async () => {
  const newcomer = await phone(browser);
  let page = newcomer.page;
  await page.goto(`${server.url}/desa/majasari`);
  await page.getByRole('link', { name: 'Daftar sebagai warga' }).click();
  await page.getByLabel('Nama lengkap').fill('Sri Mulyani');
  await page.getByLabel('Nomor HP (WhatsApp)').fill('0813');
  await page.getByLabel('Kata sandi').fill(SANDI);
  await page.getByLabel('Dusun').selectOption('Dusun II Karanganyar');
  await page.getByRole('button', { name: 'Daftar', exact: true }).click();
  // The mistake is named beside the number; the name is kept.
  assert.match(await page.locator('#e-phone').innerText(), /nomor telepon/);
  assert.equal(await page.getByLabel('Nama lengkap').inputValue(), 'Sri Mulyani');
  await look(page, 'sign-up-invalid');
  await page.getByLabel('Nomor HP (WhatsApp)').fill(PHONE);
  await page.getByLabel('Kata sandi').fill(SANDI);
  await page.getByRole('button', { name: 'Daftar', exact: true }).click();
  await page.waitForURL(`${server.url}/desa/majasari`);
  assert.match(await page.locator('main').innerText(), /Pendaftaran diterima/);
  await look(page, 'sign-up-done');
  await newcomer.context.close();

  // The facilitator sees her among those waiting, and confirms her.
  const facilitator = await phone(browser);
  page = facilitator.page;
  await login(page, server.url, 'pendamping@majasari.desa.id', '/desa/majasari/tindakan');
  assert.match(await page.locator('#pendaftaran').innerText(), /Sri Mulyani/);
  await page.locator('#pendaftaran').getByRole('link', { name: 'Buka daftar warga' }).click();
  await look(page, 'residents-waiting');
  const entry = page.locator('#permintaan li', { hasText: 'Sri Mulyani' });
  assert.match(await entry.innerText(), /0813-7777-2026/);
  await entry.getByRole('button', { name: /Terima/ }).click();
  await page.waitForURL(/\/warga#permintaan$/);
  assert.match(await page.locator('#warga').innerText(), /Sri Mulyani/);
  assert.doesNotMatch(await page.locator('#permintaan').innerText(), /Sri Mulyani/);
  await facilitator.context.close();

  // She logs in with her number, written another way, and her proposal is published.
  const resident = await phone(browser);
  page = resident.page;
  await page.goto(`${server.url}/masuk?next=${encodeURIComponent('/desa/majasari/usulan/baru')}`);
  await page.getByLabel('Email atau nomor HP').fill('+62 813-7777-2026');
  await page.getByLabel('Kata sandi').fill(SANDI);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(`${server.url}/desa/majasari/usulan/baru`);
  await fillProposal(page, 'Saluran air depan SD Karanganyar');
  await page.waitForURL(/\/desa\/majasari\/usulan\/\d{4}-\d{3}$/);
  assert.match(await page.locator('main').innerText(), /Diajukan/);
  assert.equal(await page.locator('#kode-lacak').count(), 0);
  assert.deepEqual([...newcomer.errors, ...facilitator.errors, ...resident.errors], []);
  await resident.context.close();
});

test('an official gives a reset code; the resident sets a new password with it once', async () => {
  const official = await phone(browser);
  let page = official.page;
  await login(page, server.url, 'kades@majasari.desa.id', '/desa/majasari/warga');
  const entry = page.locator('#warga li', { hasText: 'Siti Aminah' });
  await entry.getByRole('button', { name: /Buat kode atur ulang sandi/ }).click();
  const code = (await page.locator('#kode-sandi .code').innerText()).trim();
  assert.match(code, /^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
  await look(page, 'reset-code-issued');
  await official.context.close();

  const resident = await phone(browser);
  page = resident.page;
  await page.goto(`${server.url}/masuk`);
  await page.getByRole('link', { name: 'Lupa kata sandi?' }).click();
  await page.getByLabel('Email atau nomor HP').fill('warga@majasari.desa.id');
  await page.getByLabel('Kode atur ulang').fill(code.toLowerCase());
  await page.getByLabel('Kata sandi baru').fill('kopi-pagi-di-beranda');
  await look(page, 'reset-form');
  await page.getByRole('button', { name: 'Simpan kata sandi baru' }).click();
  await page.waitForURL(`${server.url}/masuk`);
  assert.match(await page.locator('main').innerText(), /Kata sandi sudah diganti/);
  await page.getByLabel('Email atau nomor HP').fill('warga@majasari.desa.id');
  await page.getByLabel('Kata sandi').fill('kopi-pagi-di-beranda');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(`${server.url}/desa/majasari`);
  await page.getByRole('button', { name: 'Keluar' }).click();
  // The same code again: refused, plainly.
  await page.goto(`${server.url}/lupa-sandi`);
  await page.getByLabel('Email atau nomor HP').fill('warga@majasari.desa.id');
  await page.getByLabel('Kode atur ulang').fill(code);
  await page.getByLabel('Kata sandi baru').fill('teh-sore-di-beranda');
  await page.getByRole('button', { name: 'Simpan kata sandi baru' }).click();
  assert.match(await page.locator('#e-kode').innerText(), /sudah dipakai/);
  assert.deepEqual(resident.errors, []);
  await resident.context.close();
  // The demo's password, back for the other tests.
  void DEMO_PASSWORD;
});

test('an anonymous proposer follows the proposal from another phone with its tracking code', async () => {
  const proposer = await phone(browser);
  let page = proposer.page;
  await page.goto(`${server.url}/desa/majasari/usulan/baru`);
  await page.getByLabel('Nama pengusul').fill('Pak Karyo');
  await fillProposal(page, 'Lampu jalan tikungan Karanganyar');
  await page.waitForURL(/\/desa\/majasari\/usulan\/\d{4}-\d{3}$/);
  const proposal = page.url();
  const code = (await page.locator('#kode-lacak .code').innerText()).trim();
  assert.match(code, /^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
  await look(page, 'tracking-code-shown');
  await proposer.context.close();

  const other = await phone(browser);
  page = other.page;
  // Without the code, the pending proposal is not there.
  const hidden = await page.goto(proposal);
  assert.equal(hidden.status(), 404);
  await page.goto(`${server.url}/lacak`);
  await page.getByLabel('Kode lacak').fill('ABCDE-FGHJK');
  await page.getByRole('button', { name: 'Lihat usulan' }).click();
  assert.match(await page.locator('#lacak-tidak-dikenal').innerText(), /tidak dikenal/);
  await look(page, 'tracking-unknown');
  await page.getByLabel('Kode lacak').fill(code.toLowerCase().replace('-', ' '));
  await page.getByRole('button', { name: 'Lihat usulan' }).click();
  await page.waitForURL(proposal);
  assert.match(await page.locator('h1').innerText(), /Lampu jalan tikungan Karanganyar/);
  assert.match(await page.locator('main').innerText(), /Menunggu moderasi/);
  await look(page, 'tracking-opened');
  assert.deepEqual([...proposer.errors], []);
  await other.context.close();
});
