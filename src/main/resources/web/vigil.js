// Vigil's web view: reads the daemon's /api/ JSON and shows it. Everything that comes from the store (paths, log
// lines, process and channel names) is hostile text: it goes into the page only through textContent and
// setAttribute, never as markup. The bearer token, when the server wants one, is given once in the URL fragment
// (#token=...), kept in this tab's sessionStorage, taken out of the address bar, and sent in the Authorization
// header of every request.
'use strict';

const SOURCES = ['files', 'logs', 'pids'];
const REFRESH_MS = 30000;
const SVG = 'http://www.w3.org/2000/svg';

function token() {
  const match = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem('vigil-token', decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem('vigil-token');
}

/** The JSON the server answers for path; null for a 404 when optional (an endpoint only a collector has). */
async function api(path, optional) {
  const headers = {};
  const t = token();
  if (t) {
    headers.Authorization = 'Bearer ' + t;
  }
  const response = await fetch(path, { headers, cache: 'no-store' });
  if (response.status === 401) {
    throw new Error('This server wants its token (vigil.http.token): open the page as ' + location.origin + '/#token=TOKEN');
  }
  if (response.status === 403 && (await response.clone().text()).includes('vigil.http.token')) {
    throw new Error('The web view needs a token: set vigil.http.token (any user of this host can reach 127.0.0.1),'
      + ' then open the page as ' + location.origin + '/#token=TOKEN');
  }
  if (optional && response.status === 404) {
    return null;
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.error || ('the server answered ' + response.status + ' for ' + path));
  }
  return body;
}

// Control characters, invisible format characters and lone surrogates, shown as escapes as the reports show them
// (text.Printable): a right-to-left override would make /tmp/<U+202E>gpj.exe read as /tmp/exe.jpg.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu;

function printable(text) {
  return text.replace(HIDDEN, c => {
    const n = c.codePointAt(0);
    const named = {10: '\\n', 9: '\\t', 13: '\\r'}[n];
    const hex = n.toString(16);
    return named || (n <= 0xff ? '\\x' + hex.padStart(2, '0') : n <= 0xffff ? '\\u' + hex.padStart(4, '0')
      : '\\U' + hex.padStart(8, '0'));
  });
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) {
    e.className = className;
  }
  if (text !== undefined && text !== null) {
    e.textContent = printable(String(text));
  }
  return e;
}

function svg(tag, attributes) {
  const e = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    e.setAttribute(name, String(value));
  }
  return e;
}

const whenFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

function when(iso) {
  if (!iso) {
    return '–';
  }
  const t = el('time', null, whenFormat.format(new Date(iso)));
  t.setAttribute('datetime', iso);
  t.title = iso;
  return t;
}

function badge(source) {
  return el('span', 'badge badge-' + (SOURCES.includes(source) ? source : 'other'), source);
}

function severity(value) {
  return el('span', 'severity severity-' + String(value || 'none').toLowerCase(), value ? String(value).toLowerCase() : '');
}

/**
 * The rows' findings as rows; each names its host only when the rows come from more than one host (a collector's
 * fleet), since on a single daemon the host is the same on every row and would only take room on a phone.
 */
function findingRows(findings) {
  const hosts = new Set(findings.map(f => f.host).filter(Boolean));
  return findings.map(f => findingRow(f, hosts.size > 1));
}

/** One finding as a row: when, source, kind and severity, then the subject and the process on their own lines. */
function findingRow(f, showHost) {
  const li = el('li', 'row');
  li.dataset.source = f.source;
  li.dataset.kind = f.kind || '';
  const head = el('div', 'row-head');
  if (showHost) {
    head.append(el('span', 'host', f.host));
  }
  head.append(badge(f.source), el('span', 'kind', f.kind || 'deviation'));
  if (f.severity) {
    head.append(severity(f.severity));
  }
  const time = el('span', 'when');
  time.append(when(f.time));
  head.append(time);
  li.append(head, el('div', 'subject', f.subject));
  if (f.process || f.user) {
    li.append(el('div', 'process', [f.process, f.user && 'user ' + f.user].filter(Boolean).join(' · ')));
  }
  return li;
}

