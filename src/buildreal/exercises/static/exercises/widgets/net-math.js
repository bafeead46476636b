// A tiny fully connected network trained by full-batch gradient descent on 2-D points:
// the arithmetic of the tiny-network widget. Layers compute y = x W + b with W of shape
// (n_in, n_out), an activation between layers (none after the last), and the loss is the
// mean softmax cross-entropy, exactly as the Python reference of project 1 does
// (buildreal.projects.p1_autodiff.reference: nn.MLP, engine.cross_entropy, nn.SGD).
// The tests train both from the same weights on the same points and compare.

export const ACTIVATIONS = {
  tanh: { f: (z) => Math.tanh(z), df: (z, a) => 1 - a * a },
  relu: { f: (z) => (z > 0 ? z : 0), df: (z) => (z > 0 ? 1 : 0) },
  sigmoid: { f: (z) => 1 / (1 + Math.exp(-z)), df: (z, a) => a * (1 - a) },
};

// A deterministic random number generator (mulberry32), so a page reload with the same
// settings draws the same data and the same first weights.
export function rng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Weights like PyTorch's nn.Linear (and the reference's Linear): uniform in ±1/sqrt(n_in).
export function initNetwork(sizes, activation, seed = 0) {
  const random = rng(seed);
  const layers = [];
  for (let l = 0; l + 1 < sizes.length; l += 1) {
    const bound = 1 / Math.sqrt(sizes[l]);
    const W = Array.from({ length: sizes[l] },
      () => Array.from({ length: sizes[l + 1] }, () => (2 * random() - 1) * bound));
    const b = Array.from({ length: sizes[l + 1] }, () => (2 * random() - 1) * bound);
    layers.push({ W, b });
  }
  return { layers, activation };
}

export function fromWeights(layers, activation) {
  return {
    layers: layers.map(({ W, b }) => ({ W: W.map((row) => row.slice()), b: b.slice() })),
    activation,
  };
}

function affine(X, { W, b }) {
  return X.map((x) => b.map((bias, j) => {
    let sum = bias;
    for (let i = 0; i < x.length; i += 1) sum += x[i] * W[i][j];
    return sum;
  }));
}

// Activations of every layer: acts[0] is the input, acts[L] the logits; pre[l] are the
// values before the activation of layer l (for the backward pass).
export function forward(net, X) {
  const act = ACTIVATIONS[net.activation];
  const acts = [X];
  const pre = [];
  net.layers.forEach((layer, l) => {
    const z = affine(acts[acts.length - 1], layer);
    pre.push(z);
    const last = l === net.layers.length - 1;
    acts.push(last ? z : z.map((row) => row.map(act.f)));
  });
  return { acts, pre };
}

function softmax(row) {
  const top = Math.max(...row);
  const exps = row.map((v) => Math.exp(v - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

export function loss(net, X, y) {
  const logits = forward(net, X).acts.at(-1);
  let sum = 0;
  logits.forEach((row, n) => {
    const top = Math.max(...row);
    const logSum = top + Math.log(row.reduce((a, v) => a + Math.exp(v - top), 0));
    sum += logSum - row[y[n]];
  });
  return sum / X.length;
}

// One full-batch gradient step; returns the loss before the step (as a training loop
// that prints loss.item() before optimizer.step() would).
export function trainStep(net, X, y, lr) {
  const act = ACTIVATIONS[net.activation];
  const { acts, pre } = forward(net, X);
  const N = X.length;
  const logits = acts.at(-1);
  let total = 0;
  // dL/dlogits of the mean cross-entropy: (softmax - onehot) / N
  let delta = logits.map((row, n) => {
    const p = softmax(row);
    total += -Math.log(p[y[n]]);
    return p.map((v, c) => (v - (c === y[n] ? 1 : 0)) / N);
  });
  for (let l = net.layers.length - 1; l >= 0; l -= 1) {
    const { W, b } = net.layers[l];
    const input = acts[l];
    const gradW = W.map((row, i) => row.map((_, j) => {
      let sum = 0;
      for (let n = 0; n < N; n += 1) sum += input[n][i] * delta[n][j];
      return sum;
    }));
    const gradB = b.map((_, j) => {
      let sum = 0;
      for (let n = 0; n < N; n += 1) sum += delta[n][j];
      return sum;
    });
    if (l > 0) {
      const below = delta.map((d) => W.map((row) => row.reduce((s, w, j) => s + w * d[j], 0)));
      delta = below.map((row, n) => row.map((g, i) => g * act.df(pre[l - 1][n][i], acts[l][n][i])));
    }
    W.forEach((row, i) => row.forEach((_, j) => { row[j] -= lr * gradW[i][j]; }));
    b.forEach((_, j) => { b[j] -= lr * gradB[j]; });
  }
  return total / N;
}

export function accuracy(net, X, y) {
  const logits = forward(net, X).acts.at(-1);
  let right = 0;
  logits.forEach((row, n) => { if (row.indexOf(Math.max(...row)) === y[n]) right += 1; });
  return right / X.length;
}

// Probability of class 1 at each point (for drawing the decision boundary).
export function classOneProbability(net, points) {
  return forward(net, points).acts.at(-1).map((row) => softmax(row)[1]);
}

// Two-class 2-D data sets in [-1, 1]²: a ring around a disc, XOR quadrants, two moons.
export function makeDataset(kind, n, seed = 1) {
  const random = rng(seed);
  const gauss = () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const X = [];
  const y = [];
  for (let i = 0; i < n; i += 1) {
    const label = i % 2;
    let point;
    if (kind === "circle") {
      const radius = label ? 0.65 + 0.25 * random() : 0.35 * random();
      const angle = 2 * Math.PI * random();
      point = [radius * Math.cos(angle), radius * Math.sin(angle)];
    } else if (kind === "xor") {
      const px = 0.1 + 0.8 * random();
      const py = 0.1 + 0.8 * random();
      const sx = random() < 0.5 ? -1 : 1;
      const sy = label ? -sx : sx;
      point = [sx * px, sy * py];
    } else if (kind === "moons") {
      const angle = Math.PI * random();
      point = label
        ? [0.5 - Math.cos(angle) * 0.6, 0.15 - Math.sin(angle) * 0.6 + 0.2]
        : [-0.3 + Math.cos(angle) * 0.6, -0.25 + Math.sin(angle) * 0.6];
      point = [point[0] * 0.9 + 0.05 * gauss(), point[1] * 0.9 + 0.05 * gauss()];
    } else {
      throw new Error(`unknown data set ${kind}`);
    }
    X.push(point);
    y.push(label);
  }
  return { X, y };
}
