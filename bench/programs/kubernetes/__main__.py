"""Benchmark program (b): what a user writes instead of pulumi-flink.

The same ServiceAccount, Role, RoleBinding and FlinkDeployment per job as
program (a), as plain dict literals with pulumi-kubernetes resources; the
target's checkpoint and savepoint directories are typed into every job.
Stack config as in (a): ``deployments``, ``namespacePrefix``,
``firstParallelism``; ``componentPerJob: true`` puts each job's objects in a
component of their own (program (c): what any component-per-Deployment design
costs before it does any work).
"""

import pulumi
import pulumi_kubernetes as k8s

TARGETS = 5

config = pulumi.Config()
count = config.require_int("deployments")
prefix = config.require("namespacePrefix")
first_parallelism = config.get_int("firstParallelism") or 1
component_per_job = config.get_bool("componentPerJob") or False

LOG4J = (
    "monitorInterval = 30\n"
    "rootLogger.level = INFO\n"
    "rootLogger.appenderRef.console.ref = ConsoleAppender\n"
    "appender.console.name = ConsoleAppender\n"
    "appender.console.type = CONSOLE\n"
    "appender.console.layout.type = PatternLayout\n"
    "appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n\n"
)
VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"]

for i in range(count):
    name = f"job-{i}"
    target = f"{prefix}-{i % TARGETS}"
    namespace = target
    parallelism = first_parallelism if i == 0 else 1

    def metadata(component: str, name: str = name, target: str = target) -> dict:
        return {
            "name": name,
            "namespace": target,
            "labels": {
                "app.kubernetes.io/component": component,
                "app.kubernetes.io/instance": name,
                "app.kubernetes.io/managed-by": "pulumi-flink",
                "app.kubernetes.io/name": "flink",
                "pulumi-flink.dev/deployment": name,
                "pulumi-flink.dev/deployment-target": target,
            },
            "annotations": {
                "pulumi-flink.dev/deployment-name": name,
                "pulumi-flink.dev/deployment-target-name": target,
            },
        }

    component = (
        pulumi.ComponentResource("pulumi-flink:index:Deployment", name)
        if component_per_job
        else None
    )
    opts = pulumi.ResourceOptions(parent=component)

    k8s.core.v1.ServiceAccount(f"{name}-service-account", metadata=metadata("rbac"), opts=opts)
    k8s.rbac.v1.Role(
        f"{name}-role",
        metadata=metadata("rbac"),
        rules=[
            {"apiGroups": [""], "resources": ["pods", "configmaps"], "verbs": VERBS},
            {"apiGroups": ["apps"], "resources": ["deployments", "deployments/finalizers"],
             "verbs": VERBS},
        ],
        opts=opts,
    )  # fmt: skip
    k8s.rbac.v1.RoleBinding(
        f"{name}-role-binding",
        metadata=metadata("rbac"),
        role_ref={"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
        subjects=[{"kind": "ServiceAccount", "name": name, "namespace": namespace}],
        opts=opts,
    )
    flink_metadata = metadata("flink")
    flink_metadata["annotations"]["pulumi.com/skipAwait"] = "true"
    k8s.apiextensions.CustomResource(
        f"{name}-flink-deployment",
        api_version="flink.apache.org/v1beta1",
        kind="FlinkDeployment",
        metadata=flink_metadata,
        spec={
            "image": "flink:1.20",
            "flinkVersion": "v1_20",
            "serviceAccount": name,
            "flinkConfiguration": {
                "high-availability.storageDir": "s3://flink/checkpoints/ha",
                "high-availability.type": "kubernetes",
                "state.checkpoints.dir": "s3://flink/checkpoints",
                "state.savepoints.dir": "s3://flink/savepoints",
            },
            "podTemplate": {
                "metadata": {
                    "labels": {
                        "app.kubernetes.io/instance": name,
                        "app.kubernetes.io/name": "flink",
                        "pulumi-flink.dev/deployment": name,
                    }
                },
                "spec": {"containers": [{"name": "flink-main-container"}]},
            },
            "jobManager": {"replicas": 1, "resource": {"cpu": 1.0, "memory": "953m"}},
            "taskManager": {"resource": {"cpu": 1.0, "memory": "1907m"}},
            "job": {
                "jarURI": "local:///opt/flink/usrlib/job.jar",
                "args": [],
                "parallelism": parallelism,
                "state": "running",
                "upgradeMode": "last-state",
                "allowNonRestoredState": False,
            },
            "logConfiguration": {"log4j-console.properties": LOG4J},
        },
        opts=opts,
    )
    if component is not None:
        component.register_outputs({})