function showProblem(error) {
  const p = document.getElementById('problem');
  p.textContent = error.message;
  p.hidden = false;
}

async function loadOpen() {
  const data = await api('/api/open');
  const list = document.getElementById('open');
  list.replaceChildren(...findingRows(data.open));
  if (data.open.length === 0) {
    list.append(el('li', 'empty', 'Nothing open.'));
  }
  document.getElementById('open-count').textContent = String(data.total);
}

// The chart: stacked bars of findings per hour and source, drawn as SVG at the box's width.
let hourly = null;

async function loadChart() {
  hourly = await api('/api/findings/hourly?days=7');
  drawChart();
}

function drawChart() {
  if (!hourly) {
    return;
  }
  const box = document.getElementById('chart-box');
  const chart = document.getElementById('chart');
  const width = Math.max(box.clientWidth, 200);
  const height = width < 500 ? 160 : 200;
  const left = 34, right = 6, top = 8, bottom = 22;
  const plotW = width - left - right, plotH = height - top - bottom;
  const hours = hourly.hours;
  const totals = new Array(hours).fill(0);
  for (const s of SOURCES) {
    (hourly.sources[s] || []).forEach((n, i) => { totals[i] += n; });
  }
  const max = Math.max(1, ...totals);
  const scale = niceMax(max);
  chart.replaceChildren();
  chart.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
  chart.setAttribute('width', width);
  chart.setAttribute('height', height);

  for (const fraction of [0, 0.5, 1]) {
    const y = top + plotH - fraction * plotH;
    chart.append(svg('line', { x1: left, x2: width - right, y1: y, y2: y, class: 'grid' }));
    const label = svg('text', { x: left - 4, y: y + 4, class: 'axis', 'text-anchor': 'end' });
    label.textContent = String(Math.round(fraction * scale));
    chart.append(label);
  }
  const from = new Date(hourly.from).getTime();
  const barW = plotW / hours;
  const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
  for (let i = 0; i < hours; i++) {
    const start = new Date(from + i * 3600000);
    if (start.getHours() === 0) {
      const x = left + i * barW;
      chart.append(svg('line', { x1: x, x2: x, y1: top, y2: top + plotH, class: 'day' }));
      const label = svg('text', { x: x + 3, y: height - 6, class: 'axis' });
      label.textContent = dayFormat.format(start);
      chart.append(label);
    }
  }
  const stacked = new Array(hours).fill(0);
  for (const s of SOURCES) {
    const series = hourly.sources[s] || [];
    series.forEach((n, i) => {
      if (n === 0) {
        return;
      }
      const h = Math.max(1.5, n / scale * plotH);
      const y = top + plotH - stacked[i] / scale * plotH - h;
      const bar = svg('rect', { x: left + i * barW, y, width: Math.max(barW - 0.5, 1.5), height: h,
        class: 'bar bar-' + s, 'data-source': s, 'data-count': n });
      const tip = svg('title');
      tip.textContent = n + ' ' + s + ' finding' + (n === 1 ? '' : 's') + ', ' + whenFormat.format(new Date(from + i * 3600000));
      bar.append(tip);
      chart.append(bar);
      stacked[i] += n;
    });
  }
  const legend = document.getElementById('legend');
  legend.replaceChildren(...SOURCES.map((s) => {
    const li = el('li');
    const swatch = el('span', 'swatch swatch-' + s);
    const total = (hourly.sources[s] || []).reduce((a, b) => a + b, 0);
    li.append(swatch, el('span', null, s + ' ' + total));
    return li;
  }));
}

/** A round number at least max, so the axis reads 0, half and the top. */
function niceMax(max) {
  const step = Math.pow(10, Math.floor(Math.log10(max)));
  for (const m of [1, 2, 5, 10]) {
    if (m * step >= max) {
      return m * step;
    }
  }
  return 10 * step;
}

let kindsKnown = null;

