// Test support for the pages in headless Chromium: where Chromium is, its launch, Content
// Security Policy violations watched on every page, screenshots.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

export const CHROMIUM = process.env.PARLEY_CHROMIUM || '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);

/**
 * Without Chromium, the browser tests of `what` are skipped with a loud message, or fail with
 * CI=true. Call it once at the top of a test file; skip the file's tests when it returns false.
 */
export function requireChromium(what) {
  if (chromiumAvailable) return true;
  if (process.env.CI === 'true') {
    test(`the ${what} tests have Chromium (CI=true)`, () => {
      assert.fail(`${CHROMIUM} is missing and CI=true: install chromium (apt-get install -y chromium)`);
    });
  } else {
    const line = '!'.repeat(78);
    console.error(`\n${line}\n!! ${CHROMIUM} is missing: the browser tests of the ${what} are SKIPPED.\n`
      + `!! Install it (apt-get install -y chromium) or set PARLEY_CHROMIUM; with CI=true they fail instead.\n${line}\n`);
  }
  return false;
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * Browser contexts whose pages report each CSP violation (the `securitypolicyviolation`
 * event, and Chromium's console message about it) into `violations`.
 */
export function watchCsp(browser) {
  const violations = [];
  return {
    violations,
    async open(options) {
      const context = await browser.newContext(options);
      await context.exposeBinding('parleyTestCspViolation', (_source, text) => { violations.push(text); });
      await context.addInitScript(() => {
        window.addEventListener('securitypolicyviolation', (e) => {
          window.parleyTestCspViolation(`${e.effectiveDirective}: ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
        }, true);
      });
      context.on('page', (page) => page.on('console', (message) => {
        if (/content.security.policy/i.test(message.text())) violations.push(`console: ${message.text()}`);
      }));
      return context;
    },
    /** Fails if any page broke the Content Security Policy since the last check. */
    assertNone() {
      assert.deepEqual(violations.splice(0), [], 'no Content Security Policy violation');
    },
  };
}

/** The directives every HTML page of the server must have, and what it must not allow. */
export function assertPagePolicy(response) {
  const policy = response.headers()['content-security-policy'] || '';
  for (const directive of ["script-src 'self'", "connect-src 'self'", "style-src 'self'", "object-src 'none'"]) {
    assert.ok(policy.split(';').map((d) => d.trim()).includes(directive), `CSP has ${directive}: ${policy}`);
  }
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
  assert.equal(response.headers()['x-content-type-options'], 'nosniff');
}

const SHOTS = [fileURLToPath(new URL('../target/screenshots/', import.meta.url))];
if (process.env.PARLEY_UPDATE_SCREENSHOTS === '1') {
  SHOTS.push(fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)));
}

/** A screenshot into target/screenshots/, and into docs/screenshots/ with PARLEY_UPDATE_SCREENSHOTS=1. */
export async function shot(page, name, options = {}) {
  for (const dir of SHOTS) {
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ ...options, path: `${dir}${name}.png` });
  }
}
