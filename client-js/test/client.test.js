// parley.js under Node 20 against the real server: docs/protocol.md section 9.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import { backoffCeiling, backoffDelay, ParleyClient } from '../parley.js';
import {
  eventually, FreezingProxy, MemoryStorage, record, seeded, TestServer, throughout,
} from './support.js';

const FAST = { baseMs: 100, factor: 2, capMs: 1000 };
const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});
function closing(client) {
  cleanups.push(() => client.close());
  return client;
}

describe('a server restart mid-conversation', () => {
  test('loses nothing and repeats nothing: chats sent during the outage arrive once, via the outbox', async () => {
    const server = await TestServer.start();
    cleanups.push(() => server.stop());
    const alice = closing(new ParleyClient({ url: server.url, user: 'alice', name: 'Alice', backoff: FAST }));
    const bob = closing(new ParleyClient({ url: server.url, user: 'bob', name: 'Bob', backoff: FAST }));
    const aliceHears = record(alice);
    const bobHears = record(bob);
    await alice.connect();
    await bob.connect();
    await alice.join('lobby');
    await bob.join('lobby');

    const before = [];
    for (let i = 1; i <= 5; i++) before.push(alice.send('lobby', `a${i}`), bob.send('lobby', `b${i}`));
    await Promise.all(before);
    await eventually(() => aliceHears.chats.length === 10 && bobHears.chats.length === 10);
    const oldEpoch = alice.position('lobby').epoch;

    await server.stop();
    await eventually(() => alice.state === 'reconnecting' && bob.state === 'reconnecting');
    const during = [];
    for (let i = 6; i <= 8; i++) during.push(alice.send('lobby', `a${i}`), bob.send('lobby', `b${i}`));
    assert.equal(alice.pending().length, 3);
    assert.equal(bob.pending().length, 3);

    await server.startAgain();
    const acks = await Promise.all(during);

    const all = [];
    for (let i = 1; i <= 8; i++) all.push(`a${i}`, `b${i}`);
    await eventually(() => aliceHears.chats.length >= 16 && bobHears.chats.length >= 16,
      { message: 'sixteen each', detail: () => JSON.stringify([aliceHears.texts(), bobHears.texts()]) });
    await throughout(() => aliceHears.chats.length === 16 && bobHears.chats.length === 16, 500, 'exactly 16 each');
    for (const heard of [aliceHears, bobHears]) {
      assert.deepEqual([...heard.texts()].sort(), [...all].sort());
      const newEpoch = heard.chats.slice(10).map((m) => m.seq);
      assert.deepEqual(newEpoch, [...newEpoch].sort((x, y) => x - y));
    }
    assert.deepEqual(acks.map((a) => a.seq).sort(), [1, 2, 3, 4, 5, 6]);
    assert.equal(alice.pending().length, 0);
    assert.notEqual(alice.position('lobby').epoch, oldEpoch);
    assert.equal(alice.position('lobby').seq, 6);
  });

  test('a client away while others talk in the new epoch loads what it missed from history, once', async () => {
    const server = await TestServer.start();
    cleanups.push(() => server.stop());
    // full jitter at its ceiling: alice waits the whole 12 s, so she is away while bob talks
    // (a restart and three chats can take several seconds on a loaded machine)
    const alice = closing(new ParleyClient({
      url: server.url, user: 'alice', backoff: { baseMs: 12000, factor: 2, capMs: 12000 }, random: () => 0.9999999,
    }));
    const aliceHears = record(alice);
    await alice.connect();
    await alice.join('lobby');
    await alice.send('lobby', 'before the restart');
    await eventually(() => aliceHears.chats.length === 1);

    await server.stop();
    await server.startAgain();
    const bob = closing(new ParleyClient({ url: server.url, user: 'bob', backoff: FAST }));
    await bob.connect();
    await bob.join('lobby');
    for (let i = 1; i <= 3; i++) await bob.send('lobby', `new epoch ${i}`);
    assert.equal(alice.state, 'reconnecting', 'alice still away: she must reload these from history');

    await eventually(() => aliceHears.chats.length >= 4, { timeoutMs: 40000 });
    await bob.send('lobby', 'live after her rejoin');
    await eventually(() => aliceHears.chats.length >= 5);
    assert.deepEqual(aliceHears.texts(),
      ['before the restart', 'new epoch 1', 'new epoch 2', 'new epoch 3', 'live after her rejoin']);
  });
});

