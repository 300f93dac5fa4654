// The annual plan (RKP Desa) of the demo village on a phone: read by anyone, scored by the
// facilitator, adopted by the official in the finalized Musdes, then frozen and printable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, phone, login, look, shots, backend, watchConsole, accessibilityProblems } from '../harness.mjs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

// The demo plans next year (Asia/Jakarta is ahead of UTC; the tests never run at New Year).
const year = new Date().getUTCFullYear() + 1;
const plan = () => `${server.url}/desa/majasari/rkp/${year}`;

test('anyone reads the draft plan: ranking, pagu, the RKP Desa and the DU-RKP, and its CSV', async () => {
  const { context, page, errors } = await phone(browser);
  await page.goto(`${server.url}/desa/majasari`);
  await page.getByRole('link', { name: 'Rencana Kerja Pemerintah Desa' }).click();
  await page.getByRole('link', { name: `RKP Desa ${year}` }).click();
  const main = await page.locator('main').innerText();
  assert.match(main, /Draf/);
  // Dana Desa: Rp 120 million; irrigation (85) and the flood wall (35) fill it exactly, so
  // the road after them (150) goes back to the RPJM Desa.
  assert.match(main, /Dana Desa \(DD\)\s+Rp 120\.000\.000\s+Rp 120\.000\.000\s+Rp 0\s+Rp 150\.000\.000/);
  const du = await page.locator('section.rkp-doc').nth(1).innerText();
  assert.match(du, /Pengerasan jalan usaha tani Sidamulya/);
  assert.doesNotMatch(du, /Talud penahan banjir/);
  await look(page, 'plan-draft');
  const csv = await page.request.get(`${plan()}.csv`);
  assert.equal(csv.status(), 200);
  const lines = (await csv.text()).trim().split('\n');
  assert.match(lines[0], /^No,Bidang\/Jenis Kegiatan,Lokasi,Volume,Sasaran\/Manfaat,Waktu Pelaksanaan,/);
  // The RKP Desa opens with the standing items of bidang 01, paid from the ADD every year.
  assert.match(lines[1], /^1,01 Penyelenggaraan Pemerintahan Desa \/ 01\.01\.07 Insentif RT dan RW,,24 orang × 12 bulan,,Januari - Desember,28800000,Alokasi Dana Desa \(ADD\),Swakelola,Kasi Pemerintahan,kegiatan tetap,RKP Desa$/);
  assert.match(lines[6], /^6,.*Rehabilitasi saluran irigasi tersier Kalitengah.*,85000000,Dana Desa \(DD\),Swakelola,Kelompok Tani Ternak Sapi Sido Makmur,/);
  const xlsx = await page.request.get(`${plan()}.xlsx`);
  assert.equal(xlsx.status(), 200);
  assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK', 'a zip container');
  assert.deepEqual(errors, []);
  await context.close();
});

