// fsmgen's HTML viewer: the diagram with pan and zoom, the rows, a simulator and trace playback.
//
// Everything the page knows about the machine comes from two JSON blocks that fsmgen wrote next to
// this script: the model (the `json` target's output, the same rows the C++ machine is generated
// from) and the drawing (which SVG element shows which row). The simulator follows the Model
// interpreter of the test suite: in the current state, the rows of the event are tried; the one whose
// guard holds fires (the checker proved at most one can); an external row runs the source's exit
// actions, the row's actions, then the target's entry actions; an internal row runs its actions only.
// No row for the event: unhandled; rows but no guard held: rejected; the state stays.
(function () {
  'use strict';

  const model = JSON.parse(document.getElementById('fsm-model').textContent);
  const drawing = JSON.parse(document.getElementById('fsm-drawing').textContent);

  // ---- the model, indexed -------------------------------------------------------------------------
  const stateIndex = new Map(model.states.map((s, i) => [s.name, i]));
  const eventIndex = new Map(model.events.map((e, i) => [e.name, i]));
  const categoryIndex = new Map(model.categories.map((c, i) => [c.name, i]));
  const initial = stateIndex.get(model.initial);
  const rows = model.transitions.map((t, i) => ({
    index: i,
    source: stateIndex.get(t.source),
    event: eventIndex.get(t.event),
    target: t.target === null ? null : stateIndex.get(t.target),
    guard: t.guard,
    actions: t.actions,
    line: model.rules[t.rule].origin.line,
    kind: model.rules[t.rule].kind,
  }));
  const rowEdge = rows.map(() => -1);
  drawing.edges.forEach((edge, k) => edge.rows.forEach((r) => { rowEdge[r] = k; }));

  function guardText(row) {
    return row.guard.map((g) => (g.negated ? '!' : '') + g.guard).join(' && ');
  }
  function nextState(row) { return row.target === null ? row.source : row.target; }
  function rowText(row) {
    let s = model.events[row.event].name;
    if (row.guard.length) s += ' [' + guardText(row) + ']';
    if (row.actions.length) s += ' / ' + row.actions.join(', ');
    return s;
  }

  // One step of the machine, as the Model interpreter takes it.
  function step(state, event, answers) {
    let anyRow = false;
    let fired = null;
    for (const row of rows) {
      if (row.source !== state || row.event !== event) continue;
      anyRow = true;
      if (row.guard.every((g) => Boolean(answers.get(g.guard)) !== g.negated)) {
        if (fired === null) fired = row;
      }
    }
    if (fired === null) return { event, from: state, to: state, row: null, outcome: anyRow ? 'rejected' : 'unhandled', actions: [] };
    const actions = [];
    const external = fired.target !== null;
    if (external) for (const a of model.states[state].exit) actions.push({ kind: 'exit', name: a });
    for (const a of fired.actions) actions.push({ kind: 'action', name: a });
    if (external) for (const a of model.states[fired.target].entry) actions.push({ kind: 'entry', name: a });
    return { event, from: state, to: nextState(fired), row: fired.index, outcome: external ? 'fired' : 'internal', actions };
  }

  function start() {
    return {
      event: null, from: initial, to: initial, row: null, outcome: 'start',
      actions: model.states[initial].entry.map((a) => ({ kind: 'entry', name: a })),
    };
  }

  // ---- small DOM helpers --------------------------------------------------------------------------
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const c of children) node.append(c);
    return node;
  }
  function code(text) { return el('code', { textContent: text }); }
  // Works on copies not yet in the document too (getElementById would not).
  function byId(root, id) { return root.querySelector('[id="' + id + '"]'); }
  const SVG_NS = 'http://www.w3.org/2000/svg';
  function svgEl(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function stateDoc(i) {
    const s = model.states[i];
    let text = s.name + (s.doc ? ': ' + s.doc : '');
    if (s.entry.length) text += '\nentry / ' + s.entry.join(', ');
    if (s.exit.length) text += '\nexit / ' + s.exit.join(', ');
    return text;
  }
  function eventDoc(e) {
    const ev = model.events[e];
    // The data as the spec declares it, as the diagrams' legend writes it.
    const data = ev.type ? ' = ' + ev.type
      : ev.fields.length ? '(' + ev.fields.map((f) => f.name + ': ' + f.type).join(', ') + ')' : '';
    return ev.name + data + ' (' + ev.category + ')' + (ev.doc ? ': ' + ev.doc : '');
  }

  // ---- the diagram: ids, tooltips, pan and zoom ---------------------------------------------------
  // Prepares one copy of the SVG: state nodes become focusable buttons with their doc strings as
  // tooltips, every element id gets `prefix` (copies side by side must not share ids).
  function prepareSvg(svg, prefix) {
    for (const node of svg.querySelectorAll('[id]')) node.id = prefix + node.id;
    for (const t of svg.querySelectorAll('g.node > title, g.edge > title, g.graph > title')) t.remove();
    model.states.forEach((s, i) => {
      const g = byId(svg, prefix + 'state_' + i);
      if (!g) return;
      g.dataset.state = String(i);
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-label', 'state ' + s.name);
      g.prepend(svgEl('title', {}, stateDoc(i)));
      // A filled copy of the border, behind the text: what the current state's colour paints.
      const borders = g.querySelectorAll('path');
      if (borders.length) {
        const bg = borders[borders.length - 1].cloneNode();
        bg.setAttribute('class', 'fsm-bg');
        g.insertBefore(bg, g.querySelector('title').nextSibling);
      }
    });
    drawing.edges.forEach((edge, k) => {
      const text = edge.rows.map((r) => rowText(rows[r]) + '\n  ' + eventDoc(rows[r].event)).join('\n');
      const g = byId(svg, prefix + 'edge_' + k);
      if (g) g.prepend(svgEl('title', {}, text));
    });
  }

  class Viewport {
    constructor(element, svg) {
      this.element = element;
      this.svg = svg;
      const box = svg.viewBox.baseVal;
      this.width = box && box.width ? box.width : svg.getBBox().width;
      this.height = box && box.height ? box.height : svg.getBBox().height;
      // Graphviz sizes in points (4/3 CSS pixels): at scale 1 a 9 pt label is 12 px, as Graphviz meant.
      svg.setAttribute('width', String(this.width * 4 / 3));
      svg.setAttribute('height', String(this.height * 4 / 3));
      this.width *= 4 / 3;
      this.height *= 4 / 3;
      this.scale = 1;
      this.x = 0;
      this.y = 0;
      this.dragged = false;
      this.listen();
    }
    apply() {
      this.svg.style.transform = 'translate(' + this.x + 'px,' + this.y + 'px) scale(' + this.scale + ')';
    }
    fit() {
      const r = this.element.getBoundingClientRect();
      if (!r.width || !r.height) return;
      this.scale = Math.min(r.width / this.width, r.height / this.height) * 0.97;
      this.x = (r.width - this.width * this.scale) / 2;
      this.y = (r.height - this.height * this.scale) / 2;
      this.apply();
    }
    // The whole drawing when that is readable; else a readable scale, centred on `state`.
    home(state) {
      this.fit();
      if (this.scale < 0.75) {
        this.scale = 1;
        this.apply();  // reveal() measures the node as drawn, so at the new scale
        this.reveal(state, true);
      }
    }
    zoomAt(factor, cx, cy) {
      const scale = Math.min(4, Math.max(0.1, this.scale * factor));
      this.x = cx - (cx - this.x) * (scale / this.scale);
      this.y = cy - (cy - this.y) * (scale / this.scale);
      this.scale = scale;
      this.apply();
    }
    zoom(factor) {
      const r = this.element.getBoundingClientRect();
      this.zoomAt(factor, r.width / 2, r.height / 2);
    }
    pan(dx, dy) { this.x += dx; this.y += dy; this.apply(); }
    // Pans so that the node of `state` is inside the view (`centre`: in its middle).
    reveal(state, centre) {
      const g = this.svg.querySelector('g.node[data-state="' + state + '"]');
      if (!g) return;
      const node = g.getBoundingClientRect(), view = this.element.getBoundingClientRect();
      if (!view.width || !view.height) return;
      const left = node.left - view.left, top = node.top - view.top;
      if (centre || left < 0 || top < 0 || left + node.width > view.width || top + node.height > view.height) {
        this.x += view.width / 2 - (left + node.width / 2);
        this.y += view.height / 2 - (top + node.height / 2);
      }
      this.apply();
    }
    listen() {
      const el = this.element;
      let start = null;
      el.addEventListener('pointerdown', (ev) => {
        if (ev.button !== 0) return;
        start = { x: ev.clientX, y: ev.clientY, ox: this.x, oy: this.y, id: ev.pointerId };
        this.dragged = false;
      });
      el.addEventListener('pointermove', (ev) => {
        if (!start || ev.pointerId !== start.id) return;
        const dx = ev.clientX - start.x, dy = ev.clientY - start.y;
        if (!this.dragged && Math.hypot(dx, dy) < 4) return;
        if (!this.dragged) { el.setPointerCapture(ev.pointerId); el.classList.add('dragging'); }
        this.dragged = true;
        this.x = start.ox + dx;
        this.y = start.oy + dy;
        this.apply();
      });
      const end = () => { start = null; el.classList.remove('dragging'); };
      el.addEventListener('pointerup', end);
      el.addEventListener('pointercancel', end);
      el.addEventListener('wheel', (ev) => {
        ev.preventDefault();
        const r = el.getBoundingClientRect();
        this.zoomAt(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - r.left, ev.clientY - r.top);
      }, { passive: false });
      el.addEventListener('keydown', (ev) => {
        const moves = { ArrowLeft: [60, 0], ArrowRight: [-60, 0], ArrowUp: [0, 60], ArrowDown: [0, -60] };
        if (moves[ev.key] && ev.target === el) { this.pan(...moves[ev.key]); ev.preventDefault(); }
        else if (ev.key === '+' || ev.key === '=') { this.zoom(1.25); ev.preventDefault(); }
        else if (ev.key === '-') { this.zoom(1 / 1.25); ev.preventDefault(); }
        else if (ev.key === '0') { this.fit(); ev.preventDefault(); }
      });
    }
  }

  // Marks the current state, the rows to show and the row that fired in one copy of the SVG.
  function paint(svg, prefix, look) {
    for (const g of svg.querySelectorAll('.fsm-current, .fsm-selected, .fsm-row, .fsm-fired')) {
      g.classList.remove('fsm-current', 'fsm-selected', 'fsm-row', 'fsm-fired');
    }
    const node = (s) => byId(svg, prefix + 'state_' + s);
    if (look.current !== null && node(look.current)) node(look.current).classList.add('fsm-current');
    if (look.selected !== null && node(look.selected)) node(look.selected).classList.add('fsm-selected');
    const mark = (r, cls) => {
      const k = rowEdge[r];
      if (k < 0) return;
      const arrow = byId(svg, prefix + 'edge_' + k);
      if (arrow) arrow.classList.add(cls);
      drawing.edges[k].sources.forEach((s, j) => {
        if (s !== rows[r].source) return;
        const feeder = byId(svg, prefix + 'edge_' + k + '_' + j);
        if (feeder) feeder.classList.add(cls);
      });
    };
    for (const r of look.rows) mark(r, 'fsm-row');
    if (look.fired !== null) mark(look.fired, 'fsm-fired');
    svg.classList.toggle('fsm-dim', look.rows.length > 0);
  }

  const mainSvg = document.querySelector('#viewport > svg');
  prepareSvg(mainSvg, '');
  const mainView = new Viewport(document.getElementById('viewport'), mainSvg);

  // ---- the page's state ---------------------------------------------------------------------------
  const ui = {
    selectedState: null,   // a clicked state: its rows are highlighted
    selectedRow: null,     // a clicked table row
    history: [start()],
    at: 0,
    answers: new Map(model.guards.map((g) => [g, false])),
  };
  const here = () => ui.history[ui.at];

  function shownRows() {
    if (ui.selectedRow !== null) return [ui.selectedRow];
    if (ui.selectedState !== null) return rows.filter((r) => r.source === ui.selectedState).map((r) => r.index);
    return [];
  }

  function render() {
    const now = here();
    const shown = shownRows();
    paint(mainSvg, '', { current: now.to, selected: ui.selectedState, rows: shown, fired: now.row });
    renderTableMarks(shown, now.row);
    renderSimulator();
    const note = document.getElementById('selection-note');
    if (ui.selectedRow !== null) {
      const r = rows[ui.selectedRow];
      note.textContent = 'Row ' + (r.index + 1) + ': ' + model.states[r.source].name + ' + ' + rowText(r) +
        (r.target === null ? ' (internal)' : ' -> ' + model.states[r.target].name) + '. Esc clears.';
    } else if (ui.selectedState !== null) {
      const mine = rows.filter((r) => r.source === ui.selectedState);
      const internal = mine.filter((r) => r.target === null).length;
      note.textContent = model.states[ui.selectedState].name + ': ' + mine.length + ' rows (' + internal +
        ' internal, listed inside the state). Esc clears.';
    } else {
      note.textContent = 'Click a state to see its rows.';
    }
  }

  function selectState(s) {
    ui.selectedRow = null;
    ui.selectedState = ui.selectedState === s ? null : s;
    render();
    if (ui.selectedState !== null) scrollTableTo(document.querySelector('#row-table tbody tr.fsm-row'));
  }

  // ---- the rows table -----------------------------------------------------------------------------
  const tbody = document.querySelector('#row-table tbody');
  const tableRows = rows.map((r) => {
    const target = r.target === null ? el('td', { className: 'internal', textContent: '(internal)' })
      : el('td', { textContent: model.states[r.target].name });
    const tr = el('tr', {},
      el('td', { textContent: model.states[r.source].name }),
      el('td', { textContent: model.events[r.event].name }),
      el('td', { textContent: guardText(r) }),
      el('td', { textContent: r.actions.join(', ') }),
      target,
      el('td', { textContent: String(r.line) }));
    tr.dataset.row = String(r.index);
    tr.tabIndex = 0;
    tr.title = eventDoc(r.event) + '\nfrom ' + stateDoc(r.source).split('\n')[0] +
      (r.target === null ? '\ninternal: no exit, no entry' : '\nto ' + stateDoc(r.target).split('\n')[0]) +
      '\n' + r.kind + ' rule at line ' + r.line;
    tr.dataset.text = [model.states[r.source].name, model.events[r.event].name, guardText(r), r.actions.join(' '),
      r.target === null ? 'internal' : model.states[r.target].name, String(r.line)].join(' ').toLowerCase();
    const choose = () => {
      ui.selectedState = r.source;
      ui.selectedRow = ui.selectedRow === r.index ? null : r.index;
      render();
      if (rowEdge[r.index] < 0) mainView.reveal(r.source, false);
    };
    tr.addEventListener('click', choose);
    tr.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { choose(); ev.preventDefault(); } });
    tbody.append(tr);
    return tr;
  });

  // Scrolls the rows' own box (not the page) so that `tr` shows below the sticky header.
  function scrollTableTo(tr) {
    if (!tr) return;
    const box = document.getElementById('row-box');
    const head = box.querySelector('thead').getBoundingClientRect().height;
    const top = tr.offsetTop - head;
    if (top < box.scrollTop || tr.offsetTop + tr.offsetHeight > box.scrollTop + box.clientHeight) box.scrollTop = Math.max(0, top - 4);
  }

  function renderTableMarks(shown, fired) {
    const set = new Set(shown);
    tableRows.forEach((tr, i) => {
      tr.classList.toggle('fsm-row', set.has(i));
      tr.classList.toggle('fsm-fired', i === fired);
    });
  }

  const filter = document.getElementById('row-filter');
  function applyFilter() {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    let visible = 0;
    for (const tr of tableRows) {
      const show = words.every((w) => tr.dataset.text.includes(w));
      tr.hidden = !show;
      visible += show;
    }
    document.getElementById('row-count').textContent = visible + ' of ' + rows.length + ' rows';
  }
  filter.addEventListener('input', applyFilter);
  applyFilter();

  // ---- the simulator ------------------------------------------------------------------------------
  function fire(event) {
    const next = step(here().to, event, ui.answers);
    ui.history = ui.history.slice(0, ui.at + 1);
    ui.history.push(next);
    ui.at += 1;
    ui.selectedRow = null;
    render();
    mainView.reveal(next.to, false);
  }
  function go(at) {
    if (at < 0 || at >= ui.history.length) return;
    ui.at = at;
    render();
    mainView.reveal(here().to, false);
  }
  function reset() {
    ui.history = [start()];
    ui.at = 0;
    render();
    mainView.reveal(initial, false);
  }

  function describe(stepped) {
    const name = stepped.event === null ? 'start' : model.events[stepped.event].name;
    const from = model.states[stepped.from].name, to = model.states[stepped.to].name;
    switch (stepped.outcome) {
      case 'start': return 'start in ' + to;
      case 'fired': return name + ': ' + from + ' \u2192 ' + to;
      case 'internal': return name + ': internal in ' + from;
      default: return name + ': ' + stepped.outcome + ' in ' + from;
    }
  }

  function renderSimulator() {
    const now = here();
    const stateEl = document.getElementById('sim-state');
    stateEl.textContent = model.states[now.to].name;
    stateEl.dataset.state = model.states[now.to].name;
    stateEl.title = stateDoc(now.to);
    const outcome = document.getElementById('sim-outcome');
    outcome.textContent = now.outcome === 'rejected' ? 'last event rejected: rows, but no guard held'
      : now.outcome === 'unhandled' ? 'last event unhandled: no row' : '';
    outcome.className = now.outcome === 'rejected' || now.outcome === 'unhandled' ? 'bad' : '';
    document.getElementById('sim-back').disabled = ui.at === 0;
    document.getElementById('sim-forward').disabled = ui.at + 1 >= ui.history.length;

    const mine = rows.filter((r) => r.source === now.to);
    const events = document.getElementById('sim-events');
    events.replaceChildren();
    model.events.forEach((e, i) => {
      if (!mine.some((r) => r.event === i)) return;
      const preview = step(now.to, i, ui.answers);
      const then = preview.outcome === 'fired' ? '\u2192 ' + model.states[preview.to].name
        : preview.outcome === 'internal' ? 'internal' : 'rejected';
      const button = el('button', { type: 'button', className: 'cat-' + categoryIndex.get(e.category), title: eventDoc(i) },
        el('span', { className: 'what', textContent: e.name }), el('span', { className: 'then', textContent: then }));
      button.dataset.event = e.name;
      button.addEventListener('click', () => fire(i));
      events.append(button);
    });
    if (!events.childElementCount) events.append(el('span', { className: 'hint', textContent: 'No row leaves this state.' }));

    const guards = document.getElementById('sim-guards');
    guards.replaceChildren();
    const used = model.guards.filter((g) => mine.some((r) => r.guard.some((t) => t.guard === g)));
    for (const g of used) {
      const box = el('input', { type: 'checkbox', checked: ui.answers.get(g) });
      box.dataset.guard = g;
      box.addEventListener('change', () => { ui.answers.set(g, box.checked); renderSimulator(); });
      guards.append(el('label', {}, box, ' ' + g));
    }
    if (!used.length) guards.append(el('span', { className: 'none', textContent: 'No row of this state has a guard.' }));

    const actions = document.getElementById('sim-actions');
    actions.replaceChildren();
    for (const a of now.actions) {
      const li = el('li', {}, el('span', { className: 'kind', textContent: a.kind }), ' ', code(a.name));
      li.dataset.kind = a.kind;
      li.dataset.action = a.name;
      actions.append(li);
    }
    if (!now.actions.length) actions.append(el('li', { className: 'none', textContent: 'none' }));

    const history = document.getElementById('sim-history');
    history.replaceChildren();
    ui.history.forEach((h, i) => {
      const li = el('li', { textContent: describe(h), tabIndex: 0 });
      li.className = i === ui.at ? 'at' : i > ui.at ? 'future' : '';
      if (i === ui.at) li.setAttribute('aria-current', 'step');
      li.addEventListener('click', () => go(i));
      li.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') go(i); });
      history.append(li);
    });
    history.scrollTop = history.scrollHeight;
  }

  document.getElementById('sim-back').addEventListener('click', () => go(ui.at - 1));
  document.getElementById('sim-forward').addEventListener('click', () => go(ui.at + 1));
  document.getElementById('sim-reset').addEventListener('click', reset);

  // ---- trace playback -----------------------------------------------------------------------------
  // A trace is JSON lines; the records with `from`, `event` and `to` are steps of the machine of their
  // `endpoint` (one or two endpoints). Other objects (summaries) are counted, lines that are not JSON
  // are reported by number and skipped.
  const trace = { steps: [], endpoints: [], at: -1, views: [] };

  function parseTrace(text) {
    const steps = [], bad = [];
    let other = 0;
    text.split(/\r?\n/).forEach((line, n) => {
      if (!line.trim()) return;
      let record;
      try { record = JSON.parse(line); } catch (e) { bad.push(n + 1); return; }
      if (record && typeof record.from === 'string' && typeof record.event === 'string' && typeof record.to === 'string') {
        const endpoint = typeof record.endpoint === 'string' ? record.endpoint : '';
        const s = { t: typeof record.t === 'number' ? record.t : null, endpoint, from: record.from, event: record.event, to: record.to, line: n + 1 };
        s.row = matchRow(s);
        steps.push(s);
      } else {
        other += 1;
      }
    });
    return { steps, bad, other };
  }

  // The row of the spec that explains a step (source, event and the state after it), or -1.
  function matchRow(s) {
    const from = stateIndex.get(s.from), to = stateIndex.get(s.to), event = eventIndex.get(s.event);
    if (from === undefined || to === undefined || event === undefined) return -1;
    const row = rows.find((r) => r.source === from && r.event === event && nextState(r) === to);
    return row ? row.index : -1;
  }

  function loadTrace(text, name) {
    const parsed = parseTrace(text);
    trace.steps = parsed.steps;
    trace.endpoints = [...new Set(parsed.steps.map((s) => s.endpoint))];
    trace.at = parsed.steps.length ? 0 : -1;
    const status = document.getElementById('trace-status');
    const mismatches = parsed.steps.filter((s) => s.row < 0).length;
    let msg = name + ': ' + parsed.steps.length + ' steps';
    if (trace.endpoints.length > 1) msg += ' of endpoints ' + trace.endpoints.join(' and ');
    if (parsed.other) msg += ', ' + parsed.other + ' other records';
    if (parsed.bad.length) msg += ', ' + parsed.bad.length + ' lines not JSON (line ' + parsed.bad.slice(0, 5).join(', ') + ')';
    if (mismatches) msg += ', ' + mismatches + ' steps no row of this spec explains';
    status.textContent = msg + '.';
    status.className = parsed.bad.length || mismatches ? 'bad' : '';
    buildTraceView();
    showTraceStep();
  }

  // The state of `endpoint` after step `at`: its last step's target, or before its first step, that
  // step's source.
  function endpointState(endpoint, at) {
    let state = null;
    for (let i = 0; i < trace.steps.length; i++) {
      const s = trace.steps[i];
      if (s.endpoint !== endpoint) continue;
      if (i <= at) state = s.to;
      else if (state === null) { state = s.from; break; } else break;
    }
    const index = stateIndex.get(state);
    return index === undefined ? null : index;
  }

  function buildTraceView() {
    const view = document.getElementById('trace-view');
    const endpoints = document.getElementById('trace-endpoints');
    endpoints.replaceChildren();
    trace.views = [];
    view.hidden = trace.steps.length === 0;
    if (view.hidden) return;
    endpoints.style.gridTemplateColumns = trace.endpoints.length > 1 ? '1fr 1fr' : '1fr';
    trace.endpoints.forEach((endpoint, n) => {
      const prefix = 'ep' + n + '-';
      const copy = mainSvg.cloneNode(true);
      copy.removeAttribute('style');
      copy.classList.remove('fsm-dim');
      for (const bg of copy.querySelectorAll('path.fsm-bg')) bg.remove();
      for (const t of copy.querySelectorAll('title')) t.remove();
      for (const g of copy.querySelectorAll('[data-state]')) { g.removeAttribute('tabindex'); g.removeAttribute('role'); }
      // ids of the main copy are unprefixed: take them back to Graphviz's before prefixing again.
      const box = el('div', { className: 'viewport', tabIndex: 0 });
      box.setAttribute('aria-label', 'endpoint ' + endpoint + ' diagram');
      box.append(copy);
      prepareSvg(copy, prefix);
      const heading = el('h3', { textContent: 'endpoint ' + (endpoint || '(unnamed)') + ': ' });
      const state = el('strong', { className: 'trace-state' });
      heading.append(state);
      endpoints.append(el('div', {}, heading, box));
      const viewport = new Viewport(box, copy);
      trace.views.push({ endpoint, svg: copy, prefix, viewport, state });
    });
    for (const v of trace.views) v.viewport.home(initial);
    buildSequence();
  }

  // The steps as a sequence chart: one lifeline per endpoint, each step on its endpoint's line, and a
  // segment event (seg_*) drawn as an arrow from the other endpoint, where it was sent.
  function buildSequence() {
    const holder = document.getElementById('trace-sequence');
    holder.replaceChildren();
    const two = trace.endpoints.length === 2;
    // Labels of the left endpoint end at its lifeline, those of the right one start there.
    const width = two ? 1000 : 720, rowH = 24, top = 44;
    const xs = two ? [400, 660] : [400];
    const svg = svgEl('svg', { width: String(width), height: String(top + trace.steps.length * rowH + 10), role: 'list', 'aria-label': 'trace steps' });
    trace.endpoints.forEach((endpoint, n) => {
      svg.append(svgEl('text', { x: String(xs[n]), y: '18', 'text-anchor': 'middle', 'font-weight': 'bold' }, 'endpoint ' + endpoint));
      svg.append(svgEl('line', { x1: String(xs[n]), x2: String(xs[n]), y1: '26', y2: String(top + trace.steps.length * rowH), class: 'lifeline' }));
    });
    trace.steps.forEach((s, i) => {
      const y = top + i * rowH;
      const n = Math.max(0, trace.endpoints.indexOf(s.endpoint));
      const g = svgEl('g', { class: 'step', role: 'listitem', 'data-step': String(i), 'data-y': String(y) });
      g.append(svgEl('rect', { class: 'band', x: '0', y: String(y - rowH / 2 - 2), width: String(width), height: String(rowH) }));
      if (s.t !== null) g.append(svgEl('text', { x: '8', y: String(y + 4), class: 'time' }, s.t + ' ms'));
      const left = n === 0;
      const x = xs[n] + (left ? -10 : 10);
      const label = s.event + ': ' + s.from + ' \u2192 ' + s.to + (s.row < 0 ? '  \u2717 no row' : '');
      g.append(svgEl('text', { x: String(x), y: String(y + 4), 'text-anchor': left ? 'end' : 'start', class: s.row < 0 ? 'mismatch' : '' }, label));
      g.append(svgEl('circle', { cx: String(xs[n]), cy: String(y), r: '4', fill: 'currentColor' }));
      if (two && s.event.startsWith('seg_')) {
        const from = xs[1 - n], to = xs[n];
        const dir = to > from ? 1 : -1;
        g.append(svgEl('line', { x1: String(from), y1: String(y - 8), x2: String(to - dir * 6), y2: String(y), class: 'segment' }));
        g.append(svgEl('polygon', { points: (to) + ',' + y + ' ' + (to - dir * 9) + ',' + (y - 5) + ' ' + (to - dir * 8) + ',' + (y + 4), class: 'segment-head' }));
        g.append(svgEl('text', { x: String((from + to) / 2), y: String(y - 8), 'text-anchor': 'middle', class: 'seg-label' },
          s.event.slice(4).toUpperCase().replace(/_/g, '+')));
      }
      g.addEventListener('click', () => { trace.at = i; showTraceStep(); });
      svg.append(g);
    });
    holder.append(svg);
    trace.sequence = svg;
  }

  function showTraceStep() {
    const has = trace.steps.length > 0;
    for (const id of ['trace-first', 'trace-prev']) document.getElementById(id).disabled = !has || trace.at <= 0;
    for (const id of ['trace-next', 'trace-last']) document.getElementById(id).disabled = !has || trace.at >= trace.steps.length - 1;
    if (!has) return;
    const s = trace.steps[trace.at];
    for (const v of trace.views) {
      const state = endpointState(v.endpoint, trace.at);
      const mine = s.endpoint === v.endpoint;
      paint(v.svg, v.prefix, { current: state, selected: null, rows: [], fired: mine && s.row >= 0 ? s.row : null });
      v.state.textContent = state === null ? '?' : model.states[state].name;
      v.state.dataset.state = v.state.textContent;
      if (state !== null) v.viewport.reveal(state, false);
    }
    for (const g of trace.sequence.querySelectorAll('.step')) g.classList.toggle('at', Number(g.dataset.step) === trace.at);
    const current = trace.sequence.querySelector('.step.at');
    const holder = document.getElementById('trace-sequence');
    if (current) {
      const y = Number(current.dataset.y);
      if (y < holder.scrollTop + 40 || y > holder.scrollTop + holder.clientHeight - 20) holder.scrollTop = Math.max(0, y - holder.clientHeight / 2);
    }
    const status = document.getElementById('trace-status');
    status.dataset.step = String(trace.at + 1);
    status.title = 'step ' + (trace.at + 1) + ' of ' + trace.steps.length;
    document.getElementById('trace-view-heading').textContent = 'Trace playback: step ' + (trace.at + 1) + ' of ' +
      trace.steps.length + ' (' + (s.endpoint ? s.endpoint + ': ' : '') + s.event + ', ' + s.from + ' \u2192 ' + s.to + ')';
  }

  function traceGo(at) {
    if (!trace.steps.length) return;
    trace.at = Math.max(0, Math.min(trace.steps.length - 1, at));
    showTraceStep();
  }
  document.getElementById('trace-first').addEventListener('click', () => traceGo(0));
  document.getElementById('trace-prev').addEventListener('click', () => traceGo(trace.at - 1));
  document.getElementById('trace-next').addEventListener('click', () => traceGo(trace.at + 1));
  document.getElementById('trace-last').addEventListener('click', () => traceGo(trace.steps.length - 1));
  document.getElementById('trace-file').addEventListener('change', (ev) => {
    const file = ev.target.files && ev.target.files[0];
    if (!file) return;
    file.text().then((text) => loadTrace(text, file.name));
  });
  showTraceStep();

  // ---- diagram clicks and keys --------------------------------------------------------------------
  const viewportEl = document.getElementById('viewport');
  viewportEl.addEventListener('click', (ev) => {
    if (mainView.dragged) return;
    const g = ev.target.closest && ev.target.closest('g.node[data-state]');
    if (g) selectState(Number(g.dataset.state));
  });
  viewportEl.addEventListener('keydown', (ev) => {
    const g = ev.target.closest && ev.target.closest('g.node[data-state]');
    if (g && (ev.key === 'Enter' || ev.key === ' ')) { selectState(Number(g.dataset.state)); ev.preventDefault(); }
  });
  for (const b of document.querySelectorAll('[data-zoom]')) {
    b.addEventListener('click', () => {
      if (b.dataset.zoom === 'in') mainView.zoom(1.25);
      else if (b.dataset.zoom === 'out') mainView.zoom(1 / 1.25);
      else mainView.fit();
    });
  }

  document.addEventListener('keydown', (ev) => {
    const typing = ev.target instanceof HTMLInputElement || ev.target instanceof HTMLTextAreaElement;
    if (ev.key === 'Escape') {
      if (typing && ev.target === filter) { filter.value = ''; applyFilter(); }
      ui.selectedState = null;
      ui.selectedRow = null;
      render();
      return;
    }
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const keys = {
      '/': () => filter.focus(),
      '[': () => go(ui.at - 1),
      ']': () => go(ui.at + 1),
      'r': reset,
      ',': () => traceGo(trace.at - 1),
      '.': () => traceGo(trace.at + 1),
    };
    if (keys[ev.key]) { keys[ev.key](); ev.preventDefault(); }
  });

  render();
  mainView.home(initial);
  window.addEventListener('resize', () => mainView.reveal(here().to, false));

  // For the page's own tests and for the console: load a trace from text.
  window.fsmViewer = { loadTrace };
})();
