// A meeting recorded without signal, on a phone in the hall. The browser reaches the server
// through a small proxy the test can cut: with Chromium's offline emulation (which the
// service worker's own requests ignore) the signal is really gone, for the page and the
// worker alike. Lines and decisions recorded offline are kept in the browser, survive a
// reload, and are sent once the signal returns: each stored exactly once, also when the
// connection drops in the middle of sending and with a second tab open. A meeting
// finalized meanwhile leaves the lines that did not get in plainly listed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, launch, phone, login, look } from '../harness.mjs';

let server;
let browser;
let signal;
before(async () => {
  server = await startServer();
  browser = await launch();
  signal = await cuttable(server.url);
});
after(async () => { await browser?.close(); signal?.close(); await server?.stop(); });

/** A TCP proxy to `target` that can lose the signal, or cut one POST after the server has
 *  read it and before its answer arrives (the phone never hears that it got in). */
async function cuttable(target) {
  const port = Number(new URL(target).port);
  const sockets = new Set();
  let down = false;
  let cutPost = 0;
  let posts = 0;
  const proxy = net.createServer((client) => {
    if (down) { client.destroy(); return; }
    const upstream = net.connect(port, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    let cut = false;
    client.on('data', (chunk) => {
      if (cutPost && chunk.toString('latin1').startsWith('POST ')) {
        posts += 1;
        if (posts === cutPost) { cut = true; cutPost = 0; }
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (cut) { client.destroy(); upstream.destroy(); return; }
      client.write(chunk);
    });
    const close = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${proxy.address().port}`,
    lose() { down = true; for (const s of sockets) s.destroy(); },
    regain() { down = false; },
    cutPostNumber(n) { posts = 0; cutPost = n; },
    close() { proxy.close(); for (const s of sockets) s.destroy(); },
  };
}

/** Offline for the page (navigator.onLine, its requests) and for the worker (the proxy). */
async function offline(context) {
  signal.lose();
  await context.setOffline(true);
  // Every open page has seen the signal go before anything is typed (a form submitted
  // while the page still believes it is online would go to the network, not the queue).
  for (const page of context.pages()) await page.waitForFunction(() => navigator.onLine === false);
}
async function online(context) { signal.regain(); await context.setOffline(false); }

/** The demo's open meeting with the attendance form, as the facilitator sees it. */
async function openMeeting(page) {
  await login(page, signal.url, 'pendamping@majasari.desa.id', '/desa/majasari/musyawarah');
  const links = await page.locator('main a[href*="/musyawarah/"]').evaluateAll(
    (as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
  for (const href of links) {
    await page.goto(`${signal.url}${href}`);
    if (await page.locator('#a-name').count()) return href;
  }
  throw new Error('no open meeting');
}

/** Waits until the page is served by the worker and its copy is kept. */
async function keptForOffline(page) {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.waitForFunction(() => caches.open('musdes-1').then((c) => c.match(location.pathname)).then(Boolean));
}

/** Attendance as the server has it (the open data's counts) and the names on the page. */
async function stored(page, meeting, pattern) {
  const api = await page.request.get(`${server.url}/api/v1${meeting}`);
  const json = await api.json();
  const page2 = await page.context().newPage();
  await page2.goto(`${server.url}${meeting}`);
  const names = (await page2.locator('ol.attendance > li strong').allInnerTexts()).filter((n) => pattern.test(n));
  await page2.close();
  return { json, names };
}

async function recordLine(page, name, gender) {
  await page.locator('#a-name').fill(name);
  await page.locator(`#hadir input[name="gender"][value="${gender}"]`).click();
  await page.locator('#hadir button[type="submit"]').last().click();
}

test('10 lines and 2 decisions recorded offline survive a reload and are stored once', async () => {
  const { context, page, errors } = await phone(browser);
  const meeting = await openMeeting(page);
  // Online first: the meeting opens (27 of the 40 invited are in) and a second proposal is
  // put on its agenda, so that decisions can be taken.
  await page.evaluate(async (path) => {
    const token = document.querySelector('input[name=csrf_token]').value;
    for (let i = 1; i <= 27; i += 1) {
      const body = new URLSearchParams({ csrf_token: token, name: `Peserta Awal ${i}`, gender: i % 2 ? 'P' : 'L', voter: '1' });
      await fetch(`${path}/hadir`, { method: 'POST', body, redirect: 'manual' });
    }
  }, meeting);
  await page.reload();
  assert.match(await page.locator('#pembukaan').innerText(), /dibuka/, 'the quorum is in');
  await page.locator('#usulan-peserta summary').click();
  await page.locator('#fl-title').fill('Lampu jalan gang masjid');
  await page.locator('#fl-problem').fill('Gang gelap setelah magrib');
  await page.locator('#fl-proposer_name').fill('Pak Darto');
  await page.locator('#fl-bidang').selectOption({ index: 2 });
  if (await page.locator('#fl-dusun').count()) await page.locator('#fl-dusun').selectOption({ index: 1 });
  await page.locator('#usulan-peserta button[type="submit"]').click();
  await page.waitForLoadState('load');
  await keptForOffline(page);
  const decisionForms = page.locator('form[data-offline="keputusan"]');
  assert.ok(await decisionForms.count() >= 2, 'the opened meeting takes decisions');
  const before = (await stored(page, meeting, /.*/)).json;

  await offline(context);
  for (let i = 1; i <= 10; i += 1) {
    await recordLine(page, `Luring ${String(i).padStart(2, '0')}`, i % 2 ? 'P' : 'L');
    await page.locator('#antrean ul.waiting > li').nth(i - 1).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'a-name', 'the cursor back on the name');
  }
  for (const n of [0, 1]) {
    const form = decisionForms.nth(n);
    await form.locator('xpath=..').locator('summary').click();
    await form.locator('input[name="decision"]').first().check();
    await form.locator('input[name="method"][value="mufakat"]').check();
    await form.locator('button[type="submit"]').click();
  }
  await page.locator('#antrean ul.waiting > li').nth(11).waitFor();
  assert.match(await page.locator('#antrean').innerText(), /Menunggu sinyal, jumlah catatan: 12/);
  await look(page, 'offline-kept');

  // A reload without signal: the page comes from the phone, with what waits.
  await page.reload();
  await page.locator('#antrean ul.waiting > li').nth(11).waitFor();
  assert.equal(await page.locator('#antrean ul.waiting > li').count(), 12);
  const nothingYet = await page.request.get(`${server.url}/api/v1${meeting}`);
  assert.equal((await nothingYet.json()).attendance.present, before.attendance.present, 'nothing sent offline');

  // The signal returns: everything goes, and the page shows it as the server has it.
  await online(context);
  await page.waitForFunction(() => document.querySelector('#antrean')?.hidden !== false
    || document.querySelectorAll('#antrean ul.waiting > li').length === 0, null, { timeout: 30_000 });
  await page.locator('ol.attendance > li', { hasText: 'Luring 10' }).waitFor({ timeout: 30_000 });
  const after = await stored(page, meeting, /^Luring \d\d$/);
  assert.equal(after.names.length, 10, 'each offline line stored once');
  assert.equal(after.json.attendance.present, before.attendance.present + 10);
  assert.equal(after.json.decisions.length, 2, JSON.stringify(after.json.decisions));
  await look(page, 'offline-sent');
  assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::/.test(e)), []);
  await context.close();
});

test('a connection dropping mid-sync, with a second tab open, stores each line once', async () => {
  const { context, page } = await phone(browser);
  const meeting = await openMeeting(page);
  await keptForOffline(page);
  // One bar that carries nothing: the phone believes it is online, the form is sent the
  // plain way, and the worker keeps it when the network fails, then shows the kept page.
  signal.lose();
  await recordLine(page, 'Putus 1', 'L');
  await page.waitForURL(/#antrean$/);
  await page.locator('#antrean ul.waiting > li').first().waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'a-name', 'the cursor back on the name');
  await offline(context);
  for (let i = 2; i <= 6; i += 1) {
    await recordLine(page, `Putus ${i}`, 'L');
    await page.locator('#antrean ul.waiting > li').nth(i - 1).waitFor();
  }
  const second = await context.newPage();
  await second.goto(`${signal.url}${meeting}`);
  await second.locator('#antrean ul.waiting > li').nth(5).waitFor();
  // The second line sent reaches the server, but its answer never comes back.
  signal.cutPostNumber(2);
  await online(context);
  await page.locator('ol.attendance > li', { hasText: 'Putus 6' }).waitFor({ timeout: 40_000 });
  await second.waitForFunction(() => document.querySelectorAll('#antrean ul.waiting > li').length === 0, null, { timeout: 40_000 });
  const after = await stored(page, meeting, /^Putus \d$/);
  assert.deepEqual(after.names.sort(), ['Putus 1', 'Putus 2', 'Putus 3', 'Putus 4', 'Putus 5', 'Putus 6']);
  await context.close();
});

test('lines sent after the meeting was finalized are listed as not in the record', async () => {
  const { context, page } = await phone(browser);
  await login(page, signal.url, 'pendamping@majasari.desa.id', '/desa/majasari/musyawarah');
  // A meeting held last month, entered afterwards: the official may finalize it while the
  // facilitator is still without signal.
  const token = await page.locator('input[name=csrf_token]').first().inputValue();
  const post = async (path, form) => {
    const response = await page.request.post(`${signal.url}${path}`, { form: { csrf_token: token, ...form }, maxRedirects: 0 });
    assert.equal(response.status(), 303, `${path}: ${response.status()}`);
    return response.headers().location.replace(/#.*$/, '');
  };
  const meeting = await post('/desa/majasari/musyawarah', {
    kind: 'musdes', title: 'Musyawarah Desa Tanpa Sinyal', scheduled_at: '2026-10-20T09:00',
    place: 'Balai Dusun IV', chair: 'Bapak Suparno (Ketua BPD)', note_taker: 'Ibu Rina', invited_count: '10',
  });
  for (let i = 1; i <= 7; i += 1) await post(`${meeting}/hadir`, { name: `Hadir Tepat ${i}`, gender: i % 2 ? 'P' : 'L' });
  await post(`${meeting}/status`, { status: 'held' });
  await page.goto(`${signal.url}${meeting}`);
  await keptForOffline(page);
  await offline(context);
  await recordLine(page, 'Terlambat Satu', 'P');
  await recordLine(page, 'Terlambat Dua', 'L');
  await page.locator('#antrean ul.waiting > li').nth(1).waitFor();

  const official = await phone(browser);
  await login(official.page, server.url, 'kades@majasari.desa.id', meeting);
  await official.page.locator('summary', { hasText: 'Finalkan berita acara' }).click();
  await official.page.getByRole('button', { name: 'Ya, finalkan sekarang' }).click();
  await official.page.waitForLoadState('load');
  await official.context.close();

  // The server's 409 makes the page fetch itself again (its forms are gone): read the list
  // on the page that comes back, not on the one being left.
  const reloaded = page.waitForEvent('load', { timeout: 40_000 });
  await online(context);
  await reloaded;
  const refused = page.locator('#antrean .refused-final');
  await refused.locator('li', { hasText: 'Terlambat Dua' }).waitFor({ state: 'visible', timeout: 30_000 });
  const said = await refused.innerText();
  assert.match(said, /sudah difinalkan sebelum catatan berikut terkirim/);
  assert.match(said, /Terlambat Satu/);
  assert.match(said, /Terlambat Dua/);
  await look(page, 'offline-refused');
  // Still listed after a reload (the finalized page, served fresh), until dismissed.
  await page.reload();
  await page.locator('#antrean .refused-final', { hasText: 'Terlambat Dua' }).waitFor();
  await page.locator('#antrean button.dismiss').click();
  await page.locator('#antrean').waitFor({ state: 'hidden' });
  const after = await stored(page, meeting, /^Terlambat/);
  assert.deepEqual(after.names, [], 'nothing got into the sealed record');
  await context.close();
});
