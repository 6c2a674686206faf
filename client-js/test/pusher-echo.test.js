// Laravel Echo 2.5.0 (broadcaster 'pusher', with pusher-js 8.6.0) against the Pusher front door,
// configured as a Laravel app would be but for the host, and its server side played by the
// `pusher` SDK as Laravel's pusher broadcaster plays it (docs/pusher.md, "Migrating").
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Echo from 'laravel-echo';
import { eventually } from './support.js';
import { APP, LIMIT, Pusher, sdk, sleep, startPusherServer, unique } from './pusher-support.js';

let server;
let api;
const cleanups = [];
before(async () => {
  server = await startPusherServer();
  api = sdk(server);
});
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await server?.stop();
});

/**
 * An Echo of a signed-in Laravel user `{id, name}` (ids are integers, as Laravel sends them):
 * the authorizer (or channelAuthorization's customHandler) stands in for POST /broadcasting/auth.
 * `secret` signs (a wrong one: refused).
 */
function echo(user, { secret = APP.secret, channelAuthorization = false, broadcaster = 'pusher' } = {}) {
  const signer = sdk(server, { secret });
  const sign = (socketId, name) => signer.authorizeChannel(socketId, name,
    name.startsWith('presence-') ? { user_id: user.id, user_info: user } : undefined);
  // Laravel's docs show `authorizer`; pusher-js 8 also takes channelAuthorization.customHandler
  const authorization = channelAuthorization
    ? {
      channelAuthorization: {
        customHandler: ({ socketId, channelName }, callback) => {
          try {
            callback(null, sign(socketId, channelName));
          } catch (e) {
            callback(e, null);
          }
        },
      },
    }
    : {
      authorizer: (channel) => ({
        authorize: (socketId, callback) => {
          try {
            callback(null, sign(socketId, channel.name));
          } catch (e) {
            callback(e, null);
          }
        },
      }),
    };
  const instance = new Echo({
    broadcaster,
    key: APP.key,
    ...(broadcaster === 'pusher' ? { cluster: 'mt1' } : {}),
    wsHost: '127.0.0.1',
    wsPort: server.port,
    forceTLS: false,
    enabledTransports: ['ws'],
    disableStats: true,
    withoutInterceptors: true,
    Pusher,
    ...authorization,
  });
  cleanups.push(() => instance.disconnect());
  return instance;
}

/** What one of the channel's callbacks (`subscribed`, `error`, ...) is called with first, within 20 s. */
function first(channel, callback) {
  return new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error(`no ${callback}() within 20 s`)), 20000).unref();
    channel[callback](resolve);
  });
}

function subscribed(channel) {
  return new Promise((resolve, reject) => {
    first(channel, 'subscribed').then(resolve, reject);
    channel.error((error) => reject(new Error(`subscription failed: ${JSON.stringify(error)}`)));
  });
}

let ids = 1000 + Math.floor(Math.random() * 1000000);
function laravelUser(name) {
  ids += 1;
  return { id: ids, name };
}

