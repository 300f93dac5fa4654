// On a phone at the back of the village hall: a facilitator schedules the Musdes, records
// ten attendees and two decisions; an official finalizes; the berita acara is printed to
// PDF by Chromium and its first page looked at; its code typed into /verifikasi finds it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, accessibilityProblems, phone, login, look, shots, backend } from '../harness.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function submitProposal(page, title) {
  await page.goto(`${server.url}/desa/majasari/usulan/baru`);
  await page.getByLabel('Judul usulan').fill(title);
  await page.getByLabel('Masalah atau kebutuhan').fill('Kebutuhan mendesak warga, dibahas di musyawarah dusun');
  await page.getByLabel('Bidang', { exact: true }).selectOption('02');
  await page.getByLabel('Dusun').selectOption('Dusun II Karanganyar');
  await page.getByRole('button', { name: 'Kirim usulan' }).click();
  if (await page.getByRole('button', { name: 'Tetap kirim usulan baru' }).count()) {
    await page.getByRole('button', { name: 'Tetap kirim usulan baru' }).click();
  }
  await page.waitForURL(/\/usulan\/\d{4}-\d{3}$/);
  return page.url().split('/').pop();
}

/** Dark pixels of a PGM (P5) image: a blank page has none. */
function darkPixels(file) {
  const data = readFileSync(file);
  const header = data.subarray(0, 64).toString('latin1').split(/\s+/);
  const [w, h] = [Number(header[1]), Number(header[2])];
  const pixels = data.subarray(data.length - w * h);
  let dark = 0;
  for (const p of pixels) if (p < 128) dark += 1;
  return { w, h, dark };
}

