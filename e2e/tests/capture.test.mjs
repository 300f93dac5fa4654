// On a phone in the hall: 40 people recorded on the daftar hadir, each with at most two
// taps (L/P and "Tambah") besides typing the name — the group and dusun stay chosen from
// the line before, and the cursor is back on the name after every line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, phone, login, look } from '../harness.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const PEOPLE = 40;

test(`${PEOPLE} attendees recorded with at most 2 taps each besides the name`, async () => {
  const { context, page, errors } = await phone(browser);
  await login(page, server.url, 'pendamping@majasari.desa.id', '/desa/majasari/musyawarah');
  // An open meeting of the demo: the one whose page has the attendance form.
  const links = await page.locator('main a[href*="/musyawarah/"]').evaluateAll(
    (as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
  let meeting = null;
  for (const href of links) {
    await page.goto(`${server.url}${href}`);
    if (await page.locator('#a-name').count()) { meeting = href; break; }
  }
  assert.ok(meeting, 'an open meeting to record');
  const before = await page.locator('ol.attendance > li').count();

  // Once, before the first person: the group and the dusun of those at the door.
  const group = page.locator('#a-group option').nth(1);
  const groupName = (await group.innerText()).trim();
  await page.locator('#a-group').selectOption(await group.getAttribute('value'));
  await page.locator('#a-dusun').selectOption('Dusun II Karanganyar');
  await page.locator('#a-name').click();

  let taps = 0;
  const tap = async (locator) => { taps += 1; await locator.click(); };
  let most = 0;
  for (let i = 1; i <= PEOPLE; i += 1) {
    const start = taps;
    // No tap to reach the name: the cursor is already there.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'a-name', `person ${i}: cursor on the name`);
    await page.keyboard.type(`Warga Hadir ${String(i).padStart(2, '0')}`);
    await tap(page.locator('#hadir input[name="gender"][value="' + (i % 2 ? 'P' : 'L') + '"]'));
    await tap(page.locator('#hadir button[type="submit"]').last());
    // The page comes back with the line added.
    await page.locator(`ol.attendance > li:nth-child(${before + i})`).waitFor();
    await page.waitForLoadState('load');
    most = Math.max(most, taps - start);
  }
  assert.ok(most <= 2, `at most 2 taps per person besides the name (was ${most})`);
  const lines = page.locator('ol.attendance > li');
  assert.equal(await lines.count(), before + PEOPLE);
  // Every one of them with the group and dusun chosen once at the start.
  const recorded = await lines.allInnerTexts();
  const ours = recorded.filter((t) => /Warga Hadir \d\d/.test(t));
  assert.equal(ours.length, PEOPLE);
  for (const line of ours) {
    assert.ok(line.includes(groupName) && line.includes('Dusun II Karanganyar'), line);
  }
  await look(page, 'capture-40');
  assert.deepEqual(errors, []);
  await context.close();
});
