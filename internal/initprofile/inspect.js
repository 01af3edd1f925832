() => {
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    const st = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none';
  };
  const unique = (s) => { try { return document.querySelectorAll(s).length === 1; } catch (_) { return false; } };
  const quote = (v) => '"' + v.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
  const selector = (e) => {
    if (!e) return '';
    if (e.id && unique('#' + CSS.escape(e.id))) return '#' + CSS.escape(e.id);
    const tag = e.tagName.toLowerCase();
    for (const a of ['name', 'data-testid', 'autocomplete', 'aria-label', 'type', 'value']) {
      const v = e.getAttribute(a);
      if (v) {
        const s = tag + '[' + a + '=' + quote(v) + ']';
        if (unique(s)) return s;
      }
    }
    // A path of nth-of-type steps from the nearest ancestor with a unique id, or the body.
    const parts = [];
    for (let n = e; n && n !== document.body; n = n.parentElement) {
      if (n !== e && n.id && unique('#' + CSS.escape(n.id))) { parts.unshift('#' + CSS.escape(n.id)); break; }
      let i = 1;
      for (let s = n.previousElementSibling; s; s = s.previousElementSibling) if (s.tagName === n.tagName) i++;
      parts.unshift(n.tagName.toLowerCase() + ':nth-of-type(' + i + ')');
    }
    return parts.join(' > ');
  };
  const text = (e) => ((e.innerText || e.value || e.getAttribute('aria-label') || '') + '').trim();
  const inputs = [...document.querySelectorAll('input')].filter(visible);
  const password = inputs.find((i) => i.type === 'password');
  const textual = inputs.filter((i) => ['text', 'email', 'tel', ''].includes((i.getAttribute('type') || '').toLowerCase()) || i.type === 'text' || i.type === 'email');
  const userish = /user|email|login|ident|account|name/i;
  const hint = (i) => [i.name, i.id, i.getAttribute('autocomplete'), i.getAttribute('placeholder'), i.getAttribute('aria-label')].join(' ');
  let username = textual.find((i) => (!password || i.form === password.form) && userish.test(hint(i)))
    || textual.find((i) => !password || i.form === password.form);
  if (!username && !password) username = undefined;
  const form = (password || username || {}).form;
  const buttons = [...document.querySelectorAll('button, input[type=submit], input[type=button], [role=button]')].filter(visible);
  const inForm = form ? buttons.filter((b) => b.form === form || form.contains(b)) : [];
  const submit = inForm.find((b) => (b.getAttribute('type') || 'submit').toLowerCase() === 'submit')
    || inForm[0]
    || buttons.find((b) => /sign.?in|log.?in|continue|next|submit/i.test(text(b)));
  const approve = buttons.find((b) => /\b(approve|allow|accept|authori[sz]e|consent|grant|yes)\b/i.test(text(b) + ' ' + (b.id || '') + ' ' + (b.value || '')));
  const deny = buttons.find((b) => /\b(deny|cancel|reject|decline|no)\b/i.test(text(b) + ' ' + (b.id || '') + ' ' + (b.value || '')));
  return {
    url: location.href,
    title: document.title,
    username: username ? selector(username) : '',
    password: password ? selector(password) : '',
    submit: (username || password) && submit ? selector(submit) : '',
    submitText: (username || password) && submit ? text(submit).slice(0, 40) : '',
    approve: !(username || password) && approve ? selector(approve) : '',
    deny: !(username || password) && deny ? selector(deny) : '',
  };
}
