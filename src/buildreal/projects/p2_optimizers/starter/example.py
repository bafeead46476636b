"""A tiny run of your playground: `python example.py`."""

from pathlib import Path

from playground import compare, comparison_table, plot_paths
from playground.surfaces import SURFACES

runs = compare("rosenbrock", ["sgd", "momentum", "adam"], steps=2000, seed=0)
print(comparison_table(runs))
for path in plot_paths(SURFACES["rosenbrock"], runs, Path("out") / "rosenbrock"):
    print("wrote", path)
