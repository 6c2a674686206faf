// Test support for the Pusher protocol 7 front door (docs/pusher.md): the real clients (pusher-js,
// the `pusher` server SDK, Laravel Echo), a raw WebSocket, hand-made HTTP API signatures, and a
// PostgreSQL schema of its own for a two-node cluster.
import { spawnSync } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { eventually, TestServer } from './support.js';

const require = createRequire(import.meta.url);
/** pusher-js 8.6.0, its Node build (CommonJS). */
export const Pusher = require('pusher-js');
/** The Node server SDK `pusher` 5.3.4 (CommonJS). */
export const PusherSdk = require('pusher');

// faye-websocket, inside pusher-js's Node build, arms a 30 s close timer when pusher-js closes a
// socket that the server has closed already (pusher-js does so after a 4000-4099 close), and
// nothing ever clears it: it would hold the test process open for 30 s after the last test. Such
// timers are unref'd here; they do nothing when they fire anyway (the socket is closed).
const armTimer = globalThis.setTimeout;
globalThis.setTimeout = function setTimeout(callback, ms, ...args) {
  const timer = armTimer(callback, ms, ...args);
  if (ms === 30000 && typeof callback === 'function' && String(callback).includes("_beginClose('', 1006)")) timer.unref();
  return timer;
};

export const APP = { id: 'parley-test-app', key: 'parley-test-key', secret: 'parley-test-secret-0123456789' };
/** The SDK's key for private-encrypted channels: the server never sees it. */
export const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

export const PUSHER_ARGS = ['--pusher-app-id', APP.id, '--pusher-key', APP.key, '--pusher-secret', APP.secret];

/** A server with the Pusher front door on, and `extra` flags. */
export function startPusherServer(extra = []) {
  return TestServer.start([...PUSHER_ARGS, ...extra]);
}

/** A name no other test of this run uses. */
let counter = 0;
const run = randomBytes(3).toString('hex');
export function unique(prefix) {
  counter += 1;
  return `${prefix}${run}${counter}`;
}

/** The server SDK aimed at `server` (or at a port); `options` override (e.g. a wrong secret). */
export function sdk(server, options = {}) {
  const port = typeof server === 'number' ? server : server.port;
  return new PusherSdk({
    appId: APP.id, key: APP.key, secret: APP.secret, host: '127.0.0.1', port: String(port), useTLS: false,
    encryptionMasterKeyBase64: MASTER_KEY, ...options,
  });
}

/**
 * A pusher-js client of `server` with everything it hears recorded in `client.heard`. It signs
 * its channels and its sign-in with the SDK, as an app's auth endpoint would: presence channels as
 * `{user_id: user, user_info: info}`, the sign-in as `{id: String(user), user_info: info}`.
 * `authorize(socketId, channelName)` and `authenticate(socketId)` replace the signers.
 */
export function pusherClient(server, { user, info, authorize, authenticate, port, key = APP.key, ...options } = {}) {
  const signer = sdk(server);
  const client = new Pusher(key, {
    cluster: 'mt1',
    wsHost: '127.0.0.1',
    wsPort: port ?? server.port,
    forceTLS: false,
    enabledTransports: ['ws'],
    disableStats: true,
    channelAuthorization: {
      customHandler: ({ socketId, channelName }, callback) => {
        try {
          callback(null, authorize ? authorize(socketId, channelName)
            : signer.authorizeChannel(socketId, channelName,
              channelName.startsWith('presence-') ? { user_id: user, user_info: info } : undefined));
        } catch (e) {
          callback(e, null);
        }
      },
    },
    userAuthentication: {
      customHandler: ({ socketId }, callback) => {
        try {
          callback(null, authenticate ? authenticate(socketId)
            : signer.authenticateUser(socketId, { id: String(user), user_info: info }));
        } catch (e) {
          callback(e, null);
        }
      },
    },
    ...options,
  });
  client.heard = watch(client);
  return client;
}

