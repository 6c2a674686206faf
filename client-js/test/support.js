// Test support: the real Parley server as a child process, a freezing TCP proxy, a seeded random.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export const SERVER_JAR = process.env.PARLEY_SERVER_JAR
  || fileURLToPath(new URL('../../bootstrap/target/parley-server.jar', import.meta.url));

const LISTENING = /Parley listening on http:\/\/127\.0\.0\.1:(\d+)\/ws/;

/** The real server (`java -jar parley-server.jar`), in memory and insecure-dev; restartable on its port. */
export class TestServer {
  #args;
  #child = null;
  port = 0;
  output = '';

  constructor(args = []) {
    this.#args = args;
  }

  static async start(args = []) {
    const server = new TestServer(args);
    await server.startAgain();
    return server;
  }

  get url() {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  get http() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A new process on the same port (a fresh in-memory history: new epochs). */
  async startAgain() {
    if (!existsSync(SERVER_JAR)) {
      throw new Error(`${SERVER_JAR} is missing: build it first (mvn -B -q package -DskipTests)`);
    }
    for (let tries = 0; ; tries++) {
      try {
        await this.#spawn();
        return;
      } catch (e) {
        // the port may take a moment to be free after a stop
        if (tries >= 20 || this.port === 0) throw e;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  #spawn() {
    return new Promise((resolve, reject) => {
      const child = spawn('java', ['-jar', SERVER_JAR, '--port', String(this.port), ...this.#args],
        { stdio: ['ignore', 'pipe', 'pipe'] });
      let seen = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`server did not start within 30 s:\n${seen}`));
      }, 30000);
      const onData = (chunk) => {
        seen += chunk;
        this.output += chunk;
        const match = LISTENING.exec(seen);
        if (match && this.#child !== child) {
          clearTimeout(timer);
          this.port = Number(match[1]);
          this.#child = child;
          resolve();
        }
      };
      child.stdout.setEncoding('utf8').on('data', onData);
      child.stderr.setEncoding('utf8').on('data', onData);
      child.on('exit', (code) => {
        if (this.#child !== child) {
          clearTimeout(timer);
          reject(new Error(`server exited with ${code}:\n${seen}`));
        }
      });
    });
  }

  /** SIGKILL (kill -9): the process dies at once, with no drain. */
  async kill() {
    const child = this.#child;
    if (!child) return;
    this.#child = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM: the server drains (clients get 1001, Pusher clients 4200) and exits. */
  async stop() {
    const child = this.#child;
    if (!child) return;
    this.#child = null;
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * A TCP proxy whose open connections can be frozen: they stay open and carry nothing
 * (both ways, or only from the server), like a peer that vanished without a FIN.
 */
export class FreezingProxy {
  #server;
  #pairs = new Set();
  port = 0;
  /** Connections accepted so far (handshakes attempted through the proxy). */
  accepted = 0;
  /** Where new connections go (settable: a load balancer taking a node out of rotation). */
  upstreamPort = 0;

  static async start(upstreamPort) {
    const proxy = new FreezingProxy();
    await proxy.#listen(upstreamPort);
    return proxy;
  }

  #listen(upstreamPort) {
    this.upstreamPort = upstreamPort;
    this.#server = net.createServer((client) => {
      this.accepted += 1;
      const upstream = net.connect(this.upstreamPort, '127.0.0.1');
      const pair = { client, upstream, toServer: true, toClient: true };
      this.#pairs.add(pair);
      client.on('data', (d) => { if (pair.toServer) upstream.write(d); });
      upstream.on('data', (d) => { if (pair.toClient) client.write(d); });
      client.on('end', () => { if (pair.toServer) upstream.end(); });
      upstream.on('end', () => { if (pair.toClient) client.end(); });
      const gone = () => this.#pairs.delete(pair);
      client.on('error', gone);
      upstream.on('error', gone);
      client.on('close', gone);
    });
    return new Promise((resolve) => this.#server.listen(0, '127.0.0.1', () => {
      this.port = this.#server.address().port;
      resolve();
    }));
  }

  get url() {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  /** Open connections carry nothing more, either way. */
  freezeAll() {
    for (const pair of this.#pairs) {
      pair.toServer = false;
      pair.toClient = false;
    }
  }

  /** Open connections carry nothing more from the server: requests arrive, answers do not. */
  muteServer() {
    for (const pair of this.#pairs) pair.toClient = false;
  }

  close() {
    for (const pair of this.#pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** mulberry32: a small seeded PRNG in [0, 1). */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Polls until `condition()` is truthy, or fails after `timeoutMs`. */
export async function eventually(condition, { timeoutMs = 20000, message = 'condition', detail } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last;
    try {
      if (await condition()) return;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`${message} not met within ${timeoutMs} ms${last ? `: ${last.message}` : ''}${detail ? `; ${detail()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Holds for the whole of `durationMs` (checked every 25 ms), else fails. */
export async function throughout(condition, durationMs, message = 'condition') {
  const end = Date.now() + durationMs;
  while (Date.now() < end) {
    if (!(await condition())) throw new Error(`${message} stopped holding`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A storage like localStorage, in memory. */
export class MemoryStorage {
  #map = new Map();
  getItem(key) { return this.#map.has(key) ? this.#map.get(key) : null; }
  setItem(key, value) { this.#map.set(key, String(value)); }
  removeItem(key) { this.#map.delete(key); }
}

/** Records what a client hears. */
export function record(client) {
  const heard = { chats: [], typing: [], presence: [], states: [], acks: [], failed: [], errors: [] };
  client.on('chat', (m) => heard.chats.push(m));
  client.on('typing', (t) => heard.typing.push(t));
  client.on('presence', (p) => heard.presence.push(p));
  client.on('state', (s) => heard.states.push({ ...s, at: performance.now() }));
  client.on('ack', (a) => heard.acks.push(a));
  client.on('failed', (f) => heard.failed.push(f));
  client.on('error', (e) => heard.errors.push(e));
  heard.texts = () => heard.chats.map((m) => m.text);
  heard.count = (state) => heard.states.filter((s) => s.state === state).length;
  return heard;
}

/**
 * Where the tests find PostgreSQL and Redis, as the Java tests do (docs/architecture.md, "Tests"):
 * PARLEY_TEST_POSTGRES_URL and PARLEY_TEST_REDIS_URL when set, else the local defaults when
 * something listens there; `missing` names those found nowhere.
 */
export async function testServices() {
  const found = {};
  const missing = [];
  for (const [key, name, variable, fallback, toUrl] of [
    ['postgresUrl', 'PostgreSQL', 'PARLEY_TEST_POSTGRES_URL', 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres',
      (url) => new URL(url.replace(/^jdbc:/, ''))],
    ['redisUrl', 'Redis', 'PARLEY_TEST_REDIS_URL', 'redis://127.0.0.1:6379', (url) => new URL(url)],
  ]) {
    const set = process.env[variable];
    if (set && set.trim()) {
      found[key] = set;
    } else if (await listening(toUrl(fallback))) {
      found[key] = fallback;
    } else {
      missing.push(`${name} (${variable} is not set and nothing listens at ${fallback})`);
    }
  }
  return { ...found, missing };
}

function listening(url) {
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
