// A meeting recorded without signal (the meeting page, for those who record it).
//
// Each attendance line, minutes or decision sent while the phone is offline is kept in the
// browser's storage (IndexedDB "musdes", store "antrean") with its own one-time submission
// key (`kunci_kirim`), and sent, oldest first, once the phone is online again. A line the
// server already has answers the same redirect for the same key, so a retry, a reload in
// the middle or a second tab never stores it twice. A meeting finalized meanwhile answers
// 409: the lines that did not get in are listed plainly, and stay until dismissed.
// Without JavaScript the plain forms work as before.
'use strict';

(() => {
  const box = document.getElementById('antrean');
  const CACHE = 'musdes-1';

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open('musdes', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('antrean', { keyPath: 'key' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function store(mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction('antrean', mode);
      const result = work(tx.objectStore('antrean'));
      tx.oncomplete = () => { db.close(); resolve(result && result.result); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    });
  }

  const all = () => store('readonly', (s) => s.getAll());
  const put = (item) => store('readwrite', (s) => s.put(item));
  const drop = (key) => store('readwrite', (s) => s.delete(key));

  // Logging out clears the browser's storage: say first what would be lost. Counted when
  // the page loads (and after each change), so that the answer is given at once.
  let unsent = 0;
  const count = () => all().then((items) => { unsent = items.filter((i) => i.state === 'waiting').length; }).catch(() => {});
  count();
  for (const form of document.querySelectorAll('form[data-unsent]')) {
    form.addEventListener('submit', (event) => {
      if (unsent > 0 && !window.confirm(form.dataset.unsent)) event.preventDefault();
    });
  }

  if (!box || !('indexedDB' in window)) return;
  // The cursor where the page asks for it, also when the page came through the worker.
  const asked = document.querySelector('[autofocus]');
  if (asked && document.activeElement !== asked) asked.focus();
  const meeting = box.dataset.meeting;
  const t = box.dataset;
  const token = () => (document.querySelector('input[name=csrf_token]') || {}).value || '';
  const fresh = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready).then(() => {
      // The page that registered the worker was not fetched through it: keep its copy now.
      if (!navigator.serviceWorker.controller) {
        return caches.open(CACHE).then((c) => c.add(location.pathname));
      }
      return undefined;
    }).catch(() => {});
  }

  function label(item) {
    const fields = new URLSearchParams(item.body);
    if (item.kind === 'hadir') {
      return [fields.get('name'), fields.get('gender')].filter(Boolean).join(' · ');
    }
    const number = fields.get('proposal') || '';
    if (item.kind === 'keputusan') {
      const choice = document.querySelector(`input[name=decision][value="${CSS.escape(fields.get('decision') || '')}"]`);
      const said = choice ? choice.parentElement.textContent.trim() : fields.get('decision');
      return `${t.kindDecision} ${number}: ${said || ''}`;
    }
    const text = fields.get('minutes') || '';
    return `${t.kindMinutes} ${number}: ${text.length > 60 ? text.slice(0, 60) + '…' : text}`;
  }

  function list(ul, items) {
    ul.replaceChildren(...items.map((item) => {
      const li = document.createElement('li');
      li.textContent = label(item);
      return li;
    }));
  }

  let status = '';
  // What waits, as last counted: a submit decides at once whether to keep or send.
  let waitingNow = 0;
  async function render() {
    const items = (await all()).filter((i) => i.meeting === meeting).sort((a, b) => a.at - b.at);
    const waiting = items.filter((i) => i.state === 'waiting');
    const refused = items.filter((i) => i.state !== 'waiting');
    box.hidden = items.length === 0 && !status;
    list(box.querySelector('.waiting'), waiting);
    box.querySelector('.waiting-count').textContent = waiting.length ? `${t.waiting} ${waiting.length}` : '';
    box.querySelector('.status').textContent = status;
    const refusedBox = box.querySelector('.refused');
    refusedBox.hidden = refused.length === 0;
    const finalized = refused.filter((i) => i.state === 'final');
    box.querySelector('.refused-final').hidden = finalized.length === 0;
    list(box.querySelector('.refused-final ul'), finalized);
    const invalid = refused.filter((i) => i.state === 'invalid');
    box.querySelector('.refused-invalid').hidden = invalid.length === 0;
    list(box.querySelector('.refused-invalid ul'), invalid);
    waitingNow = waiting.length;
    await count();
    return waiting.length;
  }

  async function keep(form) {
    const fields = new URLSearchParams(new FormData(form));
    fields.delete('csrf_token');
    const kind = form.dataset.offline;
    if (kind === 'hadir' && !(fields.get('name') || '').trim()) {
      status = t.nameMissing;
      await render();
      return;
    }
    await put({ key: fields.get('kunci_kirim'), meeting, kind, action: new URL(form.action).pathname, body: fields.toString(), at: Date.now(), state: 'waiting' });
    status = navigator.onLine ? '' : t.noSignal;
    if (kind === 'hadir') {
      // The next person, as the server's page would ask: the same group and dusun, the
      // rest blank (a voter by default), the cursor on the name.
      form.querySelector('[name=name]').value = '';
      for (const field of form.querySelectorAll('[name=gender], [name=voter]')) field.checked = field.value === '1';
      const role = form.querySelector('[name=role]');
      if (role) role.value = '';
      form.querySelector('[name=name]').focus();
    } else {
      form.reset();
      const details = form.closest('details');
      if (details) details.open = false;
    }
    await render();
    if (navigator.onLine) sync();
  }

  for (const form of document.querySelectorAll('form[data-offline]')) {
    form.addEventListener('submit', (event) => {
      // Every send has its own key: the page's copy may be reused for many lines.
      form.querySelector('input[name=kunci_kirim]').value = fresh();
      if (navigator.onLine && waitingNow === 0) return;
      event.preventDefault();
      keep(form);
    });
  }

  let retry = null;
  function later() {
    clearTimeout(retry);
    retry = setTimeout(sync, 3000);
  }

  async function finalized() {
    try {
      const response = await fetch(t.api, { headers: { accept: 'application/json' } });
      return response.ok && (await response.json()).status === 'finalized';
    } catch (e) {
      return false;
    }
  }

  // Set when the server answered that the meeting is finalized: the page as kept still
  // shows its forms, so it is fetched again.
  let closed = false;

  // Sends what waits, oldest first; one tab at a time.
  async function send() {
    let sent = 0;
    for (;;) {
      const item = (await all())
        .filter((i) => i.meeting === meeting && i.state === 'waiting')
        .sort((a, b) => a.at - b.at)[0];
      if (!item) break;
      const body = new URLSearchParams(item.body);
      body.set('csrf_token', token());
      let response;
      try {
        status = t.sending;
        await render();
        response = await fetch(item.action, { method: 'POST', body, redirect: 'manual', credentials: 'same-origin' });
      } catch (e) {
        status = t.noSignal;
        later();
        break;
      }
      if (response.type === 'opaqueredirect' || response.status === 303) {
        await drop(item.key);
        sent += 1;
      } else if (response.status === 422) {
        await put({ ...item, state: 'invalid' });
      } else if (response.status === 409 && (await finalized())) {
        for (const rest of (await all()).filter((i) => i.meeting === meeting && i.state === 'waiting')) {
          await put({ ...rest, state: 'final' });
        }
        closed = true;
      } else if (response.status === 403 || response.status === 401) {
        status = t.loginAgain;
        break;
      } else {
        status = t.noSignal;
        later();
        break;
      }
    }
    return sent;
  }

  let syncing = false;
  async function sync() {
    if (syncing || !navigator.onLine) return;
    syncing = true;
    try {
      const sent = navigator.locks ? await navigator.locks.request('musdes-antrean', send) : await send();
      if (sent > 0) status = `${t.sent} ${sent}`;
      else if (status === t.sending) status = '';
      const waiting = await render();
      const name = document.querySelector('form[data-offline=hadir] [name=name]');
      // What was sent shows on the page as the server has it, unless someone is typing.
      if (closed || (sent > 0 && waiting === 0 && !(name && name.value))) location.reload();
    } finally {
      syncing = false;
    }
  }

  box.querySelector('.dismiss').addEventListener('click', async () => {
    for (const item of (await all()).filter((i) => i.meeting === meeting && i.state !== 'waiting')) {
      await drop(item.key);
    }
    status = '';
    render();
  });
  window.addEventListener('online', () => { status = ''; sync(); });
  window.addEventListener('offline', () => { status = t.noSignal; render(); });
  all().then((items) => {
    // Back from a line kept by the worker: the same group and dusun, the cursor on the name.
    const form = document.querySelector('form[data-offline=hadir]');
    const last = items.filter((i) => i.meeting === meeting && i.kind === 'hadir' && i.state === 'waiting')
      .sort((a, b) => b.at - a.at)[0];
    if (form && last) {
      const fields = new URLSearchParams(last.body);
      for (const name of ['group', 'dusun']) {
        const select = form.querySelector(`[name=${name}]`);
        if (select && fields.has(name)) select.value = fields.get(name);
      }
    }
    if (form && location.hash === '#antrean') form.querySelector('[name=name]').focus();
    return render();
  }).then((waiting) => { if (waiting > 0) sync(); }).catch(() => {});
})();
