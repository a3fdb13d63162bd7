"""Turn the harness's raw results into ``docs/benchmarks.md`` and ``docs/benchmarks.png``.

Regenerate the note from a results file without running anything::

    python -m bench.report bench/results/<stamp>.json

Everything below the line :data:`NOTES_MARKER` in an existing note (the
analysis written by hand) is kept.
"""

from __future__ import annotations

import itertools
import json
import statistics
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NOTES_MARKER = "<!-- Written by hand below this line; `python -m bench.report` keeps it. -->"

STEP_TITLES = {
    "preview": "`pulumi preview` (create)",
    "up": "first `pulumi up`",
    "up_noop": "no-op `pulumi up`",
    "preview_change": "`pulumi preview` (one field)",
    "up_change": "`pulumi up` (one field)",
    "destroy": "`pulumi destroy`",
}
TARGET_STEPS = ("preview", "up", "preview_change", "up_change")
"""The steps the ratio target (a)/(b) <= 1.10 applies to (preview and up)."""
TARGET_SIZES = (100, 500)
RATIO_TARGET = 1.10
MEMORY_TARGET = 1.2
CORE_TARGET_MS = 1.0


@dataclass(frozen=True)
class Spread:
    """Median and range of repeated measurements."""

    median: float
    low: float
    high: float
    count: int

    @classmethod
    def of(cls, values: Iterable[float]) -> Spread:
        """The spread of ``values`` (at least one)."""
        data = sorted(values)
        return cls(statistics.median(data), data[0], data[-1], len(data))

    def text(self, unit: str = "", digits: int = 1) -> str:
        """``median (low-high)``, the range left out for a single value."""
        if self.count == 1:
            return f"{self.median:.{digits}f}{unit}"
        return f"{self.median:.{digits}f}{unit} ({self.low:.{digits}f}-{self.high:.{digits}f})"


@dataclass(frozen=True)
class Fit:
    """Least-squares line ``seconds = intercept + slope * N``."""

    slope: float
    intercept: float
    r_squared: float


def _runs(results: dict[str, Any], program: str, n: int) -> list[dict[str, Any]]:
    return sorted(
        (run for run in results["runs"] if run["program"] == program and run["n"] == n),
        key=lambda run: run["repetition"],
    )


def sizes_measured(results: dict[str, Any]) -> list[int]:
    """The N for which both programs have at least one run."""
    return [n for n in results["sizes"] if _runs(results, "a", n) and _runs(results, "b", n)]


def seconds(results: dict[str, Any], program: str, n: int, step: str) -> Spread:
    """Wall time of ``step`` over the repetitions."""
    return Spread.of(run["steps"][step]["seconds"] for run in _runs(results, program, n))


def paired_ratios(results: dict[str, Any], n: int, step: str) -> Spread:
    """(a)/(b) of each repetition: both measured back to back."""
    b_runs = {run["repetition"]: run for run in _runs(results, "b", n)}
    return Spread.of(
        run["steps"][step]["seconds"] / b_runs[run["repetition"]]["steps"][step]["seconds"]
        for run in _runs(results, "a", n)
        if run["repetition"] in b_runs
    )


def peak_rss(results: dict[str, Any], program: str, n: int, role: str) -> Spread:
    """Peak RSS (MiB) of ``role``'s process over all steps, per repetition."""
    return Spread.of(
        max(step["peak_rss_mib"][role] for step in run["steps"].values())
        for run in _runs(results, program, n)
    )


def python_rss(results: dict[str, Any], program: str, n: int) -> Spread:
    """Peak RSS of the program plus the dynamic provider (all Python we run)."""
    return Spread.of(
        max(step["peak_rss_mib"]["program"] for step in run["steps"].values())
        + max(step["peak_rss_mib"]["dynamic_provider"] for step in run["steps"].values())
        for run in _runs(results, program, n)
    )


