// Gradient descent with heavy-ball momentum on 2-D loss surfaces: the arithmetic of the
// gradient-descent widget, kept free of the page so node can import it and the tests can
// compare it with the Python reference (buildreal.projects.p2_optimizers.reference:
// surfaces.SURFACES, optimizers.Momentum, runs.run). Same formulas, same update rule
// (PyTorch's: v <- mu*v + g, the first v is g; p <- p - lr*v), same divergence test.

export const DIVERGED_AT = 1e6;

export const SURFACES = {
  ill_conditioned: {
    label: "Ravine: (x² + 50 y²) / 2",
    start: [-4.0, 1.0],
    bounds: [[-5.0, 5.0], [-1.5, 1.5]],
    minimum: 0.0,
    value: (x, y) => 0.5 * (x * x + 50.0 * y * y),
    gradient: (x, y) => [x, 50.0 * y],
  },
  rosenbrock: {
    label: "Curved valley (Rosenbrock)",
    start: [-1.2, 1.0],
    bounds: [[-2.0, 2.0], [-1.0, 3.0]],
    minimum: 0.0,
    value: (x, y) => (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2,
    gradient: (x, y) => [-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)],
  },
  himmelblau: {
    label: "Four minima (Himmelblau)",
    start: [0.0, -1.0],
    bounds: [[-5.0, 5.0], [-5.0, 5.0]],
    minimum: 0.0,
    value: (x, y) => (x * x + y - 11.0) ** 2 + (x + y * y - 7.0) ** 2,
    gradient: (x, y) => {
      const a = x * x + y - 11.0;
      const b = x + y * y - 7.0;
      return [4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b];
    },
  },
  saddle: {
    label: "Saddle: x² + y⁴/4 − y²/2",
    start: [1.5, 1e-3],
    bounds: [[-2.0, 2.0], [-2.0, 2.0]],
    minimum: -0.25,
    value: (x, y) => x * x + 0.25 * y ** 4 - 0.5 * y * y,
    gradient: (x, y) => [2.0 * x, y ** 3 - y],
  },
};

// Take `steps` steps from `start`. Returns the path (the start, then one point per step
// taken), the loss at each point, and whether the run diverged (then the path stops at
// the last finite point, as the Python reference's does).
export function descend(surfaceName, { lr, momentum = 0.0, steps, start = null }) {
  const surface = SURFACES[surfaceName];
  if (!surface) throw new Error(`unknown surface ${surfaceName}`);
  let [x, y] = start ?? surface.start;
  const path = [[x, y]];
  const losses = [surface.value(x, y)];
  let velocity = null;
  let diverged = false;
  for (let t = 0; t < steps; t += 1) {
    const [gx, gy] = surface.gradient(x, y);
    velocity = velocity === null ? [gx, gy]
      : [momentum * velocity[0] + gx, momentum * velocity[1] + gy];
    x -= lr * velocity[0];
    y -= lr * velocity[1];
    const loss = surface.value(x, y);
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(loss)
        || Math.max(Math.abs(x), Math.abs(y)) > DIVERGED_AT || Math.abs(loss) > DIVERGED_AT) {
      diverged = true;
      break;
    }
    path.push([x, y]);
    losses.push(loss);
  }
  return { path, losses, diverged };
}
