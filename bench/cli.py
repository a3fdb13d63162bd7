"""CLI benchmark: ``validate`` and ``render`` of a 1,000-Deployment export (issue 11).

The yardstick is what reading the same file costs at least: a parse with
PyYAML's C loader (``yaml.load_all(text, CSafeLoader)``). Targets: ``validate``
at most 3x and ``render`` at most 5x that parse.

Two views of each command, both recorded:

- **in process** — the command run through click's test runner in a warm
  interpreter (what CI pays per file once Python is up), against the parse
  in the same interpreter: the ratio the targets are about;
- **process** — ``pulumi-flink validate FILE`` as a fresh process, against a
  fresh ``python -c`` that parses the file: what a shell user waits for,
  interpreter start and imports included.

Each is the best of ``--repeat`` runs, in CPU seconds (user + system of
the process that does the work): on a machine shared with other jobs, wall
time measures the neighbours as much as the command; both are recorded.

Run: ``python -m bench.cli [--deployments N] [--repeat R]``. Prints a
Markdown table and writes ``bench/results/cli-<time>.json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from pulumi_flink.cli import main as cli

RESULTS = Path(__file__).with_name("results")
TARGETS = 4
VALIDATE_TARGET = 3.0
RENDER_TARGET = 5.0


def export_text(deployments: int) -> str:
    """A realistic export: a few targets with patch sets, ``deployments`` Deployments on them."""
    parts = []
    for index in range(TARGETS):
        parts.append(
            f"""\
apiVersion: v1
kind: DeploymentTarget
metadata:
  name: target-{index}
  id: 5b0f8d6e-6a43-4c1e-9d55-0a3a1c1f{index:04d}
  createdAt: "2025-01-10T09:00:00Z"
  resourceVersion: 3
spec:
  kubernetes:
    namespace: flink-{index}
  deploymentPatchSet:
    - op: add
      path: /spec/template/spec/flinkConfiguration/state.checkpoints.dir
      value: s3://flink-{index}/checkpoints
    - op: add
      path: /spec/template/spec/flinkConfiguration/state.savepoints.dir
      value: s3://flink-{index}/savepoints
    - op: add
      path: /spec/template/spec/kubernetes/labels/team
      value: team-{index}
"""
        )
    for index in range(deployments):
        parts.append(
            f"""\
apiVersion: v1
kind: Deployment
metadata:
  name: job-{index}
  namespace: default
  labels: {{app: job-{index}}}
  createdAt: "2025-02-01T10:00:00Z"
  resourceVersion: 7
spec:
  state: RUNNING
  deploymentTargetName: target-{index % TARGETS}
  upgradeStrategy: {{kind: STATEFUL}}
  restoreStrategy: {{kind: LATEST_STATE}}
  maxJobCreationAttempts: 4
  template:
    metadata:
      annotations: {{owner: team-{index % TARGETS}}}
    spec:
      artifact:
        kind: JAR
        jarUri: local:///opt/flink/usrlib/job-{index}.jar
        entryClass: com.example.Job{index}
        mainArgs: --input kafka://in-{index} --output kafka://out-{index}
        flinkVersion: "1.20"
      parallelism: {1 + index % 8}
      resources:
        jobmanager: {{cpu: 1, memory: 2g}}
        taskmanager: {{cpu: 2, memory: 4g}}
      flinkConfiguration:
        taskmanager.numberOfTaskSlots: "2"
        execution.checkpointing.interval: 60s
      logging:
        log4jLoggers: {{"": INFO, org.apache.kafka: WARN}}
      kubernetes:
        pods:
          envVars:
            - name: JOB_INDEX
              value: "{index}"
"""
        )
    return "---\n".join(parts)


def _cpu() -> float:
    """CPU seconds of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _best(run: Callable[[], Any], repeat: int) -> dict[str, float]:
    """The best CPU and wall seconds of ``repeat`` runs."""
    cpu, wall = [], []
    for _ in range(repeat):
        start_cpu, start_wall = _cpu(), time.perf_counter()
        run()
        cpu.append(_cpu() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return {"cpu": min(cpu), "wall": min(wall)}


def _cli(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args))
    if result.exit_code != 0:
        raise SystemExit(f"pulumi-flink {' '.join(args)} failed: {result.output[-500:]}")


def _process(*command: str) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def measure(deployments: int, repeat: int) -> dict[str, Any]:
    """Time the parse, ``validate`` and ``render`` of one generated export."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "export.yaml"
        text = export_text(deployments)
        path.write_text(text, encoding="utf-8")
        file = str(path)
        executable = Path(sys.executable)
        parse_code = (
            "import sys, yaml; "
            "list(yaml.load_all(open(sys.argv[1]).read(), Loader=yaml.CSafeLoader))"
        )
        seconds = {
            "parse": _best(lambda: list(yaml.load_all(text, Loader=yaml.CSafeLoader)), repeat),
            "validate": _best(lambda: _cli("validate", file), repeat),
            "render": _best(lambda: _cli("render", file), repeat),
            "parse_process": _best(
                lambda: _process(str(executable), "-c", parse_code, file), repeat
            ),
            "validate_process": _best(
                lambda: _process(str(executable.with_name("pulumi-flink")), "validate", file),
                repeat,
            ),
            "render_process": _best(
                lambda: _process(str(executable.with_name("pulumi-flink")), "render", file),
                repeat,
            ),
        }
        size = len(text.encode())
    return {
        "deployments": deployments,
        "file_bytes": size,
        "repeat": repeat,
        "seconds": seconds,
        "ratios": {
            clock: {
                "validate": seconds["validate"][clock] / seconds["parse"][clock],
                "render": seconds["render"][clock] / seconds["parse"][clock],
                "validate_process": seconds["validate_process"][clock]
                / seconds["parse_process"][clock],
                "render_process": seconds["render_process"][clock]
                / seconds["parse_process"][clock],
            }
            for clock in ("cpu", "wall")
        },
        "python": sys.version.split()[0],
        "libyaml": yaml.__with_libyaml__,
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def table(result: dict[str, Any]) -> str:
    """The result as the Markdown table docs/benchmarks.md shows (CPU seconds, wall in brackets)."""
    seconds, ratios = result["seconds"], result["ratios"]

    def cell(name: str) -> str:
        return f"{seconds[name]['cpu']:.3f} s ({seconds[name]['wall']:.3f} s)"

    def ratio(name: str) -> str:
        return f"{ratios['cpu'][name]:.2f}x ({ratios['wall'][name]:.2f}x)"

    rows = [
        "| | C-loader parse | `validate` | `render` | validate / parse | render / parse |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| in process | {cell('parse')} | {cell('validate')} | {cell('render')} | "
        f"**{ratio('validate')}** (target ≤ {VALIDATE_TARGET:g}x) | "
        f"**{ratio('render')}** (target ≤ {RENDER_TARGET:g}x) |",
        f"| fresh process | {cell('parse_process')} | {cell('validate_process')} | "
        f"{cell('render_process')} | {ratio('validate_process')} | {ratio('render_process')} |",
    ]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deployments", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    result = measure(options.deployments, options.repeat)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%z")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"cli-{stamp}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"{result['deployments']} Deployments, {result['file_bytes'] / 1e6:.2f} MB, "
        f"best of {result['repeat']}:"
    )
    print(table(result))


if __name__ == "__main__":
    main()
