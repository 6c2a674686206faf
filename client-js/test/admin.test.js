// The operator's page (/admin on the operator API, docs/protocol.md section 10) in headless
// Chromium against the real server, with real Parley clients in the rooms it shows.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { ParleyClient } from '../parley.js';
import {
  assertPagePolicy, CHROMIUM, launchChromium, requireChromium, shot, watchCsp,
} from './browser-support.js';
import {
  eventually, record, TestServer, testServices, throughout,
} from './support.js';

const available = requireChromium('operator\'s page');
const services = await testServices();
if (services.missing.length && process.env.CI !== 'true') {
  const line = '!'.repeat(78);
  console.error(`\n${line}\n!! The operator's page across two nodes is SKIPPED: no ${services.missing.join(', no ')}.\n`
    + `!! Set PARLEY_TEST_POSTGRES_URL and PARLEY_TEST_REDIS_URL; with CI=true it fails instead.\n${line}\n`);
}
const ADMIN_KEY = 'admin-page-test-key';
const WAIT = { timeout: 20000 };
const DESKTOP = { viewport: { width: 1280, height: 860 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const FAST = { baseMs: 100, factor: 2, capMs: 400 };

let unique = 0;
/** A name no other test uses, so that the page's lists hold what this test made. */
function fresh(prefix) {
  unique += 1;
  return `${prefix}-${Date.now().toString(36)}-${unique}`;
}

describe('the operator\'s page (/admin) in headless Chromium', { skip: !available && `${CHROMIUM} missing` }, () => {
  let server;
  let browser;
  let csp;
  const cleanups = [];
  /** Uncaught errors of any page: none expected. */
  const problems = [];

  before(async () => {
    server = await TestServer.start(['--admin-key', ADMIN_KEY]);
    browser = await launchChromium();
    csp = watchCsp(browser);
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  /** A page of its own context (its own session storage) on /admin of `node`. */
  async function adminPage(options = DESKTOP, node = server) {
    const context = await csp.open(options);
    cleanups.push(() => context.close());
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    const served = await page.goto(`${node.http}/admin`);
    assert.equal(served.status(), 200);
    return { page, served };
  }

  async function logIn(page, key = ADMIN_KEY) {
    await page.fill('[data-testid="key-input"]', key);
    await page.click('[data-testid="login-button"]');
  }

  async function loggedIn(options, node = server) {
    const { page } = await adminPage(options, node);
    await logIn(page);
    await page.locator('[data-testid="dashboard"]').waitFor({ state: 'visible', ...WAIT });
    return page;
  }

  /** A real client of `node`, connected, in `rooms`; closed after the test. */
  async function member(user, name, rooms = [], node = server) {
    const client = new ParleyClient({ url: node.url, user, name, backoff: FAST });
    cleanups.push(() => client.close());
    const welcome = await client.connect();
    for (const room of rooms) await client.join(room);
    return { client, welcome };
  }

  const roomRow = (room) => `[data-testid="rooms"] button[data-room="${room}"]`;

  function assertClean() {
    csp.assertNone();
    assert.deepEqual(problems.splice(0), [], 'no uncaught error on the page');
  }

  test('a wrong key is refused: the page says so and shows nothing from the API', async () => {
    const room = fresh('not-for-strangers');
    await member(fresh('someone'), 'Someone', [room]);
    const { page, served } = await adminPage();
    // the page itself needs no key, and comes with the policy of every page of the server
    assertPagePolicy(served);

    await logIn(page, 'not-the-key');
    const error = page.locator('[data-testid="login-error"]');
    await error.waitFor({ state: 'visible', ...WAIT });
    assert.match(await error.textContent(), /the key was refused/i);
    assert.equal(await page.isHidden('[data-testid="dashboard"]'), true);
    assert.equal(await page.locator('[data-testid="nodes"] li, [data-testid="rooms"] li').count(), 0);
    assert.equal((await page.content()).includes(room), false, 'no room name anywhere in the page');
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'a refused key is not kept');

    // a key kept from before that the server no longer takes: refused as well, at once
    await page.evaluate(() => sessionStorage.setItem('parley-admin-key', 'an-old-key'));
    await page.reload();
    await error.waitFor({ state: 'visible', ...WAIT });
    assert.match(await error.textContent(), /the key was refused/i);
    assert.equal(await page.isHidden('[data-testid="dashboard"]'), true);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('parley-admin-key')), null);
    assertClean();
  });

  test('with the key: a room appears as a client joins it, with its members, and a chat arrives in its live trace', async () => {
    const room = fresh('ops');
    const page = await loggedIn();

    // the node this page talks to, with its figures
    await page.locator('[data-testid="node"]').first().waitFor(WAIT);
    assert.ok(await page.locator('[data-testid="node"]').count() >= 1);

    const alice = fresh('alice');
    await member(alice, 'Alice', [room]);
    await page.fill('[data-testid="room-search"]', room);
    await page.locator(roomRow(room)).waitFor(WAIT);
    await page.waitForFunction((selector) => document.querySelector(selector)?.querySelector('.room-members')
      ?.textContent === '1', roomRow(room), WAIT);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="node"] [data-field="connections"]')]
      .some((cell) => Number(cell.textContent) >= 1), null, WAIT);

    await page.click(roomRow(room));
    await page.locator('[data-testid="room-members"] button', { hasText: `Alice (${alice})` }).waitFor(WAIT);
    await page.locator('[data-testid="trace-state"][data-state="live"]').waitFor(WAIT);

    // a second member: the trace shows the presence event, the members list grows
    const bob = fresh('bob');
    await member(bob, 'Bob', [room]);
    await page.locator('[data-testid="trace-event"][data-type="presence"]', { hasText: `Bob (${bob}) joined` })
      .waitFor(WAIT);
    await page.locator('[data-testid="room-members"] button', { hasText: `Bob (${bob})` }).waitFor(WAIT);

    // a chat, as it passes (and its HTML stays text)
    const { client } = await member(fresh('carol'), 'Carol', [room]);
    await client.send(room, 'deploy <b>finished</b>');
    const chat = page.locator('[data-testid="trace-event"][data-type="chat"]', { hasText: 'deploy <b>finished</b>' });
    await chat.waitFor(WAIT);
    assert.match(await chat.textContent(), /#1 Carol \(carol-[^)]+\): deploy <b>finished<\/b>/);
    assert.equal(await page.locator('[data-testid="trace"] b').count(), 0, 'API text is never HTML');
    await page.waitForFunction(() => document.querySelector('[data-testid="room-last-seq"]').textContent === '1',
      null, WAIT);
    await page.waitForFunction((selector) => document.querySelector(selector)?.querySelector('.room-seq')
      ?.textContent === '1', roomRow(room), WAIT);
    // a member's connections, one click away
    await page.click(`[data-testid="room-members"] button[data-user="${alice}"]`);
    await page.locator('[data-testid="connection"]', { hasText: `rooms: ${room}` }).waitFor(WAIT);
    assert.equal(await page.inputValue('[data-testid="user-input"]'), alice);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
      true, 'nothing scrolls sideways');
    await shot(page, 'admin-desktop', { fullPage: true });

    // another room: the first room's trace is aborted and its events are not shown any more
    const other = fresh('other');
    await member(fresh('dora'), 'Dora', [other]);
    const aborted = page.waitForEvent('requestfailed', {
      predicate: (request) => request.url().endsWith(`/api/rooms/${room}/trace`), ...WAIT,
    });
    await page.fill('[data-testid="room-search"]', other);
    await page.click(roomRow(other));
    await aborted;
    await page.locator('[data-testid="trace-state"][data-state="live"]').waitFor(WAIT);
    await client.send(room, 'said in the first room');
    await client.send(room, 'and again');
    const { client: erik } = await member(fresh('erik'), 'Erik', [other]);
    await erik.send(other, 'said in the other room');
    await page.locator('[data-testid="trace-event"]', { hasText: 'said in the other room' }).waitFor(WAIT);
    assert.equal(await page.locator('[data-testid="trace-event"]', { hasText: 'first room' }).count(), 0);
    assert.equal(await page.locator('[data-testid="trace-event"]', { hasText: 'deploy' }).count(), 0);
    assertClean();
  });

  test('disconnecting a user closes each of their connections with 4003, and their clients do not reconnect', async () => {
    const dave = fresh('dave');
    const room = fresh('dave-room');
    const first = await member(dave, 'Dave', [room]);
    const second = await member(dave, 'Dave');
    const heard = [record(first.client), record(second.client)];
    const page = await loggedIn();

    await page.fill('[data-testid="user-input"]', dave);
    await page.click('[data-testid="user-button"]');
    const connections = page.locator('[data-testid="connection"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="connection"]').length === 2, null, WAIT);
    const ids = await connections.locator('.conn-id').allTextContents();
    assert.deepEqual(ids.sort(), [first.welcome.connectionId, second.welcome.connectionId].sort());
    assert.equal(await connections.filter({ hasText: `rooms: ${room}` }).count(), 1);
    assert.equal(await page.textContent('[data-testid="disconnect-button"]'), 'Disconnect all 2');

    await page.click('[data-testid="disconnect-button"]');
    await page.locator('[data-testid="user-note"]', { hasText: 'Closed 2 connections' }).waitFor(WAIT);
    for (const client of [first.client, second.client]) {
      await eventually(() => client.state === 'closed', { message: 'the client closed' });
      assert.equal(client.connection.closeCode, 4003);
    }
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="connection"]').length === 0, null, WAIT);
    // not reconnecting: no new connection of dave, on the page or in the clients, over several polls
    await throughout(async () => heard.every((h) => h.count('reconnecting') === 0 && h.count('connecting') === 0)
      && (await connections.count()) === 0, 5000, 'dave stays disconnected');
    assertClean();
  });

  test('a server message published from the page reaches the room\'s members from "system"', async () => {
    const room = fresh('news');
    const { client } = await member(fresh('fay'), 'Fay', [room]);
    const heard = record(client);
    const page = await loggedIn();

    await page.fill('[data-testid="publish-room"]', room);
    await page.fill('[data-testid="publish-text"]', 'maintenance at 18:00');
    await page.click('[data-testid="publish-button"]');
    await page.locator('[data-testid="publish-note"]', { hasText: `Stored in ${room} as #1.` }).waitFor(WAIT);
    await eventually(() => heard.chats.length === 1, { message: 'the member got it' });
    assert.equal(heard.chats[0].text, 'maintenance at 18:00');
    assert.equal(heard.chats[0].from.id, 'system');
    assert.equal(await page.inputValue('[data-testid="publish-text"]'), '', 'the text is cleared');
    assertClean();
  });

  test('logging out forgets the key and empties the page', async () => {
    const room = fresh('gone');
    await member(fresh('gus'), 'Gus', [room]);
    const page = await loggedIn();
    await page.fill('[data-testid="room-search"]', room);
    await page.locator(roomRow(room)).waitFor(WAIT);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('parley-admin-key')), ADMIN_KEY);

    await page.click('[data-testid="logout-button"]');
    await page.locator('[data-testid="login"]').waitFor({ state: 'visible', ...WAIT });
    assert.equal(await page.isHidden('[data-testid="dashboard"]'), true);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('parley-admin-key')), null);
    assert.equal((await page.content()).includes(room), false, 'nothing from the API is left');
    await page.reload();
    await page.locator('[data-testid="login"]').waitFor({ state: 'visible', ...WAIT });
    assert.equal(await page.isHidden('[data-testid="dashboard"]'), true, 'a reload asks for the key again');
    assertClean();
  });

  test('on a phone-sized screen the panels stack, long names end in an ellipsis, and nothing scrolls sideways', async () => {
    const room = fresh('a-room-with-a-long-name').padEnd(128, 'x');
    const user = fresh('a-user-with-a-long-id').padEnd(128, 'y');
    await member(user, 'N'.repeat(64), [room]);
    const page = await loggedIn(PHONE);

    await page.fill('[data-testid="room-search"]', room.slice(0, 40));
    await page.locator(roomRow(room)).waitFor(WAIT);
    await page.click(roomRow(room));
    await page.locator('[data-testid="room-members"] button').first().waitFor(WAIT);
    await page.locator('[data-testid="trace-state"][data-state="live"]').waitFor(WAIT);
    await page.click('[data-testid="room-members"] button'); // a member: their connections
    await page.locator('[data-testid="connection"]').waitFor(WAIT);
    await page.evaluate(() => window.scrollTo(0, 0));

    const layout = await page.evaluate(() => {
      const root = document.documentElement;
      const box = (selector) => document.querySelector(selector).getBoundingClientRect();
      const inside = (inner, outer) => inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5;
      const clipped = (selector) => {
        const node = document.querySelector(selector);
        return node.scrollWidth > node.clientWidth && getComputedStyle(node).textOverflow === 'ellipsis';
      };
      const panels = [...document.querySelectorAll('.panel')].map((p) => p.getBoundingClientRect());
      return {
        pageFits: root.scrollWidth <= root.clientWidth,
        panelsInside: panels.every((p) => p.left >= 0 && p.right <= root.clientWidth + 0.5),
        stacked: panels.every((p, i) => i === 0 || (p.top >= panels[i - 1].bottom - 0.5 && Math.abs(p.left - panels[0].left) < 1)),
        roomInList: inside(box('[data-testid="rooms"] button .name'), box('[data-testid="rooms"] button')),
        roomClipped: clipped('[data-testid="rooms"] button .name'),
        roomTitleClipped: clipped('[data-testid="room-name"]'),
        memberInPanel: inside(box('[data-testid="room-members"] button'), box('[data-testid="room-panel"]')),
        userClipped: clipped('[data-testid="user-id"]'),
        disconnectInPanel: inside(box('[data-testid="disconnect-button"]'), box('.user-panel')),
      };
    });
    const where = JSON.stringify(layout);
    for (const [check, holds] of Object.entries(layout)) assert.equal(holds, true, `${check}: ${where}`);
    await shot(page, 'admin-phone', { fullPage: true });
    assertClean();
  });

  const noServices = services.missing.length > 0 && process.env.CI !== 'true';
  describe('across two nodes on one Redis', { skip: noServices ? `no ${services.missing.join(', no ')}` : false }, () => {
    const nodes = [];

    before(async () => {
      assert.deepEqual(services.missing, [], 'PostgreSQL and Redis for the two-node test (CI=true)');
      const prefix = fresh('admin-page-node');
      for (const letter of ['a', 'b']) {
        nodes.push(await TestServer.start(['--admin-key', ADMIN_KEY, '--node-id', `${prefix}-${letter}`,
          '--postgres-url', services.postgresUrl, '--redis-url', services.redisUrl]));
        nodes.at(-1).id = `${prefix}-${letter}`;
      }
    });

    after(async () => {
      for (const node of nodes) await node.stop();
    });

    test('the page on one node shows both nodes, a room and a chat of a client of the other, and disconnects that client with 4003', async () => {
      const [a, b] = nodes;
      const room = fresh('cluster-room');
      const user = fresh('remote');
      const remote = await member(user, 'Remote', [room], b);
      const page = await loggedIn(DESKTOP, a);

      for (const node of nodes) {
        await page.locator('[data-testid="node"] .node-id', { hasText: node.id }).waitFor(WAIT);
      }
      await page.fill('[data-testid="room-search"]', room);
      await page.click(roomRow(room));
      await page.locator('[data-testid="room-members"] button', { hasText: `Remote (${user})` }).waitFor(WAIT);
      await page.locator('[data-testid="trace-state"][data-state="live"]').waitFor(WAIT);
      await remote.client.send(room, 'stored through the other node');
      await page.locator('[data-testid="trace-event"][data-type="chat"]', { hasText: 'stored through the other node' })
        .waitFor(WAIT);

      await page.click(`[data-testid="room-members"] button[data-user="${user}"]`);
      await page.locator('[data-testid="connection"]', { hasText: `on ${b.id}` }).waitFor(WAIT);
      await page.click('[data-testid="disconnect-button"]');
      await page.locator('[data-testid="user-note"]', { hasText: 'Closed 1 connection' }).waitFor(WAIT);
      await eventually(() => remote.client.state === 'closed', { message: 'the remote client closed' });
      assert.equal(remote.client.connection.closeCode, 4003);
      assertClean();
    });
  });
});
