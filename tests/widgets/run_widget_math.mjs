// Runs the widgets' arithmetic for the Python tests: reads one JSON request on stdin,
// writes one JSON answer on stdout. {"gd": [case...], "net": [case...], "data": [case...]}
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const request = JSON.parse(readFileSync(0, "utf8"));
const folder = request.folder;
const gd = await import(pathToFileURL(`${folder}/gd-math.js`).href);
const net = await import(pathToFileURL(`${folder}/net-math.js`).href);

const answer = {
  gd: (request.gd ?? []).map((c) => gd.descend(c.surface, c)),
  net: (request.net ?? []).map((c) => {
    const model = net.fromWeights(c.layers, c.activation);
    const losses = [];
    for (let t = 0; t < c.steps; t += 1) losses.push(net.trainStep(model, c.X, c.y, c.lr));
    return { losses, layers: model.layers, accuracy: net.accuracy(model, c.X, c.y) };
  }),
  data: (request.data ?? []).map((c) => net.makeDataset(c.kind, c.n, c.seed)),
  init: (request.init ?? []).map((c) => net.initNetwork(c.sizes, c.activation, c.seed)),
};
process.stdout.write(JSON.stringify(answer));
