'use strict';
// The draw-a-digit page: draws with pointer events, asks POST /api/predict?layers=1 at most every
// THROTTLE_MS while the drawing changes (one request at a time, the latest drawing wins), and shows the answer.

(function () {
  const THROTTLE_MS = 120;
  const PEN_WIDTH = 20;            // on the 280 px pad: about MNIST's stroke once fitted into 20x20
  const KEY_STEP = 10;
  const KEY_SMALL_STEP = 2;

  const pad = document.getElementById('pad');
  const ctx = pad.getContext('2d');
  const cursor = document.getElementById('cursor');
  const statusLine = document.getElementById('status');
  const digitOut = document.getElementById('digit');
  const confidenceOut = document.getElementById('confidence');
  const timingOut = document.getElementById('timing');
  const bars = document.getElementById('bars');
  const fileInput = document.getElementById('file');

  let maxBodyBytes = 4 << 20;
  let hasInk = false;
  let last = null;                 // the pen's last point while it is down
  let inFlight = false;
  let pending = false;             // the drawing changed while a request was out
  let timer = null;
  let lastSent = 0;
  let generation = 0;              // bumped by Clear: answers to older drawings are dropped
  const keyPen = { x: pad.width / 2, y: pad.height / 2, down: false };

  // ---- the pad -------------------------------------------------------------------------------------

  function resetPad() {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, pad.width, pad.height);
    ctx.strokeStyle = '#000000';
    ctx.fillStyle = '#000000';
    ctx.lineWidth = PEN_WIDTH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    hasInk = false;
  }

  function padPoint(e) {
    const r = pad.getBoundingClientRect();
    return {
      x: (e.clientX - r.left) * pad.width / r.width,
      y: (e.clientY - r.top) * pad.height / r.height,
    };
  }

  function dot(p) {
    ctx.beginPath();
    ctx.arc(p.x, p.y, PEN_WIDTH / 2, 0, 2 * Math.PI);
    ctx.fill();
  }

  function line(a, b) {
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
  }

  function inked() {
    hasInk = true;
    setStatus('');
    schedule();
  }

  pad.addEventListener('pointerdown', (e) => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    e.preventDefault();
    cursor.hidden = true;           // the keyboard pen's marker has no place under a pointer
    pad.setPointerCapture(e.pointerId);
    last = padPoint(e);
    dot(last);
    inked();
  });

  pad.addEventListener('pointermove', (e) => {
    if (last === null) return;
    e.preventDefault();
    // A pen or a fast finger gives several points per frame; drawing through all of them keeps curves round.
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const ev of (events.length ? events : [e])) {
      const p = padPoint(ev);
      line(last, p);
      last = p;
    }
    inked();
  });

  function penUp(e) {
    if (last === null) return;
    last = null;
    if (pad.hasPointerCapture(e.pointerId)) pad.releasePointerCapture(e.pointerId);
    schedule(true);
  }
  pad.addEventListener('pointerup', penUp);
  pad.addEventListener('pointercancel', penUp);

  // The keyboard pen: arrows move it, Space or Enter lowers and lifts it, Delete or Backspace clears.
  function showCursor() {
    cursor.hidden = false;
    cursor.style.left = (100 * keyPen.x / pad.width) + '%';
    cursor.style.top = (100 * keyPen.y / pad.height) + '%';
    cursor.classList.toggle('down', keyPen.down);
  }

  pad.addEventListener('focus', () => { if (pad.matches(':focus-visible')) showCursor(); });
  pad.addEventListener('blur', () => { cursor.hidden = true; keyPen.down = false; });
  pad.addEventListener('keydown', (e) => {
    const step = e.shiftKey ? KEY_SMALL_STEP : KEY_STEP;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[e.key]) {
      const from = { x: keyPen.x, y: keyPen.y };
      keyPen.x = Math.min(pad.width, Math.max(0, keyPen.x + moves[e.key][0]));
      keyPen.y = Math.min(pad.height, Math.max(0, keyPen.y + moves[e.key][1]));
      if (keyPen.down) {
        line(from, keyPen);
        inked();
      }
    } else if (e.key === ' ' || e.key === 'Enter') {
      keyPen.down = !keyPen.down;
      if (keyPen.down) {
        dot(keyPen);
        inked();
      } else {
        schedule(true);
      }
    } else if (e.key === 'Delete' || e.key === 'Backspace' || e.key === 'Escape') {
      clearAll();
    } else {
      return;
    }
    e.preventDefault();
    showCursor();
  });

  // ---- asking the server ---------------------------------------------------------------------------

  // At most one request out and one every THROTTLE_MS; `now` (the pen lifted) skips the wait.
  function schedule(now) {
    if (!hasInk) return;
    if (inFlight) {
      pending = true;
      return;
    }
    const wait = now ? 0 : Math.max(0, lastSent + THROTTLE_MS - performance.now());
    if (timer !== null) {
      if (!now) return;
      clearTimeout(timer);
    }
    timer = setTimeout(() => {
      timer = null;
      pad.toBlob((png) => send(png, 'image/png'), 'image/png');
    }, wait);
  }

  async function send(body, type) {
    if (inFlight) {
      pending = true;
      return;
    }
    inFlight = true;
    pending = false;
    lastSent = performance.now();
    const asked = generation;
    try {
      const response = await fetch('/api/predict?layers=1', {
        method: 'POST',
        headers: { 'Content-Type': type },
        body: body,
      });
      const answer = await response.json().catch(() => ({ error: 'the server sent no JSON (' + response.status + ')' }));
      if (asked !== generation) return;
      if (response.ok) {
        show(answer);
      } else {
        setStatus(answer.error || ('the server answered ' + response.status), true);
      }
    } catch (err) {
      if (asked === generation) setStatus('cannot reach the server: ' + err.message, true);
    } finally {
      inFlight = false;
      if (pending) schedule();
    }
  }

  // ---- showing the answer --------------------------------------------------------------------------

  const barItems = [];
  for (let d = 0; d < 10; d++) {
    const li = document.createElement('li');
    const label = document.createElement('span');
    label.textContent = String(d);
    const track = document.createElement('span');
    track.className = 'track';
    const fill = document.createElement('span');
    fill.className = 'fill';
    fill.style.display = 'block';
    track.appendChild(fill);
    const pct = document.createElement('span');
    pct.className = 'pct';
    pct.textContent = '0%';
    li.append(label, track, pct);
    bars.appendChild(li);
    barItems.push({ li, fill, pct });
  }

  function makeMaps(containerId, count, side) {
    const container = document.getElementById(containerId);
    const maps = [];
    for (let i = 0; i < count; i++) {
      const c = document.createElement('canvas');
      c.width = side;
      c.height = side;
      c.className = 'map';
      c.title = containerId + ' map ' + (i + 1);
      container.appendChild(c);
      maps.push(c);
    }
    return maps;
  }
  const conv1Maps = makeMaps('conv1', 6, 28);
  const conv2Maps = makeMaps('conv2', 16, 10);
  const input28 = document.getElementById('input28');

  function percent(p) {
    const v = 100 * p;
    return (v >= 99.95 ? '100' : v >= 10 ? v.toFixed(1) : v.toFixed(2)) + '%';
  }

  function show(answer) {
    const probs = answer.probabilities;
    digitOut.textContent = String(answer.digit);
    confidenceOut.textContent = percent(answer.confidence) + ' sure';
    for (let d = 0; d < 10; d++) {
      const bar = barItems[d];
      bar.fill.style.width = (100 * probs[d]).toFixed(2) + '%';
      bar.pct.textContent = percent(probs[d]);
      bar.li.classList.toggle('top', d === answer.digit);
      bar.li.setAttribute('aria-label', d + ': ' + percent(probs[d]));
    }
    timingOut.textContent = 'prepared and classified in ' + answer.millis.toFixed(2) + ' ms on the server';
    if (answer.input28) paint(input28, answer.input28, 1, grey);
    if (answer.conv1) answer.conv1.forEach((m, i) => paint(conv1Maps[i], m, max(m), heat));
    if (answer.conv2) answer.conv2.forEach((m, i) => paint(conv2Maps[i], m, max(m), heat));
    document.body.dataset.answers = String(Number(document.body.dataset.answers || 0) + 1);
  }

  function max(values) {
    let m = 0;
    for (const v of values) if (v > m) m = v;
    return m;
  }

  function grey(t) {
    const v = Math.round(255 * t);
    return [v, v, v];
  }

  // Black through dark red and orange to pale yellow: a map's strong responses stand out.
  const HEAT = [[0, 0, 0], [120, 20, 60], [230, 90, 30], [255, 220, 120], [255, 255, 235]];
  function heat(t) {
    const x = t * (HEAT.length - 1);
    const i = Math.min(HEAT.length - 2, Math.floor(x));
    const f = x - i;
    return HEAT[i].map((a, k) => Math.round(a + f * (HEAT[i + 1][k] - a)));
  }

  function paint(canvas, values, scale, colours) {
    const c = canvas.getContext('2d');
    const img = c.createImageData(canvas.width, canvas.height);
    for (let i = 0; i < values.length; i++) {
      const t = scale > 0 ? Math.min(1, Math.max(0, values[i] / scale)) : 0;
      const rgb = colours(t);
      img.data[4 * i] = rgb[0];
      img.data[4 * i + 1] = rgb[1];
      img.data[4 * i + 2] = rgb[2];
      img.data[4 * i + 3] = 255;
    }
    c.putImageData(img, 0, 0);
  }

  function blank(canvas) {
    const c = canvas.getContext('2d');
    c.fillStyle = '#000';
    c.fillRect(0, 0, canvas.width, canvas.height);
  }

  function setStatus(text, error) {
    statusLine.textContent = text;
    statusLine.classList.toggle('error', Boolean(error));
  }

  function clearAll() {
    generation++;
    pending = false;
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    resetPad();
    digitOut.textContent = '\u2013';
    confidenceOut.textContent = 'draw something';
    timingOut.textContent = '';
    for (const bar of barItems) {
      bar.fill.style.width = '0';
      bar.pct.textContent = '0%';
      bar.li.classList.remove('top');
      bar.li.removeAttribute('aria-label');
    }
    [input28, ...conv1Maps, ...conv2Maps].forEach(blank);
    setStatus('');
  }

  // ---- buttons -------------------------------------------------------------------------------------

  document.getElementById('clear').addEventListener('click', () => {
    clearAll();
    pad.focus();
  });
  document.getElementById('upload').addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    const file = fileInput.files[0];
    fileInput.value = '';
    if (!file) return;
    if (file.size > maxBodyBytes) {
      setStatus(file.name + ' is ' + file.size.toLocaleString() + ' bytes, more than the server takes ('
        + maxBodyBytes.toLocaleString() + ')', true);
      return;
    }
    clearAll();
    // The server prepares the file itself; the pad only shows it, fitted, so drawing can go on from it.
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      const s = Math.min(pad.width / img.width, pad.height / img.height);
      const w = img.width * s;
      const h = img.height * s;
      ctx.drawImage(img, (pad.width - w) / 2, (pad.height - h) / 2, w, h);
      URL.revokeObjectURL(url);
    };
    img.onerror = () => URL.revokeObjectURL(url);
    img.src = url;
    hasInk = true;
    setStatus('read ' + file.name);
    send(file, file.type || 'application/octet-stream');
  });

  // ---- the model's provenance ----------------------------------------------------------------------

  async function loadModel() {
    const dl = document.getElementById('model');
    try {
      const response = await fetch('/api/model');
      const info = await response.json();
      maxBodyBytes = info.limits && info.limits.max_body_bytes || maxBodyBytes;
      dl.textContent = '';
      const row = (target, k, v) => {
        const dt = document.createElement('dt');
        dt.textContent = k;
        const dd = document.createElement('dd');
        dd.textContent = v;
        target.append(dt, dd);
      };
      row(dl, 'model', info.model);
      const meta = Object.assign({}, info.metadata || {});
      // What a reader asks first, named plainly; the file's other entries follow, folded.
      const accuracy = Number(meta.test_accuracy);
      if (meta.test_accuracy !== undefined && Number.isFinite(accuracy)) {
        row(dl, 'test accuracy', (100 * accuracy).toFixed(2) + '% on MNIST\'s 10,000 test digits');
      }
      const plain = [['test_error', 'test error'], ['recipe', 'recipe'], ['training', 'training'],
        ['data', 'data'], ['program', 'program']];
      for (const [key, label] of plain) {
        if (meta[key] !== undefined) row(dl, label, meta[key]);
      }
      delete meta.test_accuracy;
      plain.forEach(([key]) => delete meta[key]);
      const rest = Object.keys(meta);
      if (rest.length > 0) {
        const details = document.createElement('details');
        const summary = document.createElement('summary');
        summary.textContent = 'all of the model file\'s metadata';
        const more = document.createElement('dl');
        for (const key of rest) row(more, key, meta[key]);
        details.append(summary, more);
        dl.after(details);
      }
      if (Object.keys(info.metadata || {}).length === 0) row(dl, 'provenance', 'the model file carries no metadata');
    } catch (err) {
      dl.textContent = 'cannot read /api/model: ' + err.message;
    }
  }

  resetPad();
  clearAll();
  loadModel();
})();
