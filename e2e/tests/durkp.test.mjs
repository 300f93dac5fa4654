// The DU-RKP seen from the kecamatan: on a desk (1280 px) the kecamatan's staff see where
// each village of the kecamatan stands and what waits for an answer, print the village's
// DU-RKP to PDF, and, on a phone (360 px), change an answer that then shows on the proposal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, accessibilityProblems, phone, login, look, shots, backend, watchConsole } from '../harness.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

// The demo's last planning year set this year's RKP Desa and its DU-RKP.
const year = new Date().getUTCFullYear();

test('the kecamatan sees its villages, prints a DU-RKP and changes an answer that reaches the proposal', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  watchConsole(page, errors);
  await login(page, server.url, 'kecamatan@bobotsari.go.id', '/kecamatan');
  const main = await page.locator('main').innerText();
  assert.match(main, /Majasari/);
  assert.match(main, /Tahap sekarang/);
  await page.screenshot({ path: join(shots, `${backend()}-kecamatan-desk.png`), fullPage: true });
  assert.deepEqual(await accessibilityProblems(page), []);
  await page.goto(`${server.url}/desa/majasari/rkp/${year}/du-rkp`);
  const list = await page.locator('main').innerText();
  assert.match(list, /Penggantian jembatan gantung Kali Klawing/);
  assert.match(list, /Diakomodasi/);
  assert.match(list, /Kabupaten\/kota/);

  // Printed by Chromium on A4: the form, the answer and the kepala desa's signature space.
  const pdf = join(shots, `${backend()}-du-rkp.pdf`);
  writeFileSync(pdf, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  const info = execFileSync('pdfinfo', [pdf]).toString();
  assert.match(info, /Page size:\s+841\.\d+ x 59[45]\.\d+ pts \(A4\)/, "A4 landscape");
  const text = execFileSync('pdftotext', [pdf, '-']).toString().replace(/\s+/g, ' ');
  for (const want of ['DAFTAR USULAN RENCANA KERJA PEMERINTAH DESA (DU-RKP DESA) TAHUN', 'Kecamatan Bobotsari, Kabupaten Purbalingga',
    'Kali Klawing', '650.000.000', 'Kabupaten/kota', 'Diakomodasi', 'Kepala Desa Majasari', 'Sutrisno']) {
    assert.ok(text.includes(want), `the printed DU-RKP shows ${want}:\n${text}`);
  }
  assert.ok(!text.includes('Beri jawaban') && !text.includes('Ubah jawaban'), 'no forms on paper');

  // The Peraturan Desa that set this year's RKP Desa: its body on A4 portrait, the plan's
  // matrix as the lampiran on A4 landscape.
  await page.goto(`${server.url}/desa/majasari/rkp/${year}/perdes`);
  const perdes = join(shots, `${backend()}-perdes-rkp.pdf`);
  writeFileSync(perdes, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  const sizes = execFileSync('pdfinfo', ['-f', '1', '-l', '9', perdes]).toString();
  const pages = [...sizes.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)/g)].map((m) => Number(m[1]) > Number(m[2]) ? 'landscape' : 'portrait');
  assert.equal(pages[0], 'portrait', sizes);
  assert.equal(pages.at(-1), 'landscape', sizes);
  const body = execFileSync('pdftotext', ['-f', '1', '-l', '1', perdes, '-']).toString().replace(/\s+/g, ' ');
  for (const want of ['PERATURAN DESA MAJASARI', `TENTANG RENCANA KERJA PEMERINTAH DESA TAHUN ${year}`, 'Dengan Kesepakatan Bersama',
    `Musrenbangdes RKP Desa ${year}`, 'Pasal 3', 'disampaikan kepada Bupati/Wali Kota melalui camat']) {
    assert.ok(body.includes(want), `the Perdes shows ${want}:\n${body}`);
  }
  // The lampiran, on its landscape pages: the standing items of bidang 01 first, then the proposals.
  const first = pages.indexOf('landscape') + 1;
  const annex = execFileSync('pdftotext', ['-f', String(first), '-l', String(pages.length), perdes, '-']).toString().replace(/\s+/g, ' ');
  for (const want of ['LAMPIRAN PERATURAN DESA MAJASARI', 'Insentif RT dan RW', 'Jumlah bidang 01 Rp 300.000.000', '02.04.11 Sumur bor air']) {
    assert.ok(annex.includes(want), `the lampiran shows ${want}:\n${annex}`);
  }
  assert.ok(pages.slice(first - 1).every((o) => o === 'landscape'), sizes);
  await context.close();
  assert.deepEqual(errors, []);

  // On a phone: the musrenbang kecamatan changed its mind.
  const { context: phoneContext, page: p, errors: phoneErrors } = await phone(browser);
  await login(p, server.url, 'kecamatan@bobotsari.go.id', `/desa/majasari/rkp/${year}/du-rkp`);
  await p.getByText('Ubah jawaban').click();
  await p.getByLabel('Tidak diakomodasi').check();
  await p.getByLabel(/Alasan/).fill('   ');
  await p.getByRole('button', { name: 'Simpan jawaban' }).click();
  assert.match(await p.locator('.error-summary').innerText(), /Tulis alasannya/);
  await look(p, 'du-rkp-answer-invalid');
  assert.ok(await p.getByLabel('Tidak diakomodasi').isChecked(), 'the choice stays');
  await p.getByLabel(/Alasan/).fill('Pagu Dinas PUPR dialihkan ke jalan kabupaten yang longsor.');
  await p.getByRole('button', { name: 'Simpan jawaban' }).click();
  await p.waitForURL(/#usulan-/);
  assert.match(await p.locator('.notice').innerText(), /Jawaban tersimpan/);
  await look(p, 'du-rkp-answered');
  await p.getByRole('link', { name: 'Penggantian jembatan gantung Kali Klawing' }).click();
  const proposal = await p.locator('main').innerText();
  assert.match(proposal, /Diusulkan ke kabupaten \(DU-RKP\)/);
  assert.match(proposal, /Jawaban kecamatan atas DU-RKP \(Tidak diakomodasi\)/);
  assert.match(proposal, /Pagu Dinas PUPR dialihkan/);
  await look(p, 'du-rkp-on-proposal');
  await phoneContext.close();
  assert.deepEqual(phoneErrors, []);
});
