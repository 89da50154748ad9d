// Flotilla Fleet web page: talks to the management API with the admin key the user pastes (kept in this tab only).
'use strict';

const $ = (sel) => document.querySelector(sel);
let key = sessionStorage.getItem('flotilla-admin-key') || '';

function say(text, ok) {
  const s = $('#status');
  s.textContent = text;
  s.className = ok ? 'ok' : 'error';
}

async function api(method, path, body) {
  const opts = { method, headers: { 'Authorization': 'ApiKey ' + key } };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(path, opts);
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const field = json.attributes && json.attributes.field ? ' [' + json.attributes.field + ']' : '';
    throw new Error(res.status + ' ' + (json.message || res.statusText) + field);
  }
  return json;
}

function cell(tr, value) {
  const td = document.createElement('td');
  td.textContent = value === undefined || value === null ? '' : String(value);
  tr.appendChild(td);
  return td;
}

function rows(table, items, fill) {
  const tbody = $(table + ' tbody');
  tbody.replaceChildren();
  for (const item of items) {
    const tr = document.createElement('tr');
    fill(tr, item);
    tbody.appendChild(tr);
  }
}

function button(td, label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', onClick);
  td.appendChild(b);
}

const lines = (text) => text.split('\n').map((l) => l.trim()).filter((l) => l);

async function loadHosts() {
  const { items } = await api('GET', '/api/fleet/fleet_server_hosts');
  rows('#hosts', items, (tr, h) => {
    cell(tr, h.name); cell(tr, h.host_urls.join(', ')); cell(tr, h.is_default ? 'yes' : '');
    button(cell(tr, ''), 'Edit', () => {
      const f = $('#host-form');
      f.id.value = h.id; f.name.value = h.name; f.host_urls.value = h.host_urls.join('\n');
      f.is_default.checked = h.is_default;
    });
  });
}

async function loadOutputs() {
  const { items } = await api('GET', '/api/fleet/outputs');
  rows('#outputs', items, (tr, o) => {
    cell(tr, o.name); cell(tr, o.hosts.join(', ')); cell(tr, o.ca_trusted_fingerprint); cell(tr, o.is_default ? 'yes' : '');
    button(cell(tr, ''), 'Edit', () => {
      const f = $('#output-form');
      f.id.value = o.id; f.name.value = o.name; f.hosts.value = o.hosts.join('\n');
      f.ca_trusted_fingerprint.value = o.ca_trusted_fingerprint || ''; f.config_yaml.value = o.config_yaml || '';
      f.is_default.checked = o.is_default;
    });
  });
}

async function loadPolicies() {
  const { items } = await api('GET', '/api/fleet/agent_policies');
  rows('#policies', items, (tr, p) => {
    cell(tr, p.id); cell(tr, p.name); cell(tr, p.namespace); cell(tr, p.revision); cell(tr, p.agents);
  });
}

async function loadTokens() {
  const { items } = await api('GET', '/api/fleet/enrollment_api_keys');
  rows('#tokens', items, (tr, t) => {
    cell(tr, t.name); cell(tr, t.policy_id); cell(tr, t.active ? 'yes' : (t.revoked ? 'revoked' : 'expired'));
    cell(tr, t.expire_at || 'never');
    const td = cell(tr, '');
    if (t.active) {
      button(td, 'Revoke', async () => {
        await guarded(() => api('DELETE', '/api/fleet/enrollment_api_keys/' + encodeURIComponent(t.id)), 'Token revoked');
      });
    }
  });
}

let agentPage = 1;
async function loadAgents() {
  const f = $('#agent-filter');
  const q = new URLSearchParams({ page: agentPage, perPage: 50 });
  for (const name of ['policy_id', 'status', 'tags']) {
    if (f[name].value) q.set(name, f[name].value);
  }
  const res = await api('GET', '/api/fleet/agents?' + q);
  rows('#agents', res.items, (tr, a) => {
    cell(tr, a.id); cell(tr, a.hostname); cell(tr, a.status); cell(tr, a.policy_id);
    cell(tr, a.policy_revision); cell(tr, a.last_checkin); cell(tr, a.tags.join(', '));
  });
  const s = res.statusSummary;
  $('#agent-pages').textContent = `${res.total} agents (page ${res.page}); online ${s.online}, offline ${s.offline}, `
    + `unhealthy ${s.unhealthy}, updating ${s.updating}, unenrolled ${s.unenrolled}`;
}

async function loadAll() {
  await Promise.all([loadHosts(), loadOutputs(), loadPolicies(), loadTokens(), loadAgents()]);
}

async function guarded(action, done) {
  try {
    await action();
    await loadAll();
    say(done, true);
  } catch (e) {
    say(e.message, false);
  }
}

function saveForm(formSel, base, body, done) {
  const f = $(formSel);
  const id = f.id.value;
  return guarded(() => id ? api('PUT', base + '/' + encodeURIComponent(id), body) : api('POST', base, body), done);
}

$('#host-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const f = ev.target;
  saveForm('#host-form', '/api/fleet/fleet_server_hosts',
    { name: f.name.value, host_urls: lines(f.host_urls.value), is_default: f.is_default.checked },
    'Fleet Server host saved; policies using it have a new revision');
});

$('#output-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const f = ev.target;
  saveForm('#output-form', '/api/fleet/outputs', {
    name: f.name.value, type: 'elasticsearch', hosts: lines(f.hosts.value), is_default: f.is_default.checked,
    ca_trusted_fingerprint: f.ca_trusted_fingerprint.value.trim() || null,
    config_yaml: f.config_yaml.value.trim() ? f.config_yaml.value : null,
  }, 'Output saved; policies using it have a new revision');
});

for (const sel of ['#host-form', '#output-form']) {
  $(sel + ' .new').addEventListener('click', () => { $(sel).reset(); $(sel).id.value = ''; });
}

$('#policy-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  guarded(() => api('POST', '/api/fleet/agent_policies', { name: ev.target.name.value }), 'Policy created');
});

$('#token-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const f = ev.target;
  guarded(async () => {
    const res = await api('POST', '/api/fleet/enrollment_api_keys',
      { policy_id: f.policy_id.value, expiration: f.expiration.value || null });
    $('#new-token code').textContent = res.item.api_key;
    $('#new-token').hidden = false;
  }, 'Token created: copy it now, it is not shown again');
});

$('#agent-filter').addEventListener('submit', (ev) => {
  ev.preventDefault();
  agentPage = 1;
  guarded(loadAgents, 'Agents loaded');
});

$('#login').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  key = $('#key').value.trim();
  $('#key').value = '';
  sessionStorage.setItem('flotilla-admin-key', key);
  await connect();
});

$('#logout').addEventListener('click', () => {
  key = '';
  sessionStorage.removeItem('flotilla-admin-key');
  $('#main').hidden = true;
  say('Key forgotten', true);
});

async function connect() {
  if (!key) {
    say('Paste the admin key (the admin.key file in the server data directory).', true);
    return;
  }
  try {
    await loadAll();
    $('#main').hidden = false;
    say('Connected', true);
  } catch (e) {
    $('#main').hidden = true;
    say(e.message, false);
  }
}

connect();
