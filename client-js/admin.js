// The operator's page (GET /admin): plain DOM over the operator API of docs/protocol.md section 10.
// The admin key stays in this tab's sessionStorage and goes out only as the bearer header of
// same-origin requests. Everything the API says reaches the page through textContent.

const $ = (id) => document.getElementById(id);
const KEY_STORAGE = 'parley-admin-key';
const POLL_MS = 2000;
const TRACE_RETRY_MS = 2000;
const TRACE_KEEP = 200; // trace lines kept on the page
const ROOMS_PAGE = 100;
const ROOMS_MAX = 1000; // the API's largest limit
const ROOM_NAME = /^[A-Za-z0-9_.:-]*$/;

/** The key was refused (401): the page forgets it and shows nothing more from the API. */
class Refused extends Error {}
/** An answer that came back after a log-out or a new log-in: dropped. */
class Stale extends Error {}
/** An answer other than 2xx (and 401): its status and the API's message. */
class HttpError extends Error {}

let key = null;
let session = 0; // a new number at each log-in and log-out: older requests are stale
let pollTimer = null;
let roomsLimit = ROOMS_PAGE;
let searchTimer = null;
let selectedRoom = null;
let shownUser = null;
let userReport = null; // what the last disconnect of shownUser did, shown under its connections
let trace = null; // { room, controller }

// ---- small helpers ------------------------------------------------------------------------------

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** A text that may be long (a room, a user, a node): one line, an ellipsis, whole in the tooltip. */
function nameEl(tag, className, text) {
  const node = el(tag, `name ${className || ''}`.trim(), text);
  node.title = text;
  return node;
}

