// The demo chat page: plain DOM on top of parley.js. User text only ever goes through textContent.
import { ParleyClient } from './parley.js';

const $ = (id) => document.getElementById(id);
const PAGE = 30;
const NAME_KEY = 'parley-demo-name';
const ROOM_KEY = 'parley-demo-room'; // the room shown last: a reopened page returns to it

let client = null;
let me = null;
let current = null;
const rooms = new Map(); // name -> { el, items: Map(key -> element), oldest, hasMore, loading }
const typists = new Map(); // room -> Map(userId -> { name, timer })

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function userIdFor(name) {
  return name.trim().toLowerCase().replace(/\s+/g, '-').slice(0, 64) || 'guest';
}

function keyOf(fromId, id) {
  return `${fromId}\u0000${id}`;
}

function time(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

// ---- connection state ---------------------------------------------------------------------------

let countdown = null;
function showConnection(event) {
  const badge = $('connection');
  badge.dataset.state = event.state;
  document.body.dataset.connection = event.state;
  clearInterval(countdown);
  const render = () => {
    switch (event.state) {
      case 'connected': badge.textContent = 'connected'; break;
      case 'connecting': badge.textContent = 'connecting…'; break;
      case 'reconnecting': {
        const left = Math.max(0, Math.ceil((event.retryAt - Date.now()) / 1000));
        badge.textContent = event.retryAt ? `offline · retrying in ${left} s` : 'offline · reconnecting…';
        break;
      }
      case 'closed': badge.textContent = `disconnected (${event.closeCode})`; break;
      default: badge.textContent = 'offline';
    }
  };
  render();
  if (event.state === 'reconnecting') countdown = setInterval(render, 250);
}

// ---- rooms --------------------------------------------------------------------------------------

function roomView(name) {
  let view = rooms.get(name);
  if (view) return view;
  const list = el('div', 'room-messages');
  list.dataset.room = name;
  list.hidden = true;
  $('messages').append(list);
  view = { el: list, items: new Map(), oldest: null, hasMore: true, loading: false };
  rooms.set(name, view);
  const item = el('li');
  const button = el('button', '', `# ${name}`);
  button.type = 'button';
  button.title = name;
  button.dataset.room = name;
  button.addEventListener('click', () => select(name));
  item.append(button);
  $('rooms').append(item);
  return view;
}

function select(name) {
  current = name;
  localStorage.setItem(ROOM_KEY, name);
  for (const [room, view] of rooms) view.el.hidden = room !== name;
  for (const button of $('rooms').querySelectorAll('button')) {
    button.setAttribute('aria-current', String(button.dataset.room === name));
  }
  renderMembers();
  renderTyping();
  const view = rooms.get(name);
  if (view) scrollToBottom(view);
  $('message-input').focus();
}

async function joinRoom(name) {
  const view = roomView(name);
  select(name);
  try {
    await client.join(name);
    await loadOlder(name, true);
  } catch (e) {
    view.el.append(el('p', 'status', `Cannot join ${name}: ${e.code || e.message}`));
    if (localStorage.getItem(ROOM_KEY) === name) localStorage.removeItem(ROOM_KEY);
  }
}

function scrollToBottom(view) {
  const box = $('messages');
  box.scrollTop = box.scrollHeight;
  return view;
}

/** Loads one page of older messages above the oldest shown (the newest page the first time). */
async function loadOlder(name, first = false) {
  const view = rooms.get(name);
  if (!view || view.loading || (!first && !view.hasMore)) return;
  view.loading = true;
  const box = $('messages');
  const heightBefore = box.scrollHeight;
  try {
    const page = await client.history(name, view.oldest ? { before: view.oldest, limit: PAGE } : { limit: PAGE });
    view.hasMore = page.hasMore;
    const fresh = page.messages.filter((m) => !view.items.has(keyOf(m.from.id, m.id)));
    const anchor = view.el.firstChild;
    for (const m of fresh) view.el.insertBefore(messageElement(view, m), anchor);
    if (page.messages.length) view.oldest = Math.min(view.oldest ?? Infinity, page.messages[0].seq);
    if (!page.hasMore && !view.el.querySelector('.status.start')) {
      view.el.insertBefore(el('p', 'status start', `This is the beginning of #${name}.`), view.el.firstChild);
    }
    if (first) scrollToBottom(view);
    else box.scrollTop += box.scrollHeight - heightBefore;
  } catch {
    // offline: try again on the next scroll
  } finally {
    view.loading = false;
  }
}

// ---- messages -----------------------------------------------------------------------------------

const MARKS = { pending: 'sending…', acked: '✓', failed: '✗ not sent' };

function messageElement(view, m, state) {
  const key = keyOf(m.from.id, m.id);
  const own = me && m.from.id === me.id;
  const item = el('div', own ? 'message own' : 'message');
  item.dataset.key = key;
  item.dataset.testid = 'message';
  item.append(el('div', 'from', own ? 'You' : m.from.name));
  item.append(el('div', 'text', m.text));
  const meta = el('div', 'meta');
  meta.append(el('span', 'time', m.sentAt ? time(m.sentAt) : ''));
  if (own) {
    meta.append(' ');
    meta.append(el('span', 'mark'));
  }
  item.append(meta);
  view.items.set(key, item);
  setMark(item, own ? (state || 'acked') : 'acked');
  return item;
}

function setMark(item, state) {
  item.dataset.state = state;
  const mark = item.querySelector('.mark');
  if (mark) mark.textContent = MARKS[state];
}

function showChat(m) {
  const view = roomView(m.room);
  const key = keyOf(m.from.id, m.id);
  const existing = view.items.get(key);
  if (existing) {
    // our own message, shown since it was typed: now stored
    existing.querySelector('.time').textContent = time(m.sentAt);
    setMark(existing, 'acked');
  } else {
    const box = $('messages');
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    view.el.append(messageElement(view, m));
    if (atBottom) scrollToBottom(view);
  }
  if (view.oldest === null) view.oldest = m.seq;
  clearTypist(m.room, m.from.id);
}

function showPending(entry) {
  const view = roomView(entry.room);
  const key = keyOf(me.id, entry.id);
  if (view.items.has(key)) return;
  view.el.append(messageElement(view, { ...entry, from: me, sentAt: 0 }, 'pending'));
  scrollToBottom(view);
}

function markOwn(room, id, state) {
  const view = rooms.get(room);
  const item = view && me && view.items.get(keyOf(me.id, id));
  if (item) setMark(item, state);
}

// ---- presence and typing ------------------------------------------------------------------------

function renderMembers() {
  const list = $('members');
  list.replaceChildren();
  if (!current) return;
  const members = client.members(current).slice().sort((a, b) => a.name.localeCompare(b.name));
  for (const user of members) {
    // the name shrinks (ellipsis, whole in the tooltip) so that a long one stays in the list
    const item = el('li');
    item.title = user.name;
    item.append(el('span', 'name', user.name));
    if (user.id === me.id) item.append(el('span', 'you', ' (you)'));
    list.append(item);
  }
  $('online-count').textContent = members.length ? `(${members.length})` : '';
}

function renderTyping() {
  const names = [...(typists.get(current)?.values() || [])].map((t) => t.name);
  const line = $('typing');
  if (!names.length) line.textContent = '';
  else if (names.length === 1) line.textContent = `${names[0]} is typing…`;
  else line.textContent = `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are typing…`;
}

function clearTypist(room, userId) {
  const map = typists.get(room);
  const entry = map && map.get(userId);
  if (!entry) return;
  clearTimeout(entry.timer);
  map.delete(userId);
  if (room === current) renderTyping();
}

function onTyping(event) {
  if (!typists.has(event.room)) typists.set(event.room, new Map());
  clearTypist(event.room, event.user.id);
  if (event.active) {
    const timer = setTimeout(() => clearTypist(event.room, event.user.id), 6000);
    typists.get(event.room).set(event.user.id, { name: event.user.name, timer });
  }
  if (event.room === current) renderTyping();
}

let typingSentAt = 0;
let typingStop = null;
function userTyped() {
  if (!current) return;
  const room = current;
  if (Date.now() - typingSentAt > 2500) {
    client.typing(room, true);
    typingSentAt = Date.now();
  }
  clearTimeout(typingStop);
  typingStop = setTimeout(() => {
    client.typing(room, false);
    typingSentAt = 0;
  }, 3000);
}

// ---- start --------------------------------------------------------------------------------------

function start(name) {
  const id = userIdFor(name);
  me = { id, name };
  localStorage.setItem(NAME_KEY, name);
  $('login').hidden = true;
  $('chat').hidden = false;
  $('me').textContent = `${name}`;
  $('me').title = name;

  client = new ParleyClient({ user: id, name, outboxStorage: localStorage, outboxKey: `parley-outbox:${id}` });
  window.parley = client; // for the curious, in the console
  client.on('state', showConnection);
  client.on('chat', showChat);
  client.on('typing', onTyping);
  client.on('presence', (event) => {
    if (event.room === current) renderMembers();
  });
  client.on('ack', (ack) => markOwn(ack.room, ack.id, 'acked'));
  client.on('failed', (failure) => markOwn(failure.room, failure.id, 'failed'));

  const wanted = new URLSearchParams(location.search).get('room') || localStorage.getItem(ROOM_KEY) || 'lobby';
  const restored = client.pending();
  const roomsToJoin = [...new Set([wanted, ...restored.map((e) => e.room)])];
  for (const room of roomsToJoin) roomView(room);
  for (const entry of restored) showPending(entry);
  client.connect().catch(() => {});
  for (const room of roomsToJoin.reverse()) joinRoom(room);
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('name-input').value.trim();
  if (name) start(name);
});

$('join-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('room-input').value.trim();
  if (!name) return;
  $('room-input').value = '';
  joinRoom(name);
});

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('message-input');
  const text = input.value.trim();
  if (!text || !current) return;
  input.value = '';
  const sent = client.send(current, text);
  sent.catch(() => {}); // shown by the 'failed' mark
  showPending({ room: current, id: sent.id, text });
  clearTimeout(typingStop);
  if (typingSentAt) client.typing(current, false);
  typingSentAt = 0;
});

$('message-input').addEventListener('input', userTyped);
$('messages').addEventListener('scroll', () => {
  if ($('messages').scrollTop < 40 && current) loadOlder(current);
});

const remembered = localStorage.getItem(NAME_KEY);
if (remembered) start(remembered);
else $('name-input').focus();