// At a desk (1280 px) the sekretaris desa prepares next year: an RPJM Desa activity for the
// year, the Tim Penyusun by SK (refused below seven members, what was typed kept), an
// activity placed under its kegiatan code of Permendagri 20/2018, the pagu indikatif
// printed on A4 and read back with poppler.
test('the sekretaris desa prepares the year at a desk: RPJM Desa, Tim Penyusun, kegiatan codes, pagu indikatif', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  watchConsole(page, errors);
  await login(page, server.url, 'kades@majasari.desa.id', '/desa/majasari/rpjm');
  await page.getByRole('link', { name: /^Tambah kegiatan/ }).first().click();
  await page.getByLabel('Tahun').selectOption(String(year));
  await page.getByLabel('Sub-bidang').selectOption('04.02');
  await page.getByLabel('Kegiatan', { exact: true }).fill('Pengadaan mesin perontok padi kelompok tani');
  await page.getByLabel('Lokasi').fill('Dusun IV Kalitengah');
  await page.getByLabel('Volume').fill('2 unit');
  await page.getByLabel('Perkiraan biaya').fill('36.000.000');
  await page.getByLabel('Sumber dana').selectOption('dd');
  await page.getByRole('button', { name: 'Tambah kegiatan' }).click();
  assert.match(await page.locator('.notice').innerText(), /Kegiatan ditambahkan ke RPJM Desa/);
  assert.match(await page.locator('main').innerText(), /Pengadaan mesin perontok padi kelompok tani/);
  await page.screenshot({ path: join(shots, `${backend()}-rpjm-desk.png`), fullPage: true });

  // The Tim Penyusun: six members are refused, the seventh makes it.
  await page.goto(plan());
  await page.getByRole('link', { name: 'Catat atau ubah Tim Penyusun' }).click();
  await page.getByLabel('Nomor SK Kepala Desa').fill(`141/07/${year - 1}`);
  await page.getByLabel('Tanggal SK').fill(`${year - 1}-07-01`);
  const members = [
    ['Bambang Sudarsono', 'L', 'ketua', 'Sekretaris Desa'], ['Slamet Riyadi', 'L', 'sekretaris', 'Ketua LPM'],
    ['Endah Puspitasari', 'P', 'anggota', 'Kaur Perencanaan'], ['Wartini', 'P', 'anggota', 'Ketua TP PKK'],
    ['Eko Prasetyo', 'L', 'anggota', 'KPMD'], ['Sukirah', 'P', 'anggota', 'Kelompok Wanita Tani'],
    ['Rohmat', 'L', 'anggota', 'Perwakilan penyandang disabilitas'],
  ];
  const fill = async (rows) => {
    for (const [i, [name, gender, role, from]] of rows.entries()) {
      await page.locator(`[name="name_${i}"]`).fill(name);
      await page.locator(`[name="gender_${i}"]`).selectOption(gender);
      await page.locator(`[name="role_${i}"]`).selectOption(role);
      await page.locator(`[name="from_${i}"]`).fill(from);
    }
  };
  await fill(members.slice(0, 6));
  await page.getByRole('button', { name: 'Simpan' }).click();
  assert.match(await page.locator('main').innerText(), /7 sampai 11 orang/);
  assert.equal(await page.locator('[name="name_5"]').inputValue(), 'Sukirah', 'what was typed stays');
  await fill(members);
  await page.getByRole('button', { name: 'Simpan' }).click();
  assert.match(await page.locator('.notice').innerText(), /Tim Penyusun tersimpan/);

  // The information system has no kegiatan code yet: the draft says so until one is chosen.
  await page.goto(plan());
  assert.match(await page.locator('main').innerText(), /belum diberi kode kegiatan Permendagri 20\/2018/);
  await page.locator('#prioritas tr', { hasText: 'Sistem informasi desa' }).getByRole('link', { name: /nilai dan rincian/ }).click();
  await page.getByLabel(/Kode kegiatan/).selectOption('01.04.08');
  assert.match(await page.getByLabel(/Kode kegiatan/).locator('option:checked').innerText(), /Pengembangan Sistem Informasi Desa/);
  await page.getByRole('button', { name: 'Simpan' }).click();
  await page.waitForURL(/#prioritas$/);
  const draft = await page.locator('main').innerText();
  assert.doesNotMatch(draft, /belum diberi kode kegiatan/);
  assert.match(draft, /01\.04\.08 Sistem informasi desa/);
  assert.match(draft, /04\.02\.04 Rehabilitasi saluran irigasi tersier Kalitengah/);
  await page.screenshot({ path: join(shots, `${backend()}-plan-desk.png`), fullPage: true });

  // The pagu indikatif, printed on A4 and read back.
  await page.getByRole('link', { name: 'Pagu indikatif (cetak)' }).click();
  // Printed once the page has come: a click only starts the navigation.
  await page.waitForURL(/\/pagu-indikatif$/);
  await page.waitForLoadState('load');
  const pdf = join(shots, `${backend()}-pagu-indikatif.pdf`);
  writeFileSync(pdf, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  assert.match(execFileSync('pdfinfo', [pdf]).toString(), /\(A4\)/);
  const text = execFileSync('pdftotext', [pdf, '-']).toString().replace(/\s+/g, ' ');
  for (const want of ['PAGU INDIKATIF', 'Dana Desa', '120.000.000', 'Pemeliharaan jalan kabupaten ruas Majasari', 'Bambang Sudarsono']) {
    assert.ok(text.includes(want), `the pagu indikatif shows ${want}:\n${text}`);
  }
  assert.deepEqual(await accessibilityProblems(page), []);
  await context.close();
  assert.deepEqual(errors, []);
});

test('the facilitator scores a proposal; the Musrenbangdes agrees the draft and the Perdes sets it', async () => {
  const { context, page, errors } = await phone(browser);
  await login(page, server.url, 'pendamping@majasari.desa.id', `/desa/majasari/rkp/${year}`);
  const entry = (text) => page.locator('#prioritas tr', { hasText: text }).getByRole('link', { name: /nilai dan rincian/ });
  await entry('Sistem informasi desa').click();
  assert.match(await page.locator('h1').innerText(), /Sistem informasi desa/);
  await page.getByLabel(/Membantu kelompok rentan/).fill('9');
  await page.getByRole('button', { name: 'Simpan' }).click();
  assert.match(await page.locator('.error-summary').innerText(), /Skor di luar rentang/);
  assert.equal(await page.getByLabel('Volume').inputValue(), '1 paket', 'what was typed stays');
  await look(page, 'plan-item-invalid');
  await page.getByLabel(/Membantu kelompok rentan/).fill('2');
  await page.getByRole('button', { name: 'Simpan' }).click();
  await page.waitForURL(/#prioritas$/);
  assert.match(await page.locator('.notice').innerText(), /RKP Desa disimpan/);
  // Earlier browser tests may have accepted proposals of their own: the facilitator
  // completes them too (self-help funding, lowest scores), as the plan needs before adoption.
  for (;;) {
    const row = page.locator('#prioritas tr', { hasText: 'Belum lengkap' }).first();
    if (!(await row.count())) break;
    await row.getByRole('link', { name: /nilai dan rincian/ }).click();
    for (const input of await page.locator('input[name^="score_"]').all()) await input.fill('1');
    await page.getByLabel('Sumber dana').selectOption('swadaya');
    await page.getByLabel('Pola pelaksanaan').selectOption('swakelola');
    const cost = page.getByLabel('Perkiraan biaya');
    if (!(await cost.inputValue())) await cost.fill('1.000.000');
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.waitForURL(/#prioritas$/);
  }
  await page.getByRole('button', { name: 'Keluar' }).click();

  // The kepala desa holds the Musrenbangdes that agrees the draft, then records the Perdes.
  await login(page, server.url, 'kades@majasari.desa.id', '/desa/majasari/musyawarah');
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('Jenis musyawarah').selectOption('musrenbangdes');
  await page.getByLabel('Judul', { exact: true }).fill(`Musrenbangdes RKP Desa ${year}`);
  await page.getByLabel('Tanggal dan jam').fill(`${day(-2)}T09:00`);
  await page.getByLabel('Tempat', { exact: true }).fill('Balai Desa Majasari');
  await page.getByLabel('Pimpinan rapat').fill('Sutrisno (Kepala Desa)');
  await page.getByLabel('Jumlah undangan').fill('3');
  await page.getByRole('button', { name: 'Simpan jadwal' }).click();
  await page.waitForURL(/\/musyawarah\/[0-9a-f-]{36}$/);
  const meetingUrl = page.url();
  await page.goto(plan());
  const musrenbangdes = page.locator('#f-meeting option', { hasText: `Musrenbangdes RKP Desa ${year}` });
  await page.getByLabel('Musrenbangdes yang membahas rancangan').selectOption(await musrenbangdes.first().getAttribute('value'));
  await look(page, 'plan-before-adoption');
  await page.getByRole('button', { name: 'Ajukan rancangan ke Musrenbangdes' }).click();
  await page.waitForURL(/#tetapkan$/);
  assert.match(await page.locator('main').innerText(), /Dibahas di Musrenbangdes/);
  await page.goto(meetingUrl);
  for (const [name, gender] of [['Suparno', 'L'], ['Wartini', 'P']]) {
    await page.getByLabel('Nama', { exact: true }).fill(name);
    await page.getByLabel(gender === 'P' ? 'Perempuan (P)' : 'Laki-laki (L)').check();
    await page.getByRole('button', { name: 'Tambahkan ke daftar hadir' }).click();
    await page.waitForURL(/\/musyawarah\/[0-9a-f-]+#$/);
    await page.waitForLoadState('load');
  }
  await page.getByRole('button', { name: 'Tandai sudah berlangsung' }).click();
  await page.waitForURL(/#status$/);
  await page.locator('summary', { hasText: 'Finalkan berita acara' }).click();
  await page.getByRole('button', { name: 'Ya, finalkan sekarang' }).click();
  await page.waitForURL(/#status$/);
  await page.goto(plan());
  assert.match(await page.locator('main').innerText(), /Disepakati, menunggu Perdes/);
  await page.getByLabel('Nomor Peraturan Desa').fill('3 Tahun 2026');
  await page.getByLabel('Tanggal penetapan').fill(day(0));
  await page.locator('summary', { hasText: 'Tetapkan RKP Desa dengan Perdes' }).click();
  await page.getByRole('button', { name: 'Ya, tetapkan RKP Desa' }).click();
  await page.waitForURL(plan());
  const main = await page.locator('main').innerText();
  assert.match(main, /Ditetapkan dengan Peraturan Desa Nomor 3 Tahun 2026/);
  assert.match(main, new RegExp(`disepakati dalam Musrenbangdes RKP Desa ${year}`));
  assert.equal(await page.locator('summary', { hasText: 'Tetapkan RKP Desa dengan Perdes' }).count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Ubah pagu indikatif' }).count(), 0);
  await look(page, 'plan-adopted');
  await context.close();
  assert.deepEqual(errors, []);
});

test('the adopted plan prints on A4 landscape with the RKP Desa table', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  await page.goto(plan());
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: join(shots, `${backend()}-plan-print.png`), fullPage: true });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  // A4 landscape: 842 × 595 points.
  const box = pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
  assert.ok(box, 'the PDF has a page box');
  assert.ok(Math.abs(Number(box[1]) - 842) < 2 && Math.abs(Number(box[2]) - 595) < 2, `page is ${box[1]} × ${box[2]}`);
  await context.close();
});
