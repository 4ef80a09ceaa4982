// Debian's Chromium, headless, with the flags this closed network needs.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

export const SCREENSHOTS = new URL('../screenshots/', import.meta.url).pathname;
mkdirSync(SCREENSHOTS, { recursive: true });

// backForwardCache: keep Chromium's back/forward cache on, as on a phone
// (Playwright turns it off by default).
export async function launch({ backForwardCache = false } = {}) {
  return chromium.launch({
    ignoreDefaultArgs: backForwardCache ? ['--disable-back-forward-cache'] : [],
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A phone-sized page that records every request host and every console error.
export async function phonePage(browser, { width = 360, height = 800, locale = 'th-TH' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  page.hosts = new Set();
  page.problems = [];
  page.on('request', (r) => page.hosts.add(new URL(r.url()).host));
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(m.text()); });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return { context, page };
}

export async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
