// While a title is typed, show proposals already in the village that look alike, so a
// resident can support one instead of writing a duplicate. Without this script the
// same check happens on a confirmation step after sending.
(() => {
  const title = document.getElementById('f-title');
  const box = document.getElementById('similar');
  if (!title || !box) return;
  const problem = document.getElementById('f-problem');
  let timer;
  const check = async () => {
    const q = new URLSearchParams({ title: title.value, problem: problem ? problem.value : '' });
    if (title.value.trim().length < 5) { box.hidden = true; return; }
    try {
      const r = await fetch(`${box.dataset.url}?${q}`, { headers: { Accept: 'application/json' } });
      if (!r.ok) return;
      const { items } = await r.json();
      const list = box.querySelector('ul');
      list.replaceChildren(...items.map((p) => {
        const li = document.createElement('li');
        const a = document.createElement('a');
        a.href = p.url;
        a.textContent = `${p.number} · ${p.title}`;
        li.append(a);
        return li;
      }));
      box.hidden = items.length === 0;
    } catch (_) { /* offline: the confirmation step still checks */ }
  };
  title.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(check, 400); });
})();
