// The HTML viewer in a real browser: Debian's chromium driven by playwright-core. ctest runs it as
// `viewer_browser` (tests/CMakeLists.txt) with the pages fsmgen just emitted:
//
//   FSMGEN_TCP_HTML   the page of spec/tcp.fsm      FSMGEN_DOOR_HTML  the page of tests/specs/door.fsm
//   FSMGEN_TCPFSM     tcpfsm, whose `simulate --json` trace (two endpoints) is played back
//   FSMGEN_SCREENSHOTS a folder for the PNGs that docs/diagrams.md shows (optional)
//   CHROMIUM          the browser (default /usr/bin/chromium)
//
// The expected states and actions are RFC 9293's and the door's, read from the specs by hand: the
// page is checked against the spec, not against itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (see the top of viewer_test.mjs)`);
  return value;
};
const screenshots = process.env.FSMGEN_SCREENSHOTS || '';
if (screenshots) mkdirSync(screenshots, { recursive: true });

let browser;
before(async () => {
  // As root (CI), Chromium needs --no-sandbox; the rest keeps it from calling out of this machine.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
});
after(async () => { if (browser) await browser.close(); });

// A page of the viewer; every script error or console error fails the test that opened it.
async function open(file, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: options.colorScheme || 'light' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  // Self-contained means no request but the file itself.
  const requests = [];
  page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('#sim-state:not(:empty)');
  return { page, context, errors, requests };
}
// The current state's node lies inside the diagram's box: the page shows it without panning.
async function expectCurrentInView(page, scope = '#viewport') {
  const inside = await page.evaluate((scope) => {
    const box = document.querySelector(scope).getBoundingClientRect();
    return [...document.querySelectorAll(scope + ' g.node.fsm-current')].map((g) => {
      const r = g.getBoundingClientRect();
      return r.width > 0 && r.left >= box.left && r.top >= box.top && r.right <= box.right && r.bottom <= box.bottom;
    });
  }, scope);
  assert.ok(inside.length > 0 && inside.every(Boolean), 'the current state is in view');
}
async function done({ context, errors, requests }) {
  await context.close();
  assert.deepEqual(errors, [], 'no script errors');
  assert.deepEqual(requests, [], 'no network requests');
}
async function shot(page, name) {
  if (screenshots) await page.screenshot({ path: join(screenshots, name) });
}

const simState = (page) => page.locator('#sim-state').getAttribute('data-state');
// The state the diagram highlights, by name (the node's tooltip starts with it).
const drawnCurrent = (page, scope = '#viewport') => page.evaluate((scope) => {
  const nodes = document.querySelectorAll(scope + ' g.node.fsm-current');
  return [...nodes].map((g) => g.getAttribute('aria-label').replace(/^state /, ''));
}, scope);
const actions = (page) => page.locator('#sim-actions li[data-kind]').evaluateAll(
  (items) => items.map((li) => li.dataset.kind + ' ' + li.dataset.action));
const eventButtons = (page) => page.locator('#sim-events button').evaluateAll((bs) => bs.map((b) => b.dataset.event));
async function fire(page, event) { await page.locator(`#sim-events button[data-event="${event}"]`).click(); }
async function answer(page, guard, value) {
  const box = page.locator(`#sim-guards input[data-guard="${guard}"]`);
  if (value) await box.check(); else await box.uncheck();
}
async function expectAt(page, state, expectedActions) {
  assert.equal(await simState(page), state);
  assert.deepEqual(await drawnCurrent(page), [state]);
  assert.deepEqual(await actions(page), expectedActions);
}

