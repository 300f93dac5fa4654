// On a phone at the back of the village hall: a facilitator schedules the Musdes; too few
// come, so its opening is postponed and it is rescheduled; the rescheduled meeting records
// its attendance and two decisions; an official finalizes both; the berita acara is printed
// to PDF by Chromium, its QR code read from the page image leads to the record.
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
  // Either the proposal's page, or first the question about similar proposals: wait for
  // whichever comes (asking at once may look before the answer has arrived).
  const done = /\/usulan\/\d{4}-\d{3}$/;
  const again = page.getByRole('button', { name: 'Tetap kirim usulan baru' });
  const quiet = (p) => p.catch(() => {});
  await Promise.race([quiet(page.waitForURL(done)), quiet(again.waitFor())]);
  if (!done.test(page.url())) await again.click();
  await page.waitForURL(done);
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

/** `YYYY-MM-DDT09:00`, `days` from today. */
function dayAt9(days) {
  return `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T09:00`;
}

test('on a phone: a Musdes misses quorum, is postponed and rescheduled, the new one decides, the printed QR verifies', async () => {
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
  await page.getByLabel('Notulis').fill('Dwi Lestari (Sekretaris BPD)');
  await page.getByLabel('Jumlah undangan').fill('24');
  await page.getByRole('button', { name: 'Simpan jadwal' }).click();
  await page.waitForURL(/\/musyawarah\/[0-9a-f-]{36}$/);
  const missedUrl = page.url();

  // Two groups ticked, invited with one tap.
  for (const group of ['Kelompok Tani Ternak Sapi Sido Makmur', 'PKK Desa Majasari (kelompok rentan)']) {
    await page.locator('#undangan').getByLabel(group, { exact: true }).check();
  }
  await page.getByRole('button', { name: 'Undang', exact: true }).click();
  await page.waitForURL(/#undangan$/);
  assert.match(await page.locator('#undangan').innerText(), /Kelompok Tani Ternak Sapi Sido Makmur[\s\S]*PKK Desa Majasari/);
  for (const number of [first, second]) {
    await page.getByLabel('Masukkan usulan ke susunan acara').selectOption(number);
    await page.getByRole('button', { name: 'Masukkan ke acara' }).click();
    await page.waitForURL(/#agenda$/);
  }
  const attend = async (people) => {
    for (const [name, gender, group, observer] of people) {
      await page.getByLabel('Nama', { exact: true }).fill(name);
      await page.getByLabel(gender === 'P' ? 'Perempuan (P)' : 'Laki-laki (L)').check();
      if (group) await page.getByLabel('Mewakili kelompok').selectOption({ label: group });
      if (observer) await page.getByLabel('Peninjau (tanpa hak suara)').check();
      await page.getByRole('button', { name: 'Tambahkan ke daftar hadir' }).click();
      // Back on the meeting with an empty fragment: the browser puts the cursor on the name.
      await page.waitForURL(/\/musyawarah\/[0-9a-f-]+#$/);
      await page.waitForLoadState('load');
      // The form stays on the page, ready for the next name, with the cursor in it.
      assert.equal(await page.getByLabel('Nama', { exact: true }).inputValue(), '');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'a-name');
    }
  };
  // Seven of 24 came, one of them the pendamping as an observer: two thirds is 16.
  await attend([
    ['Suparno', 'L', 'Kelompok Tani Ternak Sapi Sido Makmur'], ['Siti Aminah', 'P', 'PKK Desa Majasari'],
    ['Darto', 'L', 'Kelompok Tani Ternak Sapi Sido Makmur'], ['Wati', 'P', 'PKK Desa Majasari'],
    ['Karsim', 'L', ''], ['Tarsih', 'P', ''], ['Rina Wulandari', 'P', '', true],
  ]);
  assert.match(await page.locator('#kuorum').innerText(), /Kuorum tidak terpenuhi \(6 hadir, perlu 16\)/);
  assert.match(await page.locator('#pembukaan').innerText(), /Kuorum belum tercapai/);
  assert.equal(await page.getByText('Catat keputusan').count(), 0, 'no decision form in a meeting that did not open');
  await page.getByRole('button', { name: 'Tandai sudah berlangsung' }).click();
  await page.waitForURL(/#status$/);
  // Postponed, with the reason; the time is recorded.
  await page.getByLabel('Catatan penundaan').fill('Baru 6 dari 24 undangan hadir pukul 09.00; pembukaan ditunda 30 menit.');
  await page.getByRole('button', { name: 'Tunda pembukaan' }).click();
  await page.waitForURL(/#pembukaan$/);
  assert.match(await page.locator('#pembukaan').innerText(), /Pembukaan ditunda pada/);
  await look(page, 'meeting-postponed');
  // Rescheduling into the past is refused, and what was typed stays.
  await page.getByLabel('Tanggal dan jam baru').fill('2026-01-05T09:00');
  await page.locator('#o-place').fill('Pendopo Dusun II');
  await page.getByRole('button', { name: 'Jadwalkan ulang' }).click();
  await page.waitForURL(/\/jadwal-ulang#pembukaan$/);
  assert.match(await page.locator('#pembukaan').innerText(), /Jadwal baru harus di masa depan/);
  assert.equal(await page.locator('#o-place').inputValue(), 'Pendopo Dusun II');
  await page.getByLabel('Tanggal dan jam baru').fill(dayAt9(3));
  await page.getByRole('button', { name: 'Jadwalkan ulang' }).click();
  await page.waitForURL((u) => /\/musyawarah\/[0-9a-f-]{36}$/.test(u.pathname) && u.href !== missedUrl);
  const meetingUrl = page.url().split('#')[0];
  assert.match(await page.locator('main').innerText(), /Jadwal ulang dari rapat/);
  assert.equal(await page.locator('[id^="butir-"]').count(), 2, 'the agenda moved to the new meeting');
  await look(page, 'meeting-rescheduled');

  // The rescheduled meeting is recorded once it was held (its date entered as it happened),
  // with the community representative chosen there; it proceeds with those present.
  await page.getByText('Ubah data musyawarah').click();
  await page.getByLabel('Tanggal dan jam', { exact: true }).fill('2026-09-08T09:00');
  await page.getByLabel('Wakil masyarakat (penanda tangan)').fill('Ibu Wati (PKK)');
  await page.locator('#fakta').getByRole('button', { name: 'Simpan' }).click();
  await page.waitForURL(/#fakta$/);
  await page.getByRole('button', { name: 'Tandai sudah berlangsung' }).click();
  await page.waitForURL(/#status$/);
  await attend([
    ['Suparno', 'L', 'Kelompok Tani Ternak Sapi Sido Makmur'], ['Siti Aminah', 'P', 'PKK Desa Majasari'],
    ['Darto', 'L', 'Kelompok Tani Ternak Sapi Sido Makmur'], ['Wati', 'P', 'PKK Desa Majasari'],
    ['Rohmat', 'L', 'Forum Difabel Majasari'], ['Sumarni', 'P', 'Paguyuban Perajin Bambu'],
    ['Karsim', 'L', ''], ['Tarsih', 'P', ''], ['Ustadzah Maryam', 'P', 'Majelis Taklim Al-Ikhlas'],
    ['Rina Wulandari', 'P', '', true],
  ]);
  assert.match(await page.locator('#pembukaan').innerText(), /dilanjutkan dengan pemilih yang hadir/);
  assert.match(await page.locator('#kuorum').innerText(), /Keterwakilan perempuan: 60%/);

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
  // More votes than voters present (the observer has none) is refused, and said so.
  await decide(second, 'Ditunda', [8, 1, 1]);
  assert.match(await page.locator(`[id="butir-${second}"]`).innerText(), /melebihi jumlah peserta berhak suara yang hadir/);
  assert.equal(await page.locator(`[id="butir-${second}"]`).getByLabel('Setuju', { exact: true }).inputValue(), '8');
  await look(page, 'meeting-decision-invalid');
  await decide(first, 'Diterima');
  await decide(second, 'Ditunda', [3, 5, 1]);
  await look(page, 'meeting-decided');
  assert.deepEqual(errors, []);
  await context.close();

  // The official finalizes both: the missed one as did not take place.
  const official = await phone(browser);
  await login(official.page, server.url, 'kades@majasari.desa.id', new URL(missedUrl).pathname);
  // Irreversible: the first tap shows what it means, the second finalizes.
  await official.page.locator('summary', { hasText: 'Finalkan sebagai tidak terlaksana' }).click();
  assert.match(await official.page.locator('details.confirm', { hasText: 'Finalkan sebagai tidak terlaksana' }).innerText(), /tidak dapat diubah lagi/);
  await official.page.getByRole('button', { name: 'Ya, finalkan sebagai tidak terlaksana' }).click();
  await official.page.waitForURL(/#status$/);
  assert.match(await official.page.locator('main').innerText(), /Rapat ini tidak terlaksana/);
  await official.page.goto(meetingUrl);
  await official.page.locator('summary', { hasText: 'Finalkan berita acara' }).click();
  await official.page.getByRole('button', { name: 'Ya, finalkan sekarang' }).click();
  await official.page.waitForURL(/#status$/);
  const notice = await official.page.locator('main').innerText();
  const code = notice.match(/[2-9A-Z]{5}-[2-9A-Z]{5}/)?.[0];
  assert.ok(code, `a verification code in: ${notice}`);
  await look(official.page, 'meeting-finalized');

  // The berita acara on the phone: its print button opens the print dialog.
  await official.page.goto(`${meetingUrl}/berita-acara`);
  const print = official.page.getByRole('button', { name: 'Cetak / simpan PDF' });
  assert.ok(await print.isVisible(), 'the print button shows on a phone');
  await official.page.evaluate(() => { window.printed = 0; window.print = () => { window.printed += 1; }; });
  await print.click();
  assert.equal(await official.page.evaluate(() => window.printed), 1);
  await look(official.page, 'berita-acara-phone');
  await official.context.close();

  // Printed to PDF on A4 by Chromium.
  const desk = await browser.newContext();
  const doc = await desk.newPage();
  await doc.goto(`${meetingUrl}/berita-acara`);
  assert.deepEqual(await accessibilityProblems(doc), [], 'berita acara: accessibility problems');
  const pdf = join(shots, `${backend()}-berita-acara.pdf`);
  writeFileSync(pdf, await doc.pdf({ format: 'A4', printBackground: true }));
  const pages = Number(execFileSync('pdfinfo', [pdf]).toString().match(/Pages:\s+(\d+)/)[1]);
  assert.equal(pages, 2, 'the main page and the attendance annex');
  const firstPage = execFileSync('pdftotext', ['-f', '1', '-l', '1', pdf, '-']).toString();
  for (const text of ['BERITA ACARA', 'MUSYAWARAH DESA', 'Selasa, 8 September 2026', 'Majasari, 8 September 2026',
    'Bapak Suparno (Ketua BPD)', 'Sutrisno', 'Ibu Wati (PKK)', 'disepakati secara mufakat',
    'pemungutan suara: 3 setuju, 5 tidak setuju, 1 abstain', 'rapat jadwal ulang', code]) {
    assert.ok(firstPage.replace(/\s+/g, ' ').includes(text), `first page shows ${text}:\n${firstPage}`);
  }
  const annex = execFileSync('pdftotext', ['-f', '2', '-l', '2', pdf, '-']).toString();
  assert.match(annex, /Lampiran: Daftar Hadir/);
  assert.match(annex, /Ustadzah Maryam/);
  assert.match(annex, /Tanda tangan/);
  assert.match(annex, /Peninjau/);
  const image = join(shots, `${backend()}-berita-acara-page1`);
  execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '150', '-singlefile', '-png', pdf, image]);
  execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '50', '-singlefile', '-gray', pdf, image]);
  const { w, h, dark } = darkPixels(`${image}.pgm`);
  assert.ok(Math.abs(h / w - 297 / 210) < 0.01, `A4 proportions, got ${w}x${h}`);
  assert.ok(dark > 2000, `the first page carries text and lines (${dark} dark pixels)`);
  // The QR code, read from the rendered page, is the full address of its verification.
  const scanned = execFileSync('zbarimg', ['--raw', '-q', `${image}.png`]).toString().trim();
  assert.equal(scanned, `${server.url}/verifikasi?kode=${code}`);
  await desk.close();

  // Anyone scanning it finds the record.
  const visitor = await phone(browser);
  await visitor.page.goto(scanned);
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

test('a typical Musdes (40 attendees, 8 agenda items) prints on one main page plus the annex with room to sign', async () => {
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
  // Forty signatures need room: the annex takes two pages.
  assert.equal(pages, 3, 'one main page and the annex');
  const main = execFileSync('pdftotext', ['-f', '1', '-l', '1', pdf, '-']).toString();
  assert.match(main, /Wakil masyarakat/, 'the signature blocks are on the main page');
  assert.match(main, /Kode verifikasi/);
  const annex = execFileSync('pdftotext', ['-layout', '-f', '2', '-l', '3', pdf, '-']).toString();
  assert.match(annex, /Lampiran: Daftar Hadir/);
  assert.match(annex, /^\s*40\s+Peserta Musyawarah Nomor/m, 'the last attendee, in the annex');
  execFileSync('pdftoppm', ['-f', '1', '-l', '3', '-r', '50', '-png', pdf, join(shots, `${backend()}-berita-acara-typical`)]);
  await boss.close();
});
