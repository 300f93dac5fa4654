// The engagement statistics on a phone, in both languages: charts with their numbers in
// tables, a period that can be chosen, and a clear message for a reversed period.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, phone, login, look, overlappingTexts } from '../harness.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('the statistics page shows the demo village engaged, and refuses a reversed period', async () => {
  const { context, page, errors } = await phone(browser);
  await page.goto(`${server.url}/desa/majasari/statistik?from=2000-01-01`);
  const main = await page.locator('main').innerText();
  // Everyone the demo's held meetings recorded, since 2000: nineteen people, and 32
  // attendances of women in the gender chart (each file of these tests has a database of
  // its own, so the figures are the demo's alone).
  assert.equal(Number(main.match(/Warga yang ikut\s+(\d+)/)[1]), 19, main);
  assert.equal(Number(main.match(/Perempuan\s+(\d+)/)[1]), 32, main);
  assert.match(main, /Belum pernah didengar/);
  await look(page, 'stats-id');
  await page.getByRole('link', { name: 'English' }).click();
  assert.match(await page.locator('h1').innerText(), /Engagement statistics/);
  await look(page, 'stats-en');
  await page.goto(`${server.url}/desa/majasari/statistik?lang=id`);
  await page.getByLabel('Dari tanggal').fill('2026-12-31');
  await page.getByLabel('Sampai tanggal').fill('2026-01-01');
  await page.getByRole('button', { name: 'Tampilkan' }).click();
  assert.match(await page.locator('#e-to').innerText(), /tidak boleh sebelum/);
  await look(page, 'stats-invalid');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the stakeholder map is drawn with its table and prompts, and a facilitator adds a tie', async () => {
  const { context, page, errors } = await phone(browser);
  await page.goto(`${server.url}/desa/majasari/jejaring`);
  const main = await page.locator('main').innerText();
  assert.match(main, /tidak terhubung ke pemerintah desa atau BPD: Forum Difabel Majasari/);
  assert.match(main, /Universitas Jenderal Soedirman/);
  // Six ties and this year's coalition of PKK and the bamboo craftspeople.
  assert.equal(await page.locator('svg line').count(), 7);
  assert.match(main, /Koalisi · sejak \d{4} · Koordinator: Ibu Wartini · sampai 31 Desember/);
  await look(page, 'network-public');
  await login(page, server.url, 'pendamping@majasari.desa.id', '/desa/majasari/jejaring');
  await page.locator('summary', { hasText: 'Catat hubungan' }).click();
  await page.getByLabel('Kelompok', { exact: true }).selectOption({ label: 'Forum Difabel Majasari' });
  await page.getByLabel('Dengan kelompok').selectOption({ label: 'PKK Desa Majasari' });
  await page.getByRole('button', { name: 'Simpan hubungan' }).click();
  await page.waitForURL(/#hubungan$/);
  assert.doesNotMatch(await page.locator('main').innerText(), /tidak terhubung ke pemerintah desa atau BPD: Forum Difabel/);
  await look(page, 'network-facilitator');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a facilitator maps a group on a phone: the questions left, an answer, a dated history entry', async () => {
  const { context, page, errors } = await phone(browser);
  await login(page, server.url, 'pendamping@majasari.desa.id', '/desa/majasari/kelompok');
  await page.getByRole('link', { name: 'Forum Difabel Majasari' }).click();
  const left = page.locator('#belum-terjawab');
  assert.match(await left.innerText(), /1\. Mengapa kelompok ini terlibat/);
  assert.match(await left.innerText(), /6\. Mengapa hubungannya dengan pemerintah desa/);
  await page.locator('summary', { hasText: 'Pemetaan kelompok' }).click();
  await page.getByLabel('Mengapa kelompok ini ikut terlibat').fill('Agar fasilitas desa bisa dipakai anggota berkursi roda');
  await page.getByLabel('Tetangga').check();
  await page.getByRole('button', { name: 'Simpan', exact: true }).click();
  await page.waitForURL(/\/kelompok\/[0-9a-f-]+$/);
  assert.match(await page.locator('#profil').innerText(), /berkursi roda/);
  assert.doesNotMatch(await left.innerText(), /1\. Mengapa/);
  // History: a year ahead is refused beside the field, what was typed kept.
  await page.locator('summary', { hasText: 'Tambah catatan riwayat' }).click();
  await page.getByLabel('Tahun', { exact: true }).fill('2090');
  await page.getByLabel('Jenis perubahan').selectOption({ label: 'Keanggotaan berubah' });
  await page.getByLabel('Apa yang terjadi atau berubah').fill('Anggota dari Dusun III ikut bergabung');
  await page.getByRole('button', { name: 'Simpan catatan' }).click();
  assert.match(await page.locator('#e-year').innerText(), /tahun yang masuk akal/);
  assert.equal(await page.getByLabel('Apa yang terjadi atau berubah').inputValue(), 'Anggota dari Dusun III ikut bergabung');
  await page.getByLabel('Tahun', { exact: true }).fill('2023');
  await page.getByRole('button', { name: 'Simpan catatan' }).click();
  await page.waitForURL(/#riwayat$/);
  assert.match(await page.locator('#riwayat').innerText(), /2023 · Keanggotaan berubah — Anggota dari Dusun III ikut bergabung/);
  await look(page, 'group-mapping');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the villages of the installation side by side, sortable without JavaScript', async () => {
  const { context, page, errors } = await phone(browser);
  await page.goto(`${server.url}/statistik?from=2000-01-01`);
  assert.match(await page.locator('h1').innerText(), /Keterlibatan warga antardesa/);
  const row = (await page.locator('table').innerText()).match(/Majasari\s+(\d+)/);
  assert.equal(Number(row?.[1]), 19, 'Majasari with its nineteen participants');
  await page.getByRole('link', { name: 'Koefisien Gini' }).click();
  assert.match(page.url(), /sort=gini/);
  await look(page, 'villages-compared');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the overlap check of look() sees texts that lie on each other', async () => {
  const { context, page } = await phone(browser);
  await page.setContent(`<svg viewBox="0 0 320 40" width="320">
    <text x="0" y="18" font-size="13">Belum pernah didengar</text>
    <text x="140" y="19" font-size="13">0</text>
    <text x="0" y="38" font-size="13">Apart</text></svg>`);
  assert.deepEqual(await overlappingTexts(page), ['"Belum pernah didengar" × "0"']);
  await context.close();
});