test('a facilitator records a Musdes on a phone, an official finalizes, the printed code verifies', async () => {
  const resident = await phone(browser);
  await login(resident.page, server.url, 'warga@majasari.desa.id', '/desa/majasari/usulan/baru');
  const first = await submitProposal(resident.page, 'Rehabilitasi saluran irigasi Karanganyar');
  const second = await submitProposal(resident.page, 'Pelatihan kader posyandu balita');
  await resident.context.close();

  const { context, page, errors } = await phone(browser);
  await login(page, server.url, 'pendamping@majasari.desa.id', '/desa/majasari/musyawarah');
  await page.getByLabel('Jenis musyawarah').selectOption('musdes');
  await page.getByLabel('Judul', { exact: true }).fill('Musyawarah Desa Penyusunan RKP Desa 2027');
  await page.getByLabel('Tanggal dan jam').fill('2026-09-01T09:00');
  await page.getByLabel('Tempat', { exact: true }).fill('Balai Desa Majasari');
  await page.getByLabel('Pimpinan rapat').fill('Bapak Suparno (Ketua BPD)');
  await page.getByLabel('Notulis').fill('Ibu Rina');
  await page.getByRole('button', { name: 'Simpan jadwal' }).click();
  await page.waitForURL(/\/musyawarah\/[0-9a-f-]{36}$/);
  const meetingUrl = page.url();

  for (const group of ['Kelompok Tani Ternak Sapi Sido Makmur', 'PKK Desa Majasari (kelompok rentan)']) {
    await page.getByLabel('Undang kelompok').selectOption({ label: group });
    await page.getByRole('button', { name: 'Undang', exact: true }).click();
    await page.waitForURL(/#undangan$/);
  }
  for (const number of [first, second]) {
    await page.getByLabel('Masukkan usulan ke susunan acara').selectOption(number);
    await page.getByRole('button', { name: 'Masukkan ke acara' }).click();
    await page.waitForURL(/#agenda$/);
  }

  const people = [
    ['Suparno', 'L', 'Kelompok Tani Ternak Sapi Sido Makmur'], ['Siti Aminah', 'P', 'PKK Desa Majasari'],
    ['Darto', 'L', 'Kelompok Tani Ternak Sapi Sido Makmur'], ['Wati', 'P', 'PKK Desa Majasari'],
    ['Rohmat', 'L', 'Forum Difabel Majasari'], ['Sumarni', 'P', 'Paguyuban Perajin Bambu'],
    ['Karsim', 'L', ''], ['Tarsih', 'P', ''], ['Ustadzah Maryam', 'P', 'Majelis Taklim Al-Ikhlas'], ['Slamet', 'L', ''],
  ];
  for (const [i, [name, gender, group]] of people.entries()) {
    await page.getByLabel('Nama', { exact: true }).fill(name);
    await page.getByLabel(gender === 'P' ? 'Perempuan (P)' : 'Laki-laki (L)').check();
    if (group) await page.getByLabel('Mewakili kelompok').selectOption({ label: group });
    await page.getByRole('button', { name: 'Tambahkan ke daftar hadir' }).click();
    await page.waitForURL(/#hadir$/);
    // The form stays on the page, ready for the next name; the list grows below it.
    assert.equal(await page.getByLabel('Nama', { exact: true }).inputValue(), '');
    assert.equal(await page.locator('ol.attendance li').count(), i + 1);
  }
  assert.match(await page.locator('#kuorum').innerText(), /Kuorum terpenuhi/);
  assert.match(await page.locator('#kuorum').innerText(), /Keterwakilan perempuan: 50%/);
  await look(page, 'meeting-attendance');

  const decide = async (number, decision, vote) => {
    const item = page.locator(`[id="butir-${number}"]`);
    await item.locator('summary', { hasText: 'Catat keputusan' }).click();
    await item.getByLabel(decision).check();
    if (vote) {
      await item.getByLabel('Pemungutan suara').check();
      await item.getByLabel('Setuju', { exact: true }).fill(String(vote[0]));
      await item.getByLabel('Tidak setuju').fill(String(vote[1]));
      await item.getByLabel('Abstain').fill(String(vote[2]));
    } else {
      await item.getByLabel('Musyawarah mufakat').check();
    }
    await item.getByRole('button', { name: 'Simpan keputusan' }).click();
    // Saved: back on the meeting at this item; refused: the form again, at the form's address.
    await page.waitForURL((u) => u.hash === `#butir-${number}` || u.pathname.endsWith('/keputusan'));
  };
  // A vote with more votes than people present is refused, and said so.
  await decide(second, 'Ditunda', [8, 3, 1]);
  assert.match(await page.locator(`[id="butir-${second}"]`).innerText(), /melebihi jumlah peserta berhak suara yang hadir/);
  assert.equal(await page.locator(`[id="butir-${second}"]`).getByLabel('Setuju', { exact: true }).inputValue(), '8');
  await look(page, 'meeting-decision-invalid');
  await decide(first, 'Diterima');
  await decide(second, 'Ditunda', [3, 6, 1]);
  await page.getByRole('button', { name: 'Tandai sudah berlangsung' }).click();
  await page.waitForURL(/#status$/);
  await look(page, 'meeting-decided');
  assert.deepEqual(errors, []);
  await context.close();

  const official = await phone(browser);
  const path = new URL(meetingUrl).pathname;
  await login(official.page, server.url, 'kades@majasari.desa.id', path);
  await official.page.getByRole('button', { name: 'Finalkan berita acara' }).click();
  await official.page.waitForURL(/#status$/);
  const notice = await official.page.locator('main').innerText();
  const code = notice.match(/[2-9A-Z]{5}-[2-9A-Z]{5}/)?.[0];
  assert.ok(code, `a verification code in: ${notice}`);
  assert.equal(await official.page.getByRole('button', { name: 'Tandai sudah berlangsung' }).count(), 0);
  await look(official.page, 'meeting-finalized');
  await official.context.close();

  // The berita acara, printed to PDF on A4 by Chromium.
  const desk = await browser.newContext();
  const doc = await desk.newPage();
  await doc.goto(`${meetingUrl}/berita-acara`);
  assert.deepEqual(await accessibilityProblems(doc), [], 'berita acara: accessibility problems');
  const pdf = join(shots, `${backend()}-berita-acara.pdf`);
  writeFileSync(pdf, await doc.pdf({ format: 'A4', printBackground: true }));
  const pages = Number(execFileSync('pdfinfo', [pdf]).toString().match(/Pages:\s+(\d+)/)[1]);
  assert.equal(pages, 2, 'the main page and the attendance annex');
  const firstPage = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', pdf, '-']).toString();
  for (const text of ['BERITA ACARA', 'MUSYAWARAH DESA', 'Selasa, 1 September 2026', 'Bapak Suparno (Ketua BPD)',
    'Diterima', 'Ditunda', code]) {
    assert.ok(firstPage.includes(text), `first page shows ${text}:\n${firstPage}`);
  }
  const annex = execFileSync('pdftotext', ['-f', '2', '-l', '2', pdf, '-']).toString();
  assert.match(annex, /Lampiran: Daftar Hadir/);
  assert.match(annex, /Ustadzah Maryam/);
  const image = join(shots, `${backend()}-berita-acara-page1`);
  execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '50', '-singlefile', '-png', pdf, image]);
  execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '50', '-singlefile', '-gray', pdf, image]);
  const { w, h, dark } = darkPixels(`${image}.pgm`);
  assert.ok(Math.abs(h / w - 297 / 210) < 0.01, `A4 proportions, got ${w}x${h}`);
  assert.ok(dark > 2000, `the first page carries text and lines (${dark} dark pixels)`);
  await desk.close();

  // Anyone types the printed code and finds the record.
  const visitor = await phone(browser);
  await visitor.page.goto(`${server.url}/verifikasi`);
  await visitor.page.getByLabel('Kode verifikasi').fill(code.toLowerCase());
  await visitor.page.getByRole('button', { name: 'Periksa' }).click();
  const found = await visitor.page.locator('main').innerText();
  assert.match(found, /Kode ini milik berita acara final/);
  assert.match(found, /Musyawarah Desa Penyusunan RKP Desa 2027/);
  await look(visitor.page, 'verify-found');
  assert.deepEqual(visitor.errors, []);
  await visitor.context.close();
});

/** Posts forms as the page's own forms would: with the session's CSRF token. */
async function formPoster(context, base) {
  const html = await (await context.request.get(`${base}/desa/majasari`)).text();
  const token = html.match(/name="csrf_token" value="([^"]+)"/)[1];
  return async (path, fields) => {
    const r = await context.request.post(`${server.url}${path}`, { form: { csrf_token: token, ...fields }, maxRedirects: 0 });
    assert.equal(r.status(), 303, `${path}: ${r.status()} ${(await r.text()).slice(0, 300)}`);
    return r.headers().location;
  };
}

