// The Pusher front door's life cycle (docs/pusher.md): keep-alive with a short heartbeat, the
// allowed origins, and a drain on SIGTERM (close 4200, pusher-js comes back at once).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { eventually, FreezingProxy } from './support.js';
import {
  APP, connected, LIMIT, pusherClient, rawSocket, sdk, sleep, startPusherServer, subscribe, unique,
} from './pusher-support.js';

const ORIGIN = 'https://app.example.com';
let server;
const cleanups = [];
before(async () => {
  // activity_timeout 2 s, and 2 s more for the pong
  server = await startPusherServer(['--heartbeat-interval-ms', '2000', '--heartbeat-timeout-ms', '2000',
    '--allowed-origins', ORIGIN]);
});
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await server?.stop();
});
function raw(options) {
  const s = rawSocket(server.port, options);
  cleanups.push(() => s.close());
  return s;
}

/** The status of a WebSocket upgrade of /app/{key} sent with `origin` (101 when it was accepted). */
function upgradeStatus(origin) {
  return new Promise((resolve, reject) => {
    const headers = {
      Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    };
    if (origin) headers.Origin = origin;
    const request = http.request({ port: server.port, host: '127.0.0.1', path: `/app/${APP.key}?protocol=7`, headers });
    request.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode);
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('error', reject);
    request.end();
  });
}

describe('keep-alive', () => {
  test('a silent socket gets pusher:ping after activity_timeout and close 4201 when no pong follows; pong or pusher-js keeps it open', LIMIT, async () => {
    const client = pusherClient(server, { user: unique('u') });
    cleanups.push(() => client.disconnect());
    const silent = raw();
    const opened = Date.now();
    assert.equal((await silent.established()).activity_timeout, 2);
    const answering = raw();
    await answering.established();
    answering.ws.addEventListener('message', (e) => {
      if (JSON.parse(e.data).event === 'pusher:ping') answering.send({ event: 'pusher:pong', data: {} });
    });
    await connected(client);

    const ping = await silent.next((m) => m.event === 'pusher:ping', { timeoutMs: 10000 });
    const pinged = Date.now();
    assert.ok(pinged - opened >= 1500, `pinged after ${pinged - opened} ms, before the activity timeout`);
    assert.equal(typeof ping.data, 'string');
    const closed = await silent.closed();
    assert.equal(closed.code, 4201);
    assert.ok(Date.now() - pinged >= 1000, 'closed before the pong timeout');

    await sleep(1000);
    assert.ok(answering.messages.filter((m) => m.event === 'pusher:ping').length >= 1, 'the answering socket was pinged');
    assert.equal(answering.ws.readyState, WebSocket.OPEN, 'a socket that answers pings stays open');
    assert.deepEqual(client.heard.states, ['connected'], 'pusher-js lost its connection');
    assert.ok(client.heard.messages.some((m) => m.event === 'pusher:pong' || m.event === 'pusher:ping'),
      'no ping went either way with pusher-js');
  });
});

describe('origins', () => {
  test('with PARLEY_ALLOWED_ORIGINS set, /app/{key} takes those origins (and clients that send none), no other', LIMIT, async () => {
    assert.equal(await upgradeStatus(ORIGIN), 101);
    assert.equal(await upgradeStatus(undefined), 101);
    assert.equal(await upgradeStatus('https://evil.example.com'), 403);
  });
});

describe('SIGTERM', () => {
  test('the node drains: its sockets are closed with 4200 and pusher-js reconnects at once, to another node', LIMIT, async () => {
    // a load balancer in front of two nodes; it takes the draining node out of rotation
    const other = await startPusherServer();
    cleanups.push(() => other.stop());
    const balancer = await FreezingProxy.start(server.port);
    cleanups.push(() => balancer.close());
    const channel = unique('orders-');
    const client = pusherClient(server, { user: unique('u'), port: balancer.port });
    cleanups.push(() => client.disconnect());
    const firstId = await connected(client);
    assert.ok((await subscribe(client, channel)).ok);
    const socket = raw();
    await socket.established();

    balancer.upstreamPort = other.port;
    const stopped = Date.now();
    await server.stop();
    assert.equal((await socket.closed()).code, 4200);
    await eventually(() => client.heard.errorCodes().includes(4200), {
      message: 'pusher-js saw 4200', detail: () => JSON.stringify(client.heard.errors),
    });
    await eventually(() => client.connection.state === 'connected' && client.connection.socket_id !== firstId, {
      message: 'reconnected', detail: () => JSON.stringify(client.heard.states),
    });
    assert.ok(Date.now() - stopped < 5000, `reconnected ${Date.now() - stopped} ms after the SIGTERM: not at once`);
    assert.deepEqual(client.heard.states, ['connected', 'connecting', 'connected']);
    await eventually(() => client.heard.events(channel, 'pusher_internal:subscription_succeeded').length === 2,
      { message: 'resubscribed' });
    await sdk(other).trigger(channel, 'after-drain', { ok: true });
    await eventually(() => client.heard.events(channel, 'after-drain').length === 1);
  });
});
