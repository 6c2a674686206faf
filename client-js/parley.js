// parley.js: the Parley browser client (also runs on Node 20 with a global WebSocket).
// One dependency-free ES module. Wire contract: docs/protocol.md version 1; section 9 is what
// this client does on its own:
//  - reconnects after any close but 1000, 1003, 1008 and 4001 (4001: after asking
//    `refreshToken` for a new token), with exponential backoff and full jitter (base 500 ms,
//    factor 2, cap 30 s); the attempt count resets once a connection stayed up for 10 s;
//  - rejoins every room with `since` = the last position seen there, and reloads with
//    `history` what the server cannot replay (`recovered: false`); listeners see each
//    message once, in seq order;
//  - keeps every chat in a bounded outbox (default 1,000) until acknowledged, re-sending it
//    with the same `id` on every connection; `unavailable` and `rate_limited` are retried,
//    any other error fails it. Optionally the outbox lives in `localStorage` too, so chats
//    typed offline survive a page reload and are sent once;
//  - sends `ping` when it has sent nothing for the server's `intervalMs`, and drops a
//    connection that does not answer within `timeoutMs`.

const FINAL_CLOSE_CODES = new Set([1000, 1003, 1008, 4003]);
const TOKEN_EXPIRED = 4001;
const RELOAD_PAGE = 100;
const RELOAD_MAX_PAGES = 10;
const RECENT_KEYS = 5000;
const DEFAULT_RETRY_MS = 1000;
// The largest frame a server takes (docs/protocol.md section 7); a larger one closes with 1009.
const MAX_FRAME_BYTES = 64 * 1024;

/** The protocol's reconnect backoff: base 500 ms, factor 2, cap 30 s. */
export const DEFAULT_BACKOFF = Object.freeze({ baseMs: 500, factor: 2, capMs: 30000 });

/** The longest wait before retry number `attempt` (0 for the first). */
export function backoffCeiling(attempt, backoff = DEFAULT_BACKOFF) {
  return Math.min(backoff.capMs, backoff.baseMs * Math.pow(backoff.factor, attempt));
}

/** Full jitter: a uniformly random whole number of ms in [0, ceiling]. */
export function backoffDelay(attempt, backoff = DEFAULT_BACKOFF, random = Math.random) {
  return Math.floor(random() * (Math.floor(backoffCeiling(attempt, backoff)) + 1));
}

/** An error answer of the server (`code` is its wire code), or the client giving up on a request. */
export class ParleyError extends Error {
  constructor(code, message, retryAfterMs) {
    super(`${code}: ${message}`);
    this.name = 'ParleyError';
    this.code = code;
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }
}

function newId() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  let id = '';
  for (let i = 0; i < 32; i++) id += Math.floor(Math.random() * 16).toString(16);
  return id;
}

function defaultUrl() {
  const loc = globalThis.location;
  if (!loc || !loc.host) return undefined;
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}

const ROOM_RE = /^[A-Za-z0-9_.:-]{1,128}$/;
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

function checkRoom(room) {
  if (typeof room !== 'string' || !ROOM_RE.test(room)) {
    throw new TypeError('room must be 1 to 128 characters of A-Z a-z 0-9 _ . : -');
  }
  return room;
}

export class ParleyClient {
  #options;
  #url;
  #token;
  #WebSocket;
  #backoff;
  #stableMs;
  #random;
  #storage;
  #storageKey;
  #capacity;
  #listeners = new Map();

  #state = 'idle';
  #gen = 0;
  #socket = null;
  #attempt = 0;
  #connectedAt = -1;
  #rooms = new Map();
  #outbox = new Map();
  #pending = new Map();
  #user = null;
  #intervalMs = 25000;
  #timeoutMs = 20000;
  #lastSent = 0;
  #pingId = null;
  #pingSent = 0;
  #heartbeatTimer = null;
  #reconnectTimer = null;
  #flushTimer = null;
  #timers = new Set();
  #first;
  #firstResolve;
  #firstReject;
  #lastEvent = { state: 'idle', closeCode: 0, reason: '', retryIn: 0, retryAt: 0, attempt: 0 };