describe('Laravel Echo', () => {
  test(".channel(...).listen('.OrderShipped') hears a server trigger; listen('OrderShipped') hears App\\Events\\OrderShipped", LIMIT, async () => {
    const name = unique('orders-');
    const client = echo(laravelUser('Taylor'));
    const heard = [];
    const channel = client.channel(name)
      .listen('.OrderShipped', (e) => heard.push(['short', e]))
      .listen('OrderShipped', (e) => heard.push(['namespaced', e]));
    await subscribed(channel);
    await api.trigger(name, 'OrderShipped', { order: { id: 1 } });
    await api.trigger(name, 'App\\Events\\OrderShipped', { order: { id: 2 } });
    await eventually(() => heard.length === 2);
    assert.deepEqual(heard, [['short', { order: { id: 1 } }], ['namespaced', { order: { id: 2 } }]]);
  });

  test("broadcaster 'reverb' (a Laravel Reverb app's Echo, no cluster) works unchanged", LIMIT, async () => {
    const name = unique('reverb-');
    const client = echo(laravelUser('Taylor'), { broadcaster: 'reverb' });
    const heard = [];
    await subscribed(client.private(name).listen('.Moved', (e) => heard.push(e)));
    await api.trigger(`private-${name}`, 'Moved', { to: 'b' });
    await eventually(() => heard.length === 1);
    assert.deepEqual(heard, [{ to: 'b' }]);
  });

  test('.private(...) with the authorizer; toOthers() (socket_id = Echo.socketId()) leaves the sender out', LIMIT, async () => {
    const name = unique('orders.');
    const sender = echo(laravelUser('Taylor'));
    const other = echo(laravelUser('Abigail'));
    const senderHeard = [];
    const otherHeard = [];
    await subscribed(sender.private(name).listen('.OrderUpdated', (e) => senderHeard.push(e)));
    await subscribed(other.private(name).listen('.OrderUpdated', (e) => otherHeard.push(e)));
    await api.trigger(`private-${name}`, 'OrderUpdated', { status: 'paid' });
    await eventually(() => senderHeard.length === 1 && otherHeard.length === 1);
    await api.trigger(`private-${name}`, 'OrderUpdated', { status: 'shipped' }, { socket_id: sender.socketId() });
    await eventually(() => otherHeard.length === 2);
    await sleep(300);
    assert.deepEqual(senderHeard, [{ status: 'paid' }]);
    assert.deepEqual(otherHeard, [{ status: 'paid' }, { status: 'shipped' }]);
  });

  test('.private(...).error() gets status 401 when the authorization is not the server\'s', LIMIT, async () => {
    const client = echo(laravelUser('Mallory'), { secret: 'not-the-app-secret-0123' });
    const error = await first(client.private(unique('vault.')), 'error');
    assert.equal(error.status, 401);
    assert.equal(error.type, 'AuthError');
  });

  test('notifications: .private(App.Models.User.<id>).notification() hears BroadcastNotificationCreated', LIMIT, async () => {
    const user = laravelUser('Taylor');
    const client = echo(user);
    const heard = [];
    await subscribed(client.private(`App.Models.User.${user.id}`).notification((n) => heard.push(n)));
    await api.trigger(`private-App.Models.User.${user.id}`, 'Illuminate\\Notifications\\Events\\BroadcastNotificationCreated',
      { id: 'n-1', type: 'App\\Notifications\\InvoicePaid', amount: 42 });
    await eventually(() => heard.length === 1);
    assert.equal(heard[0].amount, 42);
  });

  test('.join(...): here() lists the members, joining() and leaving() each member once, with Laravel integer ids', LIMIT, async () => {
    const room = unique('chat.');
    const taylor = laravelUser('Taylor');
    const abigail = laravelUser('Abigail');
    const first = echo(taylor);
    const events = [];
    const firstChannel = first.join(room)
      .here((users) => events.push(['here', users]))
      .joining((user) => events.push(['joining', user]))
      .leaving((user) => events.push(['leaving', user]));
    await eventually(() => events.length === 1);
    assert.deepEqual(events[0], ['here', [taylor]]);

    const second = echo(abigail);
    const secondHere = [];
    second.join(room).here((users) => secondHere.push(users));
    await eventually(() => secondHere.length === 1 && events.length === 2);
    assert.deepEqual(secondHere[0].map((u) => u.id).sort(), [taylor.id, abigail.id].sort());
    assert.deepEqual(events[1], ['joining', abigail]);

    // Abigail in a second tab: nobody hears her join again
    const secondTab = echo(abigail);
    const tabHere = [];
    secondTab.join(room).here((users) => tabHere.push(users));
    await eventually(() => tabHere.length === 1);
    assert.equal(tabHere[0].length, 2);
    secondTab.leave(room);
    await sleep(500);
    assert.equal(events.length, 2, `one tab of two left: ${JSON.stringify(events)}`);

    second.leave(room);
    await eventually(() => events.length === 3);
    assert.deepEqual(events[2], ['leaving', abigail]);
    assert.equal(firstChannel.subscription.members.count, 1);
  });

  test('.whisper() / .listenForWhisper() on private and presence channels: client events to the others only', LIMIT, async () => {
    const taylor = laravelUser('Taylor');
    const abigail = laravelUser('Abigail');
    const a = echo(taylor);
    const b = echo(abigail, { channelAuthorization: true });
    for (const [open, name] of [['private', unique('typing.')], ['join', unique('room.')]]) {
      const heardByA = [];
      const heardByB = [];
      const channelA = a[open](name).listenForWhisper('typing', (e) => heardByA.push(e));
      const channelB = b[open](name).listenForWhisper('typing', (e) => heardByB.push(e));
      await Promise.all([subscribed(channelA), subscribed(channelB)]);
      channelA.whisper('typing', { name: taylor.name });
      await eventually(() => heardByB.length === 1, { message: `whisper on ${open}` });
      assert.deepEqual(heardByB, [{ name: taylor.name }]);
      channelB.whisper('typing', { name: abigail.name });
      await eventually(() => heardByA.length === 1, { message: `whisper back on ${open}` });
      await sleep(200);
      assert.deepEqual(heardByA, [{ name: abigail.name }], 'a whisper came back to its sender');
      assert.equal(heardByB.length, 1);
    }
  });
});
