// Every page type, in both languages, in the populated demo village: the W3C Nu validator
// (npm vnu-jar, run by Java) finds no errors, and axe-core in chromium finds no serious
// or critical violations. Page types are found by walking the site as the admin (who
// reaches every page) and as the demo resident (their own proposal's edit form), one page
// per route shape; error pages and a refused form are added.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launch, login, accessibilityProblems, backend, shots } from '../harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vnu = join(root, 'e2e', 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

/** The shape of a path: its ids, numbers and codes as `#`. */
const shape = (path) => path.split('?')[0].split('/').map((p) => (/\d/.test(p) ? '#' : p)).join('/');

/** Walks the site from `start` with the context's cookies; one path per page shape. */
async function pageTypes(context, start) {
  const seen = new Set();
  const shapes = new Map();
  const queue = [...start];
  while (queue.length && seen.size < 1500) {
    const path = queue.shift();
    if (seen.has(path)) continue;
    seen.add(path);
    const r = await context.request.get(server.url + path);
    if (!(r.headers()['content-type'] ?? '').startsWith('text/html')) continue;
    if (!shapes.has(shape(path))) shapes.set(shape(path), path);
    const body = await r.text();
    for (const m of body.matchAll(/href="(\/[^"#]*)/g)) {
      const href = m[1].replaceAll('&amp;', '&');
      if (href.startsWith('//') || href.startsWith('/static/') || href.startsWith('/api/') || /\.(csv|xlsx)$/.test(href.split('?')[0])) continue;
      // One language at a time: both are checked below on every page type.
      if (/[?&]lang=/.test(href)) continue;
      queue.push(href);
    }
  }
  return [...shapes.values()];
}

const withLang = (path, lang) => `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;

test('every page type in both languages is valid HTML and has no serious accessibility problem', async () => {
  const admin = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const adminPage = await admin.newPage();
  await login(adminPage, server.url, 'admin@majasari.desa.id', '/admin/desa');
  const resident = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const residentPage = await resident.newPage();
  await login(residentPage, server.url, 'warga@majasari.desa.id', '/desa/majasari');
  const kecamatan = await browser.newContext({ viewport: { width: 360, height: 640 } });
  await login(await kecamatan.newPage(), server.url, 'kecamatan@bobotsari.go.id', '/kecamatan');

  // Pages that need a thing made first: an attendance line to correct, a proposal of
  // one's own to edit.
  const token = (html) => html.match(/name="csrf_token" value="([^"]+)"/)[1];
  const meetings = await (await admin.request.get(`${server.url}/desa/majasari/musyawarah`)).text();
  for (const [, path] of meetings.matchAll(/href="(\/desa\/majasari\/musyawarah\/[0-9a-f-]{36})"/g)) {
    const html = await (await admin.request.get(server.url + path)).text();
    if (!html.includes(`action="${path}/hadir#hadir"`)) continue;
    await admin.request.post(`${server.url}${path}/hadir`, { form: { csrf_token: token(html), name: 'Ibu Sulastri', gender: 'P' } });
    break;
  }
  const form = await (await resident.request.get(`${server.url}/desa/majasari/usulan/baru`)).text();
  const made = await resident.request.post(`${server.url}/desa/majasari/usulan`, {
    form: { csrf_token: token(form), title: 'Tempat sampah di pasar', problem: 'Sampah menumpuk di pasar desa', bidang: '02', confirmed: '1' },
  });
  const own = new URL(made.url()).pathname;
  // A problem of the village's inventory and a needs survey, for their pages.
  const needs = await (await admin.request.get(`${server.url}/desa/majasari/masalah`)).text();
  await admin.request.post(`${server.url}/desa/majasari/masalah`, {
    form: { csrf_token: token(needs), title: 'Sumur warga kering saat kemarau', affects: 'women', affected_count: '120', affected_unit: 'KK' },
  });
  const surveys = await (await admin.request.get(`${server.url}/desa/majasari/survei`)).text();
  await admin.request.post(`${server.url}/desa/majasari/survei`, {
    form: { csrf_token: token(surveys), title: 'Survei air bersih', questions: 'Sumber air minum utama? | Sumur | PDAM | Sungai' },
  });

  const adminPaths = await pageTypes(admin, ['/', '/desa/majasari', '/admin/desa', '/admin/akun', '/akun/sesi', '/verifikasi']);
  const residentPaths = (await pageTypes(resident, [own, `${own}/ubah`]))
    .filter((p) => !adminPaths.some((a) => shape(a) === shape(p)));
  assert.ok(residentPaths.some((p) => p.endsWith('/ubah')), `the resident's edit form: ${residentPaths}`);
  // The kecamatan's list, and the DU-RKP with its answer forms.
  const kecamatanPaths = (await pageTypes(kecamatan, ['/kecamatan']))
    .filter((p) => p === '/kecamatan' || p.endsWith('/du-rkp'));
  assert.ok(kecamatanPaths.some((p) => p.endsWith('/du-rkp')), `a DU-RKP: ${kecamatanPaths}`);
  assert.ok(adminPaths.some((p) => /\/hadir\/[0-9a-f-]{36}$/.test(p)), 'an attendance line\'s form');
  const anonymous = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const anonymousPaths = ['/masuk', '/desa/tidak-ada', '/verifikasi?kode=ZZZZZ-ZZZZZ', '/desa/majasari/usulan/baru',
    '/daftar', '/daftar?village=majasari', '/lupa-sandi', '/lacak', '/lacak?kode=ZZZZZ-ZZZZZ', '/desa/majasari/usulan/2020-999'];
  assert.ok(adminPaths.some((p) => p.endsWith('/warga')), 'the residents page');
  assert.ok(adminPaths.some((p) => p.endsWith('/daftar-hadir-kosong')), 'a blank attendance sheet');
  assert.ok(adminPaths.some((p) => /\/masalah\/[0-9a-f-]{36}$/.test(p)), 'a problem\'s page');
  assert.ok(adminPaths.some((p) => /\/survei\/[0-9a-f-]{36}$/.test(p)), 'a survey\'s page');
  assert.ok(adminPaths.some((p) => p.endsWith('/dampak')), 'the impact page');
  assert.ok(adminPaths.some((p) => /\/penggerak\/[0-9a-f-]{36}$/.test(p)), 'a cadre\'s page');
  assert.ok(adminPaths.some((p) => p.endsWith('/nilai')), 'a meeting\'s rating page');
  assert.ok(adminPaths.some((p) => /\/surat-undangan\/[0-9a-f-]{36}$/.test(p)), 'an invitation letter');
  assert.ok(adminPaths.length >= 25, `only ${adminPaths.length} page types found: ${adminPaths.join(' ')}`);

  const dir = join(shots, `html-${backend()}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = new Map();
  const axe = [];
  const wide = [];
  let n = 0;
  const check = async (context, label, path, html) => {
    const file = join(dir, `${String(++n).padStart(3, '0')}.html`);
    writeFileSync(file, html);
    files.set(file, `${label} ${path}`);
  };
  for (const lang of ['id', 'en']) {
    for (const [context, label, paths] of [[admin, 'admin', adminPaths], [resident, 'resident', residentPaths], [kecamatan, 'kecamatan', kecamatanPaths], [anonymous, 'anonymous', anonymousPaths]]) {
      const page = await context.newPage();
      for (const path of paths) {
        const url = server.url + withLang(path, lang);
        await page.goto(url);
        await check(context, label, withLang(path, lang), await page.content());
        // Nothing wider than the phone: a page that scrolls sideways hides its right edge.
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > page.viewportSize().width) wide.push(`${label} ${withLang(path, lang)}: ${width} px`);
        for (const problem of await accessibilityProblems(page)) axe.push(`${label} ${withLang(path, lang)}: ${problem}`);
      }
      await page.close();
    }
    // A form refused for its mistakes, drawn again with what was typed.
    const page = await resident.newPage();
    await page.goto(server.url + withLang('/desa/majasari/usulan/baru', lang));
    await page.locator('form[action="/desa/majasari/usulan"] button[type="submit"]').last().click();
    await page.waitForLoadState();
    await check(resident, 'resident', `refused proposal form (${lang})`, await page.content());
    for (const problem of await accessibilityProblems(page)) axe.push(`refused proposal form (${lang}): ${problem}`);
    await page.close();
  }

  // The Nu validator over every saved page at once (one Java start).
  // vnu writes its JSON report to stderr.
  const out = execFileSync('sh', ['-c', `java -jar "${vnu}" --format json --errors-only --exit-zero-always "${dir}"/*.html 2>&1`],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const messages = JSON.parse(out).messages.filter((m) => m.type === 'error');
  const errors = messages.map((m) => `${files.get(decodeURIComponent(m.url.replace('file:', ''))) ?? m.url}: ${m.message} «${(m.extract ?? '').trim()}»`);
  writeFileSync(join(shots, `${backend()}-validity.txt`),
    `${files.size} pages (${adminPaths.length + residentPaths.length + anonymousPaths.length + 1} types × 2 languages)\n${[...files.values()].join('\n')}\n\nvnu errors:\n${errors.join('\n')}\n\naxe:\n${axe.join('\n')}\n`);
  assert.deepEqual(errors, [], 'the Nu validator found errors');
  assert.deepEqual(axe, [], 'axe-core found serious or critical problems');
  assert.deepEqual(wide, [], 'pages wider than the viewport');
  await admin.close();
  await resident.close();
  await anonymous.close();
});
