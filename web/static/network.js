// Network view (issue 6): loads /api/v1/cases/{id}/graph into cytoscape,
// filters by link type, time and centrality, expands and collapses a
// node's neighbours on click, finds paths with the evidence behind each
// hop, and exports PNG and GraphML. No inline code: the CSP stays strict.
// window.rastroGraph exposes the cytoscape instance and timings to tests
// and benchmarks.
(function () {
  'use strict';
  var root = document.getElementById('net');
  if (!root || typeof cytoscape !== 'function') { return; }
  var caseID = root.dataset.case;
  var api = '/api/v1/cases/' + caseID;
  var palette = ['#4e79a7', '#f28e2b', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#59a14f',
    '#bab0ac', '#86bcb6', '#d4a6c8', '#8cd17d', '#a0cbe8', '#ffbe7d', '#499894', '#f1ce63'];
  var status = document.getElementById('net-status');
  var state = { types: null, expansions: {}, base: {}, seq: 0 };
  var T = function (key) {
    var s = root.dataset['t' + key.charAt(0).toUpperCase() + key.slice(1)] || key;
    for (var i = 1; i < arguments.length; i++) { s = s.replace('%s', String(arguments[i])); }
    return s;
  };
  var roleName = function (r) { return T('role-' + (r || 'unknown').replace(/-/g, '_')); };

  var cy = cytoscape({
    container: document.getElementById('net-cy'),
    layout: { name: 'preset' },
    textureOnViewport: true, hideEdgesOnViewport: true, pixelRatio: 1, motionBlur: false,
    minZoom: 0.01, maxZoom: 5, boxSelectionEnabled: false,
    style: [
      { selector: 'node', style: {
        'background-color': 'data(color)', width: 'data(size)', height: 'data(size)',
        'border-width': 1, 'border-color': '#8c9196' } },
      // Labels only where they help: measuring thousands of them makes the
      // first draw several times slower.
      { selector: 'node.lbl, node:selected, node.onpath, node.near', style: {
        label: 'data(label)', 'font-size': 10, 'min-zoomed-font-size': 7, 'text-valign': 'bottom',
        'text-margin-y': 2, color: '#1d2327' } },
      { selector: 'node[role = "suspect"][!victim]', style: { 'border-width': 3, 'border-color': '#a4161a' } },
      { selector: 'node[?victim]', style: { shape: 'round-rectangle', 'border-width': 5, 'border-style': 'double', 'border-color': '#1e7b3a' } },
      { selector: 'edge', style: { 'curve-style': 'haystack', 'haystack-radius': 0, width: 'data(width)',
        'line-color': '#a7adb3', opacity: 0.65 } },
      { selector: 'edge[type = "Payment"]', style: { 'line-color': '#59a14f' } },
      { selector: 'edge[type = "Message"], edge[type = "Call"]', style: { 'line-color': '#4e79a7' } },
      { selector: 'edge[type = "shared_identifier"]', style: { 'line-style': 'dashed', 'line-color': '#b07aa1' } },
      { selector: 'node:selected', style: { 'overlay-color': '#0b5394', 'overlay-opacity': 0.25 } },
      { selector: '.faded', style: { opacity: 0.12 } },
      { selector: 'node.onpath', style: { 'border-width': 5, 'border-color': '#e15759', opacity: 1 } },
      { selector: 'edge.onpath', style: { 'line-color': '#e15759', width: 5, opacity: 1 } }
    ]
  });
  var labelled = 300; // nodes labelled at most, the most central
  var G = window.rastroGraph = { cy: cy, ready: false, loads: 0, timings: {}, last: null };

  // query builds the filter query string from the form.
  function query(extra) {
    var p = new URLSearchParams();
    var checked = [], all = 0;
    document.querySelectorAll('#net-types input[type=checkbox]').forEach(function (c) {
      all++;
      if (c.checked) { checked.push(c.value); }
    });
    if (all > 0 && checked.length < all) { p.set('types', checked.join(',') || '-'); }
    ['from', 'to'].forEach(function (k) {
      var v = document.getElementById('net-' + k).value;
      if (v) { p.set(k, v); }
    });
    p.set('centrality', document.getElementById('net-centrality').value);
    Object.keys(extra || {}).forEach(function (k) { p.set(k, extra[k]); });
    return p;
  }

  function fetchJSON(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) { throw new Error(body.detail || res.statusText); }
        return body;
      });
    });
  }

  // elements turns the API's answer into cytoscape elements, with colour,
  // size and width computed once here rather than by style mappers.
  function elements(res) {
    var max = res.centrality_max || 1;
    var cut = -Infinity;
    if (res.elements.nodes.length > labelled) {
      cut = res.elements.nodes.map(function (n) { return n.data.centrality; })
        .sort(function (a, b) { return b - a; })[labelled - 1];
    }
    var nodes = res.elements.nodes.map(function (n) {
      var d = n.data;
      d.color = palette[d.community % palette.length];
      d.size = Math.round(12 + 44 * Math.sqrt(Math.max(d.centrality, 0) / max));
      return { group: 'nodes', data: d, position: n.position, classes: d.centrality >= cut ? 'lbl' : '' };
    });
    var edges = res.elements.edges.map(function (e) {
      e.data.width = Math.min(1 + Math.log(e.data.count) , 8);
      return { group: 'edges', data: e.data };
    });
    return nodes.concat(edges);
  }

  function setTypes(types) {
    if (state.types) { return; }
    state.types = types;
    var box = document.getElementById('net-types');
    types.forEach(function (t) {
      var label = document.createElement('label');
      var input = document.createElement('input');
      input.type = 'checkbox'; input.value = t; input.checked = true; input.name = 'type';
      label.appendChild(input);
      label.appendChild(document.createTextNode(t));
      box.appendChild(label);
    });
  }

  // fitPositions fits the viewport to the nodes' positions, without the
  // label bounding boxes cy.fit() measures (slow with thousands of labels).
  function fitPositions() {
    var nodes = cy.nodes();
    if (nodes.empty()) { return; }
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    nodes.forEach(function (n) {
      var p = n.position();
      x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y); x1 = Math.max(x1, p.x); y1 = Math.max(y1, p.y);
    });
    var pad = 60, w = cy.width(), h = cy.height();
    var zoom = Math.min(w / (x1 - x0 + 2 * pad), h / (y1 - y0 + 2 * pad), 2);
    cy.viewport({ zoom: zoom, pan: { x: w / 2 - zoom * (x0 + x1) / 2, y: h / 2 - zoom * (y0 + y1) / 2 } });
  }

  // load replaces the graph with the filtered one.
  function load() {
    var t0 = performance.now();
    var q = query();
    status.textContent = T('loading');
    G.ready = false;
    document.getElementById('net-graphml').href = api + '/graph.graphml?' + q.toString();
    return fetchJSON(api + '/graph?' + q.toString()).then(function (res) {
      var t1 = performance.now();
      setTypes(res.types);
      cy.startBatch();
      cy.elements().remove();
      cy.add(elements(res));
      cy.endBatch();
      var tAdd = performance.now();
      fitPositions();
      var tFit = performance.now();
      state.expansions = {};
      state.base = {};
      cy.nodes().forEach(function (n) { state.base[n.id()] = true; });
      return new Promise(function (resolve) {
        requestAnimationFrame(function () {
          requestAnimationFrame(function () {
            var t2 = performance.now();
            G.timings = { fetch: t1 - t0, add: tAdd - t1, fit: tFit - tAdd, draw: t2 - tFit, render: t2 - t1, total: t2 - t0, sinceNavigation: t2 };
            G.last = res; G.loads++; G.ready = true;
            var msg = T('status', res.nodes_shown, res.nodes_total, cy.edges().length, res.communities);
            if (res.truncated) { msg += ' ' + T('truncated'); }
            status.textContent = msg;
            status.dataset.nodes = String(cy.nodes().length);
            resolve(res);
          });
        });
      });
    }).catch(function (err) {
      status.textContent = T('failed') + ' ' + err.message;
    });
  }
  G.load = load;

  // showNode fills the side panel with what the view knows of a node.
  function showNode(n) {
    var d = n.data(), box = document.getElementById('net-selected');
    box.replaceChildren();
    var h = document.createElement('p');
    var strong = document.createElement('strong');
    strong.textContent = d.label;
    h.appendChild(strong);
    h.appendChild(document.createTextNode(' (' + d.schema + ')'));
    box.appendChild(h);
    var role = document.createElement('p');
    var badge = document.createElement('span');
    badge.className = 'badge' + (d.victim ? ' badge-victim' : (d.role === 'suspect' ? ' badge-suspect' : ''));
    badge.textContent = d.victim && d.protected ? T('linked-victim', roleName(d.protected)) : roleName(d.role);
    role.appendChild(badge);
    box.appendChild(role);
    var facts = document.createElement('p');
    facts.className = 'muted';
    facts.textContent = T('community') + ' ' + d.community + ' · ' + T('centrality') + ' ' + d.centrality + ' · ' + T('kcore') + ' ' + d.kcore;
    box.appendChild(facts);
    var id = document.createElement('p');
    var code = document.createElement('code');
    code.textContent = d.id;
    id.appendChild(code);
    box.appendChild(id);
    var a = document.createElement('a');
    a.href = '/cases/' + caseID + '/entities/' + encodeURIComponent(d.id);
    a.textContent = T('open');
    box.appendChild(a);
    var from = document.getElementById('net-path-from'), to = document.getElementById('net-path-to');
    if (!from.value) { from.value = d.id; } else if (!to.value && from.value !== d.id) { to.value = d.id; }
  }

  // toggle expands a node's neighbours, or collapses what it expanded.
  function toggle(n) {
    var id = n.id();
    if (state.expansions[id]) {
      var added = state.expansions[id];
      delete state.expansions[id];
      var keep = {};
      Object.keys(state.expansions).forEach(function (k) { state.expansions[k].forEach(function (x) { keep[x] = true; }); });
      cy.startBatch();
      added.forEach(function (x) {
        if (!state.base[x] && !keep[x] && !state.expansions[x]) { cy.getElementById(x).remove(); }
      });
      cy.endBatch();
      status.textContent = T('collapsed');
      return Promise.resolve();
    }
    return fetchJSON(api + '/graph?' + query({ center: id, depth: 1, limit: 500 }).toString()).then(function (res) {
      var els = elements(res).filter(function (el) {
        if (el.group === 'nodes') { return cy.getElementById(el.data.id).empty(); }
        return true;
      });
      var newNodes = els.filter(function (el) { return el.group === 'nodes'; }).map(function (el) { return el.data.id; });
      cy.startBatch();
      cy.add(els.filter(function (el) { return el.group === 'nodes'; }));
      var have = {};
      n.connectedEdges().forEach(function (e) { have[e.data('source') + '\u0000' + e.data('target') + '\u0000' + e.data('type')] = true; });
      var added = newNodes.reduce(function (m, x) { m[x] = true; return m; }, {});
      els.forEach(function (el) {
        if (el.group !== 'edges') { return; }
        var d = el.data, key = d.source + '\u0000' + d.target + '\u0000' + d.type;
        // Edges of the node, and of the nodes just added, that are not drawn yet.
        var touches = d.source === id || d.target === id || added[d.source] || added[d.target];
        if (touches && !have[key]) { have[key] = true; d.id = 'x' + (++state.seq); cy.add(el); }
      });
      n.closedNeighborhood().nodes().addClass('near');
      cy.endBatch();
      state.expansions[id] = newNodes;
      status.textContent = T('expanded', newNodes.length);
    });
  }

  cy.on('tap', 'node', function (evt) {
    showNode(evt.target);
    toggle(evt.target);
  });

  // findPath asks for the shortest paths and lists them with evidence.
  function findPath(from, to) {
    var out = document.getElementById('net-path-result');
    out.replaceChildren();
    cy.elements().removeClass('onpath faded');
    var p = new URLSearchParams({ from: from, to: to });
    var q = query();
    if (q.get('types')) { p.set('types', q.get('types')); }
    if (q.get('from')) { p.set('since', q.get('from')); }
    if (q.get('to')) { p.set('until', q.get('to')); }
    return fetchJSON(api + '/graph/path?' + p.toString()).then(function (res) {
      if (res.paths.length === 0) {
        out.textContent = T('nopath');
        return res;
      }
      var head = document.createElement('p');
      head.textContent = T('paths', res.paths.length, res.paths[0].hops.length);
      out.appendChild(head);
      res.paths.forEach(function (path, i) {
        out.appendChild(listPath(path, i));
      });
      highlight(res.paths[0]);
      return res;
    }).catch(function (err) {
      out.textContent = T('failed') + ' ' + err.message;
    });
  }
  G.findPath = findPath;

  function listPath(path, i) {
    var ol = document.createElement('ol');
    ol.className = 'net-path-list';
    ol.dataset.path = String(i);
    path.nodes.forEach(function (n, k) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = n.url;
      a.textContent = n.label;
      li.appendChild(a);
      li.appendChild(document.createTextNode(' (' + n.schema + (n.victim || n.role !== 'unknown' ?
        ', ' + (n.victim && n.protected ? T('linked-victim', roleName(n.protected)) : roleName(n.role)) : '') + ')'));
      if (k < path.hops.length) { li.appendChild(describeHop(path.hops[k])); }
      ol.appendChild(li);
    });
    return ol;
  }

  function describeHop(hop) {
    var div = document.createElement('div');
    div.className = 'net-hop';
    var types = {};
    hop.links.forEach(function (l) { types[l.type] = (types[l.type] || 0) + 1; });
    div.appendChild(document.createTextNode('↓ ' + Object.keys(types).join(', ') + ' — ' + T('links', hop.links.length + hop.more) + ': '));
    hop.links.slice(0, 5).forEach(function (l, j) {
      if (j > 0) { div.appendChild(document.createTextNode(', ')); }
      var url = l.statement_url || l.evidence_url;
      if (url) {
        var a = document.createElement('a');
        a.href = url;
        a.textContent = (l.statement_url ? T('statement') : T('evidence') + ' ' + l.evidence_id) + (l.locator ? ' ' + l.locator : '');
        div.appendChild(a);
      } else {
        div.appendChild(document.createTextNode(l.type + (l.start ? ' ' + l.start.slice(0, 10) : '')));
      }
    });
    var rest = hop.links.length + hop.more - Math.min(hop.links.length, 5);
    if (rest > 0) { div.appendChild(document.createTextNode(' ' + T('more', rest))); }
    return div;
  }

  function highlight(path) {
    var ids = path.nodes.map(function (n) { return n.id; });
    var on = cy.collection();
    ids.forEach(function (id, k) {
      on = on.union(cy.getElementById(id));
      if (k > 0) {
        var a = ids[k - 1];
        on = on.union(cy.edges().filter(function (e) {
          return (e.data('source') === a && e.data('target') === id) || (e.data('source') === id && e.data('target') === a);
        }));
      }
    });
    if (on.empty()) { return; }
    cy.elements().addClass('faded');
    on.removeClass('faded').addClass('onpath');
  }

  document.getElementById('net-filters').addEventListener('submit', function (e) {
    e.preventDefault();
    load();
  });
  document.getElementById('net-path').addEventListener('submit', function (e) {
    e.preventDefault();
    findPath(document.getElementById('net-path-from').value.trim(), document.getElementById('net-path-to').value.trim());
  });
  document.getElementById('net-png').addEventListener('click', function () {
    var blob = cy.png({ output: 'blob', bg: '#ffffff', full: true, maxWidth: 4000, maxHeight: 4000 });
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'case-' + caseID + '-network.png';
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  });
  load();
}());