def cpu_seconds(results: dict[str, Any], program: str, n: int, step: str, role: str) -> Spread:
    """CPU time of ``role`` during ``step``."""
    return Spread.of(run["steps"][step]["cpu_seconds"][role] for run in _runs(results, program, n))


def fit(results: dict[str, Any], program: str, step: str) -> Fit | None:
    """Fit every single measurement of ``step`` against N (None with fewer than 2 sizes)."""
    points = [
        (run["n"], run["steps"][step]["seconds"])
        for run in results["runs"]
        if run["program"] == program and run["n"] in sizes_measured(results)
    ]
    if len({n for n, _ in points}) < 2:
        return None
    xs, ys = [float(n) for n, _ in points], [y for _, y in points]
    slope, intercept = statistics.linear_regression(xs, ys)
    mean = statistics.fmean(ys)
    residual = sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    total = sum((y - mean) ** 2 for y in ys) or 1.0
    return Fit(slope, intercept, 1 - residual / total)


def marginal_cost_ms(
    results: dict[str, Any], program: str, step: str
) -> list[tuple[int, int, float]]:
    """Per-Deployment cost between successive N, from the medians (linear: all alike)."""
    sizes = sizes_measured(results)
    return [
        (low, high, 1000 * (seconds(results, program, high, step).median
                             - seconds(results, program, low, step).median) / (high - low))
        for low, high in itertools.pairwise(sizes)
    ]  # fmt: skip


# -- the note -------------------------------------------------------------------


def _machine(results: dict[str, Any]) -> list[str]:
    machine = results["machine"]
    wanted = ("Architecture", "CPU(s)", "Model name", "Thread(s) per core", "Core(s) per socket")
    lscpu = [
        " ".join(line.split())
        for line in machine["lscpu"].splitlines()
        if line.split(":")[0].strip() in wanted
    ]
    free_lines = machine["free"].splitlines()
    columns = free_lines[0].split() if free_lines else []
    free = [
        f"{line.split()[0]} "
        + ", ".join(
            f"{value} {name}" for name, value in zip(columns, line.split()[1:], strict=False)
        )
        for line in free_lines[1:]
        if line.startswith("Mem")
    ]
    versions = results["versions"]
    return [
        f"- `nproc`: {machine['nproc']}; `uname -srm`: {machine['uname']}; "
        f"Python {machine['python']}",
        "- `lscpu`: " + "; ".join(lscpu),
        "- `free -h`: " + "; ".join(free),
        f"- Pulumi CLI {versions['pulumi']} and pulumi-kubernetes {versions['pulumi_kubernetes']}"
        f" built from source by `toolchain/bootstrap.sh`; Kubernetes {versions['kubernetes']}"
        " (etcd, kube-apiserver, kwok) on loopback, file state backend.",
    ]


