"""The benchmark harness: pulumi-flink (a) against hand-written pulumi-kubernetes (b).

In one run, on one local control plane and one engine build, for each N and
each repetition, both programs in ``bench/programs/`` go through the same
steps on a stack of their own, in alternating order:

``preview``         ``pulumi preview`` of an empty stack (everything to create)
``up``              the first ``pulumi up``
``up_noop``         ``pulumi up`` again, nothing changed
``preview_change``  ``pulumi preview`` after one field changed (what a PR runs)
``up_change``       ``pulumi up`` of that change (parallelism of ``job-0``)
``destroy``         ``pulumi destroy``, back to an empty stack

Every step records its wall time, the peak RSS and CPU time of each Pulumi
process (see :mod:`bench.sampling`) and the engine's change summary, which is
checked (the no-op changes nothing, the change updates one resource). After
the first ``up`` of the first repetition, the objects both programs made are
read back from the API server and must be equal.

Usage::

    python -m bench.harness                 # full run, writes docs/benchmarks.md
    python -m bench.harness --smoke         # N = 10 once, checks only (make test)
    python -m bench.harness --sizes 10,100 --repetitions 2
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lightkube import Client
from lightkube.generic_resource import create_namespaced_resource
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.core_v1 import ConfigMap, Namespace, ServiceAccount
from lightkube.resources.rbac_authorization_v1 import Role, RoleBinding
from pulumi import automation as auto

from bench import core, report
from bench.sampling import ProcessSampler
from pulumi_flink.devcluster import DevCluster, locate_toolchain
from pulumi_flink.registry import DEFAULT_REGISTRY_NAMESPACE
from tests.e2e.stacks import PulumiEnvironment, set_config

BENCH = Path(__file__).resolve().parent
REPO_ROOT = BENCH.parent
PROGRAMS = {
    "a": BENCH / "programs" / "flink",
    "b": BENCH / "programs" / "kubernetes",
    "c": BENCH / "programs" / "kubernetes",
    "s": BENCH / "programs" / "flink",
}
"""(a) pulumi-flink, (b) the same objects by hand, (c) (b) with each job's objects
in a component of their own: the floor of any component-per-Deployment design
(``--floor``), (s) (a) with ``savepoint_on_delete`` on: what keeping state costs
(``--state``)."""
PROGRAM_CONFIG = {"c": {"componentPerJob": "true"}, "s": {"savepointOnDelete": "true"}}
RESULTS = BENCH / "results"
DOCS = REPO_ROOT / "docs"
FLINK_DEPLOYMENT_CRD = (
    REPO_ROOT.parent / "shared" / "reference" / "crds" / "flinkdeployments.flink.apache.org-v1.yml"
)
VERSIONS_ENV = REPO_ROOT / "toolchain" / "versions.env"

NAMESPACE_PREFIX = "bench"
TARGETS = 5
STEPS = ("preview", "up", "up_noop", "preview_change", "up_change", "destroy")
DEFAULT_SIZES = (10, 100, 500)
CHECKPOINTS = {
    "final": {"PULUMI_SKIP_CHECKPOINTS": "true"},
    "every-step": {},
}
"""How often the engine writes the state: only at the end, or after every step.

