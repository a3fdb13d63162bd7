"""Benchmark program (a): pulumi-flink.

Stack config: ``deployments`` (N), ``namespacePrefix`` (targets and their
namespaces are ``<prefix>-0`` .. ``<prefix>-4``, created beforehand),
``firstParallelism`` (the one field the "change" step edits) and
``savepointOnDelete`` (program (s): keep each job's state on delete).
"""

import pulumi

from pulumi_flink import Deployment, DeploymentTarget

TARGETS = 5
SEED_PATCH_SET = [
    {
        "op": "add",
        "path": "/spec/template/spec/flinkConfiguration/state.checkpoints.dir",
        "value": "s3://flink/checkpoints",
    },
    {
        "op": "add",
        "path": "/spec/template/spec/flinkConfiguration/state.savepoints.dir",
        "value": "s3://flink/savepoints",
    },
]

config = pulumi.Config()
count = config.require_int("deployments")
prefix = config.require("namespacePrefix")
first_parallelism = config.get_int("firstParallelism") or 1
savepoint_on_delete = config.get_bool("savepointOnDelete") or False

targets = [
    DeploymentTarget(
        f"target-{t}",
        name=f"{prefix}-{t}",
        kubernetes_namespace=f"{prefix}-{t}",
        deployment_patch_set=SEED_PATCH_SET,
    )
    for t in range(TARGETS)
]

for i in range(count):
    Deployment(
        f"job-{i}",
        target=targets[i % TARGETS],
        spec={
            "template": {
                "spec": {
                    "artifact": {"jarUri": "local:///opt/flink/usrlib/job.jar"},
                    "parallelism": first_parallelism if i == 0 else 1,
                }
            }
        },
        wait_for_ready=False,
        # Program (b) writes the same 4 objects per job; savepoint-on-delete adds a
        # FlinkJob and a RecordedSavepoint per stateful Deployment, which (b) has
        # no equivalent of (program (s), `--state`; docs/benchmarks.md prices them).
        savepoint_on_delete=savepoint_on_delete,
    )
