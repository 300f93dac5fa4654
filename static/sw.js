// The service worker: a meeting page once opened works without signal.
//
// - A meeting page is fetched from the network first; its last copy is kept and served
//   when the network fails (and only then).
// - The style sheet, scripts and icon are kept at install.
// - A meeting form (attendance, minutes, decision) sent while the network fails is kept in
//   the browser's queue (IndexedDB, the same one /static/offline.js fills and sends), and
//   the browser is sent back to the meeting page, served from the copy.
// Logging out answers with Clear-Site-Data: every copy and the queue go with the session.
'use strict';

const CACHE = 'musdes-1';
const ASSETS = ['/static/app.css', '/static/offline.js', '/static/icon.svg'];
const MEETING = /^\/desa\/[^/]+\/musyawarah\/[0-9a-f-]{36}$/;
const FORMS = /^(\/desa\/[^/]+\/musyawarah\/[0-9a-f-]{36})\/(hadir|uraian|keputusan)$/;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'GET' && ASSETS.includes(url.pathname)) {
    event.respondWith(fromNetworkElseCopy(request, url.pathname));
  } else if (request.method === 'GET' && request.mode === 'navigate' && MEETING.test(url.pathname)) {
    event.respondWith(fromNetworkElseCopy(request, url.pathname));
  } else if (request.method === 'POST' && request.mode === 'navigate' && FORMS.test(url.pathname)) {
    event.respondWith(sendElseKeep(request, url));
  }
});

async function fromNetworkElseCopy(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic' && !response.redirected) {
      await cache.put(key, response.clone());
    }
    return response;
  } catch (error) {
    const copy = await cache.match(key);
    if (copy) return copy;
    throw error;
  }
}

async function sendElseKeep(request, url) {
  const body = await request.clone().text();
  try {
    return await fetch(request);
  } catch (error) {
    const [, meeting, kind] = url.pathname.match(FORMS);
    const fields = new URLSearchParams(body);
    const key = fields.get('kunci_kirim');
    // Without a key a later send could not be told from this one: nothing is kept.
    if (!key || !(await caches.match(meeting))) throw error;
    fields.delete('csrf_token');
    await keep({ key, meeting, kind, action: url.pathname, body: fields.toString(), at: Date.now(), state: 'waiting' });
    return Response.redirect(meeting + '#antrean', 303);
  }
}

function keep(item) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('musdes', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('antrean', { keyPath: 'key' });
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('antrean', 'readwrite');
      tx.objectStore('antrean').put(item);
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  });
}