describe('what a client must never lose or loop on', () => {
  test('a reload refused as rate_limited is tried again and loses nothing', { timeout: 90000 }, async () => {
    // one frame a second, none saved up: the rejoin takes the only token, so the reload's first
    // history request is answered rate_limited
    const server = await TestServer.start(['--rate-per-second', '1', '--rate-burst', '1']);
    cleanups.push(() => server.stop());
    const alice = closing(new ParleyClient({
      url: server.url, user: 'alice', backoff: { baseMs: 8000, factor: 2, capMs: 8000 }, random: () => 0.9999999,
    }));
    const aliceHears = record(alice);
    await alice.connect();
    await alice.join('lobby');

    await server.stop();
    await server.startAgain();
    const bob = closing(new ParleyClient({ url: server.url, user: 'bob', backoff: FAST }));
    await bob.connect();
    await bob.join('lobby');
    for (let i = 1; i <= 3; i++) await bob.send('lobby', `missed ${i}`);
    assert.equal(alice.state, 'reconnecting', 'alice still away: she must reload these from history');

    await eventually(() => aliceHears.chats.length >= 3, { timeoutMs: 40000 });
    assert.deepEqual(aliceHears.texts(), ['missed 1', 'missed 2', 'missed 3']);
    assert.equal(alice.position('lobby').seq, 3);
  });

  test('a chat whose frame is over 64 KiB fails at once, without a 1009 close or a re-send loop', { timeout: 60000 }, async () => {
    const server = await TestServer.start();
    cleanups.push(() => server.stop());
    const ivy = closing(new ParleyClient({ url: server.url, user: 'ivy', backoff: FAST }));
    const states = [];
    ivy.on('state', (event) => states.push(event.state));
    await ivy.connect();
    await ivy.join('huge');

    await assert.rejects(ivy.send('huge', 'x'.repeat(70000)), (error) => error.code === 'too_large');
    const ack = await ivy.send('huge', 'still here');

    assert.equal(ack.seq, 1);
    assert.equal(ivy.pending().length, 0);
    assert.ok(!states.includes('reconnecting'), `no reconnect: ${states}`);
  });
});

