// Interactive figures of the lessons: each <figure class="widget" data-widget="NAME">
// written by the pack renderer gets its controls and canvas here. Every control is a
// native form element (sliders, selects, buttons), so the keyboard and touch screens work
// without extra code; the canvas is a picture of the state, described in a live text
// line for screen readers. The arithmetic lives in widgets/*.js (tested against Python).

import { SURFACES, descend } from "./widgets/gd-math.js";
import {
  accuracy, classOneProbability, initNetwork, makeDataset, trainStep,
} from "./widgets/net-math.js";

let counter = 0;

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

// A labelled control with its current value shown next to it.
function control(label, input, format) {
  counter += 1;
  input.id = `widget-control-${counter}`;
  const shown = element("output", { for: input.id, class: "widget-value" });
  const update = () => { shown.textContent = format ? format(input) : ""; };
  input.addEventListener("input", update);
  update();
  const row = element("div", { class: "widget-control" }, [
    element("label", { for: input.id, text: label }), input, shown]);
  return { row, update };
}

function slider(min, max, step, value) {
  return element("input", { type: "range", min, max, step, value: String(value) });
}

function select(options, value) {
  const node = element("select");
  for (const [key, text] of options) {
    const option = element("option", { value: key, text });
    if (key === value) option.selected = true;
    node.append(option);
  }
  return node;
}

// A canvas that keeps its drawing buffer at the displayed size (sharp on phones).
function canvasFor(mount, label, redraw) {
  const canvas = element("canvas", { class: "widget-canvas", role: "img", "aria-label": label });
  mount.append(canvas);
  const resize = () => {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(200, canvas.clientWidth);
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(width * 0.75 * ratio);
    redraw();
  };
  new ResizeObserver(resize).observe(canvas);
  return canvas;
}

const LOG_LR = { min: -4, max: 0 };
const toLr = (v) => 10 ** (LOG_LR.min + (LOG_LR.max - LOG_LR.min) * (Number(v) / 100));
const fromLr = (lr) => Math.round(100 * (Math.log10(lr) - LOG_LR.min) / (LOG_LR.max - LOG_LR.min));
const DEFAULT_LR = { ill_conditioned: 0.02, rosenbrock: 1e-3, himmelblau: 5e-3, saddle: 0.01 };