The file backend rewrites the whole state after every step by default, so a
first ``up`` or a ``destroy`` of R resources costs O(R²) engine time (about
three quarters of the engine's CPU at N = 100, and hours at N = 500). The
default ``final`` (``PULUMI_SKIP_CHECKPOINTS``) measures everything else.
"""
ATTEMPTS = 4
"""Tries of one program's steps when a Pulumi command fails (see :func:`run_program`)."""

FlinkDeployment = create_namespaced_resource(
    "flink.apache.org", "v1beta1", "FlinkDeployment", "flinkdeployments"
)
_COMPARED_KINDS = (ServiceAccount, Role, RoleBinding, FlinkDeployment)
_SERVER_FIELDS = ("uid", "resourceVersion", "creationTimestamp", "managedFields", "generation")


class BenchmarkCheckError(RuntimeError):
    """A step did not do what the benchmark relies on (so its timing means nothing)."""


# -- what each program should create -------------------------------------------


def expected_resources(program: str, n: int) -> int:
    """Resources in the stack, the Stack resource included."""
    if program == "c":
        return 1 + 5 * n
    if program in ("a", "s"):
        # 5 DeploymentTargets, the stack's binding to each target in use and
        # the binding's ClaimIntent; per Deployment: the component and its 4
        # Kubernetes objects, and with state kept its FlinkJob and RecordedSavepoint.
        return 1 + TARGETS + 2 * min(n, TARGETS) + (7 if program == "s" else 5) * n
    return 1 + 4 * n


def updated_by_the_change(program: str) -> int:
    """Resources the one-field change updates: the FlinkDeployment (and (s)'s FlinkJob)."""
    return 2 if program == "s" else 1


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise BenchmarkCheckError(message)


def _changes(summary: dict[str, int] | None) -> dict[str, int]:
    return {op: count for op, count in (summary or {}).items() if count}


# -- Pulumi stacks --------------------------------------------------------------


def _versions() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in VERSIONS_ENV.read_text().splitlines())
    return {
        key.strip(): value.strip()
        for key, value in (pair for pair in pairs if len(pair) == 2)
        if not key.lstrip().startswith("#")
    }


def make_stack(environment: PulumiEnvironment, program: str, n: int, workdir: Path) -> auto.Stack:
    """Stack ``n<N>`` of a private copy of ``program``'s folder."""
    folder = workdir / PROGRAMS[program].name
    if not folder.exists():
        shutil.copytree(PROGRAMS[program], folder)
    stack = auto.create_or_select_stack(
        f"n{n}" if program not in PROGRAM_CONFIG else f"n{n}-{program}",
        work_dir=str(folder),
        opts=auto.LocalWorkspaceOptions(
            env_vars=environment.env(),
            pulumi_home=str(environment.home),
            pulumi_command=auto.PulumiCommand(root=str(environment.bin_dir.parent)),
        ),
    )
    set_config(
        stack,
        {
            "deployments": str(n),
            "namespacePrefix": NAMESPACE_PREFIX,
            "firstParallelism": "1",
            **PROGRAM_CONFIG.get(program, {}),
        },
    )
    return stack


def _timed(action: Callable[[], Any]) -> tuple[Any, dict[str, Any]]:
    with ProcessSampler() as sampler:
        start = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - start
    return result, {
        "seconds": seconds,
        "peak_rss_mib": sampler.peak_rss_mib(),
        "cpu_seconds": sampler.cpu_seconds(),
    }


def run_steps(
    stack: auto.Stack,
    program: str,
    n: int,
    after_first_up: Callable[[], None] | None = None,
) -> dict[str, dict[str, Any]]:
    """Preview, up, no-op up, preview and up of a one-field change, destroy.

    ``after_first_up`` runs (untimed) once the objects exist.
    """
    steps: dict[str, dict[str, Any]] = {}
    total = expected_resources(program, n)

    result, steps["preview"] = _timed(lambda: stack.preview())
    steps["preview"]["changes"] = _changes(result.change_summary)
    _check(
        steps["preview"]["changes"] == {"create": total},
        f"({program}) N={n}: preview should create {total}, got {steps['preview']['changes']}",
    )

    result, steps["up"] = _timed(lambda: stack.up())
    steps["up"]["changes"] = _changes(result.summary.resource_changes)
    _check(
        steps["up"]["changes"] == {"create": total},
        f"({program}) N={n}: up should create {total}, got {steps['up']['changes']}",
    )
    if after_first_up is not None:
        after_first_up()

    result, steps["up_noop"] = _timed(lambda: stack.up())
    steps["up_noop"]["changes"] = _changes(result.summary.resource_changes)
    _check(
        steps["up_noop"]["changes"] == {"same": total},
        f"({program}) N={n}: no-op up changed {steps['up_noop']['changes']}",
    )

    set_config(stack, {"firstParallelism": "2"})
    updated = updated_by_the_change(program)
    one_update = {"same": total - updated, "update": updated}
    result, steps["preview_change"] = _timed(lambda: stack.preview())
    steps["preview_change"]["changes"] = _changes(result.change_summary)
    result, steps["up_change"] = _timed(lambda: stack.up())
    steps["up_change"]["changes"] = _changes(result.summary.resource_changes)
    for step in ("preview_change", "up_change"):
        _check(
            steps[step]["changes"] == one_update,
            f"({program}) N={n}: {step} should update one resource, got {steps[step]['changes']}",
        )

    result, steps["destroy"] = _timed(lambda: stack.destroy())
    steps["destroy"]["changes"] = _changes(result.summary.resource_changes)
    set_config(stack, {"firstParallelism": "1"})
    return steps