/** What a pusher-js client hears: every message (with its top-level fields), states, errors. */
export function watch(client) {
  const heard = { messages: [], states: [], errors: [], closed: 0 };
  client.connection.bind('message', (m) => heard.messages.push(m));
  client.connection.bind('state_change', (s) => heard.states.push(s.current));
  client.connection.bind('error', (e) => heard.errors.push(e));
  heard.events = (channel, event) => heard.messages.filter((m) => m.channel === channel && (!event || m.event === event));
  // errors after the handshake are {type: 'PusherError', data}; during it, wrapped: {type: 'WebSocketError', error}
  heard.errorCodes = () => heard.errors.map((e) => e?.data?.code ?? e?.error?.data?.code).filter((c) => c !== undefined);
  return heard;
}

/** Waits for the client to be connected; its socket id. */
export async function connected(client, timeoutMs = 20000) {
  await eventually(() => client.connection.state === 'connected', {
    timeoutMs, message: 'pusher-js connected', detail: () => `state ${client.connection.state}`,
  });
  return client.connection.socket_id;
}

/**
 * Subscribes and waits for the answer: `{channel, ok: true, data}` on subscription_succeeded,
 * `{channel, ok: false, error}` on pusher:subscription_error.
 */
export function subscribe(client, name, timeoutMs = 20000) {
  const channel = client.subscribe(name);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to the subscription of ${name}`)), timeoutMs);
    channel.bind('pusher:subscription_succeeded', (data) => {
      clearTimeout(timer);
      resolve({ channel, ok: true, data });
    });
    channel.bind('pusher:subscription_error', (error) => {
      clearTimeout(timer);
      resolve({ channel, ok: false, error });
    });
  });
}

/** Every test's own bound: a test that waits for what never comes fails instead of hanging the run. */
export const LIMIT = { timeout: 90000 };

/** Resolves after `ms`. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A raw WebSocket on `/app/{key}` (Node 20's WebSocket, --experimental-websocket): every message
 * parsed in `messages` (data left as sent), `closed` resolves to `{code, reason}`.
 */
export function rawSocket(port, { key = APP.key, protocol = '7', query } = {}) {
  const search = query ?? `protocol=${protocol}&client=js&version=8.6.0`;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/app/${key}?${search}`);
  const socket = { ws, messages: [], close: null };
  ws.addEventListener('message', (e) => socket.messages.push(JSON.parse(e.data)));
  const closed = new Promise((resolve) => ws.addEventListener('close', (e) => resolve({ code: e.code, reason: e.reason })));
  /** Resolves to the close's `{code, reason}`; fails when the socket is still open after `timeoutMs`. */
  socket.closed = (timeoutMs = 20000) => Promise.race([closed, new Promise((_, reject) => {
    setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms: ${JSON.stringify(socket.messages)}`)),
      timeoutMs).unref();
  })]);
  socket.send = (frame) => ws.send(JSON.stringify(frame));
  socket.close = () => { if (ws.readyState <= 1) ws.close(1000); };
  /** The first message (after `from`) that `match` accepts. */
  socket.next = async (match, { timeoutMs = 20000, from = 0 } = {}) => {
    let found;
    await eventually(() => {
      found = socket.messages.slice(from).find(match);
      return found !== undefined;
    }, { timeoutMs, message: 'raw socket message', detail: () => JSON.stringify(socket.messages) });
    return found;
  };
  /** connection_established's data, parsed (it arrives as a JSON string). */
  socket.established = async () => {
    const m = await socket.next((x) => x.event === 'pusher:connection_established');
    return JSON.parse(m.data);
  };
  return socket;
}

export function hmac(secret, text) {
  return createHmac('sha256', secret).update(text).digest('hex');
}

export function md5(text) {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * An HTTP API request signed by hand, as docs/pusher.md "HTTP API" says: `auth_timestamp`,
 * `secret`, `bodyMd5` may be set wrong on purpose. The signature is over the values as they are;
 * `encoded` percent-encodes them on the wire, as pusher-http-php does (Guzzle builds its query).
 * Answers `{status, body}`.
 */
export async function signedRequest(server, method, resource, {
  params = {}, body, timestamp = Math.floor(Date.now() / 1000), secret = APP.secret, bodyMd5, encoded = false,
} = {}) {
  const path = `/apps/${APP.id}/${resource}`;
  const text = body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body));
  const query = { auth_key: APP.key, auth_timestamp: String(timestamp), auth_version: '1.0', ...params };
  if (text !== undefined) query.body_md5 = bodyMd5 ?? md5(text);
  const keys = Object.keys(query).sort();
  const canonical = keys.map((k) => `${k}=${query[k]}`).join('&');
  const signature = hmac(secret, `${method}\n${path}\n${canonical}`);
  const wire = encoded ? keys.map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(query[k])}`).join('&') : canonical;
  const response = await fetch(`${server.http}${path}?${wire}&auth_signature=${signature}`, {
    method, body: text, headers: text === undefined ? {} : { 'content-type': 'application/json' },
  });
  return { status: response.status, body: await response.text() };
}

/** The status of an SDK call: 200, or the status of its RequestError. */
export async function statusOf(call) {
  try {
    const response = await call;
    return response.status;
  } catch (e) {
    if (e.status === undefined) throw e;
    return e.status;
  }
}

/** The SDK's GET as parsed JSON. */
export async function getJson(api, path, params) {
  const response = await api.get({ path, params });
  return response.json();
}

// --- a cluster: PostgreSQL and Redis --------------------------------------------------------------

const POSTGRES = process.env.PARLEY_TEST_POSTGRES_URL || 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres';
const REDIS = process.env.PARLEY_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** psql's connection string for the JDBC URL (host, port, database and user). */
function psqlTarget() {
  const url = new URL(POSTGRES.replace(/^jdbc:/, ''));
  return [`--host=${url.hostname}`, `--port=${url.port || 5432}`, `--username=${url.searchParams.get('user') || 'postgres'}`,
    `--dbname=${url.pathname.slice(1)}`];
}

function psql(sql) {
  return spawnSync('psql', [...psqlTarget(), '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], {
    encoding: 'utf8', timeout: 10000,
  });
}

/**
 * Why the cluster tests cannot run here (no psql, PostgreSQL or Redis), or null. With CI=true
 * the caller fails instead of skipping, as the Java tests do.
 */
export async function clusterUnavailable() {
  const probe = psql('select 1');
  if (probe.error || probe.status !== 0) {
    return `no PostgreSQL via psql at ${POSTGRES}: ${probe.error?.message ?? probe.stderr.trim()}`;
  }
  const redis = new URL(REDIS);
  const answered = await new Promise((resolve) => {
    import('node:net').then(({ default: net }) => {
      const s = net.connect(Number(redis.port || 6379), redis.hostname);
      s.setTimeout(2000, () => { s.destroy(); resolve(false); });
      s.on('error', () => resolve(false));
      s.on('connect', () => s.write('PING\r\n'));
      s.on('data', (d) => { s.destroy(); resolve(String(d).startsWith('+PONG')); });
    });
  });
  return answered ? null : `no Redis answers at ${REDIS}`;
}

/** Node flags of a cluster on one Redis and a PostgreSQL schema of its own (dropped by `drop()`). */
export function cluster() {
  const schema = unique('parley_test_pusher_');
  const url = `${POSTGRES}${POSTGRES.includes('?') ? '&' : '?'}currentSchema=${schema}`;
  return {
    schema,
    nodeArgs: (name) => [...PUSHER_ARGS, '--node-id', `${name}-${schema}`, '--postgres-url', url,
      '--redis-url', REDIS, '--presence-ttl-ms', '3000'],
    drop: () => psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
  };
}
