// The Pusher protocol 7 front door (docs/pusher.md) on one node, with the real clients: pusher-js
// 8.6.0 and the `pusher` 5.3.4 server SDK, plus a raw WebSocket where pusher-js would not send
// what the test needs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, FreezingProxy, throughout } from './support.js';
import {
  APP, connected, getJson, hmac, PusherSdk, pusherClient, rawSocket, sdk, signedRequest, sleep, startPusherServer,
  LIMIT, statusOf, subscribe, unique,
} from './pusher-support.js';

const SUCCEEDED = 'pusher_internal:subscription_succeeded';
const MEMBER_ADDED = 'pusher_internal:member_added';
const MEMBER_REMOVED = 'pusher_internal:member_removed';
/** How long "nothing more arrives" is watched for, after a fence shows the server did its part. */
const QUIET_MS = 400;

let server;
let api;
const cleanups = [];
before(async () => {
  // activity_timeout comes from the heartbeat interval: 30 s here, not the 25 s default
  server = await startPusherServer(['--heartbeat-interval-ms', '30000']);
  api = sdk(server);
});
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await server?.stop();
});
function client(options) {
  const c = pusherClient(server, options);
  cleanups.push(() => c.disconnect());
  return c;
}
function raw(options) {
  const s = rawSocket(server.port, options);
  cleanups.push(() => s.close());
  return s;
}
/** A client subscribed to `name` (the subscription must succeed). */
async function subscribed(name, options = { user: unique('u') }) {
  const c = client(options);
  const answer = await subscribe(c, name);
  assert.ok(answer.ok, `subscription to ${name}: ${JSON.stringify(answer.error)}`);
  return c;
}
/** Triggers a fence event and waits for `witness` to hear it: what the server sent before has arrived. */
async function fence(channel, witness) {
  const name = unique('fence-');
  await api.trigger(channel, name, {});
  await eventually(() => witness.heard.events(channel, name).length === 1, { message: `fence on ${channel}` });
}

describe('connecting', () => {
  test('connection_established carries, as a JSON string, a socket_id of digits.digits and the activity_timeout', LIMIT, async () => {
    const first = raw();
    const established = await first.next((m) => m.event === 'pusher:connection_established');
    assert.equal(typeof established.data, 'string', 'data is double encoded');
    const data = JSON.parse(established.data);
    assert.match(data.socket_id, /^\d+\.\d+$/);
    assert.equal(data.activity_timeout, 30);
    const second = raw();
    assert.notEqual((await second.established()).socket_id, data.socket_id);

    const pusher = client({ user: unique('u') });
    assert.match(await connected(pusher), /^\d+\.\d+$/);
    assert.equal(pusher.connection.activityTimeout, 30000, 'pusher-js took the server activity_timeout');
  });

  test('a wrong app key: pusher:error 4001, close 4001, and pusher-js does not try again', LIMIT, async () => {
    const socket = raw({ key: 'not-the-key' });
    const error = await socket.next((m) => m.event === 'pusher:error');
    assert.equal(typeof error.data, 'object', 'pusher:error data is an object, not a string');
    assert.equal(error.data.code, 4001);
    assert.equal((await socket.closed()).code, 4001);

    const proxy = await FreezingProxy.start(server.port);
    cleanups.push(() => proxy.close());
    const pusher = client({ user: unique('u'), key: 'not-the-key', port: proxy.port });
    await eventually(() => pusher.heard.errorCodes().includes(4001), {
      message: 'error 4001 reported', detail: () => JSON.stringify(pusher.heard.errors),
    });
    await eventually(() => pusher.connection.state === 'disconnected', { message: 'disconnected' });
    // no reconnect loop: one handshake, and no "connecting" again, for three seconds
    await throughout(() => proxy.accepted === 1 && pusher.connection.state === 'disconnected', 3000,
      'a single handshake');
    assert.deepEqual(pusher.heard.states, ['disconnected'], 'connecting again after the refusal');
  });

  test('a protocol other than 7 (or none): pusher:error 4007 and close 4007', LIMIT, async () => {
    for (const query of ['protocol=6&client=js&version=8.6.0', 'client=js&version=8.6.0']) {
      const socket = raw({ query });
      const error = await socket.next((m) => m.event === 'pusher:error');
      assert.equal(error.data.code, 4007, query);
      assert.equal((await socket.closed()).code, 4007, query);
      assert.equal(socket.messages.filter((m) => m.event === 'pusher:connection_established').length, 0);
    }
  });

  test('pusher:ping is answered with pusher:pong', LIMIT, async () => {
    const socket = raw();
    await socket.established();
    socket.send({ event: 'pusher:ping', data: {} });
    const pong = await socket.next((m) => m.event === 'pusher:pong');
    assert.equal(typeof pong.data, 'string');
  });

  test('channel names: 164 characters of [A-Za-z0-9_-=@,.;] pass; longer, or another character: pusher:error 4009', LIMIT, async () => {
    const socket = raw();
    await socket.established();
    const longest = `${unique('n')}-=@,.;_`.padEnd(164, 'x');
    socket.send({ event: 'pusher:subscribe', data: { channel: longest } });
    await socket.next((m) => m.event === SUCCEEDED && m.channel === longest);
    for (const bad of [`${longest}x`, 'bad*name', 'spaced name']) {
      const from = socket.messages.length;
      socket.send({ event: 'pusher:subscribe', data: { channel: bad } });
      const error = await socket.next((m) => m.event === 'pusher:error' || m.event === SUCCEEDED, { from });
      assert.equal(error.event, 'pusher:error', bad);
      assert.equal(error.data.code, 4009, bad);
    }
  });
});