function mountGradientDescent(mount) {
  const surfaceSelect = select(Object.entries(SURFACES).map(([k, s]) => [k, s.label]),
    "ill_conditioned");
  const lr = slider(0, 100, 1, fromLr(DEFAULT_LR.ill_conditioned));
  const momentum = slider(0, 0.99, 0.01, 0);
  const steps = slider(10, 500, 10, 100);
  const reset = element("button", { type: "button", text: "Reset the start point" });
  const readout = element("p", { class: "widget-readout", "aria-live": "polite" });
  const controls = element("div", { class: "widget-controls" });
  const items = [
    control("Surface", surfaceSelect),
    control("Learning rate", lr, (i) => toLr(i.value).toPrecision(2)),
    control("Momentum", momentum, (i) => Number(i.value).toFixed(2)),
    control("Steps", steps, (i) => i.value),
  ];
  items.forEach(({ row }) => controls.append(row));
  controls.append(reset);
  mount.append(controls);
  const hint = element("p", { class: "widget-hint muted",
    text: "Tap or click the surface to start from there; with the picture focused, arrow keys move the start." });
  let start = null;
  let cache = null; // the shaded surface for the current size and surface
  const canvas = canvasFor(mount, "Loss surface with the descent path", () => { cache = null; draw(); });
  canvas.tabIndex = 0;
  mount.append(hint, readout);

  function surface() { return SURFACES[surfaceSelect.value]; }
  function toCanvas([x, y]) {
    const [[x0, x1], [y0, y1]] = surface().bounds;
    return [(x - x0) / (x1 - x0) * canvas.width, (1 - (y - y0) / (y1 - y0)) * canvas.height];
  }
  function fromCanvas(px, py) {
    const [[x0, x1], [y0, y1]] = surface().bounds;
    return [x0 + (px / canvas.width) * (x1 - x0), y0 + (1 - py / canvas.height) * (y1 - y0)];
  }

  function shade(context) {
    const s = surface();
    const cols = 160;
    const rows = 120;
    const values = [];
    for (let r = 0; r < rows; r += 1) {
      for (let c = 0; c < cols; c += 1) {
        const [x, y] = fromCanvas((c + 0.5) / cols * canvas.width, (r + 0.5) / rows * canvas.height);
        values.push(Math.log1p(Math.max(0, s.value(x, y) - s.minimum)));
      }
    }
    const top = Math.max(...values) || 1;
    const image = new ImageData(cols, rows);
    values.forEach((v, i) => {
      const band = Math.floor((v / top) * 14) / 14; // bands read as contour lines
      image.data[4 * i] = Math.round(235 - 150 * band);
      image.data[4 * i + 1] = Math.round(245 - 120 * band);
      image.data[4 * i + 2] = Math.round(255 - 40 * band);
      image.data[4 * i + 3] = 255;
    });
    const off = document.createElement("canvas");
    off.width = cols;
    off.height = rows;
    off.getContext("2d").putImageData(image, 0, 0);
    return off;
  }

  function draw() {
    const context = canvas.getContext("2d");
    if (!context || canvas.width === 0) return;
    if (cache === null) cache = shade(context);
    context.imageSmoothingEnabled = false;
    context.drawImage(cache, 0, 0, canvas.width, canvas.height);
    const s = surface();
    const run = descend(surfaceSelect.value, {
      lr: toLr(lr.value), momentum: Number(momentum.value), steps: Number(steps.value),
      start: start ?? s.start,
    });
    const ratio = window.devicePixelRatio || 1;
    context.lineWidth = 2 * ratio;
    context.strokeStyle = "#c2410c";
    context.beginPath();
    run.path.forEach((p, i) => {
      const [px, py] = toCanvas(p);
      if (i === 0) context.moveTo(px, py); else context.lineTo(px, py);
    });
    context.stroke();
    context.fillStyle = "#c2410c";
    for (const p of run.path) {
      const [px, py] = toCanvas(p);
      context.fillRect(px - 1.5 * ratio, py - 1.5 * ratio, 3 * ratio, 3 * ratio);
    }
    const [sx, sy] = toCanvas(run.path[0]);
    context.fillStyle = "#111827";
    context.beginPath();
    context.arc(sx, sy, 5 * ratio, 0, 2 * Math.PI);
    context.fill();
    const last = run.path.at(-1);
    const loss = run.losses.at(-1);
    readout.textContent = run.diverged
      ? `Diverged after ${run.path.length - 1} steps: the learning rate is too large for the steepest direction.`
      : `After ${run.path.length - 1} steps: loss ${loss.toPrecision(3)} at (${last[0].toFixed(2)}, ${last[1].toFixed(2)}).`;
    canvas.setAttribute("aria-label", `${s.label}. ${readout.textContent}`);
  }

  surfaceSelect.addEventListener("change", () => {
    start = null;
    cache = null;
    lr.value = String(fromLr(DEFAULT_LR[surfaceSelect.value]));
    items.forEach(({ update }) => update());
    draw();
  });
  for (const input of [lr, momentum, steps]) input.addEventListener("input", draw);
  reset.addEventListener("click", () => { start = null; draw(); });
  canvas.addEventListener("pointerdown", (event) => {
    const box = canvas.getBoundingClientRect();
    const ratio = canvas.width / box.width;
    start = fromCanvas((event.clientX - box.left) * ratio, (event.clientY - box.top) * ratio);
    draw();
  });
  canvas.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const [[x0, x1], [y0, y1]] = surface().bounds;
    const [x, y] = start ?? surface().start;
    start = [x + move[0] * (x1 - x0) / 50, y + move[1] * (y1 - y0) / 50];
    draw();
  });
}