test('door: guards decide, exit / action / entry run in order, history and reset', async () => {
  const view = await open(env('FSMGEN_DOOR_HTML'));
  const { page } = view;
  await expectAt(page, 'Closed', []);
  await expectCurrentInView(page);
  assert.deepEqual(await eventButtons(page), ['open', 'lock', 'reset']);
  // An event's tooltip declares its data as the spec does.
  assert.equal(await page.locator('#sim-events button[data-event="lock"]').getAttribute('title'),
    'lock(key: std::uint32_t, turns: std::uint8_t) (user): turn the key');

  // Closed + open [!jammed] -> Opened; Opened { entry start_alarm_timer }
  await fire(page, 'open');
  await expectAt(page, 'Opened', ['entry start_alarm_timer']);
  // Opened + close -> Closed runs Opened's exit
  await fire(page, 'close');
  await expectAt(page, 'Closed', ['exit stop_alarm_timer']);
  // Closed + open [jammed] / complain: internal, no exit, no entry
  await answer(page, 'jammed', true);
  await fire(page, 'open');
  await expectAt(page, 'Closed', ['action complain']);
  // Locked + unlock [!key_fits && forced] / complain, call_locksmith -> Broken
  await answer(page, 'key_fits', true);
  await fire(page, 'lock');
  await expectAt(page, 'Locked', ['action count_lock', 'entry log_locked']);
  await answer(page, 'key_fits', false);
  await answer(page, 'forced', false);
  await fire(page, 'unlock');  // rows, but neither guard holds: rejected, state kept
  assert.equal(await simState(page), 'Locked');
  assert.match(await page.locator('#sim-outcome').textContent(), /rejected/);
  await answer(page, 'forced', true);
  await fire(page, 'unlock');
  await expectAt(page, 'Broken', ['action complain', 'action call_locksmith']);

  // History: back twice by key and button, forward, then a new event drops the future.
  await page.keyboard.press('[');
  assert.equal(await simState(page), 'Locked');
  await page.locator('#sim-back').click();
  assert.equal(await simState(page), 'Locked');  // the rejected step left it in Locked
  await page.locator('#sim-back').click();
  await expectAt(page, 'Closed', ['action complain']);
  await page.keyboard.press(']');
  await expectAt(page, 'Locked', ['action count_lock', 'entry log_locked']);
  assert.equal(await page.locator('#sim-history li').count(), 7);
  await page.keyboard.press('r');
  await expectAt(page, 'Closed', []);
  assert.equal(await page.locator('#sim-history li').count(), 1);
  await done(view);
});

test('tcp: handshake and close as the active opener, per RFC 9293', async () => {
  const view = await open(env('FSMGEN_TCP_HTML'));
  const { page } = view;
  await expectAt(page, 'CLOSED', ['entry delete_tcb']);
  await expectCurrentInView(page);
  await fire(page, 'open_active');
  await expectAt(page, 'SYN_SENT', ['action choose_iss', 'action send_syn']);
  // SYN_SENT + seg_syn_ack [!ack_acceptable] / send_reset_for_ack: internal
  await fire(page, 'seg_syn_ack');
  await expectAt(page, 'SYN_SENT', ['action send_reset_for_ack']);
  await answer(page, 'ack_acceptable', true);
  await fire(page, 'seg_syn_ack');
  await expectAt(page, 'ESTABLISHED', ['action accept_syn', 'action process_ack', 'action send_ack']);
  // The arrow that fired is marked, and so is its row in the table.
  assert.equal(await page.locator('#viewport g.edge.fsm-fired').count() > 0, true);
  assert.deepEqual(await page.locator('#row-table tr.fsm-fired td').allTextContents(),
    ['SYN_SENT', 'seg_syn_ack', 'ack_acceptable', 'accept_syn, process_ack, send_ack', 'ESTABLISHED', '91']);
  await page.locator('#viewport g.node[data-state] >> nth=4').click();  // ESTABLISHED: its rows
  await shot(page, 'viewer-tcp-established.png');
  await page.keyboard.press('Escape');

  await fire(page, 'close');  // [!has_unread_data] / send_fin
  await expectAt(page, 'FIN_WAIT_1', ['action send_fin']);
  await answer(page, 'fin_acked', true);
  await fire(page, 'seg_ack');
  await expectAt(page, 'FIN_WAIT_2', ['action process_ack']);
  await fire(page, 'seg_fin');
  await expectAt(page, 'TIME_WAIT', ['action accept_fin', 'action send_ack', 'entry start_time_wait_timer']);
  await fire(page, 'time_wait_timeout');
  await expectAt(page, 'CLOSED', ['exit stop_time_wait_timer', 'entry delete_tcb']);
  assert.equal(await page.locator('#sim-history li').count(), 8);
  await done(view);
});

