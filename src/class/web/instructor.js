/* The instructor's web view. Served by `kubelab class serve` under a Content-Security-Policy that
 * allows this file and nothing inline. Every learner-supplied string (names, titles, check
 * messages) reaches the page through textContent, never as HTML. The page listens to the server's
 * event stream; between two views it only moves the clocks ("on this step for 3m 05s"). */
/* global document, EventSource, Node, location, URLSearchParams */
'use strict';

(() => {
  const projector = new URLSearchParams(location.search).get('projector') === '1';
  const byId = (id) => document.getElementById(id);
  let csrfToken = '';
  /** Elements whose text is a duration that grows while the page waits for the next view. */
  let clocks = [];
  let receivedAt = 0;

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const cell of cells) tr.append(cell instanceof Node ? cell : el('td', cell));
    return tr;
  }

  function td(...children) {
    const cell = document.createElement('td');
    cell.append(...children);
    return cell;
  }

  function duration(ms) {
    const seconds = Math.floor(ms / 1000);
    if (seconds < 60) return `${seconds}s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
    return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
  }

  /** A duration that keeps counting from the view's moment when `running`. */
  function clock(ms, running, className) {
    const node = el('span', duration(ms), className);
    if (running) clocks.push({ node, ms });
    return node;
  }

  const STATE_LABELS = { active: 'on it', passed: '✓ passed', failed: '✗ failed', skipped: '↷ skipped', 'caught-up': '⤼ caught up' };

  function renderHeader(view) {
    const stuck = view.learners.filter((l) => l.stuck).length;
    const hands = view.learners.filter((l) => l.hand).length;
    const caughtUp = view.learners.filter((l) => l.caughtUpSteps > 0).length;
    byId('class-name').textContent = `Class ${view.className}${projector ? '' : ' · private'}`;
    document.title = `kubelab class ${view.className}`;
    byId('counts').replaceChildren(
      el('span', `${view.learners.length} learner${view.learners.length === 1 ? '' : 's'}`, 'count'),
      el('span', `${stuck} stuck`, stuck > 0 ? 'count bad' : 'count good'),
      el('span', `${hands} hand${hands === 1 ? '' : 's'} up`, hands > 0 ? 'count hand' : 'count'),
      el('span', `${caughtUp} used catch-up`, caughtUp > 0 ? 'count caught-up' : 'count'),
    );
  }

  function renderHands(view) {
    const raised = view.learners.filter((l) => l.hand).sort((a, b) => a.hand.raisedAt - b.hand.raisedAt);
    byId('no-hands').hidden = raised.length > 0;
    byId('hands').replaceChildren(
      ...raised.map((learner) => {
        const item = el('li', undefined, 'hand');
        item.dataset.learner = learner.id;
        item.append(el('span', 'HAND', 'hand-mark'), el('span', learner.name, 'name'), el('span', 'up'), clock(learner.hand.upMs, true, 'time'));
        const where = learner.stepTitle ? `${learner.lessonTitle ?? learner.lessonId} › ${learner.stepTitle}` : '';
        if (where) item.append(el('span', where, 'where'));
        if (!projector) {
          const button = el('button', 'Clear', 'clear');
          button.type = 'button';
          button.addEventListener('click', () => clearHand(learner.id, button));
          item.append(button);
        }
        return item;
      }),
    );
  }

  function renderSteps(view) {
    const rows = [];
    for (const lesson of view.lessons) {
      const title = el('th', `${lesson.title} — ${lesson.finished}/${lesson.total} finished`, 'lesson');
      title.colSpan = 7;
      const head = document.createElement('tr');
      head.append(title);
      rows.push(head);
      const ids = [...new Set([...lesson.steps.map((s) => s.stepId), ...lesson.results.map((r) => r.stepId)])];
      for (const stepId of ids) {
        const now = lesson.steps.find((s) => s.stepId === stepId);
        const done = lesson.results.find((r) => r.stepId === stepId);
        rows.push(
          row([
            now?.title ?? done?.title ?? stepId,
            now?.learners ?? 0,
            td(el('span', now?.stuck ?? 0, now?.stuck ? 'bad' : '')),
            td(el('span', done?.passed ?? 0, 'good')),
            td(el('span', done?.failed ?? 0, done?.failed ? 'bad' : '')),
            td(el('span', done?.caughtUp ?? 0, done?.caughtUp ? 'caught-up' : '')),
            done?.medianPassMs === undefined ? '' : duration(done.medianPassMs),
          ]),
        );
      }
    }
    byId('steps').tBodies[0].replaceChildren(...rows);
  }

  function renderLearners(view) {
    byId('learners').tBodies[0].replaceChildren(
      ...view.learners.map((learner) => {
        const who = td(el('span', learner.name, 'name'));
        if (learner.hand) who.prepend(el('span', 'HAND', 'hand-mark'));
        if (learner.caughtUpSteps > 0) who.append(el('span', ` ⤼ caught up ${learner.caughtUpSteps}`, 'badge caught-up'));
        // The step alone fits a projector's line; its lesson is in the steps panel and on hover.
        const where = td(el('span', learner.stepId ? (learner.stepTitle ?? learner.stepId) : (learner.lessonTitle ?? '(not started)')));
        where.title = learner.lessonTitle ?? learner.lessonId ?? '';
        if (learner.stepState && learner.stepState !== 'active') where.append(el('span', ` ${STATE_LABELS[learner.stepState] ?? learner.stepState}`, `badge ${learner.stepState}`));
        const time = td(learner.timeOnStepMs === undefined ? el('span', '') : clock(learner.timeOnStepMs, learner.stepState === 'active'));
        const check = learner.lastCheck ? `${learner.lastCheck.outcome === 'passed' ? '✓' : '✗'} ${learner.lastCheck.message || learner.lastCheck.checkId}` : '';
        const last = td(el('span', learner.stuck ? `${learner.stuckReason} · ${check}` : check, 'check'));
        const tr = row([who, where, time, `${learner.hintsUsed}${learner.solutionShown ? '+S' : ''}`, last]);
        tr.dataset.learner = learner.id;
        if (learner.stuck) tr.className = 'stuck';
        if (learner.hand) tr.classList.add('raised');
        return tr;
      }),
    );
  }

  function render(view) {
    clocks = [];
    receivedAt = Date.now();
    renderHeader(view);
    renderHands(view);
    renderSteps(view);
    renderLearners(view);
  }

  function tick() {
    const elapsed = Date.now() - receivedAt;
    for (const { node, ms } of clocks) node.textContent = duration(ms + elapsed);
  }

  async function clearHand(learnerId, button) {
    button.disabled = true;
    const response = await fetch(`/class/hands/${encodeURIComponent(learnerId)}/clear`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'x-kubelab-csrf': csrfToken },
    }).catch(() => undefined);
    if (!response || !response.ok) {
      button.disabled = false;
      byId('connection').textContent = 'Could not clear that hand: is the class server still running?';
    }
  }

  function connect() {
    const status = byId('connection');
    const source = new EventSource(`/class/stream${projector ? '?projector=1' : ''}`);
    source.addEventListener('view', (event) => {
      render(JSON.parse(event.data));
      status.textContent = `Live · updated ${new Date().toLocaleTimeString()}`;
      status.className = 'live';
    });
    source.addEventListener('error', () => {
      const closed = source.readyState === EventSource.CLOSED;
      status.textContent = closed ? 'Not signed in, or the class server stopped: open a new link (press w in the class serve terminal).' : 'Reconnecting…';
      status.className = 'lost';
    });
  }

  document.body.classList.toggle('projector', projector);
  const mode = byId('mode');
  mode.textContent = projector ? 'Private view (names)' : 'Projector mode (no names)';
  mode.href = projector ? '?' : '?projector=1';
  if (projector) {
    byId('record').remove();
  }
  fetch('/class/session', { credentials: 'same-origin' })
    .then((response) => (response.ok ? response.json() : undefined))
    .then((session) => {
      if (session) csrfToken = session.csrfToken;
    })
    .catch(() => undefined);
  connect();
  setInterval(tick, 1000);
})();
