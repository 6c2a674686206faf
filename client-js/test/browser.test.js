// The demo page (index.html on parley.js) in headless Chromium against the real server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ParleyClient } from '../parley.js';
import {
  assertPagePolicy, CHROMIUM, launchChromium, requireChromium, shot, watchCsp,
} from './browser-support.js';
import { eventually, TestServer, throughout } from './support.js';

const available = requireChromium('demo page');

/** How many messages with exactly this text the page shows. */
function countText(page, text) {
  return page.$$eval('.message .text', (nodes, t) => nodes.filter((n) => n.textContent === t).length, text);
}

async function markOf(page, text) {
  return page.$$eval('.message', (nodes, t) => {
    const node = nodes.find((n) => n.querySelector('.text').textContent === t);
    return node ? node.dataset.state : null;
  }, text);
}

describe('the demo chat page in headless Chromium', { skip: !available && `${CHROMIUM} missing` }, () => {
  let server;
  let browser;
  /** Every Content Security Policy violation of any page opened by `open`, until checked. */
  let csp;
  const open = (options) => csp.open(options);
  const assertNoCspViolation = () => csp.assertNone();

  before(async () => {
    server = await TestServer.start();
    browser = await launchChromium();
    csp = watchCsp(browser);
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  test('two people chat, see each other online and typing, and a server restart loses and repeats nothing', async () => {
    const alice = await (await open({ viewport: { width: 960, height: 640 } })).newPage();
    const bob = await (await open({ viewport: { width: 390, height: 720 }, isMobile: true, hasTouch: true })).newPage();
    const problems = [];
    for (const page of [alice, bob]) {
      page.on('pageerror', (e) => problems.push(e.message));
    }

    // 1. choose a name (the page comes with its policy: scripts and connections from its own origin only)
    assertPagePolicy(await alice.goto(server.http + '/'));
    await alice.fill('[data-testid="name-input"]', 'Alice');
    await shot(alice, '01-choose-a-name');
    await alice.click('[data-testid="login-button"]');
    await bob.goto(server.http + '/');
    await bob.fill('[data-testid="name-input"]', 'Bob');
    await bob.click('[data-testid="login-button"]');

    // 2. both in #lobby, each sees the other online
    const members = (page) => page.$$eval('[data-testid="members"] li', (nodes) => nodes.map((n) => n.textContent));
    await eventually(async () => (await members(alice)).join() === 'Alice (you),Bob', { message: 'alice sees bob online' });
    await eventually(async () => (await members(bob)).join() === 'Alice,Bob (you)', { message: 'bob sees alice online' });
    assert.equal(await alice.getAttribute('[data-testid="connection"]', 'data-state'), 'connected');
    await shot(alice, '02-online-alice');
    await shot(bob, '02-online-bob-phone');

    // 3. bob types; alice sees it
    await bob.click('[data-testid="message-input"]');
    await bob.keyboard.type('Hello Al');
    await eventually(async () => (await alice.textContent('[data-testid="typing"]')) === 'Bob is typing…',
      { message: 'alice sees bob typing' });
    await shot(alice, '03-typing');

    // 4. they chat; marks turn to acked
    await bob.keyboard.type('ice! <b>not bold</b>');
    await bob.click('[data-testid="send-button"]');
    await alice.fill('[data-testid="message-input"]', 'Hi Bob');
    await alice.click('[data-testid="send-button"]');
    for (const page of [alice, bob]) {
      await eventually(async () => (await countText(page, 'Hello Alice! <b>not bold</b>')) === 1
        && (await countText(page, 'Hi Bob')) === 1, { message: 'both messages shown' });
    }
    await eventually(async () => (await markOf(alice, 'Hi Bob')) === 'acked', { message: 'alice\'s mark acked' });
    assert.equal(await alice.$$eval('.message b', (nodes) => nodes.length), 0, 'user text is never HTML');
    assert.equal(await alice.textContent('[data-testid="typing"]'), '', 'typing cleared by the message');
    await shot(alice, '04-chat');

    // 5. the server goes down: both pages count down to the next attempt; alice writes anyway
    await server.stop();
    for (const page of [alice, bob]) {
      await eventually(async () => (await page.getAttribute('[data-testid="connection"]', 'data-state')) === 'reconnecting',
        { message: 'reconnecting shown' });
    }
    await alice.fill('[data-testid="message-input"]', 'Sent while the server was down');
    await alice.click('[data-testid="send-button"]');
    assert.equal(await markOf(alice, 'Sent while the server was down'), 'pending');
    await eventually(async () => /offline/.test(await alice.textContent('[data-testid="connection"]')));
    await shot(alice, '05-server-down-pending');

    // 6. a new server on the same port: the message arrives once on both pages, and is acked
    await server.startAgain();
    for (const page of [alice, bob]) {
      await eventually(async () => (await countText(page, 'Sent while the server was down')) === 1,
        { timeoutMs: 40000, message: 'the outage message shown' });
      await eventually(async () => (await page.getAttribute('[data-testid="connection"]', 'data-state')) === 'connected',
        { message: 'connected again' });
    }
    await eventually(async () => (await markOf(alice, 'Sent while the server was down')) === 'acked',
      { message: 'the outage message acked' });
    await eventually(async () => (await members(bob)).join() === 'Alice,Bob (you)', { message: 'presence back' });
    // nothing arrives twice, not even late
    await throughout(async () => {
      for (const page of [alice, bob]) {
        for (const text of ['Sent while the server was down', 'Hi Bob', 'Hello Alice! <b>not bold</b>']) {
          if ((await countText(page, text)) !== 1) return false;
        }
      }
      return true;
    }, 500, 'every message shown once');
    await shot(alice, '06-after-restart-alice');
    await shot(bob, '06-after-restart-bob-phone');
    assert.deepEqual(problems, []);
    // the page, its WebSocket to its own origin included, lives within its policy
    assertNoCspViolation();
  });

  test('older history loads when scrolling up, in order, until the beginning of the room', async () => {
    const seeder = new ParleyClient({ url: server.url, user: 'seeder', name: 'Seeder' });
    try {
      await seeder.connect();
      await seeder.join('history-room');
      // one at a time, so that a chat retried after rate_limited keeps its place
      for (let i = 1; i <= 45; i++) await seeder.send('history-room', `h${i}`);
    } finally {
      seeder.close();
    }
    const carol = await (await open({ viewport: { width: 960, height: 640 } })).newPage();
    await carol.goto(`${server.http}/?room=history-room`);
    await carol.fill('[data-testid="name-input"]', 'Carol');
    await carol.click('[data-testid="login-button"]');
    const texts = () => carol.$$eval('.room-messages[data-room="history-room"] .message .text', (n) => n.map((x) => x.textContent));
    await eventually(async () => (await texts()).length === 30, { message: 'the newest page shown' });
    assert.deepEqual((await texts()).slice(0, 2), ['h16', 'h17']);
    assert.equal(await carol.$$eval('.status.start', (n) => n.length), 0);

    await carol.$eval('[data-testid="messages"]', (box) => { box.scrollTop = 0; });
    await eventually(async () => (await texts()).length === 45, { message: 'the older page shown' });
    assert.deepEqual(await texts(), Array.from({ length: 45 }, (_, i) => `h${i + 1}`));
    await eventually(async () => (await carol.$$eval('.status.start', (n) => n.length)) === 1);
    await carol.$eval('[data-testid="messages"]', (box) => { box.scrollTop = 0; });
    await shot(carol, '07-older-history');
    assertNoCspViolation();
  });

  test('the policy is enforced: an inline script is refused, and the check above sees it', async () => {
    const page = await (await open({ viewport: { width: 960, height: 640 } })).newPage();
    await page.goto(server.http + '/');
    await page.addScriptTag({ content: 'window.inlineScriptRan = true;' }).catch(() => {});
    assert.equal(await page.evaluate(() => window.inlineScriptRan), undefined, 'the inline script did not run');
    await eventually(async () => csp.violations.some((v) => v.startsWith('script-src')),
      { message: 'the violation reported', detail: () => JSON.stringify(csp.violations) });
    csp.violations.splice(0);
    await page.context().close();
  });

  test('a long display name without spaces stays inside the member list, on a desktop and on a phone', async () => {
    const room = `long-names-${Date.now()}`;
    const long = new ParleyClient({ url: server.url, user: 'long-name', name: 'M'.repeat(200) });
    try {
      await long.connect();
      await long.join(room);
      await long.send(room, 'hello from a long name');
      for (const [letter, options] of [
        ['W', { viewport: { width: 960, height: 640 } }],
        ['Q', { viewport: { width: 390, height: 720 }, isMobile: true, hasTouch: true }],
      ]) {
        const context = await open(options);
        const page = await context.newPage();
        await page.goto(`${server.http}/?room=${room}`);
        await page.fill('[data-testid="name-input"]', letter.repeat(200));
        await page.click('[data-testid="login-button"]');
        await eventually(async () => (await page.$$('[data-testid="members"] li')).length === 2,
          { message: 'both long names listed' });
        await eventually(async () => (await countText(page, 'hello from a long name')) === 1);
        const layout = await page.evaluate(() => {
          const inside = (inner, outer) => inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5;
          const list = document.querySelector('[data-testid="members"]');
          const box = list.getBoundingClientRect();
          const side = document.querySelector('.side');
          const from = document.querySelector('.message .from');
          const bar = document.querySelector('.bar').getBoundingClientRect();
          const badge = document.querySelector('[data-testid="connection"]').getBoundingClientRect();
          return {
            items: [...list.querySelectorAll('li')].map((li) => ({
              text: li.textContent,
              fits: li.scrollWidth <= li.clientWidth,
              inside: inside(li.getBoundingClientRect(), box),
            })),
            listFits: list.scrollWidth <= list.clientWidth,
            sideFits: side.scrollWidth <= side.clientWidth,
            fromInside: from.scrollWidth <= from.clientWidth
              && inside(from.getBoundingClientRect(), from.parentElement.getBoundingClientRect()),
            badgeInside: inside(badge, bar),
            pageFits: document.documentElement.scrollWidth <= document.documentElement.clientWidth,
          };
        });
        const where = JSON.stringify({ viewport: options.viewport, layout });
        assert.equal(layout.items.length, 2);
        for (const item of layout.items) {
          assert.ok(item.fits && item.inside, `a member stays inside the list: ${where}`);
        }
        assert.ok(layout.items.some((item) => item.text.endsWith(' (you)')), `"(you)" still shown: ${where}`);
        assert.ok(layout.listFits && layout.sideFits, `the list does not scroll sideways: ${where}`);
        assert.ok(layout.fromInside, `a long sender name stays in its message: ${where}`);
        assert.ok(layout.badgeInside, `the connection badge stays in the bar: ${where}`);
        assert.ok(layout.pageFits, `the page does not scroll sideways: ${where}`);
        await shot(page, letter === 'W' ? '08-long-name' : '08-long-name-phone');
        await context.close();
      }
    } finally {
      long.close();
    }
    assertNoCspViolation();
  });

  test('a reopened page comes back to the room it was in, with its history', async () => {
    const room = `back-here-${Date.now()}`;
    const context = await open({ viewport: { width: 960, height: 640 } });
    const first = await context.newPage();
    await first.goto(server.http + '/');
    await first.fill('[data-testid="name-input"]', 'Dora');
    await first.click('[data-testid="login-button"]');
    await eventually(async () => (await first.getAttribute('[data-testid="connection"]', 'data-state')) === 'connected');
    await first.fill('[data-testid="room-input"]', room);
    await first.click('[data-testid="join-button"]');
    await first.fill('[data-testid="message-input"]', 'Said before closing');
    await first.click('[data-testid="send-button"]');
    await eventually(async () => (await markOf(first, 'Said before closing')) === 'acked', { message: 'stored' });
    await first.close();

    const again = await context.newPage();
    await again.goto(server.http + '/');
    assert.equal(await again.isHidden('[data-testid="login"]'), true, 'the name is remembered');
    assert.equal(await again.textContent('[data-testid="me"]'), 'Dora');
    await eventually(async () => (await again.getAttribute(`[data-testid="rooms"] button[data-room="${room}"]`,
      'aria-current')) === 'true', { message: 'back in the room' });
    const shown = `.room-messages[data-room="${room}"]`;
    await eventually(async () => (await again.$$eval(`${shown} .message .text`, (n) => n.map((x) => x.textContent)))
      .includes('Said before closing'), { message: 'its history shown' });
    assert.equal(await again.isVisible(shown), true);
    await eventually(async () => (await again.$$eval('[data-testid="members"] li', (n) => n.map((x) => x.textContent)))
      .join() === 'Dora (you)', { message: 'online in it' });

    // a reload too
    await again.reload();
    await eventually(async () => (await again.getAttribute(`[data-testid="rooms"] button[data-room="${room}"]`,
      'aria-current')) === 'true', { message: 'back in the room after a reload' });
    await context.close();
    assertNoCspViolation();
  });
});
