// On a phone: a resident submits a proposal with one mistake, fixes it and sees its
// number; another resident raises a concern; the official answers it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, phone, login, look } from '../harness.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('a resident submits with one mistake, fixes it and sees the number; an official answers a concern', async () => {
  const resident = await phone(browser);
  let page = resident.page;
  await login(page, server.url, 'warga@majasari.desa.id', '/desa/majasari/usulan/baru');
  await page.getByLabel('Judul usulan').fill('Perbaikan jembatan bambu Dusun III');
  await page.getByLabel('Masalah atau kebutuhan').fill('Jembatan lapuk, anak sekolah harus memutar 2 km');
  await page.getByLabel('Bidang', { exact: true }).selectOption('02');
  await page.getByLabel('Dusun').selectOption('Dusun III Sidamulya');
  await page.getByLabel('Perkiraan biaya').fill('Rp 25.000.000,5');
  await page.getByRole('button', { name: 'Kirim usulan' }).click();
  // The mistake is named beside the field; everything typed is still there.
  assert.match(await page.locator('#e-estimated_cost').innerText(), /rupiah utuh/);
  assert.equal(await page.getByLabel('Judul usulan').inputValue(), 'Perbaikan jembatan bambu Dusun III');
  await look(page, 'proposal-invalid');
  // As villages say it: "25 jt" is twenty-five million.
  await page.getByLabel('Perkiraan biaya').fill('Rp 25 jt');
  await page.getByRole('button', { name: 'Kirim usulan' }).click();
  await page.waitForURL(/\/desa\/majasari\/usulan\/\d{4}-\d{3}$/);
  const number = page.url().split('/').pop();
  assert.match(await page.locator('main').innerText(), new RegExp(number));
  assert.match(await page.locator('main').innerText(), /Rp 25\.000\.000/);
  assert.match(await page.locator('main').innerText(), /Rp 25\.000\.000/);
  await look(page, 'proposal-submitted');
  await resident.context.close();

  const neighbour = await phone(browser);
  page = neighbour.page;
  await login(page, server.url, 'pendamping@majasari.desa.id', `/desa/majasari/usulan/${number}`);
  await page.getByLabel('Kekhawatiran').check();
  await page.getByLabel('Tanggapan Anda').fill('Apakah jembatan baru kuat dilewati motor?');
  await page.getByRole('button', { name: 'Kirim tanggapan' }).click();
  await page.waitForURL(new RegExp(`${number}#tanggapan$`));
  await neighbour.context.close();

  const official = await phone(browser);
  page = official.page;
  await login(page, server.url, 'kades@majasari.desa.id', `/desa/majasari/usulan/${number}`);
  assert.match(await page.locator('#tanggapan').innerText(), /belum dijawab: 1/);
  await page.locator('#tanggapan summary', { hasText: 'Jawab' }).first().click();
  await page.getByLabel('Jawaban', { exact: true }).fill('Ya, dirancang untuk motor dan gerobak.');
  await page.getByRole('button', { name: 'Kirim jawaban' }).click();
  await page.waitForURL(/#t-/);
  const thread = await page.locator('#tanggapan').innerText();
  assert.match(thread, /belum dijawab: 0/);
  assert.match(thread, /dirancang untuk motor/);
  await look(page, 'proposal-answered');
  assert.deepEqual([...resident.errors, ...neighbour.errors, ...official.errors], []);
  await official.context.close();
});

test('while typing a title, a similar proposal is offered (with JavaScript)', async () => {
  const { context, page, errors } = await phone(browser);
  await login(page, server.url, 'warga@majasari.desa.id', '/desa/majasari/usulan/baru');
  await page.getByLabel('Judul usulan').pressSequentially('Perbaikan jembatan bambu', { delay: 20 });
  await page.locator('#similar').waitFor({ state: 'visible' });
  assert.match(await page.locator('#similar').innerText(), /jembatan bambu Dusun III/);
  await look(page, 'proposal-similar-while-typing');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the proposal list filters without JavaScript', async () => {
  const { context, page } = await phone(browser);
  await page.goto(`${server.url}/desa/majasari/usulan?q=jembatan`);
  assert.match(await page.locator('main').innerText(), /jembatan bambu/i);
  await look(page, 'proposal-list');
  await page.goto(`${server.url}/desa/majasari/usulan?q=tidakada`);
  assert.match(await page.locator('main').innerText(), /Tidak ada usulan yang cocok/);
  await context.close();
});