# -- the objects in the cluster ---------------------------------------------------


def _normalized(obj: Any) -> dict[str, Any]:
    document: dict[str, Any] = obj.to_dict()
    document.pop("status", None)
    metadata = document.get("metadata", {})
    for key in _SERVER_FIELDS:
        metadata.pop(key, None)
    return document


def cluster_objects(client: Client) -> dict[str, dict[str, Any]]:
    """The workload objects in the target namespaces, by kind/namespace/name."""
    objects: dict[str, dict[str, Any]] = {}
    for t in range(TARGETS):
        namespace = f"{NAMESPACE_PREFIX}-{t}"
        for kind in _COMPARED_KINDS:
            for obj in client.list(kind, namespace=namespace):
                if kind is ServiceAccount and obj.metadata.name == "default":
                    continue
                objects[f"{kind.__name__}/{namespace}/{obj.metadata.name}"] = _normalized(obj)
    return objects


def compare_objects(a: dict[str, dict[str, Any]], b: dict[str, dict[str, Any]]) -> list[str]:
    """Differences between the objects (a) and (b) made; empty when identical."""
    problems = [f"only (a) made {key}" for key in sorted(a.keys() - b.keys())]
    problems += [f"only (b) made {key}" for key in sorted(b.keys() - a.keys())]
    problems += [f"{key} differs" for key in sorted(a.keys() & b.keys()) if a[key] != b[key]]
    return problems


def clear_cluster(client: Client) -> None:
    """Delete what a failed run may have left: workload objects and target records."""
    for t in range(TARGETS):
        namespace = f"{NAMESPACE_PREFIX}-{t}"
        for kind in _COMPARED_KINDS:
            for obj in client.list(kind, namespace=namespace):
                if not (kind is ServiceAccount and obj.metadata.name == "default"):
                    client.delete(kind, obj.metadata.name, namespace=namespace)
    for record in client.list(
        ConfigMap,
        namespace=DEFAULT_REGISTRY_NAMESPACE,
        labels={"pulumi-flink.dev/record": "deployment-target"},
    ):
        client.delete(ConfigMap, record.metadata.name, namespace=DEFAULT_REGISTRY_NAMESPACE)


def recover(stack: auto.Stack, client: Client) -> None:
    """Back to an empty stack and clean namespaces after a failed command."""
    for attempt in range(3):
        try:
            stack.destroy()
            break
        except auto.CommandError:
            if attempt == 2:
                raise
    clear_cluster(client)


def _failure_summary(error: auto.CommandError) -> str:
    text = str(error)
    for marker in ("Fatal Python error", "error: "):
        if marker in text:
            start = text.index(marker)
            return " ".join(text[start : start + 600].split())
    return " ".join(text[-600:].split())


