"""A target, Deployments and Savepoints listed in stack config (JSON), for the state scenarios.

Each Deployment entry: ``name``, ``spec``, and optionally ``wait``, ``timeout``,
``restoreFrom`` (a path, or ``{"savepoint": <name>}``), ``savepointOnDelete``
and ``restartNonce``. Each Savepoint entry: ``name`` and ``deployment`` (an
entry listed before it).
"""

import pulumi

from pulumi_flink import Deployment, DeploymentTarget, Savepoint

config = pulumi.Config()
target = DeploymentTarget(
    "target",
    name=config.require("targetName"),
    kubernetes_namespace=config.get("namespace"),
    deployment_patch_set=config.get_object("patchSet") or [],
)

deployments: dict[str, Deployment] = {}
savepoints: dict[str, Savepoint] = {}
wanted = config.get_object("savepoints") or []

for item in config.get_object("deployments") or []:
    restore = item.get("restoreFrom")
    if isinstance(restore, dict):
        restore = savepoints[restore["savepoint"]]
    deployment = Deployment(
        item["name"],
        target=target,
        spec=item["spec"],
        wait_for_ready=item.get("wait", True),
        ready_timeout_seconds=item.get("timeout", 120),
        restore_from=restore,
        savepoint_on_delete=item.get("savepointOnDelete", True),
        restart_nonce=item.get("restartNonce"),
    )
    deployments[item["name"]] = deployment
    pulumi.export(f"{item['name']}_restore_path", deployment.restore_path)
    for entry in wanted:
        if entry["deployment"] == item["name"]:
            savepoint = Savepoint(entry["name"], deployment=deployment)
            savepoints[entry["name"]] = savepoint
            pulumi.export(f"{entry['name']}_path", savepoint.path)