describe('reconnecting', () => {
  test('waits follow the exponential backoff with full jitter of a seeded random source', async () => {
    // a "server" that answers every handshake 503, as a draining or full node does
    const acceptedAt = [];
    const refuser = net.createServer((socket) => {
      acceptedAt.push(performance.now());
      socket.once('data', () => socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
      socket.on('error', () => {});
    });
    await new Promise((r) => refuser.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => refuser.close(r)));
    const backoff = { baseMs: 40, factor: 2, capMs: 400 };
    const client = closing(new ParleyClient({
      url: `ws://127.0.0.1:${refuser.address().port}/ws`, backoff, random: seeded(42),
    }));
    const heard = record(client);

    client.connect().catch(() => {});
    await eventually(() => acceptedAt.length >= 8 && heard.count('reconnecting') >= 7);
    client.close();

    const sameSeed = seeded(42);
    const expected = [];
    for (let attempt = 0; attempt < 7; attempt++) expected.push(backoffDelay(attempt, backoff, sameSeed));
    const waits = heard.states.filter((s) => s.state === 'reconnecting').slice(0, 7);
    assert.deepEqual(waits.map((s) => s.retryIn), expected);
    assert.deepEqual(waits.map((s) => s.attempt), [1, 2, 3, 4, 5, 6, 7]);
    for (let i = 0; i < 7; i++) {
      assert.ok(expected[i] >= 0 && expected[i] <= backoffCeiling(i, backoff));
      const gap = acceptedAt[i + 1] - acceptedAt[i];
      // timers may fire up to a millisecond early by performance.now()
      assert.ok(gap >= expected[i] - 1, `gap ${gap} before attempt ${i + 1} shorter than ${expected[i]}`);
    }
    assert.equal(backoffCeiling(0), 500);
    assert.equal(backoffCeiling(20), 30000);
  });

  test('a connection that stayed up for the stable period starts the backoff over', async () => {
    const probe = net.createServer();
    await new Promise((r) => probe.listen(0, '127.0.0.1', r));
    const port = probe.address().port;
    await new Promise((r) => probe.close(r));
    const client = closing(new ParleyClient({
      url: `ws://127.0.0.1:${port}/ws`, backoff: { baseMs: 20, factor: 2, capMs: 200 }, stableMs: 300, random: seeded(7),
    }));
    const heard = record(client);
    client.connect().catch(() => {});
    await eventually(() => heard.count('reconnecting') >= 4);

    const server = new TestServer();
    server.port = port;
    await server.startAgain();
    cleanups.push(() => server.stop());
    await eventually(() => client.state === 'connected');
    const failedBefore = heard.count('reconnecting');
    assert.ok(heard.states.filter((s) => s.state === 'reconnecting').at(-1).attempt >= 4);
    await throughout(() => client.state === 'connected', 400, 'connected');
    await server.stop();

    await eventually(() => heard.count('reconnecting') > failedBefore);
    const afterStable = heard.states.filter((s) => s.state === 'reconnecting')[failedBefore];
    assert.equal(afterStable.closeCode, 1001);
    assert.equal(afterStable.attempt, 1);
    assert.ok(afterStable.retryIn <= 20);
  });

  test('after a 1008 close the client stays closed', async () => {
    const server = await TestServer.start();
    cleanups.push(() => server.stop());
    const client = closing(new ParleyClient({ url: server.url, user: 'mallory', backoff: FAST }));
    const heard = record(client);
    await client.connect();

    // chat to a room not joined, over and over: more than 20 errors in 10 s
    const refused = [];
    for (let i = 0; i < 25; i++) refused.push(client.send('not-joined', `spam ${i}`).catch((e) => e));

    await eventually(() => client.state === 'closed');
    assert.equal(heard.states.find((s) => s.state === 'closed').closeCode, 1008);
    const outcomes = await Promise.all(refused);
    assert.equal(outcomes[0].code, 'not_member');
    assert.ok(outcomes.every((e) => e.code === 'not_member' || e.code === 'closed'));
    await throughout(() => heard.count('connecting') === 1 && heard.count('reconnecting') === 0, 2000, 'no reconnect');
    await assert.rejects(client.send('lobby', 'too late'), { code: 'closed' });
  });

  test('a silent connection (no pong within timeoutMs) is dropped and replaced', async () => {
    const server = await TestServer.start(['--heartbeat-interval-ms', '500', '--heartbeat-timeout-ms', '1000']);
    cleanups.push(() => server.stop());
    const proxy = await FreezingProxy.start(server.port);
    cleanups.push(() => proxy.close());
    const client = closing(new ParleyClient({ url: proxy.url, user: 'carol', backoff: { baseMs: 20, factor: 2, capMs: 100 } }));
    const heard = record(client);
    await client.connect();
    await client.join('lobby');

    proxy.freezeAll();
    const sent = client.send('lobby', 'are you there?');

    await eventually(() => heard.count('reconnecting') === 1);
    const lost = heard.states.find((s) => s.state === 'reconnecting');
    assert.equal(lost.closeCode, 1006);
    assert.match(lost.reason, /no pong within 1000 ms/);
    assert.equal((await sent).seq, 1);
    await eventually(() => heard.texts().join() === 'are you there?');
    assert.equal(client.state, 'connected');
  });
});

/** A minimal WebSocket server that says welcome and then closes every connection with `code`. */
async function welcomingThenClosingServer(code) {
  let handshakes = 0;
  const sockets = new Set();
  const server = http.createServer();
  server.on('upgrade', (req, socket) => {
    handshakes++;
    sockets.add(socket);
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket.on('error', () => {});
    const welcome = Buffer.from(JSON.stringify({
      type: 'welcome',
      payload: { connectionId: 'c1', user: { id: 'olga', name: 'Olga' }, node: 'fake', protocol: 1,
        heartbeat: { intervalMs: 25000, timeoutMs: 20000 }, limits: {} },
      timestamp: Date.now(),
    }));
    const reason = Buffer.from('disconnected by an operator');
    socket.end(Buffer.concat([
      Buffer.from([0x81, 126, welcome.length >> 8, welcome.length & 0xff]), welcome,
      Buffer.from([0x88, reason.length + 2, code >> 8, code & 0xff]), reason]));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => {
    for (const socket of sockets) socket.destroy();
    server.close(r);
  }));
  return { url: `ws://127.0.0.1:${server.address().port}/ws`, handshakes: () => handshakes };
}

describe('disconnected by an operator (close 4003)', () => {
  test('the client stays closed and never reconnects', async () => {
    const fake = await welcomingThenClosingServer(4003);
    const client = closing(new ParleyClient({ url: fake.url, user: 'olga', backoff: FAST }));
    const heard = record(client);
    await client.connect();

    await eventually(() => client.state === 'closed');
    assert.equal(heard.states.find((s) => s.state === 'closed').closeCode, 4003);
    await throughout(() => fake.handshakes() === 1 && heard.count('reconnecting') === 0, 2000, 'no reconnect');
  });
});

