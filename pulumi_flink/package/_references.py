"""Resources of the package passed back into it: a Deployment's target.

A program in another language hands a DeploymentTarget (or TargetNamespace)
to a Deployment as a *resource reference*: its URN, which the SDK turns back
into an object through the resource module registered for the package. A
Deployment needs the Python DeploymentTarget itself — plain inputs known
while the program runs, one TargetBinding per stack and target — so the
table returns the very wrapper that made it.

Why the wrapper is always there: one provider process serves every
construct of the stack's operation (the package's default provider), and
the engine learns a wrapper's URN only from that wrapper's construct
response, which the SDK sends after the URN resolved and the ``apply``
below has run (both wait on the same URN; the response waits on more). A
reference the table does not know — made through another provider
instance — resolves to a plain :class:`~pulumi.resource.DependencyResource`,
which the Deployment refuses with a message that says so.
"""

from __future__ import annotations

import pulumi
from pulumi.resource import DependencyResource


class ResourceReferences(pulumi.runtime.ResourceModule):
    """The package's resources made in this process, found again by URN."""

    def __init__(self) -> None:
        self._by_urn: dict[str, pulumi.Resource] = {}

    def version(self) -> None:
        """Any version of the package: there is only this process's."""
        return None

    def remember(self, resource: pulumi.Resource) -> None:
        """Keep ``resource`` for references to its URN."""
        resource.urn.apply(lambda urn: self._by_urn.__setitem__(urn, resource))

    def construct(self, name: str, typ: str, urn: str) -> pulumi.Resource:
        """The resource made here with ``urn``, else a bare reference to it."""
        return self._by_urn.get(urn) or DependencyResource(urn)

    def describe(self, resource: object) -> str:
        """A resource as an error message names it."""
        if isinstance(resource, DependencyResource):
            return "a resource this provider process did not make"
        if isinstance(resource, pulumi.Resource):
            return f"a {resource.pulumi_resource_type} ({resource.pulumi_resource_name})"
        return f"a value of type {type(resource).__name__}"


REFERENCES = ResourceReferences()
"""The table of this process; registered for the package by :func:`~pulumi_flink.package.serve`."""