function mountTinyNetwork(mount) {
  const dataSelect = select([["circle", "Ring around a disc"], ["xor", "XOR quadrants"],
    ["moons", "Two moons"]], "circle");
  const width = slider(1, 16, 1, 6);
  const activation = select([["tanh", "tanh"], ["relu", "ReLU"], ["sigmoid", "sigmoid"]], "tanh");
  const lr = slider(0, 100, 1, 80); // log scale 1e-3 .. 3
  const toRate = (v) => 10 ** (-3 + (Math.log10(3) + 3) * (Number(v) / 100));
  const train = element("button", { type: "button", text: "Train", "aria-pressed": "false" });
  const step = element("button", { type: "button", text: "One step" });
  const reset = element("button", { type: "button", text: "New weights" });
  const readout = element("p", { class: "widget-readout", "aria-live": "polite" });
  const controls = element("div", { class: "widget-controls" });
  const items = [
    control("Data", dataSelect),
    control("Hidden units", width, (i) => i.value),
    control("Activation", activation),
    control("Learning rate", lr, (i) => toRate(i.value).toPrecision(2)),
  ];
  items.forEach(({ row }) => controls.append(row));
  controls.append(element("div", { class: "widget-buttons" }, [train, step, reset]));
  mount.append(controls);
  const canvas = canvasFor(mount, "Training points and the network's decision regions", () => draw());
  mount.append(readout);

  let data = null;
  let net = null;
  let steps = 0;
  let lastLoss = null;
  let running = false;
  let seed = 0;

  function rebuild(newWeights) {
    if (newWeights) seed += 1;
    data = makeDataset(dataSelect.value, 120, 1);
    net = initNetwork([2, Number(width.value), 2], activation.value, seed);
    steps = 0;
    lastLoss = null;
    draw();
  }

  function toCanvas([x, y]) {
    return [(x + 1.1) / 2.2 * canvas.width, (1 - (y + 1.1) / 2.2) * canvas.height];
  }

  function draw() {
    const context = canvas.getContext("2d");
    if (!context || !net || canvas.width === 0) return;
    const grid = 48;
    const points = [];
    for (let r = 0; r < grid; r += 1) {
      for (let c = 0; c < grid; c += 1) {
        points.push([-1.1 + 2.2 * (c + 0.5) / grid, 1.1 - 2.2 * (r + 0.5) / grid]);
      }
    }
    const probability = classOneProbability(net, points);
    const image = new ImageData(grid, grid);
    probability.forEach((p, i) => {
      image.data[4 * i] = Math.round(255 - 60 * p);
      image.data[4 * i + 1] = Math.round(235 - 40 * Math.abs(p - 0.5));
      image.data[4 * i + 2] = Math.round(195 + 60 * p);
      image.data[4 * i + 3] = 255;
    });
    const off = document.createElement("canvas");
    off.width = grid;
    off.height = grid;
    off.getContext("2d").putImageData(image, 0, 0);
    context.imageSmoothingEnabled = true;
    context.drawImage(off, 0, 0, canvas.width, canvas.height);
    const ratio = window.devicePixelRatio || 1;
    data.X.forEach((point, n) => {
      const [px, py] = toCanvas(point);
      context.fillStyle = data.y[n] ? "#1d4ed8" : "#b45309";
      context.strokeStyle = "#ffffff";
      context.lineWidth = ratio;
      context.beginPath();
      if (data.y[n]) context.rect(px - 4 * ratio, py - 4 * ratio, 8 * ratio, 8 * ratio);
      else context.arc(px, py, 4.5 * ratio, 0, 2 * Math.PI);
      context.fill();
      context.stroke();
    });
    const acc = Math.round(100 * accuracy(net, data.X, data.y));
    readout.textContent = lastLoss === null
      ? `Untrained: ${acc}% of the points on the right side. Press Train or One step.`
      : `Step ${steps}: loss ${lastLoss.toFixed(3)}, ${acc}% of the points classified right.`;
  }

  function advance(count) {
    for (let i = 0; i < count; i += 1) {
      lastLoss = trainStep(net, data.X, data.y, toRate(lr.value));
      steps += 1;
    }
    draw();
  }

  function loop() {
    if (!running) return;
    advance(4);
    if (steps >= 4000 || !Number.isFinite(lastLoss)) {
      setRunning(false);
      return;
    }
    window.requestAnimationFrame(loop);
  }

  function setRunning(on) {
    running = on;
    train.textContent = on ? "Pause" : "Train";
    train.setAttribute("aria-pressed", on ? "true" : "false");
    if (on) window.requestAnimationFrame(loop);
  }

  train.addEventListener("click", () => setRunning(!running));
  step.addEventListener("click", () => advance(1));
  reset.addEventListener("click", () => rebuild(true));
  for (const input of [dataSelect, width, activation]) {
    input.addEventListener("change", () => rebuild(false));
  }
  rebuild(false);
}

const MOUNTS = { "gradient-descent": mountGradientDescent, "tiny-network": mountTinyNetwork };

function mountAll() {
  for (const figure of document.querySelectorAll("figure.widget[data-widget]")) {
    const mount = figure.querySelector(".widget-mount");
    const start = MOUNTS[figure.dataset.widget];
    if (mount && start && !mount.dataset.mounted) {
      mount.dataset.mounted = "true";
      start(mount);
    }
  }
}

mountAll();