  /**
   * @param {object} [options] see parley.d.ts
   */
  constructor(options = {}) {
    this.#options = options;
    this.#url = options.url || defaultUrl();
    if (!this.#url) throw new TypeError('url is required outside a browser page, e.g. ws://127.0.0.1:8080/ws');
    this.#token = options.token;
    this.#WebSocket = options.WebSocket || globalThis.WebSocket;
    if (typeof this.#WebSocket !== 'function') {
      throw new TypeError('no WebSocket: pass options.WebSocket (Node 20: run with --experimental-websocket)');
    }
    this.#backoff = { ...DEFAULT_BACKOFF, ...(options.backoff || {}) };
    this.#stableMs = options.stableMs ?? 10000;
    this.#random = options.random || Math.random;
    this.#capacity = options.outboxCapacity ?? 1000;
    this.#storage = options.outboxStorage || null;
    this.#storageKey = options.outboxKey || 'parley-outbox';
    this.#first = new Promise((resolve, reject) => {
      this.#firstResolve = resolve;
      this.#firstReject = reject;
    });
    this.#first.catch(() => {});
    this.#restoreOutbox();
  }

  // ---- the application's side ---------------------------------------------------------------

  /** Listens to 'chat', 'typing', 'presence', 'state', 'ack', 'failed', 'error'. Returns an unsubscribe function. */
  on(event, listener) {
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event).add(listener);
    return () => this.off(event, listener);
  }

  off(event, listener) {
    const set = this.#listeners.get(event);
    if (set) set.delete(listener);
  }

  /** 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed' */
  get state() {
    return this.#state;
  }

  /** The last state event (with the reconnect countdown's `retryAt`). */
  get connection() {
    return { ...this.#lastEvent };
  }

  /** Who the server says this client is, after the first welcome. */
  get user() {
    return this.#user;
  }

  /** Starts connecting, and reconnecting while the client lives. Resolves on the first welcome. */
  connect() {
    if (this.#state === 'idle') this.#open();
    return this.#first;
  }

  /** Joins a room now or once connected, and rejoins it after every reconnect until leave(). */
  join(room) {
    checkRoom(room);
    if (this.#state === 'closed') return Promise.reject(new ParleyError('closed', 'the client is closed'));
    let r = this.#rooms.get(room);
    if (r && r.joined && r.lastJoin) return Promise.resolve(r.lastJoin);
    if (!r) {
      r = {
        name: room, waiters: [], members: new Map(), buffer: [], recent: new Set(),
        epoch: null, lastSeq: 0, joined: false, joining: false, reloading: false, lastJoin: null,
      };
      this.#rooms.set(room, r);
    }
    const promise = new Promise((resolve, reject) => r.waiters.push({ resolve, reject }));
    if (this.#state === 'connected' && !r.joining) this.#sendJoin(r);
    return promise;
  }

  /** Leaves a room: no more rejoins; its unsent chats fail with not_member. */
  async leave(room) {
    checkRoom(room);
    const r = this.#rooms.get(room);
    this.#rooms.delete(room);
    if (r) this.#rejectAll(r.waiters, new ParleyError('left', `left ${room} before it was joined`));
    for (const entry of [...this.#outbox.values()]) {
      if (entry.room === room) this.#settleChat(entry, null, new ParleyError('not_member', `left ${room} before it was sent`));
    }
    if (this.#state !== 'connected') return;
    try {
      await this.#request('leave_room', { room });
    } catch (e) {
      if (e.code !== 'connection_lost') throw e;
    }
  }

  /**
   * Puts a chat in the outbox and sends it once the room is joined, again after every
   * reconnect with the same id, until acknowledged. Resolves with the ack
   * {room, id, seq, duplicate}. The returned promise carries the chat's `id`.
   */
  send(room, text, { data, id } = {}) {
    checkRoom(room);
    if (typeof text !== 'string') throw new TypeError('text must be a string');
    if (data !== undefined && (data === null || typeof data !== 'object' || Array.isArray(data))) {
      throw new TypeError('data must be a JSON object');
    }
    const chatId = id ?? newId();
    if (!ID_RE.test(chatId)) throw new TypeError('id must be 1 to 64 characters of A-Z a-z 0-9 _ -');
    let promise;
    const frameBytes = new TextEncoder().encode(JSON.stringify({ type: 'chat', id: chatId, payload: { room, text, data } })).length;
    if (this.#state === 'closed') {
      promise = Promise.reject(new ParleyError('closed', 'the client is closed'));
    } else if (frameBytes > MAX_FRAME_BYTES) {
      // The server would close the connection (1009) and the outbox send it again, forever.
      promise = Promise.reject(new ParleyError('too_large',
        `the chat's frame is ${frameBytes} bytes, over the protocol's limit of ${MAX_FRAME_BYTES}`));
    } else if (this.#outbox.size >= this.#capacity || this.#outbox.has(chatId)) {
      promise = Promise.reject(new ParleyError('outbox_full',
        'the outbox already holds this id or its capacity of unacknowledged chats'));
    } else {
      promise = new Promise((resolve, reject) => {
        this.#outbox.set(chatId, {
          id: chatId, room, text, data, createdAt: Date.now(), resolve, reject, sentOn: 0, notBefore: 0,
        });
      });
      this.#saveOutbox();
      this.#flushOutbox();
    }
    promise.id = chatId;
    return promise;
  }

  /** Chats not yet acknowledged: [{id, room, text, data, createdAt}], in send order (restored ones included). */
  pending() {
    return [...this.#outbox.values()].map(({ id, room, text, data, createdAt }) => ({ id, room, text, data, createdAt }));
  }

  /** Says that this user is (or stopped) typing; dropped while offline (it is only a hint). */
  typing(room, active) {
    checkRoom(room);
    const r = this.#rooms.get(room);
    if (this.#state === 'connected' && r && r.joined) {
      this.#sendFrame({ type: 'typing', payload: { room, active: !!active } });
    }
  }

  /** One page of history {room, messages, hasMore}; rejects with not_connected while offline. */
  history(room, { before, after, limit } = {}) {
    checkRoom(room);
    const payload = { room };
    if (before !== undefined) payload.before = before;
    if (after !== undefined) payload.after = after;
    if (limit !== undefined) payload.limit = limit;
    return this.#request('history', payload);
  }

  /** Who is in a room, asked of the server. */
  async presence(room) {
    checkRoom(room);
    const ack = await this.#request('presence', { room });
    return ack.members;
  }

  /** Members of a joined room as this client last heard. */
  members(room) {
    const r = this.#rooms.get(room);
    return r ? [...r.members.values()] : [];
  }

  /** The last position seen in a room ({seq, epoch}), the `since` of its next rejoin. */
  position(room) {
    const r = this.#rooms.get(room);
    return r && r.epoch ? { seq: r.lastSeq, epoch: r.epoch } : null;
  }

  /** Rooms this client is in (or wants to be in). */
  rooms() {
    return [...this.#rooms.keys()];
  }

  /**
   * Closes with 1000 for good. Promises still waiting reject with `closed`; with
   * `outboxStorage`, unsent chats stay stored for the next client on that storage.
   */
  close() {
    if (this.#state === 'closed') return;
    const socket = this.#socket;
    this.#finish(1000, 'closed by the application', { keepStored: true });
    if (socket) {
      try {
        socket.close(1000, 'bye');
      } catch {
        // already closing
      }
    }
  }

  // ---- connecting -----------------------------------------------------------------------------

  #connectUrl() {
    const params = [];
    const o = this.#options;
    if (this.#token) params.push(`token=${encodeURIComponent(this.#token)}`);
    if (o.user) params.push(`user=${encodeURIComponent(o.user)}`);
    if (o.name) params.push(`name=${encodeURIComponent(o.name)}`);
    if (!params.length) return this.#url;
    return this.#url + (this.#url.includes('?') ? '&' : '?') + params.join('&');
  }

  #open() {
    const gen = ++this.#gen;
    this.#setState('connecting', 0, '', 0);
    let ws;
    try {
      ws = new this.#WebSocket(this.#connectUrl());
    } catch (e) {
      this.#reconnectLater(1006, `cannot connect: ${e.message}`);
      return;
    }
    this.#socket = ws;
    ws.onmessage = (event) => {
      if (gen === this.#gen && this.#socket === ws) this.#onFrame(event.data);
    };
    ws.onclose = (event) => {
      if (gen === this.#gen && this.#socket === ws) this.#socketClosed(event.code, event.reason || '');
    };
    let opened = false;
    ws.onopen = () => {
      opened = true;
    };
    ws.onerror = () => {
      if (gen !== this.#gen || this.#socket !== ws) return;
      if (!opened) {
        // Browsers follow this with close 1006; Node 20's WebSocket does not: act on the error.
        this.#socketClosed(1006, 'cannot connect');
        try {
          ws.close();
        } catch {
          // never opened
        }
        return;
      }
      // A close event should follow; if it does not, the connection is gone all the same.
      this.#later(() => {
        if (this.#socket === ws) this.#socketClosed(1006, 'connection error');
      }, 1000);
    };
  }

  #welcomed(payload) {
    this.#connectedAt = Date.now();
    this.#user = payload.user;
    this.#intervalMs = payload.heartbeat?.intervalMs ?? 25000;
    this.#timeoutMs = payload.heartbeat?.timeoutMs ?? 20000;
    this.#lastSent = Date.now();
    this.#pingId = null;
    const tick = Math.max(50, Math.min(1000, Math.floor(Math.min(this.#intervalMs, this.#timeoutMs) / 4)));
    this.#heartbeatTimer = setInterval(() => this.#heartbeat(), tick);
    this.#setState('connected', 0, '', 0);
    this.#firstResolve(payload);
    for (const r of this.#rooms.values()) this.#sendJoin(r);
    this.#flushOutbox();
  }

  #heartbeat() {
    if (this.#state !== 'connected') return;
    const now = Date.now();
    if (this.#pingId !== null && now - this.#pingSent > this.#timeoutMs) {
      const dead = this.#socket;
      this.#socketClosed(1006, `no pong within ${this.#timeoutMs} ms`);
      try {
        dead.close(4000, 'no pong');
      } catch {
        // nothing more to do with it
      }
    } else if (this.#pingId === null && now - this.#lastSent >= this.#intervalMs) {
      this.#pingId = newId();
      this.#pingSent = now;
      this.#sendFrame({ type: 'ping', id: this.#pingId, payload: {} });
    }
  }

  #socketClosed(code, reason) {
    if (this.#state !== 'connected' && this.#state !== 'connecting') return;
    this.#drop();
    if (FINAL_CLOSE_CODES.has(code)) {
      this.#finish(code, reason || 'closed by the server');
    } else if (code === TOKEN_EXPIRED) {
      this.#tokenExpired(code, reason || 'token expired');
    } else {
      this.#reconnectLater(code, reason || 'connection lost');
    }
  }

  /** Forgets the connection: its requests fail, rooms wait for their rejoin, chats for their re-send. */
  #drop() {
    const ws = this.#socket;
    if (ws) {
      ws.onmessage = null;
      ws.onclose = null;
      ws.onerror = null;
      ws.onopen = null;
    }
    this.#socket = null;
    clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = null;
    this.#pingId = null;
    const lost = [...this.#pending.values()];
    this.#pending.clear();
    for (const request of lost) request.reject(new ParleyError('connection_lost', 'the connection was lost'));
    for (const r of this.#rooms.values()) {
      r.joined = false;
      r.joining = false;
      r.reloading = false;
      r.buffer = [];
    }
    for (const entry of this.#outbox.values()) entry.sentOn = 0;
  }

  #tokenExpired(code, reason) {
    const refresh = this.#options.refreshToken;
    if (typeof refresh !== 'function') {
      this.#finish(code, `${reason}; no refreshToken configured`);
      return;
    }
    const gen = this.#gen;
    this.#setState('reconnecting', code, `${reason}; refreshing the token`, 0);
    Promise.resolve()
      .then(() => refresh())
      .then(
        (token) => {
          if (gen !== this.#gen || this.#state === 'closed') return;
          if (token) this.#token = token;
          this.#reconnectLater(code, reason);
        },
        (error) => {
          if (gen !== this.#gen || this.#state === 'closed') return;
          this.#reconnectLater(code, `${reason}; token refresh failed: ${error && error.message}`);
        },
      );
  }

  #reconnectLater(code, reason) {
    const now = Date.now();
    if (this.#connectedAt >= 0 && now - this.#connectedAt >= this.#stableMs) this.#attempt = 0;
    this.#connectedAt = -1;
    const wait = backoffDelay(this.#attempt, this.#backoff, this.#random);
    this.#attempt++;
    this.#setState('reconnecting', code, reason, wait);
    const gen = this.#gen;
    this.#reconnectTimer = this.#later(() => {
      if (gen === this.#gen && this.#state === 'reconnecting') this.#open();
    }, wait);
  }

  #finish(code, reason, { keepStored = false } = {}) {
    this.#gen++;
    if (this.#socket) this.#drop();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    const closed = new ParleyError('closed', `${reason} (close code ${code})`);
    const entries = [...this.#outbox.values()];
    this.#outbox.clear();
    if (!keepStored) this.#saveOutbox();
    for (const entry of entries) {
      if (entry.reject) entry.reject(closed);
      if (!keepStored || !this.#storage) this.#emit('failed', { id: entry.id, room: entry.room, error: closed });
    }
    for (const r of this.#rooms.values()) this.#rejectAll(r.waiters, closed);
    this.#setState('closed', code, reason, 0);
    this.#firstReject(closed);
  }

  // ---- rooms ----------------------------------------------------------------------------------

  #sendJoin(r) {
    const payload = { room: r.name };
    const since = r.epoch ? { seq: r.lastSeq, epoch: r.epoch } : null;
    if (since) payload.since = since;
    r.joining = true;
    const gen = this.#gen;
    // Answered synchronously, not through a promise: the room's messages may follow the ack
    // in the same burst of events (Node's WebSocket dispatches them without a microtask
    // checkpoint in between), and they must find the room joined.
    this.#requestWith('join_room', payload,
      (ack) => {
        if (gen !== this.#gen || this.#rooms.get(r.name) !== r) return;
        r.joining = false;
        this.#joined(r, since, ack);
      },
      (error) => {
        if (gen !== this.#gen || this.#rooms.get(r.name) !== r) return;
        r.joining = false;
        this.#joinFailed(r, error);
      });
  }

  #joined(r, since, ack) {
    const result = {
      room: r.name, epoch: ack.epoch, seq: ack.seq, recovered: !!ack.recovered,
      replay: ack.replay || 0, presence: ack.presence || [],
    };
    r.joined = true;
    r.lastJoin = result;
    r.members = new Map(result.presence.map((u) => [u.id, u]));
    this.#emit('presence', { room: r.name, event: 'sync', user: null, members: [...r.members.values()] });
    if (!since) {
      r.epoch = ack.epoch;
      r.lastSeq = ack.seq;
    } else if (!result.recovered) {
      this.#reload(r, since, ack.epoch, ack.seq); // the position moves once the reload is done
    }
    const waiters = r.waiters;
    r.waiters = [];
    for (const w of waiters) w.resolve(result);
    this.#flushOutbox();
  }

  #joinFailed(r, error) {
    if (error.code === 'unavailable' || error.code === 'rate_limited') {
      const gen = this.#gen;
      this.#later(() => {
        if (gen === this.#gen && this.#rooms.get(r.name) === r && !r.joined && !r.joining) this.#sendJoin(r);
      }, error.retryAfterMs ?? DEFAULT_RETRY_MS);
      return;
    }
    if (error.code === 'connection_lost') return; // rejoined after the reconnect
    this.#rooms.delete(r.name);
    this.#rejectAll(r.waiters, error);
    for (const entry of [...this.#outbox.values()]) {
      if (entry.room === r.name) this.#settleChat(entry, null, error);
    }
  }

  /**
   * The server could not replay what this client missed: load it with `history` while live
   * messages wait, then deliver both, each message once. Same epoch: forward from `since` up to
   * the join's seq; new epoch (the history was reset): the newest pages up to it. The room's
   * position stays at `since` until the reload is done: a failed reload is tried again while
   * the connection lasts, and a reconnect meanwhile rejoins from `since`, so nothing is skipped.
   */
  async #reload(r, since, epoch, upTo) {
    r.reloading = true;
    const gen = this.#gen;
    let messages = [];
    let failure = null;
    try {
      if (since.epoch === epoch) {
        let after = since.seq;
        while (after < upTo) {
          const ack = await this.#request('history', { room: r.name, after, limit: RELOAD_PAGE });
          messages.push(...ack.messages);
          if (!ack.hasMore || !ack.messages.length) break;
          after = ack.messages[ack.messages.length - 1].seq;
        }
      } else {
        let before = upTo + 1;
        for (let page = 0; page < RELOAD_MAX_PAGES && before > 1; page++) {
          const ack = await this.#request('history', { room: r.name, before, limit: RELOAD_PAGE });
          messages = ack.messages.concat(messages);
          if (!ack.hasMore || !ack.messages.length) break;
          before = ack.messages[0].seq;
        }
      }
    } catch (error) {
      failure = error;
    }
    if (gen !== this.#gen || this.#rooms.get(r.name) !== r || !r.reloading) return;
    if (failure) {
      const retryable = failure.code === 'unavailable' || failure.code === 'rate_limited';
      this.#later(() => {
        if (gen === this.#gen && this.#rooms.get(r.name) === r && r.reloading) this.#reload(r, since, epoch, upTo);
      }, retryable ? (failure.retryAfterMs ?? DEFAULT_RETRY_MS) : DEFAULT_RETRY_MS);
      return;
    }
    r.reloading = false;
    r.epoch = epoch;
    r.lastSeq = upTo;
    for (const m of messages) {
      if (m.seq <= upTo && this.#remember(r, m)) this.#emit('chat', m);
    }
    const live = r.buffer;
    r.buffer = [];
    for (const m of live) this.#deliver(r, m);
  }

  #remember(r, m) {
    const key = `${m.from && m.from.id}\u0000${m.id}`;
    if (r.recent.has(key)) return false;
    r.recent.add(key);
    if (r.recent.size > RECENT_KEYS) r.recent.delete(r.recent.values().next().value);
    return true;
  }

  #deliver(r, m) {
    if (m.seq <= r.lastSeq) return; // seen already
    r.lastSeq = m.seq;
    if (this.#remember(r, m)) this.#emit('chat', m);
  }

  // ---- the outbox -----------------------------------------------------------------------------

  #flushOutbox() {
    if (this.#state !== 'connected') return;
    const now = Date.now();
    let nextRetry = Infinity;
    for (const entry of this.#outbox.values()) {
      if (entry.sentOn === this.#gen) continue;
      const r = this.#rooms.get(entry.room);
      if (r && !r.joined) continue; // after the (re)join's ack
      if (!r && entry.restored) continue; // restored from storage: once the application joins its room again
      if (entry.notBefore > now) {
        nextRetry = Math.min(nextRetry, entry.notBefore);
        continue;
      }
      entry.sentOn = this.#gen;
      const payload = { room: entry.room, text: entry.text };
      if (entry.data !== undefined) payload.data = entry.data;
      this.#sendFrame({ type: 'chat', id: entry.id, payload });
    }
    if (nextRetry !== Infinity) {
      const gen = this.#gen;
      this.#later(() => {
        if (gen === this.#gen) this.#flushOutbox();
      }, nextRetry - now);
    }
  }

  #chatAnswered(entry, type, payload) {
    if (type === 'ack') {
      this.#settleChat(entry, { room: entry.room, id: entry.id, seq: payload.seq, duplicate: !!payload.duplicate });
      return;
    }
    const error = new ParleyError(payload.code, payload.message || '', payload.retryAfterMs);
    if (error.code === 'unavailable' || error.code === 'rate_limited') {
      entry.sentOn = 0;
      entry.notBefore = Date.now() + (error.retryAfterMs ?? DEFAULT_RETRY_MS);
      this.#flushOutbox();
    } else {
      this.#settleChat(entry, null, error);
    }
  }

  #settleChat(entry, ack, error) {
    this.#outbox.delete(entry.id);
    this.#saveOutbox();
    if (ack) {
      if (entry.resolve) entry.resolve(ack);
      this.#emit('ack', ack);
    } else {
      if (entry.reject) entry.reject(error);
      this.#emit('failed', { id: entry.id, room: entry.room, error });
    }
  }

  #saveOutbox() {
    if (!this.#storage) return;
    try {
      const stored = this.pending();
      if (stored.length) this.#storage.setItem(this.#storageKey, JSON.stringify(stored));
      else this.#storage.removeItem(this.#storageKey);
    } catch {
      // storage full or forbidden: the outbox still works in memory
    }
  }

  #restoreOutbox() {
    if (!this.#storage) return;
    let stored = [];
    try {
      stored = JSON.parse(this.#storage.getItem(this.#storageKey) || '[]');
    } catch {
      stored = [];
    }
    if (!Array.isArray(stored)) return;
    for (const s of stored) {
      if (this.#outbox.size >= this.#capacity) break;
      if (!s || typeof s.id !== 'string' || !ID_RE.test(s.id) || typeof s.room !== 'string'
          || !ROOM_RE.test(s.room) || typeof s.text !== 'string' || this.#outbox.has(s.id)) continue;
      // restored: nobody awaits it; 'ack' and 'failed' events tell its fate
      this.#outbox.set(s.id, {
        id: s.id, room: s.room, text: s.text, data: s.data ?? undefined, createdAt: s.createdAt || Date.now(),
        resolve: null, reject: null, sentOn: 0, notBefore: 0, restored: true,
      });
    }
  }

  // ---- frames ---------------------------------------------------------------------------------

  #onFrame(text) {
    let frame;
    try {
      frame = JSON.parse(typeof text === 'string' ? text : String(text));
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object') return;
    const payload = frame.payload || {};
    switch (frame.type) {
      case 'welcome':
        if (this.#state === 'connecting') this.#welcomed(payload);
        break;
      case 'ack':
      case 'error':
      case 'pong':
        this.#answered(frame.type, frame.replyTo, payload);
        break;
      case 'chat': {
        const r = this.#rooms.get(payload.room);
        if (!r || !r.joined) break;
        if (r.reloading) r.buffer.push(payload);
        else this.#deliver(r, payload);
        break;
      }
      case 'typing':
        if (this.#rooms.has(payload.room)) this.#emit('typing', payload);
        break;
      case 'presence': {
        const r = this.#rooms.get(payload.room);
        if (!r || !r.joined) break;
        if (payload.event === 'join') r.members.set(payload.user.id, payload.user);
        else r.members.delete(payload.user.id);
        this.#emit('presence', {
          room: r.name, event: payload.event, user: payload.user, members: [...r.members.values()],
        });
        break;
      }
      default:
        break; // a newer server's type
    }
  }

  #answered(type, replyTo, payload) {
    if (replyTo === undefined || replyTo === null) {
      if (type === 'error') this.#emit('error', new ParleyError(payload.code, payload.message || '', payload.retryAfterMs));
      return;
    }
    if (replyTo === this.#pingId) {
      this.#pingId = null;
      return;
    }
    const entry = this.#outbox.get(replyTo);
    if (entry) {
      this.#chatAnswered(entry, type, payload);
      return;
    }
    const request = this.#pending.get(replyTo);
    if (!request) {
      if (type === 'error') this.#emit('error', new ParleyError(payload.code, payload.message || '', payload.retryAfterMs));
      return;
    }
    this.#pending.delete(replyTo);
    if (type === 'error') request.reject(new ParleyError(payload.code, payload.message || '', payload.retryAfterMs));
    else request.resolve(payload);
  }

  #request(type, payload) {
    return new Promise((resolve, reject) => this.#requestWith(type, payload, resolve, reject));
  }

  /** A request whose answer calls `resolve` or `reject` at once, as the frame is handled. */
  #requestWith(type, payload, resolve, reject) {
    if (this.#state !== 'connected') {
      reject(new ParleyError('not_connected', 'not connected'));
      return;
    }
    const id = newId();
    this.#pending.set(id, { resolve, reject });
    this.#sendFrame({ type, id, payload });
  }

  #sendFrame(frame) {
    const ws = this.#socket;
    if (!ws) return;
    try {
      ws.send(JSON.stringify(frame));
      this.#lastSent = Date.now();
    } catch {
      // closing: the close event follows, and the outbox re-sends
    }
  }

  // ---- plumbing -------------------------------------------------------------------------------

  #setState(state, closeCode, reason, retryIn) {
    this.#state = state;
    this.#lastEvent = {
      state, closeCode, reason, retryIn, retryAt: retryIn ? Date.now() + retryIn : 0, attempt: this.#attempt,
    };
    this.#emit('state', { ...this.#lastEvent });
  }

  #emit(event, value) {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(value);
      } catch (e) {
        // a listener's bug must not stop the others or the client
        setTimeout(() => { throw e; }, 0);
      }
    }
  }

  #later(fn, ms) {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, Math.max(0, ms));
    this.#timers.add(t);
    return t;
  }

  #rejectAll(waiters, error) {
    const all = waiters.splice(0);
    for (const w of all) w.reject(error);
  }
}