test('tcp: clicking a state highlights its rows in the diagram and the table; the filter', async () => {
  const view = await open(env('FSMGEN_TCP_HTML'));
  const { page } = view;
  // LISTEN's node, found by its tooltip.
  const listen = page.locator('#viewport g.node[data-state]', { has: page.locator('title', { hasText: /^LISTEN:/ }) });
  await listen.click();
  const marked = await page.locator('#row-table tbody tr.fsm-row td:first-child').allTextContents();
  const all = await page.locator('#row-table tbody tr td:first-child').allTextContents();
  assert.ok(marked.length > 0);
  assert.deepEqual(marked, all.filter((s) => s === 'LISTEN'), 'exactly the rows from LISTEN');
  // LISTEN + open_passive is a wildcard-rule row (report_already_exists), LISTEN + seg_syn one of its own.
  assert.ok(await page.locator('#viewport g.edge.fsm-row').count() >= 2);
  assert.match(await page.locator('#selection-note').textContent(), /^LISTEN: \d+ rows/);
  await listen.press('Enter');  // the same state again: cleared
  assert.equal(await page.locator('#row-table tbody tr.fsm-row').count(), 0);

  await page.keyboard.press('/');
  await page.keyboard.type('time_wait_timeout');
  const visible = await page.locator('#row-table tbody tr:not([hidden])').allTextContents();
  assert.equal(visible.length, 1);
  assert.match(visible[0], /TIME_WAIT.*time_wait_timeout.*CLOSED/);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#row-table tbody tr:not([hidden])').count(), await page.locator('#row-table tbody tr').count());

  // Pan and zoom move the drawing.
  const before = await page.locator('#viewport > svg').getAttribute('style');
  await page.locator('[data-zoom="in"]').click();
  assert.notEqual(await page.locator('#viewport > svg').getAttribute('style'), before);
  await done(view);
});

test('tcp: a two-endpoint trace plays back side by side with a sequence chart', async () => {
  const view = await open(env('FSMGEN_TCP_HTML'));
  const { page } = view;
  const trace = join(mkdtempSync(join(tmpdir(), 'fsmgen-trace-')), 'simulate.jsonl');
  writeFileSync(trace, execFileSync(env('FSMGEN_TCPFSM'), ['simulate', '--json']));
  await page.locator('#trace-file').setInputFiles(trace);
  await page.waitForSelector('#trace-view:not([hidden])');
  assert.match(await page.locator('#trace-status').textContent(), /12 steps of endpoints a and b, 2 other records\.$/);
  const states = () => page.locator('.trace-state').allTextContents();
  assert.deepEqual(await states(), ['SYN_SENT', 'CLOSED']);  // step 1: a opened actively
  await page.locator('#trace-next').click();
  assert.deepEqual(await states(), ['SYN_SENT', 'LISTEN']);
  await page.keyboard.press('.');
  await page.keyboard.press('.');
  // step 4: a got the SYN+ACK; b still waits for the ACK
  assert.deepEqual(await states(), ['ESTABLISHED', 'SYN_RECEIVED']);
  await page.evaluate(() => document.getElementById('trace-view').scrollIntoView({ block: 'start' }));
  for (const n of [0, 1]) await expectCurrentInView(page, `#trace-endpoints > div:nth-child(${n + 1}) .viewport`);
  assert.equal(await page.locator('#trace-endpoints g.edge.fsm-fired').count() > 0, true);
  assert.deepEqual(await drawnCurrent(page, '#trace-endpoints'), ['ESTABLISHED', 'SYN_RECEIVED']);
  await page.locator('#trace-sequence .step[data-step="6"]').click();
  assert.deepEqual(await states(), ['FIN_WAIT_1', 'CLOSE_WAIT']);
  await page.evaluate(() => document.getElementById('trace-view').scrollIntoView({ block: 'start' }));
  await shot(page, 'viewer-tcp-trace.png');
  await page.locator('#trace-last').click();
  assert.deepEqual(await states(), ['CLOSED', 'CLOSED']);
  // Every segment event is an arrow from the other endpoint; every step is explained by a row.
  assert.equal(await page.locator('#trace-sequence line.segment').count(), 7);
  assert.equal(await page.locator('#trace-sequence .mismatch').count(), 0);
  await done(view);
});

test('a damaged trace is reported, not fatal', async () => {
  const view = await open(env('FSMGEN_DOOR_HTML'));
  const { page } = view;
  await page.evaluate(() => window.fsmViewer.loadTrace(
    '{"from":"Closed","event":"open","to":"Opened"}\nnot json\n{"from":"Opened","event":"close","to":"Locked"}\n', 'bad.jsonl'));
  assert.equal(await page.locator('#trace-status').textContent(),
    'bad.jsonl: 2 steps, 1 lines not JSON (line 2), 1 steps no row of this spec explains.');
  assert.equal(await page.locator('#trace-sequence .mismatch').count(), 1);
  await done(view);
});

test('dark colour scheme follows the system', async () => {
  const view = await open(env('FSMGEN_DOOR_HTML'), { colorScheme: 'dark' });
  const { page } = view;
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, 'rgb(22, 24, 27)');
  await fire(page, 'open');
  await page.locator('#viewport g.node[data-state] >> nth=1').click();  // Opened: its rows
  await shot(page, 'viewer-door-dark.png');
  await done(view);
});
