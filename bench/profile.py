"""Profile the Python side of one benchmark step with py-spy (program and dynamic provider).

Starts its own dev cluster, deploys what the step needs, then runs the step's
``pulumi`` command with a ``PULUMI_PYTHON_CMD`` that attaches ``py-spy`` to
the program and to the dynamic provider, and prints, per process, where the
CPU went: the functions with most own time and the pulumi-flink / Pulumi SDK
frames with most total time. Folded stacks (for flamegraph.pl or speedscope)
and the summary are kept in ``bench/results/profile-<program>-n<N>-<step>/``
and ``.txt``.

Usage::

    python -m bench.profile --program a --n 100 --step preview
    python -m bench.profile --program a --n 100 --step up
    python -m bench.profile --program b --n 100 --step preview_change

Needs ``py-spy`` (``pip install py-spy``).
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import CHECKPOINTS, PROGRAMS, RESULTS, bench_cluster, make_stack
from tests.e2e.stacks import set_config

_COMMANDS = {
    "preview": ("preview",),
    "up": ("up", "--yes", "--skip-preview"),
    "preview_change": ("preview",),
    "up_change": ("up", "--yes", "--skip-preview"),
    "up_noop": ("up", "--yes", "--skip-preview"),
}

# PULUMI_PYTHON_CMD for the profiled command: the program (run through
# pulumi-language-python-exec) and the dynamic provider (python -m
# pulumi.dynamic) are sampled by a py-spy attached to their pid, in its own
# session so that the engine, which kills a plugin's process group at the end,
# does not kill it before it has written its samples. py-spy must not write to
# the child's stdout: the dynamic provider announces its port there.
_WRAPPER = """#!/bin/sh
case "$*" in
  *pulumi-language-python-exec*) role=program ;;
  *pulumi.dynamic*) role=dynamic-provider ;;
  *) exec "{python}" "$@" ;;
esac
"{python}" "$@" &
child=$!
setsid "{py_spy}" record --gil --pid "$child" --rate {rate} --format raw \\
  --output "{out}/$role-$child.folded" >/dev/null 2>&1 &
wait "$child"
"""


def summarize(folded: Path, top: int = 30) -> str:
    """Own and total time per function of one process, from py-spy's raw output."""
    own: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    samples = 0
    for line in folded.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        frames = [f for f in stack.split(";") if not f.startswith(("thread ", "process "))]
        if not frames:
            continue
        samples += count
        own[frames[-1]] += count
        for frame in set(frames):
            total[frame] += count
    lines = [f"== {folded.stem}: {samples} samples (holding the GIL) ==", "-- own time --"]
    lines += [f"{n / samples:6.1%}  {frame}" for frame, n in own.most_common(top)]
    lines.append("-- total time: pulumi-flink, the program, the Pulumi SDK, dill, lightkube --")
    interesting = [
        (frame, n)
        for frame, n in total.most_common()
        if re.search(r"pulumi_flink|__main__|pulumi/|dill|lightkube|httpx", frame)
    ]
    lines += [f"{n / samples:6.1%}  {frame}" for frame, n in interesting[:top]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bench.profile``."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--program", choices=sorted(PROGRAMS), default="a")
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--step", choices=sorted(_COMMANDS), default="preview")
    parser.add_argument("--rate", type=int, default=100, help="samples per second")
    parser.add_argument("--checkpoints", choices=sorted(CHECKPOINTS), default="final")
    args = parser.parse_args(argv)
    os.environ.update(CHECKPOINTS[args.checkpoints])
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

    name = f"profile-{args.program}-n{args.n}-{args.step}"
    out = RESULTS / name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    workdir = Path(tempfile.mkdtemp(prefix="pulumi-flink-profile-"))
    try:
        with bench_cluster(workdir) as (_, environment):
            stack = make_stack(environment, args.program, args.n, workdir)
            stack.preview()  # warm caches
            if args.step in ("up_noop", "preview_change", "up_change"):
                stack.up()
            if args.step in ("preview_change", "up_change"):
                set_config(stack, {"firstParallelism": "2"})

            wrapper = workdir / "python-profiled"
            wrapper.write_text(
                _WRAPPER.format(python=sys.executable, py_spy=py_spy, rate=args.rate, out=out)
            )
            wrapper.chmod(0o755)
            command = [
                str(environment.bin_dir / "pulumi"), *_COMMANDS[args.step],
                "--stack", stack.name, "--non-interactive",
            ]  # fmt: skip
            started = time.perf_counter()
            subprocess.run(
                command,
                cwd=stack.workspace.work_dir,
                env={**os.environ, **environment.env(), "PULUMI_PYTHON_CMD": str(wrapper)},
                check=True,
                stdout=subprocess.DEVNULL,
            )
            seconds = time.perf_counter() - started
            time.sleep(2)  # let py-spy write its samples
            if args.step != "preview":
                stack.destroy()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report = f"{name}: `pulumi {' '.join(_COMMANDS[args.step])}` took {seconds:.1f}s (profiled)\n\n"
    report += "\n".join(summarize(folded) for folded in sorted(out.glob("*.folded")))
    (RESULTS / f"{name}.txt").write_text(report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