def _time_table(results: dict[str, Any]) -> list[str]:
    sizes = sizes_measured(results)
    lines = [
        "| step | N | (a) pulumi-flink, s | (b) pulumi-kubernetes, s | (a)/(b) of medians "
        "| (a)/(b) per repetition |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for step, title in STEP_TITLES.items():
        for n in sizes:
            a, b = seconds(results, "a", n, step), seconds(results, "b", n, step)
            lines.append(
                f"| {title} | {n} | {a.text()} | {b.text()} | **{a.median / b.median:.2f}** "
                f"| {paired_ratios(results, n, step).text(digits=2)} |"
            )
    return lines


def _memory_table(results: dict[str, Any]) -> list[str]:
    lines = [
        "| N | program (a), MiB | program (b), MiB | (a)/(b) | dynamic provider (a), MiB "
        "| program + dynamic provider (a) / program (b) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes_measured(results):
        a, b = peak_rss(results, "a", n, "program"), peak_rss(results, "b", n, "program")
        dynamic = peak_rss(results, "a", n, "dynamic_provider")
        total = python_rss(results, "a", n)
        lines.append(
            f"| {n} | {a.text()} | {b.text()} | **{a.median / b.median:.2f}** | {dynamic.text()} "
            f"| **{total.median / b.median:.2f}** |"
        )
    return lines


def _cpu_table(results: dict[str, Any]) -> list[str]:
    roles = ("program", "dynamic_provider", "kubernetes_provider", "engine")
    lines = [
        "| step | N | run | " + " | ".join(r.replace("_", " ") for r in roles) + " |",
        "|---|---:|---|" + "---:|" * len(roles),
    ]
    n = max(sizes_measured(results))
    for step in ("preview", "up", "preview_change", "up_change"):
        for program in ("a", "b"):
            cells = [f"{cpu_seconds(results, program, n, step, role).median:.1f}" for role in roles]
            lines.append(f"| {STEP_TITLES[step]} | {n} | ({program}) | " + " | ".join(cells) + " |")
    return lines


def _fit_table(results: dict[str, Any]) -> list[str]:
    lines = [
        "| step | (a) ms per Deployment | (b) ms per Deployment | (a) - (b) | R² (a) / (b) "
        "| marginal ms/Deployment between sizes, (a) ; (b) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for step, title in STEP_TITLES.items():
        fa, fb = fit(results, "a", step), fit(results, "b", step)
        if fa is None or fb is None:
            continue
        margins = []
        for program in ("a", "b"):
            margins.append(
                ", ".join(
                    f"{lo}→{hi}: {ms:.0f}"
                    for lo, hi, ms in marginal_cost_ms(results, program, step)
                )
            )
        lines.append(
            f"| {title} | {1000 * fa.slope:.1f} | {1000 * fb.slope:.1f} "
            f"| {1000 * (fa.slope - fb.slope):+.1f} | {fa.r_squared:.3f} / {fb.r_squared:.3f} "
            f"| {margins[0]} ; {margins[1]} |"
        )
    return lines


def _core_table(results: dict[str, Any]) -> list[str]:
    core = results["core"]
    lines = ["| function (one Deployment, 20-operation patch set) | median ms per call | range |",
             "|---|---:|---|"]  # fmt: skip
    for name in (
        "effective_deployment",
        "render_manifests",
        "effective_deployment + render_manifests",
    ):
        row = core[name]
        lines.append(
            f"| `{name}` | {row['median_ms']:.3f} | {row['min_ms']:.3f}-{row['max_ms']:.3f} |"
        )
    lines.append("")
    lines.append(
        f"`timeit`: {core['repeats']} repeats of {core['calls_per_repeat']} calls; the "
        "spread is over the repeats' per-call means."
    )
    return lines


def _verdicts(results: dict[str, Any]) -> list[str]:
    sizes = [n for n in sizes_measured(results) if n in TARGET_SIZES]
    lines = ["| target | measured | met? |", "|---|---|---|"]
    for step in TARGET_STEPS:
        for n in sizes:
            ratio = seconds(results, "a", n, step).median / seconds(results, "b", n, step).median
            lines.append(
                f"| {STEP_TITLES[step]} (a)/(b) ≤ {RATIO_TARGET:.2f} at N = {n} | {ratio:.2f} "
                f"| {'yes' if ratio <= RATIO_TARGET else '**no**'} |"
            )
    for step in ("preview", "up"):
        fa = fit(results, "a", step)
        if fa is not None:
            lines.append(
                f"| {STEP_TITLES[step]} linear in N | R² = {fa.r_squared:.3f}, "
                f"{1000 * fa.slope:.1f} ms per Deployment | "
                f"{'yes' if fa.r_squared >= 0.98 else '**no**'} |"
            )
    core = results["core"]["effective_deployment + render_manifests"]["median_ms"]
    lines.append(
        f"| core render < {CORE_TARGET_MS:.0f} ms per Deployment (median) | {core:.3f} ms "
        f"| {'yes' if core < CORE_TARGET_MS else '**no**'} |"
    )
    for n in sizes_measured(results):
        b = peak_rss(results, "b", n, "program").median
        program = peak_rss(results, "a", n, "program").median / b
        total = python_rss(results, "a", n).median / b
        if total <= MEMORY_TARGET:
            verdict = "yes"
        else:
            verdict = "program only" if program <= MEMORY_TARGET else "**no**"
        lines.append(
            f"| memory (a) ≤ {MEMORY_TARGET}x (b) at N = {n} | program {program:.2f}x; "
            f"with the dynamic provider {total:.2f}x | {verdict} |"
        )
    return lines


def _checkpoints(results: dict[str, Any]) -> str:
    mode = results.get("checkpoints", "every-step")
    if mode == "final":
        return (
            "once, at the end of each command (`PULUMI_SKIP_CHECKPOINTS=true`); with the file"
            " backend's default (the whole state after every step) a create or delete of R"
            " resources costs O(R²) engine time, see the notes"
        )
    return "after every step (the file backend's default)"


def _failures(results: dict[str, Any]) -> str:
    failures = results.get("failures", [])
    if not failures:
        return "none"
    by_program = {p: sum(1 for f in failures if f["program"] == p) for p in ("a", "b")}
    crashed = sum(1 for f in failures if "EOF" in f["error"] or "Segmentation" in f["error"])
    return (
        f"{len(failures)} attempts ((a): {by_program['a']}, (b): {by_program['b']}) failed and"
        f" were discarded and run again from an empty stack; {crashed} of them because the"
        " dynamic provider process died (`error reading from server: EOF`, a segfault), see"
        " the notes"
    )


def render(results: dict[str, Any], raw: Path, plot: Path, notes: str) -> str:
    """The Markdown of the note."""
    repo_root = Path(__file__).resolve().parents[1]
    source = (
        raw.resolve().relative_to(repo_root).as_posix() if raw.is_relative_to(repo_root) else raw
    )
    repetitions = ", ".join(
        f"N = {n}: {len(_runs(results, 'a', n))}" for n in sizes_measured(results)
    )
    equivalence = "; ".join(
        f"N = {n}: {v['objects']} objects, {'identical' if not v['problems'] else 'DIFFERENT'}"
        for n, v in results["equivalence"].items()
    )
    lines = [
        "# Benchmarks: pulumi-flink against hand-written pulumi-kubernetes",
        "",
        "What pulumi-flink costs on top of writing the same Kubernetes objects by hand",
        f"(issue 6). Generated by `bench/` from [`{source}`](../{source}); absolute times on"
        " shared machines are noise, the ratios measured back to back in one run are the result.",
        "",
        f"- Run: {results['started_at']} → {results.get('finished_at', '(did not finish)')} (UTC)",
        f"- Command: `{results['command']}` with the venv's Python (`make bench` runs it"
        " without arguments)",
        f"- Repetitions: {repetitions}; order (a), (b) in odd repetitions, (b), (a) in even ones",
        f"- Objects read back after the first `up` of (a) and of (b): {equivalence}",
        f"- Engine state writes: {_checkpoints(results)}",
        f"- Failed commands: {_failures(results)}",
        "",
        "## What is measured",
        "",
        "N Flink jobs spread over 5 DeploymentTargets (`bench-0` … `bench-4`, namespaces made"
        " beforehand), operator engine (ServiceAccount, Role, RoleBinding, FlinkDeployment per"
        " job), the seed's checkpoint/savepoint patch set on every target, `wait_for_ready=False`:",
        "",
        "- **(a)** `bench/programs/flink`: 5 `DeploymentTarget` (dynamic resources), the"
        " stack's `TargetBinding` to each with its `ClaimIntent` (dynamic resources) and N"
        " `Deployment` components (each with its 4 objects); 5N + 16 resources with the stack.",
        "- **(b)** `bench/programs/kubernetes`: the same 4N objects written as dict literals with"
        " pulumi-kubernetes resources (`ServiceAccount`, `Role`, `RoleBinding`,"
        " `apiextensions.CustomResource`); 4N + 1 resources.",
        "",
        "Each repetition runs, per program, on its own stack on the same dev cluster: preview of"
        " the empty stack, first `up`, no-op `up`, preview and `up` of a one-field change"
        " (`parallelism` of `job-0`), `destroy`. Every step's change summary is checked"
        " (creates everything, no-op changes nothing, the change updates exactly one resource)."
        " Memory is the peak RSS (`VmHWM`) of each process, read every"
        f" {1000 * results.get('sampler_interval_seconds', 0.05):.0f} ms from `/proc`"
        " while the step runs: *program* is the Python interpreter running `__main__.py`,"
        " *dynamic provider* the `python -m pulumi.dynamic` process (only (a) has one).",
        "",
        "## Targets",
        "",
        *_verdicts(results),
        "",
        "## Wall time",
        "",
        "Median (min-max) over the repetitions, seconds.",
        "",
        *_time_table(results),
        "",
        f"![time vs N]({plot.name})",
        "",
        "## Cost per Deployment",
        "",
        "Least-squares line through every measurement (time = a + b·N); *marginal* is the"
        " slope between successive N from the medians — equal marginals mean linear growth.",
        "",
        *_fit_table(results),
        "",
        "## Memory",
        "",
        "Peak RSS over all steps of a repetition, median (min-max), MiB.",
        "",
        *_memory_table(results),
        "",
        "## Where the CPU goes",
        "",
        "CPU seconds (user + system) of each process during the step, median, at the largest N."
        " The engine and the Kubernetes provider are Go; program and dynamic provider are Python.",
        "",
        *_cpu_table(results),
        "",
        "## Core micro-benchmark",
        "",
        *_core_table(results),
        "",
        "## Machine",
        "",
        *_machine(results),
        "",
        NOTES_MARKER,
        notes.rstrip("\n"),
        "",
    ]
    return "\n".join(lines)


def plot_times(results: dict[str, Any], path: Path) -> None:
    """Time vs N for (a) and (b), one panel per step, with the fitted lines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sizes_measured(results)
    figure, axes = plt.subplots(2, 3, figsize=(13, 7.5), sharex=True)
    for axis, (step, title) in zip(axes.flat, STEP_TITLES.items(), strict=True):
        for program, label, colour in (
            ("a", "(a) pulumi-flink", "tab:orange"),
            ("b", "(b) pulumi-kubernetes", "tab:blue"),
        ):
            spreads = [seconds(results, program, n, step) for n in sizes]
            medians = [s.median for s in spreads]
            errors = [[s.median - s.low for s in spreads], [s.high - s.median for s in spreads]]
            axis.errorbar(
                sizes, medians, yerr=errors, marker="o", capsize=3, color=colour, label=label
            )
            line = fit(results, program, step)
            if line is not None:
                fitted = [line.intercept + line.slope * n for n in sizes]
                label = f"fit {1000 * line.slope:.0f} ms/Deployment"
                axis.plot(sizes, fitted, ls=":", color=colour, label=label)
        axis.set_title(title.replace("`", ""))
        axis.set_xlabel("N Deployments")
        axis.set_ylabel("seconds")
        axis.grid(alpha=0.3)
        axis.legend(fontsize=7)
    figure.suptitle("pulumi-flink (a) vs hand-written pulumi-kubernetes (b): median, min-max")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write(results: dict[str, Any], raw: Path, note: Path, plot: Path) -> None:
    """Write the note (keeping its hand-written part) and the plot."""
    notes = ""
    if note.exists() and NOTES_MARKER in note.read_text():
        notes = note.read_text().split(NOTES_MARKER, 1)[1].lstrip("\n")
    note.parent.mkdir(parents=True, exist_ok=True)
    plot_times(results, plot)
    note.write_text(render(results, raw, plot, notes))


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.report RESULTS.json``: regenerate the note and the plot."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m bench.report bench/results/<stamp>.json", file=sys.stderr)
        return 2
    raw = Path(args[0]).resolve()
    docs = Path(__file__).resolve().parents[1] / "docs"
    write(json.loads(raw.read_text()), raw, docs / "benchmarks.md", docs / "benchmarks.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
