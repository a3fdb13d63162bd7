"""A Flink SQL job with a connector jar: VVP's SQLSCRIPT artifact.

The script becomes a ConfigMap mounted into the job's pods; Flink 2.0's own
``SqlDriver`` runs it, and Flink fetches the Kafka connector jar itself (the
operator engine's ``user.artifacts.artifact-list``). The statements reach Flink
byte for byte: SET statements, comments and statement sets included.
"""

from pathlib import Path

import pulumi

from pulumi_flink import Deployment, TargetNamespace

config = pulumi.Config()

platform = TargetNamespace(
    "sql",
    namespace=config.get("namespace", "flink-sql"),
    deployment_patch_set=[
        {
            "op": "add",
            "path": "/spec/template/spec/flinkConfiguration/execution.checkpointing.interval",
            "value": "30 s",
        },
    ],
)
totals = Deployment(
    "order-totals",
    target=platform.target,
    engine=config.get("engine", "operator"),
    spec={
        "restoreStrategy": {"kind": "NONE"},
        "template": {
            "spec": {
                "artifact": {
                    "kind": "SQLSCRIPT",
                    "flinkVersion": "2.0",
                    "sqlScript": (Path(__file__).parent / "order-totals.sql").read_text(),
                    "additionalDependencies": [
                        "https://repo.maven.apache.org/maven2/org/apache/flink/"
                        "flink-sql-connector-kafka/4.0.0-2.0/flink-sql-connector-kafka-4.0.0-2.0.jar"
                    ],
                },
                "parallelism": 1,
            }
        },
    },
)

pulumi.export("workload_name", totals.workload_name)
pulumi.export("rest_url", totals.rest_url)
