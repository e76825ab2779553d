// jsplice fleet dashboard. Plain JavaScript, no framework, no third-party code.
// It reads the admin routes of the REST API (/api/v1/...) with the session cookie and acts through
// the same routes the CLI calls. Every change carries the session's CSRF token. Text from the
// server is always put in the page as text (textContent), never as markup.
'use strict';
(function () {
  const CSRF = document.querySelector('meta[name="csrf-token"]').content;
  const main = document.getElementById('main');
  const noticeBox = document.getElementById('notice');
  const API = '/api/v1';

  // ---- building blocks

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.substring(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function link(href, text, attrs) {
    return el('a', Object.assign({ href: href }, attrs || {}), text);
  }

  function badge(text, kind, attrs) {
    return el('span', Object.assign({ class: 'badge' + (kind ? ' ' + kind : '') }, attrs || {}), text);
  }

  function table(id, headers, rows, empty) {
    if (rows.length === 0) {
      return el('p', { class: 'muted', id: id }, empty || 'None.');
    }
    return el('div', { class: 'scroll' },
      el('table', { id: id },
        el('thead', {}, el('tr', {}, headers.map(h =>
          el('th', typeof h === 'string' ? {} : h[1], typeof h === 'string' ? h : h[0])))),
        el('tbody', {}, rows.map(cells => el('tr', cells.attrs || {},
          (cells.cells || cells).map(c => c instanceof Node && c.tagName === 'TD' ? c : el('td', {}, c)))))));
  }

  function num(value) {
    return el('td', { class: 'num' }, String(value));
  }

  function card(id, value, label, kind) {
    return el('div', { class: 'card' + (kind && value > 0 ? ' ' + kind : ''), id: 'count-' + id },
      el('div', { class: 'value' }, String(value)),
      el('div', { class: 'label' }, label));
  }

  function facts(pairs) {
    return el('dl', { class: 'facts' }, pairs.filter(p => p[1] !== null && p[1] !== undefined && p[1] !== '')
      .map(p => [el('dt', {}, p[0]), el('dd', p[2] || {}, p[1])]));
  }

  function when(text) {
    if (!text) return el('span', { class: 'muted' }, 'never');
    const at = new Date(text);
    const seconds = Math.round((Date.now() - at.getTime()) / 1000);
    let ago;
    if (Math.abs(seconds) < 60) ago = 'just now';
    else if (seconds < 3600) ago = Math.round(seconds / 60) + ' min ago';
    else if (seconds < 86400) ago = Math.round(seconds / 3600) + ' h ago';
    else ago = Math.round(seconds / 86400) + ' d ago';
    return el('time', { datetime: text, title: at.toISOString() }, ago);
  }

  function enc(text) {
    return encodeURIComponent(text);
  }

  /** The dashboard page of which JVMs are still exposed to {@code cve}. */
  function cvePath(cve) {
    return '/dashboard/cves/' + enc(cve);
  }

  /** The dashboard page of update {@code id}'s history on host {@code host}. */
  function historyPath(host, id) {
    return '/dashboard/hosts/' + enc(host) + '/updates/' + enc(id);
  }

  function notice(text, kind) {
    noticeBox.textContent = text;
    noticeBox.className = kind;
    noticeBox.hidden = false;
  }

  // ---- the API

  class ApiError extends Error {}

  async function api(path, options) {
    const opts = options || {};
    const init = { method: opts.method || 'GET', credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (init.method !== 'GET') {
      init.headers['X-CSRF-Token'] = CSRF;
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(opts.body || {});
    }
    const response = await fetch(API + path, init);
    if (response.status === 401) {
      location.assign('/dashboard/login');
      throw new ApiError('the session ended; log in again');
    }
    if (response.status === 204) return null;
    let body = null;
    try { body = await response.json(); } catch (e) { /* not JSON */ }
    if (!response.ok) {
      throw new ApiError(body && body.message ? body.message : 'the server answered ' + response.status);
    }
    return body;
  }

  /** Runs an admin action through the API, then shows the page again with the outcome. */
  async function act(button, method, path, body, done) {
    button.disabled = true;
    try {
      await api(path, { method: method, body: body });
      notice(done, 'ok');
    } catch (e) {
      notice(e.message, 'error');
    }
    await show();
  }

  // ---- verdicts as words

  const HOST_STATE = { ACTIVE: 'good', PENDING: 'warn', DEACTIVATED: 'bad' };
  const STALE = {
    CURRENT: ['runs what is on disk', 'good'], STALE: ['stale: a library changed on disk', 'bad'],
    POSSIBLY_STALE: ['possibly stale', 'warn'], UNKNOWN: ['stale: not checked', '']
  };
  const OUTLOOK = {
    SAME: ['restart: same code', 'good'], DIFFERENT: ['restart: different code', 'warn'],
    WOULD_LOSE_FIX: ['would lose a fix on restart', 'bad'], UNKNOWN: ['restart: not checked', '']
  };
  const VERDICT = { LIVE: 'good', LIVE_NEEDS_HOOK: 'warn', NOT_LIVE: 'bad' };
  const IN_FORCE = { FULL: ['fully in force', 'good'], PARTLY: ['partly in force', 'warn'], NONE: ['not live', 'bad'] };
  const JVM_STATE = { IN_FORCE: ['in force', 'good'], MISSING: ['missing', 'bad'], FAILED: ['failed', 'bad'] };
  const EVENT = {
    APPLIED: 'good', APPLY_FAILED: 'bad', REAPPLIED_BY_AGENT: 'good', UNDONE_BY_OPERATOR: 'warn',
    SKIPPED_DEACTIVATED: 'warn', TRIPWIRE: 'bad', HEALTH_GATE_FAILED: 'bad', HEALTH_GATE_PASSED: 'good',
    JVM_DIED_AFTER_UPDATE: 'bad', UNDONE_BY_ROLLOUT: 'warn', SKIPPED_BLOCKED: 'warn'
  };

  function stateBadge(state, id) {
    return badge(state, HOST_STATE[state], { id: id });
  }

  function eventRows(events, withHost) {
    return events.map(e => ({
      attrs: { 'data-seq': e.seq },
      cells: [when(e.at)]
        .concat(withHost ? [link('/dashboard/hosts/' + enc(e.host), e.host)] : [])
        .concat([badge(e.kind, EVENT[e.kind]), e.pid ? String(e.pid) : '',
          e.updateId ? link('/dashboard/updates/' + enc(e.updateId), e.updateId) : '',
          e.cause || '', el('span', { class: 'message' }, e.message || '')])
    }));
  }

  // ---- pages

  async function overview() {
    const [ov, hosts, updates] = await Promise.all([
      api('/fleet/overview'), api('/hosts'), api('/updates')]);
    const shown = updates.updates.slice().reverse().slice(0, 20);
    const rolloutLists = await Promise.all(shown.map(u => api('/updates/' + enc(u.id) + '/rollouts')));
    const s = ov.status;
    const page = [el('h1', {}, 'Fleet'),
      el('div', { class: 'cards', id: 'counts' },
        card('hosts-active', s.hostsActive, 'active hosts'),
        card('hosts-pending', s.hostsPending, 'pending hosts', 'warn'),
        card('hosts-deactivated', s.hostsDeactivated, 'deactivated hosts', 'warn'),
        card('hosts-silent', s.hostsSilent, 'silent hosts', 'warn'),
        card('jvms', s.jvms, 'JVMs'),
        card('vulnerable', s.jvmsVulnerable, 'vulnerable JVMs', 'bad'),
        card('patched', s.jvmsPatched, 'patched JVMs', 'good'),
        card('partly', ov.jvmsPartlyInForce, 'partly in force', 'warn'),
        card('stale', s.jvmsStale, 'stale JVMs', 'warn'),
        card('would-lose-fix', ov.jvmsWouldLoseFix, 'would lose a fix', 'bad'),
        card('tripwires', ov.tripwireEvents, 'exploit attempts blocked', 'bad'))];

    const cveQuery = el('input', { id: 'cve-query', placeholder: 'CVE-2022-42889', 'aria-label': 'CVE id',
      required: true });
    page.push(el('form', { class: 'actions', id: 'cve-form',
      onsubmit: ev => { ev.preventDefault(); location.assign(cvePath(cveQuery.value.trim())); } },
    el('label', { for: 'cve-query' }, 'Which JVMs are still exposed to'), cveQuery,
    el('button', { id: 'cve-show', type: 'submit', class: 'secondary' }, 'Show')));

    page.push(el('h2', {}, 'Hosts'));
    page.push(table('hosts', ['Host', 'State', 'Group', ['Ring', { class: 'hide-narrow' }], 'JVMs', 'Patched',
      'Vulnerable', ['Last seen', { class: 'hide-narrow' }], ''],
      hosts.hosts.map(h => ({
        attrs: { 'data-host': h.name },
        cells: [link('/dashboard/hosts/' + enc(h.name), h.name),
          el('td', {}, stateBadge(h.state), h.reason ? el('div', { class: 'muted' }, h.reason) : null),
          h.group, el('td', { class: 'hide-narrow' }, h.ring || ''), num(h.jvms), num(h.jvmsPatched),
          num(h.jvmsVulnerable), el('td', { class: 'hide-narrow' }, when(h.lastSeen)),
          h.state === 'DEACTIVATED' || h.state === 'PENDING'
            ? el('button', { class: 'secondary', 'data-action': 'activate',
              onclick: ev => act(ev.target, 'POST', '/hosts/' + enc(h.name) + '/activate', {}, h.name + ' is active') }, 'Activate')
            : el('button', { class: 'secondary', 'data-action': 'deactivate',
              onclick: ev => act(ev.target, 'POST', '/hosts/' + enc(h.name) + '/deactivate',
                { reason: 'from the dashboard' }, h.name + ' is deactivated') }, 'Deactivate')]
      })), 'No host has enrolled yet.'));

    page.push(el('h2', {}, 'Updates'));
    page.push(table('updates', ['Update', 'CVEs', 'Targets', 'JVMs running it', 'Failed', 'Rollouts',
      ['Published', { class: 'hide-narrow' }]],
      shown.map((u, i) => ({
        attrs: { 'data-update': u.id },
        cells: [link('/dashboard/updates/' + enc(u.id), u.id), u.cves.join(', '),
          u.targets.map(t => t.artifactId + ' ' + (t.fromVersion || '?') + ' → ' + (t.toVersion || '?')).join(', '),
          num(u.jvmsApplied), num(u.jvmsFailed),
          el('td', {}, rolloutLists[i].rollouts.map(r => el('div', {}, r.group + ' ',
            badge(r.state === 'RUNNING' ? 'RUNNING ' + r.rings[r.ring] : r.state, ROLLOUT[r.state])))),
          el('td', { class: 'hide-narrow' }, when(u.publishedAt))]
      })), 'Nothing is published yet.'));

    page.push(el('h2', {}, 'Exploit attempts blocked (tripwires)'));
    page.push(table('tripwires', ['When', 'Host', 'What', 'JVM', 'Update', 'CVE', 'Detail'],
      eventRows(ov.recentTripwires, true), 'No exploit attempt was blocked.'));
    return page;
  }

  async function host(name) {
    const d = await api('/hosts/' + enc(name));
    const h = d.host;
    const page = [el('h1', {}, 'Host ', el('span', { class: 'mono' }, h.name), ' ', stateBadge(h.state, 'host-state'))];
    if (h.state === 'DEACTIVATED') {
      page.push(el('p', { class: 'reason', id: 'host-reason' },
        'Deactivated' + (h.reason ? ': ' + h.reason : '') + '. It gets no updates until an admin activates it.'));
    } else if (h.state === 'PENDING') {
      page.push(el('p', { class: 'reason', id: 'host-reason' }, 'Waiting for an admin to activate it; it gets no updates until then.'));
    }
    page.push(el('div', { class: 'panel' }, facts([
      ['Group', h.group], ['Ring', h.ring || '(last ring)'], ['Hostname', h.hostname], ['Machine id', h.machineId],
      ['Enrolled', when(h.enrolledAt)], ['Last seen', when(h.lastSeen)], ['Last report', when(h.lastReport)],
      ['JVMs', h.jvms + ' (' + h.jvmsPatched + ' patched, ' + h.jvmsVulnerable + ' vulnerable)']])));
    const actions = el('div', { class: 'actions' });
    if (h.state === 'DEACTIVATED' || h.state === 'PENDING') {
      actions.append(el('button', { id: 'activate',
        onclick: ev => act(ev.target, 'POST', '/hosts/' + enc(h.name) + '/activate', {}, h.name + ' is active') }, 'Activate'));
    } else {
      const reason = el('input', { id: 'deactivate-reason', placeholder: 'reason (e.g. change freeze)', 'aria-label': 'reason' });
      actions.append(reason, el('button', { id: 'deactivate', class: 'danger',
        onclick: ev => act(ev.target, 'POST', '/hosts/' + enc(h.name) + '/deactivate',
          { reason: reason.value || null }, h.name + ' is deactivated') }, 'Deactivate'));
    }
    page.push(actions);

    page.push(el('h2', {}, 'JVMs (' + d.jvms.length + ')'));
    if (d.jvms.length === 0) page.push(el('p', { class: 'muted' }, 'Its daemon reported no JVM.'));
    const jvms = el('div', { class: 'panel', id: 'jvms' });
    for (const j of d.jvms) {
      const stale = STALE[j.stale] || [j.stale, ''];
      const outlook = OUTLOOK[j.verify] || [j.verify, ''];
      jvms.append(el('div', { class: 'jvm', id: 'jvm-' + j.pid, 'data-key': j.key },
        el('strong', {}, 'JVM ' + j.pid), ' ', el('span', { class: 'mono' }, j.mainClass || ''), ' ',
        badge(j.agent ? 'agent' : 'no agent', j.agent ? 'good' : ''), ' ',
        badge(stale[0], stale[1], { 'data-stale': j.stale }), ' ',
        badge(outlook[0], outlook[1], { 'data-verify': j.verify }),
        facts([['JDK', j.jdkVersion], ['Started', j.startedAt ? when(j.startedAt) : null], ['Service', j.service],
          ['Command line', j.commandLine, { class: 'mono' }]]),
        el('div', {}, el('span', { class: 'muted' }, 'Updates in force: '),
          j.updates.length === 0 ? el('span', { class: 'muted' }, 'none')
            : j.updates.map((u, i) => [i ? ', ' : '', link('/dashboard/updates/' + enc(u.id), u.id),
              u.reapplied ? ' (reapplied by its agent at start)' : ''])),
        el('details', {}, el('summary', {}, j.artifacts.length + ' libraries loaded'),
          table('artifacts-' + j.pid, ['Library', 'Version', 'Effectively', ['Jar', { class: 'hide-narrow' }]],
            j.artifacts.map(a => [(a.groupId ? a.groupId + ':' : '') + a.artifactId, a.version || '?',
              a.effectiveVersion || '', el('td', { class: 'hide-narrow mono' }, a.source || '')])))));
    }
    if (d.jvms.length) page.push(jvms);
    page.push(...await hostUpdates(h.name, d.jvms));
    const advisories = await api('/hosts/' + enc(name) + '/advisories');
    page.push(el('h2', {}, 'Advisories'));
    page.push(table('advisories', ['JVM', 'Library', 'Advisory', 'CVEs', 'Fixed in', 'Patched by'],
      advisories.advisories.map(a => ({ attrs: { 'data-advisory': a.advisory },
        cells: [String(a.pid), el('span', { class: 'mono' }, a.library), a.advisory, a.cves.join(', '), a.fixedIn || '',
          a.patchedBy.length ? a.patchedBy.map((u, i) => [i ? ', ' : '', link('/dashboard/updates/' + enc(u), u)])
            : badge('not patched', 'bad')] })),
      'No imported advisory affects what its JVMs loaded.'));
    page.push(el('h2', {}, 'Latest events'));
    page.push(table('events', ['When', 'What', 'JVM', 'Update', 'Cause', 'Message'], eventRows(d.events, false),
      'No event yet.'));
    return page;
  }

  /** Where an update stands in one JVM, as words: held is a failure for the classes it leaves out. */
  function jvmState(j) {
    if (j.state === 'FAILED' && j.cause === 'CLASSES_LEFT_OUT') return ['held: classes left out', 'warn'];
    return JVM_STATE[j.state] || [j.state, ''];
  }

  /**
   * The host page's updates: every published update in force in one of its JVMs or targeting a
   * library one of them loaded, JVM by JVM, each with a link to its history on this host. Asks
   * the server only about the updates whose library (group and artifact) a JVM here loaded.
   */
  async function hostUpdates(name, hostJvms) {
    const catalog = await api('/updates');
    const running = new Set(hostJvms.flatMap(j => j.updates.map(u => u.id)));
    const loaded = new Set(hostJvms.flatMap(j => j.artifacts.map(a => (a.groupId || '') + ':' + a.artifactId)));
    const concerned = catalog.updates.filter(u => running.has(u.id) ||
      u.targets.some(t => loaded.has((t.groupId || '') + ':' + t.artifactId)));
    const lists = await Promise.all(concerned.map(u => api('/updates/' + enc(u.id) + '/jvms')));
    const rows = [];
    lists.forEach((list, i) => list.jvms.filter(j => j.host === name).forEach(j => {
      const s = jvmState(j);
      rows.push({ attrs: { 'data-update': concerned[i].id, 'data-pid': j.pid },
        cells: [link('/dashboard/updates/' + enc(concerned[i].id), concerned[i].id), String(j.pid),
          el('td', {}, badge(s[0], s[1]), j.detail ? el('div', { class: 'muted message' }, j.detail) : null),
          link(historyPath(name, concerned[i].id), 'History', { class: 'history' })] });
    }));
    return [el('h2', {}, 'Updates'),
      table('host-updates', ['Update', 'JVM', 'State', ''], rows,
        'No published update concerns what its JVMs loaded.')];
  }

  /**
   * An update's history on one host: where it stands in the host's JVMs now, and every event the
   * host's daemon reported about it (GET /api/v1/events?host=&update=), newest first. Events are
   * kept by the host's name, so a removed host's history is still shown.
   */
  async function history(name, id) {
    const [u, jvms] = await Promise.all([api('/updates/' + enc(id)), api('/updates/' + enc(id) + '/jvms')]);
    const events = [];
    let after = 0;
    for (;;) {
      const page = await api('/events?host=' + enc(name) + '&update=' + enc(id) + '&after=' + after + '&limit=1000');
      events.push(...page.events);
      if (page.events.length < 1000) break;
      after = page.next;
    }
    events.reverse();
    const here = jvms.jvms.filter(j => j.host === name);
    return [el('h1', {}, 'Update ', el('span', { class: 'mono' }, u.id), ' on ', el('span', { class: 'mono' }, name)),
      el('p', { class: 'actions' }, link('/dashboard/hosts/' + enc(name), 'Host ' + name, { id: 'history-host' }),
        link('/dashboard/updates/' + enc(u.id), 'Update ' + u.id, { id: 'history-update' }),
        el('span', { class: 'muted' }, u.cves.join(', '))),
      el('h2', {}, 'Now'),
      table('history-jvms', ['JVM', 'Main class', 'State'], here.map(j => {
        const s = jvmState(j);
        return { attrs: { 'data-pid': j.pid },
          cells: [String(j.pid), el('span', { class: 'mono' }, j.mainClass || ''),
            el('td', {}, badge(s[0], s[1]), j.detail ? el('div', { class: 'muted message' }, j.detail) : null)] };
      }), 'None of its JVMs runs this update or loaded the release it targets.'),
      el('h2', {}, 'History'),
      el('p', { class: 'muted' }, events.length + ' event(s) its daemon reported about this update, newest first.'),
      table('history', ['When', 'What', 'JVM', 'Cause', 'Message'], events.map(e => ({
        attrs: { 'data-seq': e.seq, 'data-kind': e.kind },
        cells: [when(e.at), badge(e.kind, EVENT[e.kind]), e.pid ? 'JVM ' + e.pid : '', e.cause || '',
          el('span', { class: 'message' }, e.message || '')]
      })), 'Its daemon reported nothing about this update.')];
  }

  /**
   * Which JVMs are still exposed to a CVE, fleet-wide (GET /api/v1/cves/CVE), exposed first, with
   * the same as CSV and JSON for an auditor, and each JVM's history of the updates naming the CVE.
   */
  async function cve(id) {
    const r = await api('/cves/' + enc(id));
    const exposed = r.jvms.filter(j => j.exposed);
    const hosts = new Set(exposed.map(j => j.host)).size;
    return [el('h1', {}, 'Exposure to ', el('span', { class: 'mono' }, r.cve)),
      el('p', { id: 'cve-summary', class: exposed.length ? 'reason' : '' },
        exposed.length + ' JVM(s) on ' + hosts + ' host(s) still exposed, ' + (r.jvms.length - exposed.length) + ' patched'),
      el('div', { class: 'panel' }, facts([
        ['Advisories', r.advisories.join(', ') || 'none imported'],
        ['Updates', r.updates.length ? r.updates.map((u, i) => [i ? ', ' : '', link('/dashboard/updates/' + enc(u), u)])
          : 'none published'],
        ['Export', [link(API + '/cves/' + enc(r.cve) + '/csv', 'CSV', { id: 'cve-csv', download: r.cve + '-exposure.csv' }), ' ',
          link(API + '/cves/' + enc(r.cve), 'JSON', { id: 'cve-json' })]]])),
      table('cve-jvms', ['Host', 'JVM', ['Main class', { class: 'hide-narrow' }], 'Library', 'State', 'Updates', ''],
        r.jvms.map(j => {
          const named = j.patchedBy.concat(j.missing);
          return { attrs: { 'data-host': j.host, 'data-pid': j.pid },
            cells: [link('/dashboard/hosts/' + enc(j.host), j.host), String(j.pid),
              el('td', { class: 'hide-narrow mono' }, j.mainClass || ''), el('span', { class: 'mono' }, j.library || ''),
              el('td', {}, j.exposed ? badge('exposed', 'bad') : badge('patched', 'good'),
                j.lastFailure ? el('div', { class: 'muted message' }, j.lastFailure) : null),
              [j.patchedBy.length ? 'by ' + j.patchedBy.join(', ') : '', j.missing.length ? ' missing ' + j.missing.join(', ') : ''],
              named.length ? link(historyPath(j.host, named[0]), 'History', { class: 'history' }) : ''] };
        }), 'No JVM the daemons reported loaded a release it concerns.')];
  }

  async function update(id) {
    const [u, a, jvms, groups] = await Promise.all([
      api('/updates/' + enc(id)), api('/updates/' + enc(id) + '/analysis'),
      api('/updates/' + enc(id) + '/jvms'), api('/groups')]);
    const inForce = IN_FORCE[a.inForce] || [a.inForce, ''];
    const page = [el('h1', {}, 'Update ', el('span', { class: 'mono' }, u.id)),
      el('p', {}, u.description),
      el('div', { class: 'panel' }, facts([
        ['CVEs', u.cves.length ? u.cves.map((c, i) => [i ? ', ' : '', link(cvePath(c), c, { class: 'cve' })])
          : 'none named'],
        ['Targets', u.targets.map(t => (t.groupId ? t.groupId + ':' : '') + t.artifactId + ' ' + (t.fromVersion || '?') +
          ' → ' + (t.toVersion || '?')).join(', ')],
        ['Requires', u.requires.join(', ')],
        ['Published', [when(u.publishedAt), ' by ' + u.publishedBy]],
        ['Signed by', u.signer], ['SHA-256', u.sha256, { class: 'mono' }], ['Size', u.size + ' bytes'],
        ['Statement', link(API + '/updates/' + enc(u.id) + '/vex', 'CycloneDX VEX', { id: 'vex' })]]))];

    page.push(el('h2', {}, 'Analysis'));
    page.push(el('div', { class: 'panel', id: 'analysis' },
      el('div', { class: 'actions' }, badge(a.verdict, VERDICT[a.verdict], { id: 'verdict' }),
        badge(inForce[0], inForce[1], { id: 'in-force' }),
        el('span', { class: 'muted' }, a.classes.length + ' classes, ' + a.stateActions + ' state actions, ' +
          a.hooks.length + ' hooks')),
      a.notes.length ? el('ul', {}, a.notes.slice(0, 3).map(n => el('li', {}, n))) : null,
      a.notes.length > 3 ? el('details', {}, el('summary', {}, (a.notes.length - 3) + ' more notes'),
        el('ul', {}, a.notes.slice(3).map(n => el('li', {}, n)))) : null,
      a.mechanisms.length ? el('p', { class: 'muted' }, 'How: ' + a.mechanisms.join('; ')) : null,
      el('details', {}, el('summary', {}, 'Class by class'),
        table('classes', ['Class', 'Change', 'Verdict', 'Changes', 'Notes'],
          a.classes.map(c => [el('span', { class: 'mono' }, c.name), c.status, badge(c.verdict, VERDICT[c.verdict]),
            num(c.changes), c.notes.join(' ')])))));

    const approvalGroups = groups.groups.filter(g => g.policy === 'APPROVAL');
    if (approvalGroups.length) {
      page.push(el('h2', {}, 'Approval'));
      page.push(table('approvals', ['Group', 'Hosts', 'Approved', ''], approvalGroups.map(g => {
        const approved = u.approvedGroups.includes(g.name);
        return [g.name, num(g.hosts), approved ? badge('approved', 'good') : badge('waiting', 'warn'),
          approved ? '' : el('button', { id: 'approve-' + g.name,
            onclick: ev => act(ev.target, 'POST', '/updates/' + enc(u.id) + '/approvals', { group: g.name },
              u.id + ' is approved for ' + g.name) }, 'Approve')];
      })));
    }

    page.push(...leftOut(u, a, jvms, groups));

    page.push(...await rollouts(u));

    page.push(el('h2', {}, 'JVMs'));
    page.push(el('p', { class: 'muted', id: 'jvm-counts' }, jvms.jvms.filter(j => j.state === 'IN_FORCE').length +
      ' run it, ' + jvms.jvms.filter(j => j.state === 'MISSING').length + ' need it, ' +
      jvms.jvms.filter(j => j.state === 'FAILED').length + ' failed'));
    page.push(table('update-jvms', ['Host', 'Group', 'Ring', 'JVM', 'Main class', 'Release', 'State', ''],
      jvms.jvms.map(j => {
        const s = jvmState(j);
        return { attrs: { 'data-host': j.host, 'data-pid': j.pid },
          cells: [link('/dashboard/hosts/' + enc(j.host), j.host), j.group, j.ring || '', String(j.pid),
            el('span', { class: 'mono' }, j.mainClass), j.version || '',
            el('td', {}, badge(s[0], s[1]), j.detail ? el('div', { class: 'muted' }, j.detail) : null),
            link(historyPath(j.host, u.id), 'History on ' + j.host, { class: 'history' })] };
      }), 'No JVM loaded what this update targets.'));
    return page;
  }

  /**
   * The update page's part on the classes a live subset leaves out: which classes, where an admin
   * accepted them, the JVMs it is held in for that (CLASSES_LEFT_OUT), and the buttons that accept
   * them for this update only, in one group or in every group.
   */
  function leftOut(u, a, jvms, groups) {
    if (!a.leftOut || a.leftOut.length === 0) return [];
    const everyGroup = u.leftOutAccepted.includes('*');
    const byPolicy = new Set(groups.groups.filter(g => g.acceptLeftOut).map(g => g.name));
    const accepted = g => everyGroup || u.leftOutAccepted.includes(g) || byPolicy.has(g);
    const held = jvms.jvms.filter(j => j.state === 'FAILED' && j.cause === 'CLASSES_LEFT_OUT');
    const accept = (group, label, id) => el('button', { id: id, class: group ? 'secondary' : '',
      'data-group': group || '*',
      onclick: ev => act(ev.target, 'POST', '/updates/' + enc(u.id) + '/left-out-acceptances', { group: group },
        (group ? 'hosts of group ' + group : 'hosts of every group') + ' apply ' + u.id +
        ' though it leaves out classes; their daemons try again at their next poll') }, label);
    const where = everyGroup ? 'every group'
      : u.leftOutAccepted.concat([...byPolicy].filter(g => !u.leftOutAccepted.includes(g)).map(g => g + ' (group policy)'))
        .join(', ');
    // Each acceptance of this update can be withdrawn: hosts that have not applied it hold it again;
    // JVMs where it is in force keep it (listed below as kept).
    const withdraw = scope => el('button', { class: 'secondary', 'data-scope': scope,
      id: 'withdraw-left-out-' + (scope === '*' ? 'every-group' : scope),
      onclick: ev => act(ev.target, 'DELETE', '/updates/' + enc(u.id) + '/left-out-acceptances/' + enc(scope), null,
        'withdrew the acceptance for ' + (scope === '*' ? 'every group' : 'group ' + scope) + ': hosts that have not applied ' +
        u.id + ' hold it again; JVMs where it is in force keep it') },
      'Withdraw the acceptance for ' + (scope === '*' ? 'every group' : 'group ' + scope));
    const kept = jvms.jvms.filter(j => j.state === 'IN_FORCE' && !accepted(j.group));
    return [el('h2', {}, 'Classes left out'),
      el('div', { class: 'panel', id: 'left-out' },
        el('p', {}, 'This update leaves out ' + a.leftOut.length + ' class(es) of the fixed release (a live subset): ' +
          'a JVM keeps their old code until it restarts on the fixed release, and jsplice cannot tell whether the fix is ' +
          'among them. Daemons apply it only where an admin accepted that; state built before the update is never accepted.'),
        el('ul', { id: 'left-out-classes' }, a.leftOut.map(c => el('li', { class: 'mono' }, c))),
        el('p', { id: 'left-out-accepted' }, el('span', { class: 'muted' }, 'Accepted in: '),
          where || el('span', { class: 'muted' }, 'no group')),
        u.leftOutAccepted.length === 0 ? null : el('div', { class: 'actions', id: 'left-out-withdraw' },
          u.leftOutAccepted.map(withdraw)),
        kept.length === 0 ? null : el('div', { id: 'left-out-kept' },
          el('p', {}, 'In force in ' + kept.length + ' JVM(s) of groups that no longer accept the classes it leaves out: ' +
            'they keep it, a withdrawn acceptance undoes nothing. To take it out, roll it back in the group (Rollouts, below) ' +
            'or run jsplice undo PID ' + u.id + ' on the host.'),
          table('left-out-kept-jvms', ['Host', 'Group', 'JVM', 'Main class'],
            kept.map(j => ({ attrs: { 'data-host': j.host, 'data-pid': j.pid },
              cells: [link('/dashboard/hosts/' + enc(j.host), j.host), j.group, String(j.pid),
                el('span', { class: 'mono' }, j.mainClass)] })), '')),
        table('left-out-held', ['Host', 'Group', 'JVM', 'Main class', 'Why', ''],
          held.map(j => ({ attrs: { 'data-host': j.host, 'data-pid': j.pid },
            cells: [link('/dashboard/hosts/' + enc(j.host), j.host), j.group, String(j.pid),
              el('span', { class: 'mono' }, j.mainClass), el('span', { class: 'message' }, j.detail || ''),
              accepted(j.group) ? badge('accepted: tried again at its next poll', 'good')
                : accept(j.group, 'Accept for group ' + j.group, null)] })),
          'No JVM is held for the classes it leaves out.'),
        everyGroup ? null : el('div', { class: 'actions' },
          accept(null, 'Accept in every group', 'accept-left-out-every-group')))];
  }

  const ROLLOUT = { NOT_STARTED: '', RUNNING: 'good', COMPLETE: 'good', PAUSED: 'warn', ROLLED_BACK: 'bad' };

  /** The update page's rollouts: one per group, ring by ring, with what an admin can do. */
  async function rollouts(u) {
    const list = await api('/updates/' + enc(u.id) + '/rollouts');
    const out = [el('h2', {}, 'Rollouts')];
    for (const r of list.rollouts) {
      const path = '/updates/' + enc(u.id) + '/rollouts/' + enc(r.group) + '/';
      const reason = el('input', { id: 'rollout-reason-' + r.group, placeholder: 'reason', 'aria-label': 'reason' });
      const button = (action, label, kind, body) => el('button', {
        id: 'rollout-' + action + '-' + r.group, class: kind || '',
        onclick: ev => act(ev.target, 'POST', path + action, body ? { reason: reason.value || null } : {},
          u.id + ' in ' + r.group + ': ' + label.toLowerCase() + ' done')
      }, label);
      const actions = el('div', { class: 'actions' });
      if (r.state === 'NOT_STARTED' || r.state === 'ROLLED_BACK') {
        actions.append(button('start', 'Start'));
      }
      if (r.state === 'RUNNING' || r.state === 'COMPLETE') {
        actions.append(reason, button('pause', 'Pause', 'secondary', true));
      }
      if (r.state === 'PAUSED') {
        actions.append(button('resume', 'Resume'));
      }
      if (r.state === 'RUNNING' && r.ring < r.rings.length - 1) {
        actions.append(button('promote', 'Promote to ' + r.rings[r.ring + 1], 'secondary'));
      }
      if (r.state !== 'NOT_STARTED' && r.state !== 'ROLLED_BACK') {
        if (!actions.contains(reason)) actions.append(reason);
        actions.append(button('rollback', 'Roll back', 'danger', true));
      }
      out.push(el('div', { class: 'panel rollout', id: 'rollout-' + r.group },
        el('div', { class: 'actions' }, el('strong', {}, 'Group ' + r.group), ' ',
          badge(r.state, ROLLOUT[r.state], { id: 'rollout-state-' + r.group }), ' ',
          el('span', { class: 'muted' }, r.policy + (r.promoteAfterSeconds === null ? ', promoted by an admin'
            : ', promoted after ' + r.promoteAfterSeconds + ' s healthy'))),
        r.reason ? el('p', { class: 'reason', id: 'rollout-reason-text-' + r.group }, r.reason) : null,
        el('div', { class: 'rings' }, r.progress.map((p, i) => [i ? el('span', { class: 'muted' }, '→') : null,
          el('span', { class: 'ring' + (p.reached ? ' reached' : '') + (i === r.ring ? ' current' : ''),
            'data-ring': p.ring, title: p.hosts + ' host(s)' },
          p.ring + ': ' + p.jvmsInForce + '/' + (p.jvmsInForce + p.jvmsMissing) + ' JVMs' +
            (p.jvmsHealthy ? ', ' + p.jvmsHealthy + ' healthy' : '') +
            (p.jvmsUnhealthy ? ', ' + p.jvmsUnhealthy + ' unhealthy' : ''))])),
        r.changedAt ? el('p', { class: 'muted' }, 'Last change ', when(r.changedAt), ' by ' + r.changedBy) : null,
        actions));
    }
    return out;
  }

  async function audit() {
    let after = 0;
    const entries = [];
    for (;;) {
      const page = await api('/audit?after=' + after + '&limit=1000');
      entries.push(...page.entries);
      if (page.entries.length < 1000) break;
      after = page.next;
    }
    entries.reverse();
    return [el('h1', {}, 'Audit log'),
      el('p', { class: 'muted' }, 'Every admin action, recorded in the transaction that performed it; newest first.'),
      table('audit', ['#', 'When', 'Who', 'Action', 'Target', 'Detail', ['From', { class: 'hide-narrow' }]],
        entries.map(e => ({ attrs: { 'data-action': e.action },
          cells: [String(e.seq), when(e.at), e.actor, el('span', { class: 'mono' }, e.action), e.target,
            e.detail || '', el('td', { class: 'hide-narrow' }, e.remote || '')] })), 'Nothing yet.')];
  }

  const FEED = { BUILDING: '', PUBLISHED: 'good', NEEDS_REVIEW: 'warn', FAILED: 'bad', DISMISSED: '' };

  async function feed() {
    const f = await api('/feed');
    const page = [el('h1', {}, 'Automatic feed')];
    if (!f.enabled) {
      page.push(el('p', { class: 'muted', id: 'feed-off' },
        'This server builds no updates by itself (start it with --feed-key to run the feed).'));
    } else {
      page.push(el('div', { class: 'panel' }, facts([
        ['Repository', f.repository, { class: 'mono', id: 'feed-repository' }],
        ['Watching', f.watching + ' release(s) the fleet\'s JVMs loaded'],
        ['Last check', when(f.lastCheck)],
        ['Last error', f.lastError, { class: 'reason' }]]),
        el('div', { class: 'actions' }, el('button', { id: 'feed-check',
          onclick: ev => act(ev.target, 'POST', '/feed/check', {}, 'the feed checks the repository now') },
        'Check now'))));
    }
    page.push(el('h2', {}, 'What it built'));
    page.push(table('feed', ['Update', 'Library', 'Release', 'State', 'Analysis', 'CVEs', 'Tripwires', ''],
      f.candidates.map(c => ({
        attrs: { 'data-candidate': c.id },
        cells: [c.state === 'PUBLISHED' ? link('/dashboard/updates/' + enc(c.id), c.id) : el('span', { class: 'mono' }, c.id),
          c.groupId + ':' + c.artifactId, c.fromVersion + ' → ' + c.toVersion,
          el('td', {}, badge(c.state, FEED[c.state]), c.reason ? el('div', { class: 'muted' }, c.reason) : null),
          c.verdict ? [badge(c.verdict, VERDICT[c.verdict]), ' ', badge((IN_FORCE[c.inForce] || [c.inForce])[0],
            (IN_FORCE[c.inForce] || ['', ''])[1])] : '',
          c.cves.join(', '), num(c.tripwires),
          c.state === 'NEEDS_REVIEW' ? el('span', { class: 'actions' },
            el('button', { id: 'feed-publish-' + c.id,
              onclick: ev => act(ev.target, 'POST', '/feed/' + enc(c.id) + '/publish', {}, c.id + ' is published') }, 'Publish'),
            el('button', { class: 'secondary', id: 'feed-dismiss-' + c.id,
              onclick: ev => act(ev.target, 'POST', '/feed/' + enc(c.id) + '/dismiss', {}, c.id + ' is dismissed') }, 'Dismiss'))
            : '']
      })), 'Nothing yet.'));
    return page;
  }

  // ---- routing: every page is this one document; the path says what to show

  const PAGES = [
    [/^\/dashboard\/?$/, () => overview(), 'nav-overview'],
    [/^\/dashboard\/hosts\/([^/]+)$/, m => host(decodeURIComponent(m[1])), 'nav-overview'],
    [/^\/dashboard\/hosts\/([^/]+)\/updates\/([^/]+)$/,
      m => history(decodeURIComponent(m[1]), decodeURIComponent(m[2])), 'nav-overview'],
    [/^\/dashboard\/updates\/([^/]+)$/, m => update(decodeURIComponent(m[1])), 'nav-overview'],
    [/^\/dashboard\/cves\/([^/]+)$/, m => cve(decodeURIComponent(m[1])), 'nav-overview'],
    [/^\/dashboard\/audit$/, () => audit(), 'nav-audit'],
    [/^\/dashboard\/feed$/, () => feed(), 'nav-feed']
  ];

  async function show() {
    const path = location.pathname;
    for (const [pattern, render, nav] of PAGES) {
      const m = path.match(pattern);
      if (!m) continue;
      document.querySelectorAll('.top nav a').forEach(a => a.classList.toggle('current', a.id === nav));
      try {
        const content = await render(m);
        main.replaceChildren(...content);
        document.body.dataset.loaded = path;
      } catch (e) {
        main.replaceChildren(el('h1', {}, 'Cannot show this page'), el('p', { class: 'reason', id: 'page-error' }, e.message));
        document.body.dataset.loaded = path;
      }
      return;
    }
    main.replaceChildren(el('h1', {}, 'No such page'), link('/dashboard/', 'Back to the overview'));
  }

  show();
})();