function fillKinds(kinds, source) {
  const select = document.getElementById('f-kind');
  const chosen = select.value;
  const names = source ? kinds[source] || [] : [...new Set(Object.values(kinds).flat())].sort();
  select.replaceChildren(el('option', null, 'all'));
  select.firstChild.value = '';
  for (const k of names) {
    const option = el('option', null, k);
    option.value = k;
    select.append(option);
  }
  select.value = names.includes(chosen) ? chosen : '';
}

/** Counts event queries, so that an answer overtaken by a newer query (a filter applied while the page's first load
 * is still on its way) never replaces the newer answer's list. */
let eventsAsked = 0;

async function loadEvents() {
  const asked = ++eventsAsked;
  const form = document.getElementById('filter');
  const query = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (String(value).trim() !== '') {
      query.set(name, String(value).trim());
    }
  }
  query.set('limit', '100');
  const data = await api('/api/events?' + query);
  if (asked !== eventsAsked) {
    return;
  }
  kindsKnown = data.kinds;
  fillKinds(kindsKnown, document.getElementById('f-source').value);
  const list = document.getElementById('events');
  list.replaceChildren(...findingRows(data.events));
  if (data.events.length === 0) {
    list.append(el('li', 'empty', 'No finding matches.'));
  }
  document.getElementById('events-note').textContent = data.more
    ? 'The newest ' + data.events.length + ' shown; narrow the filter for older ones.'
    : data.events.length + ' finding' + (data.events.length === 1 ? '' : 's') + '.';
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

/** lastCheckStarted: last check started. */
function words(name) {
  return String(name).replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** A fact of the status model as text or elements: times as times, lists joined, maps as nested lists. */
function factValue(value, depth) {
  if (value === null || value === undefined) {
    return document.createTextNode('–');
  }
  if (typeof value === 'string' && ISO_TIME.test(value)) {
    return when(value);
  }
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) {
      return document.createTextNode(value.length === 0 ? 'none' : value.join(', '));
    }
    const list = el('div');
    value.forEach((v) => list.append(factValue(v, depth + 1)));
    return list;
  }
  if (typeof value === 'object') {
    if (depth > 3) {
      return document.createTextNode(JSON.stringify(value));
    }
    return facts(value, depth + 1);
  }
  return document.createTextNode(String(value));
}

function facts(map, depth) {
  const dl = el('dl', depth > 0 ? 'nested' : null);
  for (const [name, value] of Object.entries(map)) {
    const structured = value !== null && typeof value === 'object' && !(Array.isArray(value)
      && value.every((v) => v === null || typeof v !== 'object'));
    const dd = el('dd', structured ? 'wide' : null);
    dd.append(factValue(value, depth));
    dl.append(el('dt', null, depth > 1 ? name : words(name)), dd);
  }
  return dl;
}

function sourceCard(s) {
  const card = el('div', 'card');
  card.dataset.source = s.source;
  card.dataset.route = s.route;
  const state = !s.running ? 'stopped' : s.failing ? 'failing' : 'running';
  const title = el('h3');
  title.append(badge(s.source), el('span', 'route', s.route), el('span', 'state state-' + state, state));
  card.append(title);
  if (s.failing) {
    card.append(el('p', 'failing', s.failing));
  }
  card.append(facts(s.facts || {}, 0));
  return card;
}

async function loadStatus() {
  const data = await api('/api/status');
  document.getElementById('daemon').textContent = 'pid ' + data.pid + (data.version ? ' · ' + data.version : '')
    + ' · ' + data.health.toLowerCase();
  document.getElementById('daemon').className = 'health health-' + data.health.toLowerCase();
  const bySource = [...data.sources].sort((a, b) => SOURCES.indexOf(a.source) - SOURCES.indexOf(b.source)
    || a.route.localeCompare(b.route));
  document.getElementById('sources').replaceChildren(...bySource.map(sourceCard));
  const body = document.querySelector('#outbox tbody');
  body.replaceChildren();
  for (const c of data.channels) {
    const tr = el('tr');
    tr.dataset.channel = c.channel;
    const last = el('td');
    last.append(when(c.lastDelivery));
    tr.append(el('td', null, c.channel), el('td', c.backlog > 0 ? 'warn' : null, c.backlog),
      el('td', c.givenUp > 0 ? 'bad' : null, c.givenUp), last);
    body.append(tr);
    if (c.failing) {
      const why = el('tr', 'why');
      const td = el('td', 'bad', 'failing: ' + c.failing);
      td.colSpan = 4;
      why.append(td);
      body.append(why);
    }
  }
  if (data.channels.length === 0) {
    body.append(emptyRow('No channel.', 4));
  }
}