describe('public channels', () => {
  test('subscribers get an HTTP trigger of the SDK, to one channel or several, with its data', LIMIT, async () => {
    const one = unique('orders-');
    const two = unique('invoices-');
    const a = await subscribed(one);
    const b = await subscribed(one);
    const c = await subscribed(two);
    const got = [];
    a.channel(one).bind('order-shipped', (data) => got.push(data));
    await api.trigger(one, 'order-shipped', { id: 7, items: ['book'] });
    await eventually(() => got.length === 1 && b.heard.events(one, 'order-shipped').length === 1);
    assert.deepEqual(got[0], { id: 7, items: ['book'] });
    assert.equal(b.heard.events(one, 'order-shipped')[0].user_id, undefined);

    await api.trigger([one, two], 'both', 'a plain string');
    await eventually(() => a.heard.events(one, 'both').length === 1 && c.heard.events(two, 'both').length === 1);
    assert.equal(c.heard.events(two, 'both')[0].data, 'a plain string');
  });

  test('pusher:unsubscribe: no reply, and the socket hears nothing more there', LIMIT, async () => {
    const name = unique('news-');
    const leaving = await subscribed(name);
    const staying = await subscribed(name);
    const before = leaving.heard.messages.length;
    leaving.unsubscribe(name);
    await eventually(async () => (await getJson(api, `/channels/${name}`, { info: 'subscription_count' }))
      .subscription_count === 1, { message: 'one subscription left' });
    await api.trigger(name, 'later', {});
    await eventually(() => staying.heard.events(name, 'later').length === 1);
    await sleep(QUIET_MS);
    assert.deepEqual(leaving.heard.messages.slice(before), [], 'no reply to unsubscribe and no event after it');
  });

  test('socket_id of a trigger: that socket does not get the event, the others do', LIMIT, async () => {
    const name = unique('room-');
    const sender = await subscribed(name);
    const other = await subscribed(name);
    await api.trigger(name, 'moved', { n: 1 }, { socket_id: sender.connection.socket_id });
    await eventually(() => other.heard.events(name, 'moved').length === 1);
    await fence(name, sender);
    assert.equal(sender.heard.events(name, 'moved').length, 0, 'the excluded socket got its own event');
  });

  test('batch_events: ten events arrive in the order of the batch; eleven are refused (400)', LIMIT, async () => {
    const name = unique('batch-');
    const listener = await subscribed(name);
    const batch = Array.from({ length: 10 }, (_, i) => ({ channel: name, name: 'step', data: { i } }));
    await api.triggerBatch(batch);
    await eventually(() => listener.heard.events(name, 'step').length === 10);
    assert.deepEqual(listener.heard.events(name, 'step').map((m) => m.data.i), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const eleven = Array.from({ length: 11 }, (_, i) => ({ channel: name, name: 'extra', data: { i } }));
    assert.equal(await statusOf(api.triggerBatch(eleven)), 400);
  });

  test('a client event on a public channel: pusher:error 4301, and nobody gets it', LIMIT, async () => {
    const name = unique('public-');
    const sender = await subscribed(name);
    const other = await subscribed(name);
    sender.channel(name).trigger('client-hello', { hi: true });
    await eventually(() => sender.heard.errorCodes().includes(4301), { message: '4301' });
    await fence(name, other);
    assert.equal(other.heard.events(name, 'client-hello').length, 0);
  });
});

describe('private channels', () => {
  test('a signed subscription succeeds; client events reach the others, not the sender, with no user_id', LIMIT, async () => {
    const name = unique('private-orders-');
    const a = await subscribed(name);
    const b = await subscribed(name);
    await api.trigger(name, 'server-event', { ok: 1 });
    await eventually(() => a.heard.events(name, 'server-event').length === 1
      && b.heard.events(name, 'server-event').length === 1);

    assert.equal(a.channel(name).trigger('client-typing', { who: 'a' }), true);
    await eventually(() => b.heard.events(name, 'client-typing').length === 1);
    const event = b.heard.events(name, 'client-typing')[0];
    assert.deepEqual(event.data, { who: 'a' });
    assert.equal(event.user_id, undefined);
    await fence(name, a);
    assert.equal(a.heard.events(name, 'client-typing').length, 0, 'echoed to the sender');
  });

  test('a bad signature: pusher:subscription_error status 401 with a top-level channel, and nothing delivered there', LIMIT, async () => {
    const name = unique('private-secret-');
    const wrong = sdk(server, { secret: 'not-the-secret-0123456789' });
    const intruder = client({ user: unique('u'), authorize: (socketId, channel) => wrong.authorizeChannel(socketId, channel) });
    const answer = await subscribe(intruder, name);
    assert.equal(answer.ok, false);
    assert.equal(answer.error.status, 401, 'pusher-js routed the error to the channel by its top-level name');
    const frame = intruder.heard.messages.find((m) => m.event === 'pusher:subscription_error');
    assert.equal(frame.channel, name);
    assert.equal(frame.data.type, 'AuthError');
    assert.equal(frame.data.status, 401);

    const member = await subscribed(name);
    await api.trigger(name, 'secret', { s: 1 });
    await eventually(() => member.heard.events(name, 'secret').length === 1);
    member.channel(name).trigger('client-psst', {});
    await fence(name, member);
    assert.deepEqual(intruder.heard.events(name).map((m) => m.event), ['pusher:subscription_error']);
  });

  test('a client event on a private channel the socket has not subscribed to: pusher:error 4301, nobody gets it', LIMIT, async () => {
    const name = unique('private-closed-');
    const member = await subscribed(name);
    const outsider = client({ user: unique('u') });
    await connected(outsider);
    outsider.send_event('client-sneak', { x: 1 }, name);
    await eventually(() => outsider.heard.errorCodes().includes(4301), { message: '4301' });
    await fence(name, member);
    assert.equal(member.heard.events(name, 'client-sneak').length, 0);
  });

  test('client events: 10 per second per connection; beyond, pusher:error 4301; a second later they pass again', LIMIT, async () => {
    const name = unique('private-chatty-');
    const sender = await subscribed(name);
    const receiver = await subscribed(name);
    for (let i = 0; i < 15; i++) sender.channel(name).trigger('client-n', { i });
    await eventually(() => sender.heard.errorCodes().filter((c) => c === 4301).length >= 4, {
      message: 'rate errors', detail: () => JSON.stringify(sender.heard.errors),
    });
    await fence(name, receiver);
    const passed = receiver.heard.events(name, 'client-n').length;
    assert.ok(passed >= 10 && passed <= 11, `${passed} of 15 passed`);
    await sleep(1200);
    sender.channel(name).trigger('client-again', {});
    await eventually(() => receiver.heard.events(name, 'client-again').length === 1);
  });
});

describe('private-encrypted channels', () => {
  test('subscribed like private; the SDK encrypts, pusher-js decrypts, the server passes the ciphertext through', LIMIT, async () => {
    const name = unique('private-encrypted-vault-');
    const reader = await subscribed(name);
    const socket = raw();
    const { socket_id: socketId } = await socket.established();
    socket.send({ event: 'pusher:subscribe', data: { channel: name, auth: `${APP.key}:${hmac(APP.secret, `${socketId}:${name}`)}` } });
    await socket.next((m) => m.event === SUCCEEDED && m.channel === name);

    const got = [];
    reader.channel(name).bind('note', (data) => got.push(data));
    await api.trigger(name, 'note', { text: 'top secret' });
    await eventually(() => got.length === 1);
    assert.deepEqual(got[0], { text: 'top secret' });
    const wire = JSON.parse((await socket.next((m) => m.event === 'note')).data);
    assert.ok(wire.nonce && wire.ciphertext, 'the server sent the ciphertext as the SDK made it');
    assert.ok(!JSON.stringify(wire).includes('top secret'));
  });

  test('a bad signature: 401; client events are refused with 4301 and reach nobody', LIMIT, async () => {
    const name = unique('private-encrypted-box-');
    const socket = raw();
    await socket.established();
    socket.send({ event: 'pusher:subscribe', data: { channel: name, auth: `${APP.key}:${'0'.repeat(64)}` } });
    const error = await socket.next((m) => m.event === 'pusher:subscription_error');
    assert.equal(JSON.parse(error.data).status, 401);
    assert.equal(error.channel, name);

    const sender = await subscribed(name);
    const other = await subscribed(name);
    // pusher-js refuses client events on encrypted channels itself; send the frame anyway
    sender.send_event('client-leak', { x: 1 }, name);
    await eventually(() => sender.heard.errorCodes().includes(4301), { message: '4301' });
    await fence(name, other);
    assert.equal(other.heard.events(name, 'client-leak').length, 0);
  });
});

describe('presence channels', () => {
  test('subscription_succeeded carries {presence: {ids, hash, count}}; the others get member_added with user_info', LIMIT, async () => {
    const name = unique('presence-room-');
    const alice = unique('alice');
    const bob = unique('bob');
    const a = await subscribed(name, { user: alice, info: { name: 'Alice' } });
    const first = a.heard.events(name, SUCCEEDED)[0];
    assert.equal(typeof first.data, 'object');
    assert.deepEqual(first.data.presence, { ids: [alice], hash: { [alice]: { name: 'Alice' } }, count: 1 });

    const b = await subscribed(name, { user: bob, info: { name: 'Bob', role: 'admin' } });
    const presence = b.heard.events(name, SUCCEEDED)[0].data.presence;
    assert.deepEqual([...presence.ids].sort(), [alice, bob].sort());
    assert.deepEqual(presence.hash, { [alice]: { name: 'Alice' }, [bob]: { name: 'Bob', role: 'admin' } });
    assert.equal(presence.count, 2);
    assert.equal(b.channel(name).members.count, 2);
    assert.equal(b.channel(name).members.me.id, bob);

    await eventually(() => a.heard.events(name, MEMBER_ADDED).length === 1);
    assert.deepEqual(a.heard.events(name, MEMBER_ADDED)[0].data, { user_id: bob, user_info: { name: 'Bob', role: 'admin' } });
    assert.equal(a.channel(name).members.get(bob).info.role, 'admin');
    await fence(name, b);
    assert.equal(b.heard.events(name, MEMBER_ADDED).length, 0, 'a member hears its own arrival');
  });

  test('two tabs of one user: one member_added, and member_removed only when the last tab leaves', LIMIT, async () => {
    const name = unique('presence-tabs-');
    const alice = unique('alice');
    const watcher = await subscribed(name, { user: unique('bob') });
    const tab1 = await subscribed(name, { user: alice, info: { name: 'Alice' } });
    await eventually(() => watcher.heard.events(name, MEMBER_ADDED).length === 1);
    const tab2 = await subscribed(name, { user: alice, info: { name: 'Alice' } });
    assert.equal(tab2.heard.events(name, SUCCEEDED)[0].data.presence.count, 2, 'alice counted once');
    await fence(name, watcher);
    await sleep(QUIET_MS);
    assert.equal(watcher.heard.events(name, MEMBER_ADDED).length, 1, 'the second tab announced alice again');

    tab1.disconnect();
    await eventually(async () => (await getJson(api, `/channels/${name}`, { info: 'subscription_count' }))
      .subscription_count === 2, { message: 'tab 1 gone' });
    await fence(name, watcher);
    await sleep(QUIET_MS);
    assert.equal(watcher.heard.events(name, MEMBER_REMOVED).length, 0, 'alice removed while a tab remains');

    tab2.unsubscribe(name);
    await eventually(() => watcher.heard.events(name, MEMBER_REMOVED).length === 1);
    assert.deepEqual(watcher.heard.events(name, MEMBER_REMOVED)[0].data, { user_id: alice });
    await throughout(() => watcher.heard.events(name, MEMBER_REMOVED).length === 1, QUIET_MS, 'one member_removed');
  });

  test('a user_id sent as a JSON number (Laravel) is the member of its string form', LIMIT, async () => {
    const name = unique('presence-laravel-');
    const id = 100000 + Math.floor(Math.random() * 800000);
    const signer = sdk(server);
    const watcher = await subscribed(name, { user: unique('w') });
    const numeric = client({
      authorize: (socketId, channel) => signer.authorizeChannel(socketId, channel, { user_id: id, user_info: { id, name: 'Taylor' } }),
    });
    assert.ok((await subscribe(numeric, name)).ok);
    assert.deepEqual(numeric.heard.events(name, SUCCEEDED)[0].data.presence.hash[String(id)], { id, name: 'Taylor' });
    await eventually(() => watcher.heard.events(name, MEMBER_ADDED).length === 1);
    assert.deepEqual(watcher.heard.events(name, MEMBER_ADDED)[0].data, { user_id: String(id), user_info: { id, name: 'Taylor' } });

    const sameAsString = client({
      authorize: (socketId, channel) => signer.authorizeChannel(socketId, channel, { user_id: String(id), user_info: { id, name: 'Taylor' } }),
    });
    assert.ok((await subscribe(sameAsString, name)).ok);
    await fence(name, watcher);
    await sleep(QUIET_MS);
    assert.equal(watcher.heard.events(name, MEMBER_ADDED).length, 1, '42 and "42" are one user');
    const users = await getJson(api, `/channels/${name}/users`);
    assert.deepEqual(users.users.map((u) => u.id).sort(), [String(id), watcher.channel(name).members.me.id].sort());
  });

  test('client events on a presence channel carry a top-level user_id, go to the others and not back', LIMIT, async () => {
    const name = unique('presence-chat-');
    const alice = unique('alice');
    const a = await subscribed(name, { user: alice });
    const b = await subscribed(name, { user: unique('bob') });
    const got = [];
    b.channel(name).bind('client-typing', (data, metadata) => got.push({ data, metadata }));
    a.channel(name).trigger('client-typing', { typing: true });
    await eventually(() => got.length === 1);
    assert.deepEqual(got[0], { data: { typing: true }, metadata: { user_id: alice } });
    assert.equal(b.heard.events(name, 'client-typing')[0].user_id, alice);
    await fence(name, a);
    assert.equal(a.heard.events(name, 'client-typing').length, 0);
  });

  test('a bad presence signature, or channel_data other than the signed one: 401', LIMIT, async () => {
    const name = unique('presence-guarded-');
    const socket = raw();
    const { socket_id: socketId } = await socket.established();
    const signed = JSON.stringify({ user_id: 'mallory' });
    const auth = `${APP.key}:${hmac(APP.secret, `${socketId}:${name}:${signed}`)}`;
    socket.send({ event: 'pusher:subscribe', data: { channel: name, auth, channel_data: JSON.stringify({ user_id: 'admin' }) } });
    const error = await socket.next((m) => m.event === 'pusher:subscription_error');
    assert.equal(JSON.parse(error.data).status, 401);
    socket.send({ event: 'pusher:subscribe', data: { channel: name, auth, channel_data: signed } });
    await socket.next((m) => m.event === SUCCEEDED && m.channel === name);
  });
});

describe('the HTTP API', () => {
  const token = unique('api');
  const pub = `pub-${token}`;
  const presence = `presence-${token}`;
  let alice;
  let bob;

  before(async () => {
    alice = unique('alice');
    bob = unique('bob');
    await subscribed(pub);
    await subscribed(presence, { user: alice });
    await subscribed(presence, { user: alice });
    await subscribed(presence, { user: bob });
  });

  test('GET channels: the occupied channels, filter_by_prefix, and info=user_count for presence- prefixes only', LIMIT, async () => {
    assert.deepEqual(await getJson(api, '/channels', { filter_by_prefix: `presence-${token}` }),
      { channels: { [presence]: {} } });
    assert.deepEqual(await getJson(api, '/channels', { filter_by_prefix: `presence-${token}`, info: 'user_count' }),
      { channels: { [presence]: { user_count: 2 } } });
    assert.deepEqual(await getJson(api, '/channels', { filter_by_prefix: `pub-${token}` }), { channels: { [pub]: {} } });
    const all = await getJson(api, '/channels');
    assert.ok(all.channels[pub] && all.channels[presence], JSON.stringify(all));
    assert.equal(await statusOf(api.get({ path: '/channels', params: { filter_by_prefix: 'pub-', info: 'user_count' } })), 400);

    const gone = unique('empty-');
    const passer = await subscribed(gone);
    assert.ok((await getJson(api, '/channels', { filter_by_prefix: gone })).channels[gone]);
    passer.unsubscribe(gone);
    await eventually(async () => (await getJson(api, '/channels', { filter_by_prefix: gone })).channels[gone] === undefined,
      { message: 'an emptied channel is no longer listed' });
  });

  test('GET channels/{name}: occupied, user_count (presence only, else 400), subscription_count', LIMIT, async () => {
    assert.deepEqual(await getJson(api, `/channels/${presence}`, { info: 'user_count,subscription_count' }),
      { occupied: true, user_count: 2, subscription_count: 3 });
    assert.deepEqual(await getJson(api, `/channels/${pub}`, { info: 'subscription_count' }),
      { occupied: true, subscription_count: 1 });
    assert.deepEqual(await getJson(api, `/channels/${pub}`), { occupied: true });
    assert.deepEqual(await getJson(api, `/channels/${unique('nobody-')}`), { occupied: false });
    assert.equal(await statusOf(api.get({ path: `/channels/${pub}`, params: { info: 'user_count' } })), 400);
  });

  test('GET channels/{name}/users: the members of a presence channel, 400 for any other', LIMIT, async () => {
    const users = await getJson(api, `/channels/${presence}/users`);
    assert.deepEqual(users.users.map((u) => u.id).sort(), [alice, bob].sort());
    assert.deepEqual(Object.keys(users.users[0]), ['id']);
    assert.equal(await statusOf(api.get({ path: `/channels/${pub}/users` })), 400);
  });

  test('signatures: a fresh hand-made one passes; 700 s old, another secret, or a body not matching body_md5: 401', LIMIT, async () => {
    assert.equal((await signedRequest(server, 'GET', 'channels')).status, 200);
    assert.equal((await signedRequest(server, 'GET', 'channels', { timestamp: Math.floor(Date.now() / 1000) - 700 })).status, 401);
    assert.equal((await signedRequest(server, 'GET', 'channels', { timestamp: Math.floor(Date.now() / 1000) + 700 })).status, 401);
    assert.equal((await signedRequest(server, 'GET', 'channels', { secret: 'another-secret-0123456789' })).status, 401);
    assert.equal(await statusOf(sdk(server, { secret: 'another-secret-0123456789' }).trigger(pub, 'x', {})), 401);
    assert.equal(await statusOf(new PusherSdk({
      appId: APP.id, key: 'another-key', secret: APP.secret, host: '127.0.0.1', port: String(server.port), useTLS: false,
    }).trigger(pub, 'x', {})), 401);

    const channel = unique('signed-');
    const listener = await subscribed(channel);
    const body = { name: 'md5', channel, data: '{}' };
    assert.equal((await signedRequest(server, 'POST', 'events', { body, bodyMd5: 'f'.repeat(32) })).status, 401);
    assert.equal((await signedRequest(server, 'POST', 'events', { body, timestamp: Math.floor(Date.now() / 1000) - 700 })).status, 401);
    await fence(channel, listener);
    assert.equal(listener.heard.events(channel, 'md5').length, 0, 'a refused request delivered its event');
    assert.equal((await signedRequest(server, 'POST', 'events', { body })).status, 200);
    await eventually(() => listener.heard.events(channel, 'md5').length === 1);
  });

  test('query values the client percent-encoded (pusher-http-php, through Guzzle) are signed and read decoded', LIMIT, async () => {
    const answer = await signedRequest(server, 'GET', `channels/${presence}`,
      { params: { info: 'user_count,subscription_count' }, encoded: true });
    assert.equal(answer.status, 200, answer.body);
    assert.deepEqual(JSON.parse(answer.body), { occupied: true, user_count: 2, subscription_count: 3 });
    const listed = await signedRequest(server, 'GET', 'channels',
      { params: { filter_by_prefix: `presence-${token}`, info: 'user_count' }, encoded: true });
    assert.equal(listed.status, 200, listed.body);
    assert.deepEqual(JSON.parse(listed.body), { channels: { [presence]: { user_count: 2 } } });
    const tampered = await signedRequest(server, 'GET', `channels/${presence}`,
      { params: { info: 'user_count,subscription_count' }, encoded: true, secret: 'another-secret-0123456789' });
    assert.equal(tampered.status, 401);
  });

  test('channel names with ; , = and @ work in the paths of the HTTP API', LIMIT, async () => {
    const odd = `presence-${unique('odd')};a=b,c@d`;
    const plain = `${unique('odd')};x`;
    const member = await subscribed(odd, { user: unique('u') });
    await subscribed(odd, { user: unique('u') });
    const listener = await subscribed(plain);
    assert.deepEqual(await getJson(api, `/channels/${odd}`, { info: 'user_count,subscription_count' }),
      { occupied: true, user_count: 2, subscription_count: 2 });
    assert.equal((await getJson(api, `/channels/${odd}/users`)).users.length, 2);
    assert.deepEqual(await getJson(api, `/channels/${plain}`, { info: 'subscription_count' }),
      { occupied: true, subscription_count: 1 });
    assert.deepEqual(await getJson(api, `/channels/${plain.split(';')[0]}`), { occupied: false });
    await api.trigger([odd, plain], 'odd', {});
    await eventually(() => member.heard.events(odd, 'odd').length === 1 && listener.heard.events(plain, 'odd').length === 1);
  });

  test('limits: data up to 10 KiB (413 beyond), event names up to 200 characters (400 beyond)', LIMIT, async () => {
    const channel = unique('limits-');
    const post = (event) => statusOf(api.post({ path: '/events', body: { channel, ...event } }));
    assert.equal(await post({ name: 'big', data: 'x'.repeat(10 * 1024) }), 200);
    assert.equal(await post({ name: 'big', data: 'x'.repeat(10 * 1024 + 1) }), 413);
    assert.equal(await post({ name: 'big', data: 'é'.repeat(5 * 1024 + 1) }), 413, 'bytes, not characters');
    assert.equal(await post({ name: 'n'.repeat(200), data: '{}' }), 200);
    assert.equal(await post({ name: 'n'.repeat(201), data: '{}' }), 400);
    assert.equal(await statusOf(api.post({
      path: '/events', body: { name: 'many', data: '{}', channels: Array.from({ length: 101 }, (_, i) => `c${i}`) },
    })), 400);
  });
});

describe('limits and metrics', () => {
  /** A raw socket signed in as `user` with a good signature; its next answer to the sign-in. */
  async function signIn(user) {
    const socket = raw();
    const { socket_id: socketId } = await socket.established();
    const userData = JSON.stringify({ id: user });
    socket.send({ event: 'pusher:signin', data: { auth: `${APP.key}:${hmac(APP.secret, `${socketId}::user::${userData}`)}`, user_data: userData } });
    const answer = await socket.next((m) => m.event === 'pusher:signin_success' || m.event === 'pusher:error');
    return { socket, answer };
  }

  test('a user holds at most 10 sockets (PARLEY_MAX_CONNECTIONS_PER_USER): the 11th sign-in gets 4004, a presence member 429', LIMIT, async () => {
    const user = unique('busy');
    const held = [];
    for (let i = 0; i < 10; i++) {
      const { socket, answer } = await signIn(user);
      assert.equal(answer.event, 'pusher:signin_success', `sign-in ${i + 1}`);
      held.push(socket);
    }
    const { socket: eleventh, answer } = await signIn(user);
    assert.equal(answer.event, 'pusher:error');
    assert.equal(answer.data.code, 4004);
    assert.equal((await eleventh.closed()).code, 4004);

    const presence = unique('presence-busy-');
    const member = raw();
    const { socket_id: socketId } = await member.established();
    const channelData = JSON.stringify({ user_id: user });
    member.send({ event: 'pusher:subscribe', data: { channel: presence, channel_data: channelData, auth: `${APP.key}:${hmac(APP.secret, `${socketId}:${presence}:${channelData}`)}` } });
    const refused = await member.next((m) => m.event === 'pusher:subscription_error' || m.event === SUCCEEDED);
    assert.equal(refused.event, 'pusher:subscription_error');
    assert.equal(JSON.parse(refused.data).status, 429);

    // anonymous sockets count towards no user; a closed socket frees its user's slot
    const anonymous = raw();
    await anonymous.established();
    held[0].close();
    await eventually(async () => (await signIn(user)).answer.event === 'pusher:signin_success', {
      message: 'a freed slot', timeoutMs: 10000,
    });
  });

  test('/metrics counts the Pusher connections and frames under protocol="pusher"', LIMIT, async () => {
    const name = unique('private-metrics-');
    const a = await subscribed(name);
    const b = await subscribed(name);
    a.channel(name).trigger('client-x', {});
    await api.trigger(name, 'server-x', {});
    await eventually(() => b.heard.events(name, 'client-x').length === 1 && b.heard.events(name, 'server-x').length === 1);
    const text = await (await fetch(`${server.http}/metrics`)).text();
    const value = (line) => Number((text.split('\n').find((l) => l.startsWith(line)) ?? ' NaN').split(' ').pop());
    assert.ok(value('parley_connections{protocol="pusher"}') >= 2, text);
    assert.ok(value('parley_frames_in_total{protocol="pusher",type="client-event"}') >= 1);
    assert.ok(value('parley_frames_in_total{protocol="pusher",type="pusher:subscribe"}') >= 2);
    assert.ok(value('parley_frames_out_total{protocol="pusher",type="pusher:connection_established"}') >= 2);
    assert.ok(value('parley_frames_out_total{protocol="pusher",type="client-event"}') >= 1);
    assert.ok(value('parley_frames_out_total{protocol="pusher",type="event"}') >= 1);
  });
});

describe('user sign-in', () => {
  test('pusher:signin -> signin_success; #server-to-user-<id> subscribed; sendToUser reaches that user only', LIMIT, async () => {
    const alice = unique('alice');
    const a = client({ user: alice, info: { name: 'Alice' } });
    const b = client({ user: unique('bob') });
    await connected(a);
    await connected(b);
    a.signin();
    b.signin();
    const serverToUser = `#server-to-user-${alice}`;
    await eventually(() => a.heard.events(serverToUser, SUCCEEDED).length === 1, { message: 'server-to-user subscribed' });
    const success = a.heard.messages.find((m) => m.event === 'pusher:signin_success');
    assert.deepEqual(JSON.parse(success.data.user_data), { id: alice, user_info: { name: 'Alice' } });

    const got = [];
    a.user.bind('direct', (data) => got.push(data));
    await api.sendToUser(alice, 'direct', { hello: alice });
    await eventually(() => got.length === 1);
    assert.deepEqual(got[0], { hello: alice });
    await sleep(QUIET_MS);
    assert.equal(b.heard.messages.filter((m) => m.event === 'direct').length, 0);
  });

  test('#server-to-user-<id> without signing in as <id>: subscription_error 401', LIMIT, async () => {
    const socket = raw();
    await socket.established();
    const name = `#server-to-user-${unique('victim')}`;
    socket.send({ event: 'pusher:subscribe', data: { channel: name, auth: '' } });
    const error = await socket.next((m) => m.event === 'pusher:subscription_error' || m.event === SUCCEEDED);
    assert.equal(error.event, 'pusher:subscription_error');
    assert.equal(error.channel, name);
    assert.equal(JSON.parse(error.data).status, 401);
  });

  test('a presence member is its user: #server-to-user-<id> opens to it, terminate_connections closes it', LIMIT, async () => {
    const dana = unique('dana');
    const presence = unique('presence-only-');
    const member = raw();
    const { socket_id: socketId } = await member.established();
    const channelData = JSON.stringify({ user_id: dana });
    member.send({ event: 'pusher:subscribe', data: { channel: presence, channel_data: channelData, auth: `${APP.key}:${hmac(APP.secret, `${socketId}:${presence}:${channelData}`)}` } });
    await member.next((m) => m.event === SUCCEEDED && m.channel === presence);
    member.send({ event: 'pusher:subscribe', data: { channel: `#server-to-user-${dana}`, auth: '' } });
    await member.next((m) => m.event === SUCCEEDED && m.channel === `#server-to-user-${dana}`);
    const bystander = await subscribed(presence, { user: unique('erin') });

    await api.terminateUserConnections(dana);
    assert.equal((await member.closed()).code, 4009);
    await sleep(QUIET_MS);
    assert.equal(bystander.connection.state, 'connected');
  });

  test('a bad sign-in signature: pusher:error 4009, close 4009, and pusher-js does not reconnect', LIMIT, async () => {
    const socket = raw();
    const { socket_id: socketId } = await socket.established();
    const userData = JSON.stringify({ id: 'mallory' });
    socket.send({ event: 'pusher:signin', data: { auth: `${APP.key}:${hmac('wrong-secret-0123456789', `${socketId}::user::${userData}`)}`, user_data: userData } });
    const error = await socket.next((m) => m.event === 'pusher:error');
    assert.equal(error.data.code, 4009);
    assert.equal((await socket.closed()).code, 4009);

    const wrong = sdk(server, { secret: 'wrong-secret-0123456789' });
    const proxy = await FreezingProxy.start(server.port);
    cleanups.push(() => proxy.close());
    const pusher = client({ port: proxy.port, authenticate: (id) => wrong.authenticateUser(id, { id: 'mallory' }) });
    await connected(pusher);
    pusher.signin();
    await eventually(() => pusher.heard.errorCodes().includes(4009), { message: '4009' });
    await eventually(() => pusher.connection.state === 'disconnected', { message: 'disconnected' });
    await throughout(() => proxy.accepted === 1 && pusher.connection.state === 'disconnected', 2000, 'no reconnect');
  });

  test('terminate_connections closes every socket signed in as that user (4009), and no other', LIMIT, async () => {
    const alice = unique('alice');
    const bob = unique('bob');
    const channel = unique('after-');
    const tabs = [client({ user: alice }), client({ user: alice })];
    const others = [client({ user: bob }), client({ user: unique('carol') })];
    for (const c of [...tabs, ...others]) await connected(c);
    for (const c of [...tabs, others[0]]) c.signin();
    for (const c of [...tabs, others[0]]) {
      await eventually(() => c.heard.messages.some((m) => m.event === 'pusher:signin_success'), { message: 'signed in' });
    }
    for (const c of others) assert.ok((await subscribe(c, channel)).ok);

    await api.terminateUserConnections(alice);
    for (const tab of tabs) {
      await eventually(() => tab.heard.errorCodes().includes(4009), { message: 'alice closed with 4009' });
      await eventually(() => tab.connection.state === 'disconnected', { message: 'alice stays disconnected' });
    }
    await api.trigger(channel, 'still-here', {});
    for (const other of others) {
      await eventually(() => other.heard.events(channel, 'still-here').length === 1);
      assert.equal(other.connection.state, 'connected');
      assert.deepEqual(other.heard.errorCodes(), []);
    }
    await sleep(QUIET_MS);
    for (const tab of tabs) assert.equal(tab.connection.state, 'disconnected');
  });
});