function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function dateTime(ms) {
  return new Date(ms).toLocaleString([], {
    month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
}

function uptime(startedAt) {
  const s = Math.max(0, Math.floor((Date.now() - startedAt) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

function rate(value) {
  if (typeof value !== 'number') return '–';
  return value < 10 ? value.toFixed(1) : String(Math.round(value));
}

function millis(value) {
  if (typeof value !== 'number') return '–';
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function userLabel(user) {
  if (!user) return '?';
  return user.name && user.name !== user.id ? `${user.name} (${user.id})` : String(user.id);
}

function delay(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

/**
 * Makes `list`'s children match `items` in order, keeping the element of each key (so that a
 * refresh every two seconds does not take a button away from under a click).
 */
function reconcile(list, items, keyOf, create, update) {
  const old = new Map([...list.children].map((node) => [node.dataset.key, node]));
  let at = list.firstElementChild;
  for (const item of items) {
    const k = String(keyOf(item));
    let node = old.get(k);
    if (node) {
      old.delete(k);
    } else {
      node = create(item);
      node.dataset.key = k;
    }
    update(node, item);
    if (node !== at) list.insertBefore(node, at);
    else at = at.nextElementSibling;
  }
  for (const node of old.values()) node.remove();
}

function setStatus(state, text) {
  const status = $('status');
  status.dataset.state = state;
  status.textContent = text;
}

// ---- the API ------------------------------------------------------------------------------------

/** A request with the key; a 401 logs out with "refused", an answer after a log-out is Stale. */
async function api(path, options = {}) {
  const mine = session;
  if (key === null) throw new Stale();
  const response = await fetch(path, {
    ...options,
    cache: 'no-store',
    headers: { ...options.headers, Authorization: `Bearer ${key}` },
  });
  if (mine !== session) throw new Stale();
  if (response.status === 401) {
    refused();
    throw new Refused();
  }
  return response;
}

/** The JSON of a 2xx answer; otherwise an Error with the API's message. */
async function json(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON
  }
  if (!response.ok) {
    const reason = body && (body.message || body.error);
    throw new HttpError(`${response.status}${reason ? ` ${reason}` : ''}`);
  }
  return body;
}

async function getJson(path) {
  return json(await api(path));
}

const enc = encodeURIComponent;

// ---- log-in and log-out -------------------------------------------------------------------------

async function logIn(candidate) {
  session += 1;
  const mine = session;
  key = candidate;
  $('login-button').disabled = true;
  $('login-error').hidden = true;
  try {
    const nodes = await getJson('/api/nodes');
    if (mine !== session) return;
    sessionStorage.setItem(KEY_STORAGE, candidate);
    $('key-input').value = '';
    $('login').hidden = true;
    $('dashboard').hidden = false;
    $('logout-button').hidden = false;
    renderNodes(nodes);
    setStatus('live', 'live');
    poll();
  } catch (e) {
    if (e instanceof Refused || e instanceof Stale || mine !== session) return;
    key = null;
    showLoginError(e instanceof HttpError ? `The server answered ${e.message}. Try again.`
      : `The server did not answer (${e.message}). Try again.`);
  } finally {
    $('login-button').disabled = false;
  }
}

/** Stops every request and timer, forgets the key and empties every panel. */
function forget() {
  session += 1;
  key = null;
  sessionStorage.removeItem(KEY_STORAGE);
  clearTimeout(pollTimer);
  pollTimer = null;
  clearTimeout(searchTimer);
  closeTrace();
  selectedRoom = null;
  shownUser = null;
  userReport = null;
  roomsLimit = ROOMS_PAGE;
  for (const id of ['nodes', 'rooms', 'room-members', 'trace', 'connections']) $(id).replaceChildren();
  for (const id of ['nodes-count', 'rooms-count', 'rooms-note', 'room-name', 'room-note', 'user-id', 'user-note',
    'publish-note', 'room-members-count', 'room-last-seq', 'room-epoch', 'room-depth']) {
    $(id).textContent = '';
  }
  for (const id of ['room-search', 'user-input', 'publish-room', 'publish-text']) $(id).value = '';
  $('room-detail').hidden = true;
  $('room-hint').hidden = false;
  $('user-result').hidden = true;
  $('rooms-more').hidden = true;
  $('dashboard').hidden = true;
  $('logout-button').hidden = true;
  $('login').hidden = false;
}

function refused() {
  forget();
  setStatus('refused', 'key refused');
  showLoginError('The key was refused (401). Check PARLEY_ADMIN_KEY and try again.');
}

function showLoginError(text) {
  const error = $('login-error');
  error.textContent = text;
  error.hidden = false;
  $('key-input').focus();
  $('key-input').select();
}

function logOut() {
  forget();
  setStatus('idle', '');
  $('login-error').hidden = true;
  $('key-input').focus();
}

// ---- polling ------------------------------------------------------------------------------------

async function poll() {
  clearTimeout(pollTimer);
  const mine = session;
  const results = await Promise.allSettled([refreshNodes(), refreshRooms(), refreshRoom(), refreshUser()]);
  if (mine !== session) return;
  const failed = results.find((r) => r.status === 'rejected' && !(r.reason instanceof Stale));
  if (failed) setStatus('trouble', `no answer · ${failed.reason.message}`);
  else setStatus('live', `live · ${clock(Date.now())}`);
  pollTimer = setTimeout(poll, POLL_MS);
}

// ---- nodes --------------------------------------------------------------------------------------

async function refreshNodes() {
  renderNodes(await getJson('/api/nodes'));
}

function renderNodes(body) {
  const nodes = body.nodes || [];
  $('nodes-count').textContent = `(${nodes.length})`;
  reconcile($('nodes'), nodes, (n) => n.id, (n) => {
    const item = el('li', 'node');
    item.dataset.testid = 'node';
    const head = el('div', 'node-head');
    head.append(nameEl('span', 'node-id', n.id), el('span', 'uptime'));
    const stats = el('dl', 'stats');
    for (const [field, label] of [['connections', 'connections'], ['rooms', 'rooms'], ['chats', 'chats/s'],
      ['deliveries', 'deliveries/s'], ['p50', 'ack p50'], ['p99', 'ack p99']]) {
      const pair = el('div');
      const value = el('dd');
      value.dataset.field = field;
      pair.append(el('dt', '', label), value);
      stats.append(pair);
    }
    item.append(head, stats);
    return item;
  }, (item, n) => {
    const set = (field, text) => { item.querySelector(`[data-field="${field}"]`).textContent = text; };
    item.querySelector('.uptime').textContent = typeof n.startedAt === 'number' ? `up ${uptime(n.startedAt)}` : '';
    item.querySelector('.uptime').title = typeof n.startedAt === 'number' ? `started ${dateTime(n.startedAt)}` : '';
    set('connections', n.connections ?? '–');
    set('rooms', n.rooms ?? '–');
    set('chats', rate(n.chatsPerSecond));
    set('deliveries', rate(n.deliveriesPerSecond));
    set('p50', millis(n.ackMs?.p50));
    set('p99', millis(n.ackMs?.p99));
  });
}

// ---- rooms --------------------------------------------------------------------------------------

async function refreshRooms() {
  const prefix = $('room-search').value.trim();
  if (!ROOM_NAME.test(prefix)) {
    $('rooms').replaceChildren();
    $('rooms-count').textContent = '';
    $('rooms-note').textContent = 'Room names have only letters, digits and _ . : -';
    $('rooms-more').hidden = true;
    return;
  }
  const limit = roomsLimit;
  const body = await getJson(`/api/rooms?prefix=${enc(prefix)}&limit=${limit}`);
  if (prefix !== $('room-search').value.trim() || limit !== roomsLimit) return; // the search changed meanwhile
  renderRooms(body, prefix);
}

function renderRooms(body, prefix) {
  const rooms = body.rooms || [];
  reconcile($('rooms'), rooms, (r) => r.room, (r) => {
    const item = el('li');
    const button = el('button', 'room-row');
    button.type = 'button';
    button.dataset.room = r.room;
    button.append(nameEl('span', '', r.room), el('span', 'num room-members'), el('span', 'num room-seq'),
      el('span', 'epoch mono'));
    button.addEventListener('click', () => selectRoom(r.room));
    item.append(button);
    return item;
  }, (item, r) => {
    const button = item.firstElementChild;
    button.setAttribute('aria-current', String(r.room === selectedRoom));
    button.querySelector('.room-members').textContent = r.members ?? '–';
    button.querySelector('.room-seq').textContent = r.lastSeq ?? '–';
    const epoch = button.querySelector('.epoch');
    epoch.textContent = r.epoch ?? '–';
    epoch.title = r.epoch ?? '';
  });
  $('rooms-count').textContent = `(${rooms.length}${body.hasMore ? '+' : ''})`;
  let note = '';
  if (!rooms.length) note = prefix ? `No room with members starts with “${prefix}”.` : 'No room has members.';
  else if (body.hasMore && roomsLimit >= ROOMS_MAX) note = `The first ${rooms.length} rooms: search to narrow.`;
  $('rooms-note').textContent = note;
  $('rooms-more').hidden = !body.hasMore || roomsLimit >= ROOMS_MAX;
}

function searchChanged() {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    roomsLimit = ROOMS_PAGE;
    refreshRooms().catch(() => {});
  }, 250);
}

// ---- one room: its facts, its members, its trace ------------------------------------------------

function selectRoom(room) {
  if (room === selectedRoom) return;
  selectedRoom = room;
  for (const button of $('rooms').querySelectorAll('button[data-room]')) {
    button.setAttribute('aria-current', String(button.dataset.room === room));
  }
  $('room-name').textContent = room;
  $('room-name').title = room;
  $('room-hint').hidden = true;
  $('room-detail').hidden = false;
  for (const id of ['room-members-count', 'room-last-seq', 'room-epoch', 'room-depth', 'room-note']) {
    $(id).textContent = '';
  }
  $('room-members').replaceChildren();
  $('trace').replaceChildren();
  if (!$('publish-room').value || $('publish-room').dataset.auto === 'true') {
    $('publish-room').value = room;
    $('publish-room').dataset.auto = 'true';
  }
  openTrace(room);
  refreshRoom().catch(() => {});
  if (window.matchMedia('(max-width: 820px)').matches) $('room-panel').scrollIntoView({ block: 'start' });
}

async function refreshRoom() {
  const room = selectedRoom;
  if (!room) return;
  let body;
  try {
    body = await getJson(`/api/rooms/${enc(room)}`);
  } catch (e) {
    if (room === selectedRoom && !(e instanceof Stale) && !(e instanceof Refused)) {
      $('room-note').textContent = `Cannot read the room: ${e.message}`;
    }
    throw e;
  }
  if (room !== selectedRoom) return;
  const members = Array.isArray(body.members) ? body.members : [];
  $('room-note').textContent = '';
  $('room-members-count').textContent = members.length;
  $('room-last-seq').textContent = body.lastSeq ?? '–';
  $('room-epoch').textContent = body.epoch ?? '–';
  $('room-epoch').title = body.epoch ?? '';
  $('room-depth').textContent = typeof body.historyDepth === 'number' ? plural(body.historyDepth, 'message') : '–';
  const sorted = members.slice().sort((a, b) => String(a.name ?? a.id).localeCompare(String(b.name ?? b.id)));
  reconcile($('room-members'), sorted, (u) => u.id, (u) => {
    const item = el('li');
    const button = el('button', 'link');
    button.type = 'button';
    button.addEventListener('click', () => showUser(button.dataset.user));
    item.append(button);
    return item;
  }, (item, u) => {
    const button = item.firstElementChild;
    button.dataset.user = u.id;
    button.textContent = userLabel(u);
    button.title = `${userLabel(u)}: show the connections`;
  });
  if (!members.length) $('room-note').textContent = 'Nobody is present.';
}

function closeTrace() {
  if (trace) trace.controller.abort();
  trace = null;
  setTraceState('idle', '');
}

function setTraceState(state, text) {
  const pill = $('trace-state');
  pill.dataset.state = state;
  pill.textContent = text;
}

function openTrace(room) {
  closeTrace();
  const controller = new AbortController();
  trace = { room, controller };
  followTrace(room, controller.signal);
}

/** Reads the room's event stream until another room is chosen; a stream that ends is opened again. */
async function followTrace(room, signal) {
  let problem = '';
  while (!signal.aborted) {
    setTraceState('connecting', 'connecting…');
    try {
      const response = await api(`/api/rooms/${enc(room)}/trace`, {
        signal, headers: { Accept: 'text/event-stream' },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      setTraceState('live', 'live');
      await readEvents(response.body, (type, data) => {
        if (!signal.aborted) showTraceEvent(type, data);
      });
      problem = 'the stream ended';
    } catch (e) {
      if (signal.aborted || e instanceof Refused || e instanceof Stale) return;
      problem = e.message;
    }
    if (signal.aborted) return;
    setTraceState('retrying', `reconnecting (${problem})…`);
    await delay(TRACE_RETRY_MS, signal);
  }
}

/**
 * Server-sent events from a fetch body: `event:` and `data:` fields, an empty line ends an
 * event, lines starting with `:` are comments (keep-alives).
 */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let type = '';
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    for (;;) {
      const end = buffer.search(/\r\n|\r|\n/);
      if (end < 0) break;
      if (buffer[end] === '\r' && end === buffer.length - 1) break; // its \n may be in the next chunk
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
      if (line === '') {
        if (data.length) onEvent(type || 'message', data.join('\n'));
        type = '';
        data = [];
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const fieldValue = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') type = fieldValue;
        else if (field === 'data') data.push(fieldValue);
      }
    }
  }
}

function describeEvent(type, frame) {
  const p = (frame && frame.payload) || {};
  switch (type) {
    case 'chat': return `#${p.seq} ${userLabel(p.from)}: ${p.text}`;
    case 'presence': return `${userLabel(p.user)} ${p.event === 'join' ? 'joined' : 'left'} · ${plural(p.count, 'user')} present`;
    case 'typing': return `${userLabel(p.user)} ${p.active ? 'is typing' : 'stopped typing'}`;
    default: return JSON.stringify(p);
  }
}

function showTraceEvent(type, data) {
  let frame = null;
  try {
    frame = JSON.parse(data);
  } catch {
    // shown as it came
  }
  const item = el('li', 'event');
  item.dataset.type = type;
  item.dataset.testid = 'trace-event';
  item.append(el('time', 'at', clock(frame?.timestamp ?? Date.now())), el('span', 'type', type),
    el('span', 'what', frame ? describeEvent(type, frame) : data));
  const list = $('trace');
  list.prepend(item); // newest first
  while (list.childElementCount > TRACE_KEEP) list.lastElementChild.remove();
}

// ---- a user's connections -----------------------------------------------------------------------

function showUser(id) {
  shownUser = id;
  userReport = null;
  $('user-input').value = id;
  $('user-id').textContent = id;
  $('user-id').title = id;
  $('user-note').textContent = '';
  $('connections').replaceChildren();
  $('user-result').hidden = false;
  $('disconnect-button').disabled = true;
  refreshUser().catch(() => {});
}

async function refreshUser() {
  const id = shownUser;
  if (id === null) return;
  const body = await getJson(`/api/users/${enc(id)}/connections`);
  if (id !== shownUser) return;
  const connections = body.connections || [];
  reconcile($('connections'), connections, (c) => c.id, () => {
    const item = el('li', 'connection');
    item.dataset.testid = 'connection';
    const line = el('div', 'connection-head');
    line.append(el('span', 'conn-id mono'), el('span', 'conn-at'));
    item.append(line, el('span', 'conn-node'), el('div', 'conn-rooms'));
    return item;
  }, (item, c) => {
    const set = (selector, text, title) => {
      const node = item.querySelector(selector);
      node.textContent = text;
      node.title = title ?? text;
    };
    set('.conn-id', c.id);
    set('.conn-node', `on ${c.node}`, c.node);
    set('.conn-at', typeof c.connectedAt === 'number' ? `since ${clock(c.connectedAt)}` : '',
      typeof c.connectedAt === 'number' ? dateTime(c.connectedAt) : '');
    const rooms = Array.isArray(c.rooms) ? c.rooms : [];
    set('.conn-rooms', rooms.length ? `rooms: ${rooms.join(', ')}` : 'in no room');
  });
  $('disconnect-button').disabled = connections.length === 0;
  $('disconnect-button').textContent = connections.length > 1 ? `Disconnect all ${connections.length}` : 'Disconnect';
  $('user-note').textContent = userReport ?? (connections.length ? '' : 'No open connection.');
}

async function disconnectUser() {
  const id = shownUser;
  if (id === null) return;
  const button = $('disconnect-button');
  button.disabled = true;
  try {
    const body = await json(await api(`/api/users/${enc(id)}/connections`, { method: 'DELETE' }));
    if (id !== shownUser) return;
    userReport = `Closed ${plural(body.closed ?? 0, 'connection')} (close code 4003: do not reconnect).`;
    $('user-note').textContent = userReport;
    await refreshUser();
  } catch (e) {
    if (!(e instanceof Refused) && !(e instanceof Stale) && id === shownUser) {
      userReport = `Not disconnected: ${e.message}`;
      $('user-note').textContent = userReport;
      button.disabled = false;
    }
  }
}

// ---- a server message ---------------------------------------------------------------------------

async function publish() {
  const room = $('publish-room').value.trim();
  const text = $('publish-text').value;
  const note = $('publish-note');
  if (!room || !text.trim()) return;
  $('publish-button').disabled = true;
  note.textContent = 'Publishing…';
  try {
    const body = await json(await api(`/api/rooms/${enc(room)}/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text }),
    }));
    note.textContent = `Stored in ${body.room} as #${body.seq}.`;
    $('publish-text').value = '';
  } catch (e) {
    if (!(e instanceof Refused) && !(e instanceof Stale)) note.textContent = `Not published: ${e.message}`;
  } finally {
    $('publish-button').disabled = false;
  }
}

// ---- start --------------------------------------------------------------------------------------

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const candidate = $('key-input').value;
  if (candidate) logIn(candidate);
});
$('logout-button').addEventListener('click', logOut);
$('room-search').addEventListener('input', searchChanged);
$('rooms-more').addEventListener('click', () => {
  roomsLimit = Math.min(ROOMS_MAX, roomsLimit + ROOMS_PAGE);
  refreshRooms().catch(() => {});
});
$('user-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = $('user-input').value.trim();
  if (id) showUser(id);
});
$('disconnect-button').addEventListener('click', disconnectUser);
$('publish-room').addEventListener('input', () => { $('publish-room').dataset.auto = 'false'; });
$('publish-form').addEventListener('submit', (event) => {
  event.preventDefault();
  publish();
});

const stored = sessionStorage.getItem(KEY_STORAGE);
if (stored) logIn(stored);
else $('key-input').focus();