/** A table's one row saying it has none, across its columns. */
function emptyRow(text, columns) {
  const tr = el('tr');
  const td = el('td', 'empty', text);
  td.colSpan = columns;
  tr.append(td);
  return tr;
}

/** 61.2 KiB: bytes as vigil hosts prints them. */
function size(bytes) {
  const units = [[1 << 30, 'GiB', 2], [1 << 20, 'MiB', 1], [1024, 'KiB', 1]];
  const [unit, name, digits] = units.find(([u]) => bytes >= u) || [1024, 'KiB', 1];
  return (bytes / unit).toFixed(digits) + ' ' + name;
}

/** A collector's hosts (a daemon has none: the section stays hidden). */
async function loadHosts() {
  const data = await api('/api/hosts', true);
  const section = document.getElementById('hosts-section');
  section.hidden = data === null;
  if (data === null) {
    return;
  }
  document.getElementById('hosts-count').textContent = data.total > data.hosts.length
    ? data.hosts.length + ' of ' + data.total : String(data.total);
  const body = document.querySelector('#hosts tbody');
  body.replaceChildren();
  for (const h of data.hosts) {
    const tr = el('tr');
    tr.dataset.host = h.name;
    const last = el('td');
    last.append(when(h.lastHeartbeat));
    const part = data.hostMaxBytes > 0 ? Math.round(100 * h.storedBytes / data.hostMaxBytes) : null;
    tr.append(el('td', null, h.name), last, el('td', h.silent ? 'bad' : null, h.silent ? 'SILENT' : 'ok'),
      el('td', null, h.mode || '–'),
      el('td', part !== null && part >= 90 ? 'warn' : null, size(h.storedBytes) + (part !== null ? ' (' + part + '%)' : '')));
    body.append(tr);
  }
  if (data.hosts.length === 0) {
    body.append(emptyRow('No host has sent a heartbeat yet.', 5));
  }
}

async function refresh() {
  const results = await Promise.allSettled([loadOpen(), loadChart(), loadStatus(), loadHosts(), loadEvents()]);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    showProblem(failed.reason);
  } else {
    document.getElementById('problem').hidden = true;
  }
  document.getElementById('updated').textContent = 'updated ' + whenFormat.format(new Date());
}

/**
 * Fills the filter from the address's query (/?path=/etc/*&since=): a link or bookmark opens the page filtered, and an
 * Apply clicked before this script ran, which the browser sends as such a query, is not lost.
 */
function filterFromAddress(form) {
  for (const [name, value] of new URLSearchParams(location.search)) {
    const field = form.elements.namedItem(name);
    if (!field || !('value' in field)) {
      continue;
    }
    if (field.tagName === 'SELECT' && ![...field.options].some((o) => o.value === value)) {
      const option = el('option', null, value);
      option.value = value;
      field.append(option);
    }
    field.value = value;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  token();
  const form = document.getElementById('filter');
  filterFromAddress(form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    loadEvents().catch(showProblem);
  });
  document.getElementById('f-source').addEventListener('change', () => {
    if (kindsKnown) {
      fillKinds(kindsKnown, document.getElementById('f-source').value);
    }
  });
  let resizing = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizing);
    resizing = setTimeout(drawChart, 100);
  });
  window.addEventListener('hashchange', () => {
    if (location.hash.includes('token=')) {
      refresh();
    }
  });
  refresh();
  setInterval(refresh, REFRESH_MS);
});
