"""Quickstart: a DeploymentTarget with the seed patch set and a job on each engine.

The target's patch set gives every Deployment on it checkpoint and savepoint
directories; one job runs through the Flink Kubernetes Operator, the other as
plain Kubernetes Deployments (the standalone engine). See README.md.
"""

import pulumi

from pulumi_flink import Deployment, TargetNamespace

config = pulumi.Config()
state_dir = config.get("stateDir", "s3://flink-state/quickstart")

quickstart = TargetNamespace(
    "quickstart",
    namespace=config.get("namespace", "flink-quickstart"),
    deployment_patch_set=[
        {
            "op": "add",
            "path": "/spec/template/spec/flinkConfiguration/state.checkpoints.dir",
            "value": f"{state_dir}/checkpoints",
        },
        {
            "op": "add",
            "path": "/spec/template/spec/flinkConfiguration/state.savepoints.dir",
            "value": f"{state_dir}/savepoints",
        },
    ],
)

job = {
    "template": {
        "spec": {
            "artifact": {
                "jarUri": "local:///opt/flink/examples/streaming/StateMachineExample.jar",
                "flinkVersion": "1.20",
            },
            "parallelism": 1,
        }
    }
}
# The standalone job runs for real on `make demo`'s dev cluster (`dev-cluster up
# --real-flink`): pulumi-flink's test job, from an image the dev cluster runs
# as local JVMs, checkpointing into the target's checkpoint directory.
real_job = {
    "template": {
        "spec": {
            "artifact": {
                "jarUri": "local:///opt/flink/usrlib/counter-job.jar",
                "flinkVersion": "1.20",
                "flinkImageRepository": "pulumi-flink/counter-job",
            },
            "parallelism": 1,
            "flinkConfiguration": {"execution.checkpointing.interval": "10s"},
        }
    }
}
specs = {"operator": job, "standalone": real_job}
jobs = {
    engine: Deployment(
        f"state-machine-{engine}", target=quickstart.target, spec=spec, engine=engine
    )
    for engine, spec in specs.items()
}

pulumi.export("namespace", quickstart.namespace)
pulumi.export("workload_names", {engine: d.workload_name for engine, d in jobs.items()})
pulumi.export("rest_urls", {engine: d.rest_url for engine, d in jobs.items()})
