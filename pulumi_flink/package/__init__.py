"""pulumi-flink as a Pulumi package, for programs in YAML, TypeScript, Go and more.

The package ``pulumi-flink`` (module ``index``) serves ``DeploymentTarget``,
``TargetNamespace``, ``SessionCluster``, ``Deployment`` and ``Savepoint`` from a Python
*component provider*: the plugin folder ``plugin/`` of the repository
(``PulumiPlugin.yaml`` with ``runtime: python``, whose ``__main__.py`` calls
:func:`serve`). Each resource is a thin wrapper over the Python class of the
same name (:mod:`pulumi_flink.package._resources`); the schema is inferred
from the wrappers' annotated arguments and docstrings.

    pulumi package add <repository>/plugin       # in a YAML, TypeScript or Go project
    pulumi package get-schema <repository>/plugin

The dynamic providers behind a DeploymentTarget run in the Python that the
project's runtime option ``virtualenv`` or ``PULUMI_PYTHON_CMD`` names (see
:mod:`pulumi_flink.package._interpreter`).
"""

from __future__ import annotations

import sys

import pulumi.provider
import pulumi.runtime

from pulumi_flink.package._provider import PackageProvider
from pulumi_flink.package._references import REFERENCES
from pulumi_flink.package._resources import PACKAGE_NAME

__all__ = ["PACKAGE_NAME", "PackageProvider", "serve"]


def serve() -> None:
    """Serve the package to the Pulumi engine: the plugin's ``__main__``.

    Prints the port on stdout, as the engine expects, and answers until
    the engine ends the process.
    """
    pulumi.runtime.register_resource_module(PACKAGE_NAME, "index", REFERENCES)
    pulumi.provider.main(PackageProvider(), sys.argv[1:])