def run_program(
    stack: auto.Stack,
    program: str,
    n: int,
    client: Client,
    failures: list[dict[str, Any]],
    after_first_up: Callable[[], None] | None,
    log: Callable[[str], None],
) -> dict[str, dict[str, Any]]:
    """:func:`run_steps`, tried again from an empty stack when a Pulumi command fails.

    A failed command (not a failed check) is recorded in ``failures`` and its
    attempt discarded whole: a measurement of a broken run means nothing, and
    hiding the failure would hide a bug.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return run_steps(stack, program, n, after_first_up)
        except auto.CommandError as error:
            failures.append(
                {"program": program, "n": n, "attempt": attempt, "error": _failure_summary(error)}
            )
            log(f"N={n} ({program}) attempt {attempt} failed: {failures[-1]['error'][:300]}")
            recover(stack, client)
            set_config(stack, {"firstParallelism": "1"})
    raise RuntimeError(f"({program}) N={n}: {ATTEMPTS} attempts failed; see the failures above")


# -- the run ------------------------------------------------------------------------


def machine_description() -> dict[str, str]:
    """nproc, lscpu, free and uname, as printed."""

    def output(*command: str) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, check=False).stdout
        except OSError:
            return ""

    return {
        "nproc": output("nproc").strip(),
        "lscpu": output("lscpu"),
        "free": output("free", "-h"),
        "uname": output("uname", "-srm").strip(),
        "python": platform.python_version(),
    }


@contextmanager
def bench_cluster(workdir: Path) -> Iterator[tuple[DevCluster, PulumiEnvironment]]:
    """The local control plane and a Pulumi environment for the programs, in ``workdir``.

    The cluster has the Flink operator's CRD and the 5 target namespaces; the
    environment a file backend and the pulumi-kubernetes plugin.
    """
    bin_dir = locate_toolchain().bin_dir
    with DevCluster(
        workdir / "dev-cluster",
        crd_paths=[FLINK_DEPLOYMENT_CRD],
        bin_dir=bin_dir,
        tie_to_parent=True,
    ) as cluster:
        client = cluster.client()
        for t in range(TARGETS):
            client.create(Namespace(metadata=ObjectMeta(name=f"{NAMESPACE_PREFIX}-{t}")))
        environment = PulumiEnvironment(
            home=workdir / "pulumi-home",
            backend=workdir / "pulumi-state",
            bin_dir=bin_dir,
            kubeconfig=cluster.kubeconfig,
        )
        environment.home.mkdir()
        environment.backend.mkdir()
        environment.install_kubernetes_plugin(_versions()["PULUMI_KUBERNETES_VERSION"])
        yield cluster, environment


def new_results(
    sizes: tuple[int, ...],
    repetitions: int,
    overrides: dict[int, int],
    checkpoints: str,
    programs: tuple[str, ...] = ("a", "b"),
) -> dict[str, Any]:
    """The raw-results document, before anything ran."""
    versions = _versions()
    return {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python", "-m", "bench.harness", *sys.argv[1:]]),
        "machine": machine_description(),
        "versions": {
            "pulumi": versions.get("PULUMI_VERSION", "?"),
            "pulumi_kubernetes": versions.get("PULUMI_KUBERNETES_VERSION", "?"),
            "kubernetes": versions.get("KUBERNETES_VERSION", "?"),
        },
        "checkpoints": checkpoints,
        "sampler_interval_seconds": ProcessSampler.interval_seconds,
        "engine_environment": CHECKPOINTS[checkpoints],
        "programs": list(programs),
        "sizes": list(sizes),
        "repetitions": {str(n): overrides.get(n, repetitions) for n in sizes},
        "runs": [],
        "equivalence": {},
        "failures": [],
        "complete": False,
    }


def run(
    results: dict[str, Any], workdir: Path, log: Callable[[str], None], *, smoke: bool = False
) -> None:
    """Run everything, adding to ``results`` as it goes (so a failure keeps what ran)."""
    locate_toolchain()  # fail before the micro-benchmark when the tools are missing
    log("core micro-benchmark (effective_deployment + render_manifests, 20-op patch set)")
    results["core"] = core.run(calls=20, repeats=3) if smoke else core.run()

    with bench_cluster(workdir) as (cluster, environment):
        client = cluster.client()

        programs = results["programs"]
        # Warm-up (not recorded): plugin and bytecode caches, first-start costs.
        for program in programs:
            make_stack(environment, program, 1, workdir).preview()

        for n in results["sizes"]:
            stacks = {program: make_stack(environment, program, n, workdir) for program in programs}
            snapshots: dict[str, dict[str, dict[str, Any]]] = {}
            for repetition in range(results["repetitions"][str(n)]):
                # Alternate who goes first so that drift favours neither.
                order = programs if repetition % 2 == 0 else programs[::-1]
                for program in order:
                    started = time.perf_counter()

                    def snapshot(program: str = program, into: dict[str, Any] = snapshots) -> None:
                        into[program] = cluster_objects(client)

                    steps = run_program(
                        stacks[program],
                        program,
                        n,
                        client,
                        results["failures"],
                        snapshot if repetition == 0 else None,
                        log,
                    )
                    results["runs"].append(
                        {"program": program, "n": n, "repetition": repetition, "steps": steps}
                    )
                    log(
                        f"N={n} rep {repetition + 1} ({program}): "
                        + ", ".join(f"{step} {steps[step]['seconds']:.1f}s" for step in STEPS)
                        + f"  [{time.perf_counter() - started:.0f}s]"
                    )
                if repetition == 0:
                    problems = [
                        f"({program}) {problem}"
                        for program in programs
                        if program != "b"
                        for problem in compare_objects(snapshots[program], snapshots["b"])
                    ]
                    results["equivalence"][str(n)] = {
                        "objects": len(snapshots["b"]),
                        "problems": problems,
                    }
                    if problems:
                        raise BenchmarkCheckError(
                            f"N={n}: (a) and (b) made different objects: "
                            + "; ".join(problems[:10])
                        )
    results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    results["complete"] = True


def _parse_overrides(text: str) -> dict[int, int]:
    overrides: dict[int, int] = {}
    for item in filter(None, text.split(",")):
        n, repetitions = item.split("=")
        overrides[int(n)] = int(repetitions)
    return overrides


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bench.harness``."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.harness",
        description="pulumi-flink against hand-written pulumi-kubernetes (issue 6).",
    )
    parser.add_argument("--smoke", action="store_true", help="N = 10, one repetition, no docs")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument(
        "--repetitions-at", default="", help="per-N overrides, e.g. 500=2", metavar="N=R,..."
    )
    parser.add_argument(
        "--checkpoints",
        choices=sorted(CHECKPOINTS),
        default="final",
        help="when the engine writes the state (default: final; see CHECKPOINTS)",
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also run (c), (b) with a component per job; raw results only, no docs",
    )
    parser.add_argument(
        "--state",
        action="store_true",
        help="also run (s), (a) with savepoint_on_delete on; raw results only, no docs",
    )
    parser.add_argument("--keep-workdir", action="store_true", help="keep states and cluster logs")
    args = parser.parse_args(argv)

    sizes = (10,) if args.smoke else tuple(int(n) for n in args.sizes.split(","))
    repetitions = 1 if args.smoke else args.repetitions
    overrides = {} if args.smoke else _parse_overrides(args.repetitions_at)
    # Let the programs' interpreters cache bytecode, as on a developer's machine.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.update(CHECKPOINTS[args.checkpoints])  # the Automation API passes it on

    def log(message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)

    programs = ("a", "b", *(("c",) if args.floor else ()), *(("s",) if args.state else ()))
    results = new_results(sizes, repetitions, overrides, args.checkpoints, programs)
    workdir = Path(tempfile.mkdtemp(prefix="pulumi-flink-bench-"))
    try:
        run(results, workdir, log, smoke=args.smoke)
    finally:
        if args.keep_workdir:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
        if not args.smoke:
            RESULTS.mkdir(exist_ok=True)
            stamp = results["started_at"].replace(":", "").replace("-", "")
            tag = ("-floor" if args.floor else "") + ("-state" if args.state else "")
            raw = RESULTS / f"{stamp}{tag}{'' if results['complete'] else '-partial'}.json"
            raw.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
            log(f"wrote {raw.relative_to(REPO_ROOT)}")

    for failure in results["failures"]:
        log(f"a command failed and its run was repeated: {failure}")
    if args.smoke:
        log("smoke run passed: every step ran and checked out, (a) and (b) made the same objects")
        return 0
    if args.floor or args.state:
        log("with (c) or (s): raw results only, docs/benchmarks.md compares (a), (b)")
        return 0
    report.write(results, raw, DOCS / "benchmarks.md", DOCS / "benchmarks.png")
    log("wrote docs/benchmarks.md and docs/benchmarks.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