/**
 * A minimal WebSocket server that closes with 4001 (token expired) unless the connection's
 * `?token=` is 'fresh', and then says welcome: the server side of a token expiry, on demand.
 */
async function tokenCheckingServer() {
  const tokens = [];
  const sockets = new Set();
  const server = http.createServer();
  server.on('upgrade', (req, socket) => {
    sockets.add(socket);
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket.on('error', () => {});
    const token = new URL(req.url, 'http://localhost').searchParams.get('token');
    tokens.push(token);
    if (token === 'fresh') {
      const welcome = Buffer.from(JSON.stringify({
        type: 'welcome',
        payload: { connectionId: 'c1', user: { id: 'tom', name: 'Tom' }, node: 'fake', protocol: 1,
          heartbeat: { intervalMs: 25000, timeoutMs: 20000 }, limits: {} },
        timestamp: Date.now(),
      }));
      socket.write(Buffer.concat([Buffer.from([0x81, 126, welcome.length >> 8, welcome.length & 0xff]), welcome]));
    } else {
      const reason = Buffer.from('token expired');
      socket.end(Buffer.concat([Buffer.from([0x88, reason.length + 2, 4001 >> 8, 4001 & 0xff]), reason]));
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => {
    for (const socket of sockets) socket.destroy();
    server.close(r);
  }));
  return { url: `ws://127.0.0.1:${server.address().port}/ws`, tokens };
}

describe('token expiry (close 4001)', () => {
  test('the client asks refreshToken for a new token, then reconnects with it', async () => {
    const fake = await tokenCheckingServer();
    let refreshed = 0;
    const client = closing(new ParleyClient({
      url: fake.url, token: 'stale', backoff: FAST,
      refreshToken: async () => {
        refreshed++;
        return 'fresh';
      },
    }));
    const heard = record(client);
    await client.connect();
    assert.deepEqual(fake.tokens, ['stale', 'fresh']);
    assert.equal(refreshed, 1);
    assert.equal(client.user.id, 'tom');
    assert.equal(heard.states.find((s) => s.state === 'reconnecting').closeCode, 4001);
  });

  test('without refreshToken, 4001 closes the client for good', async () => {
    const fake = await tokenCheckingServer();
    const client = closing(new ParleyClient({ url: fake.url, token: 'stale', backoff: FAST }));
    const heard = record(client);
    await assert.rejects(client.connect(), { code: 'closed' });
    assert.equal(client.state, 'closed');
    assert.equal(heard.states.at(-1).closeCode, 4001);
    await throughout(() => fake.tokens.length === 1, 300, 'no second attempt');
  });
});

describe('the outbox', () => {
  test('persisted: chats typed offline survive a reload and are sent once, with their ids', async () => {
    const server = await TestServer.start();
    cleanups.push(() => server.stop());
    const storage = new MemoryStorage();
    const watcher = closing(new ParleyClient({ url: server.url, user: 'watcher' }));
    const watched = record(watcher);
    await watcher.connect();
    await watcher.join('notes');

    // Page 1: online, but the server's answers are lost on the way (the chat arrives, the ack does not) ...
    const proxy = await FreezingProxy.start(server.port);
    cleanups.push(() => proxy.close());
    const page1 = new ParleyClient({
      url: proxy.url, user: 'dana', outboxStorage: storage, outboxKey: 'outbox:dana', backoff: { baseMs: 60000, factor: 2, capMs: 60000 },
    });
    await page1.connect();
    await page1.join('notes');
    proxy.muteServer();
    const first = page1.send('notes', 'sent, but never acknowledged');
    first.catch(() => {});
    await eventually(() => watched.texts().includes('sent, but never acknowledged'));
    // ... then offline: typed, never sent.
    await proxy.close();
    await eventually(() => page1.state === 'reconnecting');
    const second = page1.send('notes', 'typed offline');
    second.catch(() => {});
    assert.deepEqual(JSON.parse(storage.getItem('outbox:dana')).map((e) => e.text),
      ['sent, but never acknowledged', 'typed offline']);
    page1.close(); // the page goes away (a reload)
    await assert.rejects(second, { code: 'closed' });

    // Page 2, same storage: sends both with the same ids.
    const page2 = closing(new ParleyClient({ url: server.url, user: 'dana', outboxStorage: storage, outboxKey: 'outbox:dana' }));
    const page2Hears = record(page2);
    assert.deepEqual(page2.pending().map((e) => e.id), [first.id, second.id]);
    await page2.connect();
    await page2.join('notes');
    await eventually(() => page2Hears.acks.length === 2);

    assert.deepEqual(page2Hears.acks.map((a) => [a.id, a.duplicate]), [[first.id, true], [second.id, false]]);
    assert.equal(storage.getItem('outbox:dana'), null);
    await eventually(() => watched.chats.length >= 2);
    await throughout(() => watched.chats.length === 2, 500, 'each chat once');
    assert.deepEqual(watched.chats.map((m) => [m.text, m.id]),
      [['sent, but never acknowledged', first.id], ['typed offline', second.id]]);
  });

  test('bounded: past its capacity a chat is refused at once; final errors fail, the rest wait', async () => {
    const offline = closing(new ParleyClient({ url: 'ws://127.0.0.1:9/ws', outboxCapacity: 2 }));
    const one = offline.send('lobby', 'one');
    const two = offline.send('lobby', 'two');
    await assert.rejects(offline.send('lobby', 'three'), { code: 'outbox_full' });
    assert.equal(offline.pending().length, 2);
    offline.close();
    await assert.rejects(one, { code: 'closed' });
    await assert.rejects(two, { code: 'closed' });

    const server = await TestServer.start();
    cleanups.push(() => server.stop());
    const client = closing(new ParleyClient({ url: server.url, user: 'ivy' }));
    await client.connect();
    await client.join('refusals');
    await assert.rejects(client.send('refusals', 'x'.repeat(4001)), { code: 'too_large' });
    await assert.rejects(client.send('refusals', '   '), { code: 'bad_request' });
    await assert.rejects(client.join('user:someone-else'), { code: 'forbidden' });
    assert.equal(client.pending().length, 0);
    assert.equal(client.state, 'connected');
  });
});

describe('rate limits', () => {
  test('chats refused with rate_limited past the burst are retried by the outbox until acked', async () => {
    const server = await TestServer.start();
    cleanups.push(() => server.stop());
    const client = closing(new ParleyClient({ url: server.url, user: 'kit' }));
    const heard = record(client);
    await client.connect();
    await client.join('burst');
    const sent = [];
    for (let i = 0; i < 70; i++) sent.push(client.send('burst', `burst ${i}`));
    const acks = await Promise.all(sent);
    assert.equal(new Set(acks.map((a) => a.seq)).size, 70);
    assert.equal(client.pending().length, 0);
    await eventually(() => heard.chats.length === 70);
    assert.deepEqual(heard.failed, []);
  });
});

describe('rooms', () => {
  test('chat with data, typing, presence and history between two clients', async () => {
    const server = await TestServer.start();
    cleanups.push(() => server.stop());
    const fay = closing(new ParleyClient({ url: server.url, user: 'fay', name: 'Fay' }));
    const gus = closing(new ParleyClient({ url: server.url, user: 'gus', name: 'Gus' }));
    const fayHears = record(fay);
    await fay.connect();
    await gus.connect();
    const fayJoin = await fay.join('room');
    assert.deepEqual(fayJoin.presence.map((u) => u.id), ['fay']);
    await gus.join('room');
    await eventually(() => fay.members('room').length === 2);
    assert.equal(fayHears.presence.at(-1).event, 'join');

    gus.typing('room', true);
    await eventually(() => fayHears.typing.length === 1);
    assert.deepEqual(fayHears.typing[0], { room: 'room', user: { id: 'gus', name: 'Gus' }, active: true });

    const ack = await gus.send('room', '  hi  ', { data: { kind: 'greeting' }, id: 'gus-1' });
    assert.deepEqual(ack, { room: 'room', id: 'gus-1', seq: 1, duplicate: false });
    await eventually(() => fayHears.chats.length === 1);
    assert.equal(fayHears.chats[0].text, 'hi');
    assert.deepEqual(fayHears.chats[0].data, { kind: 'greeting' });
    for (let i = 2; i <= 5; i++) await gus.send('room', `m${i}`);
    const newest = await fay.history('room', { limit: 2 });
    assert.deepEqual(newest.messages.map((m) => m.text), ['m4', 'm5']);
    assert.equal(newest.hasMore, true);
    const older = await fay.history('room', { before: 4, limit: 10 });
    assert.deepEqual(older.messages.map((m) => m.seq), [1, 2, 3]);
    assert.equal(older.hasMore, false);
    assert.deepEqual((await fay.presence('room')).map((u) => u.id).sort(), ['fay', 'gus']);

    await gus.leave('room');
    await eventually(() => fay.members('room').length === 1);
    assert.equal(fayHears.presence.at(-1).event, 'leave');
  });
});
