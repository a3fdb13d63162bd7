"""Migrate from Ververica Platform: create the targets and Deployments of a VVP export.

Point the ``exportDir`` config key at a directory of VVP resource files
(YAML or JSON, as VVP's API returns them); by default the sample export in
``vvp-export/``. Every problem in the export fails the program before any
resource is created; ``pulumi-flink validate DIR`` shows the same list.

The export's DeploymentDefaults are already merged into its Deployments
(``read_vvp_export`` does it, VVP's way). VVP Secret Values (``${name}`` in
``flinkConfiguration``) come from Kubernetes Secrets: the ``secretValues``
config object maps each name to ``SECRET/KEY`` in the target namespace.
VVP's Universal Blob Storage: the ``blobStorage`` config key (VVP's
``vvp.blobStorage.baseUri``; else the one of VVP's Helm values in the export)
fills the state directories each Deployment does not set, where VVP put them.
"""

from pathlib import Path

import pulumi

from pulumi_flink import (
    Deployment,
    DeploymentTarget,
    DeploymentTargetDocument,
    SessionCluster,
    TargetNamespace,
)
from pulumi_flink.secrets import SecretKeyRef
from pulumi_flink.vvp import PlacedDeployment, VvpDocument, VvpImportError, read_vvp_export

config = pulumi.Config()
export_dir = config.get("exportDir", str(Path(__file__).parent / "vvp-export"))
create_namespaces = config.get_bool("createNamespaces", True)
export = read_vvp_export([export_dir], blob_storage=config.get("blobStorage"))
if export.problems:
    raise VvpImportError(export.problems)
for warning in export.warnings:  # what runs otherwise than written, as `validate` prints it
    pulumi.log.warn(str(warning))

# The export's SecretValues (key <name> of the Secret vvp-secret-values), then the config's.
configured = config.get_object("secretValues") or {
    "s3-access-key": "vvp-s3-credentials/access-key",
    "s3-secret-key": "vvp-s3-credentials/secret-key",
}
secret_values = {
    **export.secret_values,
    **{name: SecretKeyRef(*ref.split("/", 1)) for name, ref in configured.items()},
}


def create_target(document: VvpDocument[DeploymentTargetDocument]) -> DeploymentTarget:
    spec = document.model.spec
    if spec.kubernetes.namespace is None:  # VVP: the platform's namespace; here: the kube context's
        return DeploymentTarget(
            document.name,
            deployment_patch_set=spec.deployment_patch_set,
            blob_storage=export.blob_storage,
        )
    return TargetNamespace(
        document.name,
        namespace=spec.kubernetes.namespace,
        create_namespace=create_namespaces,
        deployment_patch_set=spec.deployment_patch_set,
        blob_storage=export.blob_storage,
    ).target


targets = {document.name: create_target(document) for document in export.targets}
session_clusters = {
    placed.name: SessionCluster(
        placed.name, target=targets[placed.target.name], spec=placed.cluster.model
    )
    for placed in export.session_clusters
}


def create_deployment(placement: PlacedDeployment) -> Deployment:
    if placement.session_cluster is not None:  # session mode: a job in the session cluster
        return Deployment(
            placement.name,
            session_cluster=session_clusters[placement.session_cluster.name],
            spec=placement.deployment.model,
        )
    return Deployment(
        placement.name,
        target=targets[placement.target.name],
        spec=placement.deployment.model,
        engine=config.get("engine", "operator"),
        secret_values=secret_values,
    )


deployments = {placement.name: create_deployment(placement) for placement in export.placements}

pulumi.export("workload_names", {name: job.workload_name for name, job in deployments.items()})
pulumi.export("rest_urls", {name: job.rest_url for name, job in deployments.items()})
