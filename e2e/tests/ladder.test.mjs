// An official tries to move a proposal up the ladder too early, reads what is missing,
// records it, and succeeds; the portal's chart shows where the proposals stand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, phone, login, look } from '../harness.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('an official moves too early, records the missing partnership and alternative, then moves', async () => {
  const { context, page, errors } = await phone(browser);
  // The demo's information system was heard and accepted in a Musdes of many groups, and
  // nobody has moved it up yet.
  await login(page, server.url, 'kades@majasari.desa.id', '/desa/majasari/usulan');
  await page.getByRole('link', { name: /Sistem informasi desa/ }).click();
  const proposalUrl = page.url();
  const ladder = page.locator('#tangga');
  assert.match(await ladder.innerText(), /Syarat naik ke tingkat berikutnya: 2\. Berkonsultasi/);

  await ladder.locator('summary', { hasText: 'Pindahkan tingkat keterlibatan' }).click();
  await page.getByLabel('Ke tingkat').selectOption('collaborate');
  await page.getByRole('button', { name: 'Pindahkan', exact: true }).click();
  await page.waitForURL(/\/tingkat$/);
  const missing = await page.locator('#belum-terpenuhi').innerText();
  assert.match(missing, /di luar pemerintah desa tercatat sebagai mitra/);
  assert.match(missing, /alternatif .* disusun bersama kelompok di luar pemerintah desa/);
  assert.doesNotMatch(missing, /Warga sudah didengar/, 'its feedback already counts for consult');
  await look(page, 'ladder-refused');

  await page.locator('#kemitraan summary').click();
  await page.locator('#kemitraan').getByLabel('Kelompok', { exact: true }).selectOption({ label: 'Karang Taruna Tunas Harapan' });
  await page.locator('#kemitraan').getByLabel('Sumbangan').selectOption('labour');
  await page.locator('#kemitraan').getByLabel('Catatan').fill('Pemuda membantu memasukkan data penduduk');
  await page.locator('#kemitraan').getByRole('button', { name: 'Catat' }).click();
  await page.waitForURL(/#kemitraan$/);
  assert.match(await ladder.innerText(), /Tenaga \(gotong royong\)/);

  // Collaborating is deciding together: an option weighed with the youth group.
  const alt = page.locator('#alternatif');
  await alt.locator('summary').click();
  await alt.getByLabel('Disusun bersama kelompok').selectOption({ label: 'Karang Taruna Tunas Harapan' });
  await alt.getByLabel('Nama alternatif').fill('Pendataan oleh pemuda dengan ponsel');
  await alt.getByLabel('Perkiraan biaya (Rp)').fill('Rp 4 juta');
  await alt.getByLabel('Untung dan ruginya').fill('Murah dan cepat; data perlu diperiksa ulang oleh kasi pemerintahan');
  await alt.getByRole('button', { name: 'Catat' }).click();
  await page.waitForURL(/#alternatif$/);
  assert.match(await ladder.innerText(), /Pendataan oleh pemuda dengan ponsel · Rp 4\.000\.000/);
  await look(page, 'ladder-alternative');

  await ladder.locator('summary', { hasText: 'Pindahkan tingkat keterlibatan' }).click();
  await page.getByLabel('Ke tingkat').selectOption('collaborate');
  await page.getByRole('button', { name: 'Pindahkan', exact: true }).click();
  await page.waitForURL(/#tangga$/);
  assert.equal(page.url().split('#')[0], proposalUrl);
  assert.match(await page.locator('.ladder [aria-current="step"]').innerText(), /4\. Bekerja sama/);
  assert.match(await ladder.innerText(), /Syarat naik ke tingkat berikutnya: 5\. Memberdayakan/);
  await look(page, 'ladder-moved');
  assert.match(await page.locator('main').innerText(), /Tingkat keterlibatan diubah \(Menginformasikan → Bekerja sama\)/);

  await page.goto(`${server.url}/desa/majasari`);
  const chart = await page.locator('section', { has: page.locator('#ladder-chart') }).innerText();
  assert.match(chart, /Bekerja sama\s+2/, 'the irrigation canal and now this one');
  await look(page, 'portal-ladder');
  assert.deepEqual(errors, []);
  await context.close();
});
