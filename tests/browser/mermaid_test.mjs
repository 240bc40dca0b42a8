// Mermaid's own parser and renderer (the pinned npm package, in Debian's chromium) on every Mermaid
// file fsmgen's tests keep: the flowcharts (`mermaid`) and state diagrams (`mermaid-state`) of the
// golden specs, of spec/tcp.fsm and of a spec too long for Mermaid in full (tests/CMakeLists.txt).
// ctest runs it as `mermaid_render` with FSMGEN_MERMAID_FILES, the files separated by ':', and as
// `random_spec.mermaid_render` with FSMGEN_MERMAID_DIR, a directory
// whose .mmd files are those of the random-spec batch (its seed in the directory above);
// MERMAID_JS is node_modules/mermaid/dist/mermaid.min.js.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { chromium } from 'playwright-core';

const dir = process.env.FSMGEN_MERMAID_DIR;
const files = dir
  ? readdirSync(dir).filter((f) => f.endsWith('.mmd')).sort().map((f) => join(dir, f))
  : (process.env.FSMGEN_MERMAID_FILES || '').split(':').filter(Boolean);
const seedFile = dir ? join(dir, '..', 'seed') : '';
const seed = seedFile && existsSync(seedFile) ? readFileSync(seedFile, 'utf8').trim() : '';
const origin = seed ? ` (random spec seed ${seed}: FSMGEN_SEED=${seed} ctest -R random_spec)` : '';
const mermaidJs = process.env.MERMAID_JS;

let browser, page;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  page = await browser.newPage();
  await page.setContent('<!DOCTYPE html><html><body><div id="out"></div></body></html>');
  await page.addScriptTag({ path: mermaidJs });
  await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' }));
});
after(async () => { if (browser) await browser.close(); });

test('there are Mermaid files to check', () => {
  assert.ok(files.length >= 4, dir ? `${dir} holds the batch's .mmd files` : 'FSMGEN_MERMAID_FILES lists the golden .mmd files');
});

for (const file of files) {
  test(`Mermaid parses and renders ${basename(file)}${origin}`, async () => {
    const text = readFileSync(file, 'utf8');
    const result = await page.evaluate(async (text) => {
      try {
        await window.mermaid.parse(text);
      } catch (e) {
        return { error: 'parse: ' + e.message };
      }
      try {
        const { svg } = await window.mermaid.render('diagram', text);
        const out = document.getElementById('out');
        out.innerHTML = svg;
        return {
          nodes: out.querySelectorAll('g.node').length,
          kind: out.querySelector('svg').getAttribute('aria-roledescription'),
          // What Mermaid draws instead of a text above its maxTextSize: a flowchart of one box.
          tooLong: out.textContent.includes('Maximum text size in diagram exceeded'),
        };
      } catch (e) {
        return { error: 'render: ' + e.message };
      }
    }, text);
    assert.equal(result.error, undefined);
    assert.equal(result.tooLong, false, 'Mermaid drew its "Maximum text size" box instead of the diagram');
    assert.equal(result.kind, text.includes('stateDiagram-v2') ? 'stateDiagram' : 'flowchart-v2');
    assert.ok(result.nodes > 0, 'the diagram has nodes');
  });
}