test('a typical Musdes (40 attendees, 8 agenda items) prints on one main page plus the annex', async () => {
  const staff = await browser.newContext();
  const page = await staff.newPage();
  await login(page, server.url, 'pendamping@majasari.desa.id', '/desa/majasari');
  const post = await formPoster(staff, server.url);
  const themes = ['Jalan usaha tani blok', 'Sumur bor air bersih', 'Pelatihan menjahit kelompok', 'Lampu penerangan jalan',
    'Rehab rumah tidak layak huni', 'Posyandu lansia', 'Talud sungai', 'Bank sampah'];
  const numbers = [];
  for (const [i, t] of themes.entries()) {
    const location = await post('/desa/majasari/usulan', {
      title: `${t} ${i + 1}`, problem: 'Kebutuhan yang disampaikan warga di musyawarah dusun', bidang: '02', confirmed: '1',
      dusun: 'Dusun I Krajan',
    });
    numbers.push(location.split('/').pop());
  }
  const meeting = await post('/desa/majasari/musyawarah', {
    kind: 'musdes', title: 'Musyawarah Desa Penetapan RKP Desa 2027', scheduled_at: '2026-09-10T08:30',
    place: 'Aula Balai Desa Majasari', chair: 'Bapak Suparno (Ketua BPD)', note_taker: 'Ibu Rina', invited_count: '45',
  });
  for (let i = 0; i < 40; i += 1) {
    await post(`${meeting}/hadir`, { name: `Peserta Musyawarah Nomor ${i + 1}`, gender: i % 5 < 2 ? 'P' : 'L', role: 'Warga', dusun: 'Dusun II Karanganyar' });
  }
  for (const [i, n] of numbers.entries()) {
    await post(`${meeting}/agenda`, { proposal: n });
    await post(`${meeting}/uraian`, { proposal: n, minutes: 'Pengusul memaparkan kebutuhan; peserta menanyakan biaya dan pemeliharaan, disepakati swadaya tenaga.' });
    await post(`${meeting}/keputusan`, i % 3 === 2
      ? { proposal: n, decision: 'deferred', method: 'voting', votes_for: '12', votes_against: '25', votes_abstain: '3' }
      : { proposal: n, decision: 'accepted', method: 'mufakat' });
  }
  await post(`${meeting}/status`, { status: 'held' });
  await staff.close();
  const boss = await browser.newContext();
  const bossPage = await boss.newPage();
  await login(bossPage, server.url, 'kades@majasari.desa.id', '/desa/majasari');
  await (await formPoster(boss, server.url))(`${meeting}/final`, {});
  await bossPage.goto(`${server.url}${meeting}/berita-acara`);
  const pdf = join(shots, `${backend()}-berita-acara-typical.pdf`);
  writeFileSync(pdf, await bossPage.pdf({ format: 'A4', printBackground: true }));
  const pages = Number(execFileSync('pdfinfo', [pdf]).toString().match(/Pages:\s+(\d+)/)[1]);
  assert.equal(pages, 2, 'one main page and one page of annex');
  const main = execFileSync('pdftotext', ['-f', '1', '-l', '1', pdf, '-']).toString();
  assert.match(main, /Wakil masyarakat/, 'the signature blocks are on the main page');
  assert.match(main, /Kode verifikasi/);
  const annex = execFileSync('pdftotext', ['-f', '2', '-l', '2', pdf, '-']).toString();
  assert.match(annex, /Peserta Musyawarah Nomor 40/);
  execFileSync('pdftoppm', ['-f', '1', '-l', '2', '-r', '50', '-png', pdf, join(shots, `${backend()}-berita-acara-typical`)]);
  await boss.close();
});
