"""Write ``cases.jsonl``, the checked-in adversarial corpus (issue 11, classes 1-10).

Run ``python -m tests.unit.adversarial.generate`` after changing a family
below; the test suite reads the file, not this module, so a case stays
pinned even when its family changes. Each line is one case:

- ``id``, ``class`` (the defect class of issue 11 it attacks);
- ``kind``: ``export`` (``text`` is a VVP export, run through the reader,
  both renderers and the CLI), ``patch`` (``document`` and ``patch`` through
  ``apply_patch_set``) or ``call`` (``function`` called with ``args``);
- ``expect``: ``valid``, ``invalid`` or ``any``; ``match``: a text some
  problem must contain.

Values JSON cannot hold, or that would make the file large, are written as
``{"$bytes": text}``, ``{"$float": "inf"}``, ``{"$repeat": list, "times": n}``
(the list repeated), ``{"$text": piece, "times": n}`` and ``{"$deep": n}``
(``n`` nested objects ``{"k": ...}``); a ``text`` may be a list of
``[piece, times]`` pairs, or ``[piece, times, "numbered"]`` where ``{i}`` in
``piece`` counts 0, 1, ... (see :func:`spliced`).
"""

# ruff: noqa: E501 — case texts read best on one line each

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).with_name("cases.jsonl")

TARGET = """\
kind: DeploymentTarget
metadata: {name: prod}
spec:
  kubernetes: {namespace: flink-prod}
  deploymentPatchSet:
  - {op: add, path: /spec/template/spec/flinkConfiguration/state.checkpoints.dir, value: s3://c}
---
"""


def deployment(template: str = "", spec: str = "", artifact: str = "") -> str:
    """A Deployment on ``prod`` with extra YAML lines (already indented) spliced in."""
    return (
        TARGET
        + "kind: Deployment\nmetadata: {name: orders}\nspec:\n  deploymentTargetName: prod\n"
        + spec
        + "  template:\n    spec:\n      artifact:\n        jarUri: local:///opt/flink/job.jar\n"
        + artifact
        + template
    )


def export(case_class: int, name: str, text: str, expect: str = "any", match: str = "") -> dict:
    return {"id": name, "class": case_class, "kind": "export", "text": text, "expect": expect,
            "match": match}  # fmt: skip


def patch(case_class: int, name: str, document: Any, operations: Any, expect: str = "any") -> dict:
    return {"id": name, "class": case_class, "kind": "patch", "document": document,
            "patch": operations, "expect": expect}  # fmt: skip


def call(case_class: int, name: str, function: str, *args: Any) -> dict:
    return {"id": name, "class": case_class, "kind": "call", "function": function,
            "args": list(args), "expect": "any"}  # fmt: skip


def laughs(levels: int, width: int) -> str:
    """A billion-laughs flow mapping: ``levels`` anchors, each ``width`` aliases of the last."""
    lines = ["{a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return ", ".join(lines) + "}"


def time_and_size_bombs() -> Iterator[dict]:
    places = {
        "flink-configuration": lambda bomb: deployment(f"      flinkConfiguration: {bomb}\n"),
        "pod-annotations": lambda bomb: deployment(
            f"      kubernetes: {{pods: {{annotations: {bomb}}}}}\n"
        ),
        "pod-template": lambda bomb: deployment(
            f"      kubernetes: {{jobManagerPodTemplate: {{metadata: {{annotations: {bomb}}}}}}}\n"
        ),
        "status": lambda bomb: deployment(spec="") + f"status: {bomb}\n",
        "patch-value": lambda bomb: TARGET.replace(
            "value: s3://c}", f"value: s3://c}}\n  - {{op: add, path: /x, value: {bomb}}}"
        ),
        "labels": lambda bomb: deployment(f"      kubernetes: {{labels: {bomb}}}\n"),
    }
    for place, make in places.items():
        for levels, width in ((4, 10), (6, 9), (9, 9), (12, 5), (30, 2)):
            # Small expansions are ordinary YAML; beyond the limit they are refused.
            expect = "invalid" if width**levels > 100_000 else "any"
            yield export(
                1, f"alias-bomb-{place}-{levels}x{width}", make(laughs(levels, width)), expect
            )
    for ops in (16, 24, 32, 40):
        doubling = [{"op": "copy", "from": "", "path": f"/c{index}"} for index in range(ops)]
        yield patch(1, f"copy-doubling-{ops}", {"a": "x" * 64}, doubling, "invalid")
    yield patch(1, "copy-and-remove-a-large-value-many-times", {"a": {"$text": "y", "times": 200_000}},
                {"$repeat": [{"op": "copy", "from": "/a", "path": "/b"},
                             {"op": "remove", "path": "/b"}], "times": 100}, "invalid")  # fmt: skip
    yield patch(1, "too-many-operations", {},
                {"$repeat": [{"op": "test", "path": "", "value": {}}], "times": 10_001},
                "invalid")  # fmt: skip
    yield patch(1, "move-nests-deeper-than-the-limit",
                {"a": {"b": {"c": {}}}, "d": {"$deep": 62}},
                [{"op": "move", "from": "/a", "path": "/d" + "/k" * 62 + "/x"}],
                "invalid")  # fmt: skip
    head, tail = TARGET.split("value: s3://c}")
    for tests in (1000, 3000):
        text = [[head + "value: s3://c}\n", 1],
                ["  - {op: test, path: /kind, value: Deployment}\n", tests],
                ["  - {op: replace, path: /metadata/name, value: other}" + tail
                 + "kind: Deployment\nmetadata: {name: orders}\nspec:\n  deploymentTargetName: prod\n"
                 "  template: {spec: {artifact: {jarUri: local:///j.jar}}}\n", 1]]  # fmt: skip
        yield export(1, f"many-tests-then-a-rename-{tests}", text, "invalid", "may not rename")  # type: ignore[arg-type]
    for size in (1_000, 20_000):
        yield export(1, f"long-string-{size}",
                     deployment(f"      flinkConfiguration: {{a: {'x' * size}}}\n"), "valid")  # fmt: skip
    yield export(1, "many-documents", TARGET + "---\n" * 5_000, "valid")
    yield export(1, "wide-object", deployment(
        "      flinkConfiguration: {" + ", ".join(f"k{i}: v" for i in range(5_000)) + "}\n"),
        "valid")  # fmt: skip


def huge_numbers_and_deep_nesting() -> Iterator[dict]:
    huge = "9" * 5000
    fields = {
        "parallelism": lambda v: deployment(f"      parallelism: {v}\n"),
        "task-managers": lambda v: deployment(f"      numberOfTaskManagers: {v}\n"),
        "cpu": lambda v: deployment(f"      resources: {{jobmanager: {{cpu: {v}}}}}\n"),
        "resource-version": lambda v: deployment().replace(
            "metadata: {name: orders}", f"metadata: {{name: orders, resourceVersion: {v}}}"
        ),
        "configuration": lambda v: deployment(f"      flinkConfiguration: {{a: {v}}}\n"),
        "annotation": lambda v: deployment(
            f"      kubernetes: {{pods: {{annotations: {{a: {v}}}}}}}\n"
        ),
        "pod-template-int": lambda v: deployment(
            f"      kubernetes: {{jobManagerPodTemplate: {{spec: {{priority: {v}}}}}}}\n"
        ),
        "status": lambda v: deployment() + f"status: {{x: {v}}}\n",
        "patch-value": lambda v: TARGET.replace(
            "value: s3://c}", f"value: s3://c}}\n  - {{op: add, path: /x, value: {v}}}"
        ),
        "attempts": lambda v: deployment(spec=f"  maxJobCreationAttempts: {v}\n"),
    }
    for name, make in fields.items():
        for label, value in (("5000-digits", huge), ("30-digits", "9" * 30),
                             ("negative-5000-digits", "-" + huge), ("int64-plus-one", str(2**63))):  # fmt: skip
            yield export(2, f"huge-int-{label}-{name}", make(value), "invalid")
    deep_places = {
        "configuration": lambda v: deployment(f"      flinkConfiguration: {{a: {v}}}\n"),
        "pod-template": lambda v: deployment(
            f"      kubernetes: {{jobManagerPodTemplate: {{metadata: {{annotations: {v}}}}}}}\n"
        ),
        "status": lambda v: deployment() + f"status: {v}\n",
        "patch-value": lambda v: TARGET.replace(
            "value: s3://c}", f"value: s3://c}}\n  - {{op: add, path: /x, value: {v}}}"
        ),
    }
    for name, make in deep_places.items():
        for depth in (65, 200, 999, 1001, 5000):
            yield export(2, f"deep-flow-{depth}-{name}", make("[" * depth + "]" * depth), "invalid")
    for depth in (70, 200):
        block = (
            "".join("  " * level + f"k{level}:\n" for level in range(depth)) + "  " * depth + "x"
        )
        yield export(2, f"deep-block-{depth}", TARGET + "kind: Deployment\nmetadata: {name: o}\n"
                     "status:\n" + "\n".join("  " + line for line in block.splitlines()) + "\n",
                     "invalid")  # fmt: skip
    yield {"id": "deep-json-file", "class": 2, "kind": "json", "text": [["[", 100_000], ["]", 100_000]],
           "expect": "invalid", "match": ""}  # fmt: skip
    yield {"id": "huge-int-json-file", "class": 2, "kind": "json", "text": '{"a": ' + huge + "}",
           "expect": "invalid", "match": "64 bits"}  # fmt: skip


def pod_templates() -> Iterator[dict]:
    bad_templates = {
        "spec-array": "{spec: [1]}",
        "spec-string": "{spec: x}",
        "containers-object": "{spec: {containers: {name: a}}}",
        "container-without-name": "{spec: {containers: [{image: x}]}}",
        "container-typo": "{spec: {containers: [{name: a, imagee: x}]}}",
        "ports-string": "{spec: {containers: [{name: a, ports: [{containerPort: http}]}]}}",
        "env-not-list": "{spec: {containers: [{name: a, env: {A: b}}]}}",
        "env-value-int": "{spec: {containers: [{name: a, env: [{name: A, value: 1}]}]}}",
        "resources-list": "{spec: {containers: [{name: a, resources: [1]}]}}",
        "volumes-object": "{spec: {volumes: {a: b}}}",
        "volume-no-name": "{spec: {volumes: [{emptyDir: {}}]}}",
        "tolerations-string": "{spec: {tolerations: x}}",
        "toleration-seconds-string": "{spec: {tolerations: [{tolerationSeconds: soon}]}}",
        "affinity-list": "{spec: {affinity: []}}",
        "node-selector-int": "{spec: {nodeSelector: {a: 1}}}",
        "labels-list": "{metadata: {labels: [a]}}",
        "labels-int": "{metadata: {labels: {a: 1}}}",
        "metadata-typo": "{metdata: {}}",
        "unknown-top": "{kind: Pod}",
        "security-context-string": "{spec: {securityContext: root}}",
        "run-as-user-string": "{spec: {securityContext: {runAsUser: root}}}",
        "init-containers-no-name": "{spec: {initContainers: [{image: x}]}}",
        "probe-port-bool": "{spec: {containers: [{name: a, livenessProbe: {tcpSocket: {port: true}}}]}}",
        "host-network-string": "{spec: {hostNetwork: yes-please}}",
        "template-list": "[1, 2]",
        "template-string": "pod",
        "template-number": "3",
    }
    for name, template in bad_templates.items():
        for manager in ("jobManagerPodTemplate", "taskManagerPodTemplate"):
            yield export(3, f"pod-template-{name}-{manager}",
                         deployment(f"      kubernetes: {{{manager}: {template}}}\n"), "invalid")  # fmt: skip
    bad_pods = {
        "tolerations-object": "{tolerations: {a: b}}",
        "toleration-effect-int": "{tolerations: [{effect: 5}]}",
        "toleration-unknown": "{tolerations: [{colour: red}]}",
        "affinity-int": "{affinity: 1}",
        "affinity-typo": "{affinity: {nodeAfinity: {}}}",
        "node-affinity-list": "{affinity: {nodeAffinity: []}}",
        "volume-source-list": "{volumeMounts: [{name: v, volume: {emptyDir: []}, volumeMount: {mountPath: /d}}]}",
        "volume-mount-path-int": "{volumeMounts: [{name: v, volume: {emptyDir: {}}, volumeMount: {mountPath: 7}}]}",
        "volume-mount-missing-path": "{volumeMounts: [{name: v, volume: {emptyDir: {}}, volumeMount: {}}]}",
        "volume-unknown-source": "{volumeMounts: [{name: v, volume: {magic: {}}, volumeMount: {mountPath: /d}}]}",
        "env-value-from-string": "{envVars: [{name: A, valueFrom: secret}]}",
        "env-secret-without-key": "{envVars: [{name: A, valueFrom: {secretKeyRef: {name: s}}}]}",
        "env-value-from-typo": "{envVars: [{name: A, valueFrom: {secretRef: {name: s}}}]}",
        "security-context-list": "{securityContext: []}",
        "security-context-unknown": "{securityContext: {privileged: true}}",
    }
    for name, pods in bad_pods.items():
        yield export(
            3, f"pods-{name}", deployment(f"      kubernetes: {{pods: {pods}}}\n"), "invalid"
        )
    yield export(3, "pod-template-realistic", deployment(
        "      kubernetes:\n        jobManagerPodTemplate:\n          metadata: {labels: {tier: a}}\n"
        "          spec:\n            containers:\n            - name: flink-jobmanager\n"
        "              resources: {limits: {cpu: 2, memory: 2Gi}}\n"
        "              volumeMounts: [{name: d, mountPath: /d}]\n"
        "            volumes: [{name: d, emptyDir: {}}]\n"
        "            tolerations: [{key: k, operator: Exists, effect: NoSchedule}]\n"), "valid")  # fmt: skip


def non_json_values() -> Iterator[dict]:
    tags = {
        "binary": "!!binary aGVsbG8=",
        "set": "!!set {a, b}",
        "omap": "!!omap [{a: 1}]",
        "pairs": "!!pairs [{a: 1}]",
        "python-object": "!!python/object:os.system {}",
        "python-name": "!!python/name:os.system",
        "python-apply": "!!python/object/apply:os.system [echo]",
        "custom-tag": "!secret value",
        "complex-key": "{? [a, b] : c}",
    }
    places = {
        "configuration": lambda v: deployment(f"      flinkConfiguration: {{a: {v}}}\n"),
        "status": lambda v: deployment() + f"status: {{x: {v}}}\n",
        "pod-template": lambda v: deployment(
            f"      kubernetes: {{jobManagerPodTemplate: {{metadata: {{annotations: {{a: {v}}}}}}}}}\n"
        ),
        "patch-value": lambda v: TARGET.replace(
            "value: s3://c}", f"value: s3://c}}\n  - {{op: add, path: /x, value: {v}}}"
        ),
    }
    for tag, value in tags.items():
        for place, make in places.items():
            yield export(4, f"tag-{tag}-{place}", make(value), "invalid")
    yield export(4, "timestamp-is-text", deployment().replace(
        "metadata: {name: orders}", "metadata: {name: orders, createdAt: 2025-01-01T00:00:00Z}"),
        "valid")  # fmt: skip
    yield export(4, "nan-in-json", '{"kind": "Deployment", "metadata": {"name": "x"}, "status": NaN}',
                 "invalid")  # fmt: skip


def unbounded_numbers() -> Iterator[dict]:
    values = {"inf": ".inf", "minus-inf": "-.inf", "nan": ".nan", "1e400": "1.0e+400",
              "int32-plus-one": str(2**31), "zero": "0", "negative": "-3", "tiny": "1.0e-9",
              "fraction": "2.5", "huge-float": "1.0e+300"}  # fmt: skip
    fields = {
        "parallelism": lambda v: deployment(f"      parallelism: {v}\n"),
        "task-managers": lambda v: deployment(f"      numberOfTaskManagers: {v}\n"),
        "jm-cpu": lambda v: deployment(f"      resources: {{jobmanager: {{cpu: {v}}}}}\n"),
        "tm-cpu": lambda v: deployment(f"      resources: {{taskmanager: {{cpu: {v}}}}}\n"),
        "slots": lambda v: deployment(
            f"      flinkConfiguration: {{taskmanager.numberOfTaskSlots: '{v}'}}\n"
        ),
    }
    for field, make in fields.items():
        for label, value in values.items():
            # A fraction of a CPU is fine; of anything counted, not.
            expect = "valid" if label == "fraction" and field.endswith("cpu") else "invalid"
            yield export(5, f"number-{label}-{field}", make(value), expect)
    memories = ("99999999999999999999999t", "1e400g", "0.5", "9" * 5000, "-1g", "1.5.5g")
    for index, memory in enumerate(memories):
        yield export(5, f"memory-{index}-{memory[:12]}", deployment(
            f"      resources: {{jobmanager: {{memory: '{memory}'}}}}\n"), "invalid")  # fmt: skip


def wrong_types_at_the_api() -> Iterator[dict]:
    deployment_document = {"metadata": {"name": "o"}, "spec": {
        "restoreStrategy": {"kind": "NONE"},
        "template": {"spec": {"artifact": {"jarUri": "local:///j.jar"}}}}}  # fmt: skip
    target_document = {"metadata": {"name": "t"}}
    for value in (None, 1, "text", [1], {"$bytes": "x"}, True, {"$float": "nan"}):
        yield call(6, f"effective-deployment-{json.dumps(value)}", "effective_deployment",
                   value, target_document)  # fmt: skip
        yield call(6, f"effective-target-{json.dumps(value)}", "effective_deployment",
                   deployment_document, value)  # fmt: skip
        yield call(6, f"render-namespace-{json.dumps(value)}", "render_manifests",
                   deployment_document, target_document, {"default_namespace": value})  # fmt: skip
        yield call(6, f"render-engine-{json.dumps(value)}", "render_manifests",
                   deployment_document, target_document, {"engine": value})  # fmt: skip
        yield call(6, f"load-{json.dumps(value)}", "load_vvp_documents", value)
        yield call(6, f"patch-set-{json.dumps(value)}", "apply_patch_set", {}, value)
    for path in ("", "a\x00b", "/dev/zero", "/proc", "/nonexistent/x.yaml", {"$bytes": "/tmp"}):
        yield call(6, f"load-path-{json.dumps(path)}", "load_vvp_documents", path)
        yield call(6, f"read-export-{json.dumps(path)}", "read_vvp_export", [path])


def accepted_though_invalid() -> Iterator[dict]:
    for value in ("true", "false", "yes", "on"):
        for field, line in (("parallelism", "      parallelism: {}\n"),
                            ("task-managers", "      numberOfTaskManagers: {}\n"),
                            ("cpu", "      resources: {{taskmanager: {{cpu: {}}}}}\n")):  # fmt: skip
            yield export(7, f"boolean-{value}-{field}", deployment(line.format(value)), "invalid",
                         "boolean is not a number" if value in ("true", "false") else "")  # fmt: skip
    duplicates = {
        "top-level": TARGET + "kind: Deployment\nkind: Deployment\nmetadata: {name: o}\n",
        "metadata": TARGET + "kind: Deployment\nmetadata: {name: o, name: p}\n",
        "configuration": deployment("      flinkConfiguration: {a: 1, a: 2}\n"),
        "int-and-string-key": deployment("      flinkConfiguration: {1: a, '1': b}\n"),
        "patch-op": TARGET.replace("{op: add,", "{op: add, op: remove,"),
        "labels": deployment("      kubernetes: {labels: {a: b, a: c}}\n"),
        "block": deployment("      parallelism: 1\n      parallelism: 2\n"),
        "json": '{"kind": "Deployment", "kind": "DeploymentTarget"}',
    }
    for name, text in duplicates.items():
        yield export(7, f"duplicate-key-{name}", text, "invalid", "given twice")
    for value in ("''", "'   '", '"\\t"'):
        yield export(7, f"empty-checkpoints-{value}", TARGET.replace("value: s3://c", f"value: {value}")
                     + "kind: Deployment\nmetadata: {name: o}\nspec:\n  deploymentTargetName: prod\n"
                     "  template: {spec: {artifact: {jarUri: local:///j.jar}}}\n", "invalid",
                     "state.checkpoints.dir")  # fmt: skip
    yield export(7, "numeric-string-parallelism", deployment("      parallelism: '4'\n"), "valid")
    yield export(7, "numeric-string-cpu", deployment(
        "      resources: {taskmanager: {cpu: '1'}}\n"), "valid")  # fmt: skip


def injection() -> Iterator[dict]:
    values = {
        "newline": '"x\\nkubernetes.namespace: other"',
        "carriage-return": '"x\\rkubernetes.namespace: other"',
        "hash": '"x # comment"',
        "leading-space": '" x"',
        "empty": '""',
    }
    for version in ("1.13", "1.15", "1.17", "1.18"):
        for name, value in values.items():
            yield export(8, f"configuration-value-{name}-{version}", deployment(
                f"      flinkConfiguration: {{a.b: {value}}}\n",
                artifact=f"        flinkVersion: '{version}'\n"), "invalid")  # fmt: skip
    for version in ("1.19", "1.20", "2.0"):
        yield export(8, f"configuration-newline-is-one-value-{version}", deployment(
            f"      flinkConfiguration: {{a.b: {values['newline']}}}\n",
            artifact=f"        flinkVersion: '{version}'\n"), "valid")  # fmt: skip
    keys = {
        "trailing-space": '"kubernetes.namespace "',
        "leading-space": '" kubernetes.namespace"',
        "tab": '"kubernetes.namespace\\t"',
        "newline": '"a\\nkubernetes.namespace"',
        "colon": '"kubernetes.namespace: x"',
        "hash": '"#kubernetes.namespace"',
        "nbsp": '"kubernetes.namespace\\u00a0"',
        "zero-width": '"kubernetes.\\u200bnamespace"',
        "empty": '""',
        "forbidden": "kubernetes.namespace",
        "forbidden-cluster-id": "kubernetes.cluster-id",
        "quote": '"a\'b"',
    }
    for name, key in keys.items():
        for version in ("1.17", "1.20"):
            yield export(8, f"configuration-key-{name}-{version}", deployment(
                f"      flinkConfiguration: {{{key}: x}}\n",
                artifact=f"        flinkVersion: '{version}'\n"), "invalid")  # fmt: skip
    loggers = {
        "newline": '"a\\nrootLogger.level = OFF"',
        "equals": '"a=b"',
        "space": '"a b"',
        "colon": '"a:b"',
        "backslash": '"a\\\\b"',
        "unicode": '"caf\\u00e9"',
    }
    for name, logger in loggers.items():
        yield export(8, f"logger-name-{name}", deployment(
            f"      logging: {{log4jLoggers: {{{logger}: INFO}}}}\n"), "invalid")  # fmt: skip
    yield export(8, "logger-level-newline", deployment(
        '      logging: {log4jLoggers: {a: "INFO\\nrootLogger.level"}}\n'), "invalid")  # fmt: skip


def messages() -> Iterator[dict]:
    for written in ("1.17", "1.20", "2.0", "1.19"):
        yield export(9, f"unquoted-flink-version-{written}",
                     deployment(artifact=f"        flinkVersion: {written}\n"), "valid")  # fmt: skip
    yield export(9, "unquoted-flink-version-json-1.20", TARGET + json.dumps(
        {"kind": "Deployment", "metadata": {"name": "o"}, "spec": {"deploymentTargetName": "prod",
         "template": {"spec": {"artifact": {"jarUri": "local:///j.jar"}}}}}).replace(
        '"jarUri"', '"flinkVersion": 1.20, "jarUri"'), "valid")  # fmt: skip
    yield export(9, "flink-version-1.2", deployment(artifact="        flinkVersion: 1.2\n"),
                 "invalid", "quote it")  # fmt: skip
    yield export(9, "integer-key", deployment("      flinkConfiguration: {1: x}\n"), "valid")
    yield export(9, "huge-int-names-the-field", deployment(f"      parallelism: {'9' * 5000}\n"),
                 "invalid", "64 bits")  # fmt: skip
    yield export(9, "dash-parent-advice", TARGET.replace(
        "value: s3://c}", "value: s3://c}\n  - {op: add, path: /spec/template/spec/kubernetes/pods/"
        "envVars/-/name, value: A}") + "kind: Deployment\nmetadata: {name: o}\nspec:\n"
        "  deploymentTargetName: prod\n  template: {spec: {artifact: {jarUri: local:///j.jar}}}\n",
        "invalid", "holds no value to go into")  # fmt: skip
    yield export(9, "job-failure-expiration-number", deployment(
        spec="  jobFailureExpirationTime: 0\n"), "valid")  # fmt: skip


def any_json_root() -> Iterator[dict]:
    roots: list[Any] = [[], [1, 2], "text", 3, 2.5, None, True, False, [[[]]], [{"a": 1}]]
    for index, root in enumerate(roots):
        yield patch(10, f"root-test-{index}", root, [{"op": "test", "path": "", "value": root}],
                    "valid")  # fmt: skip
        yield patch(10, f"root-replace-{index}", root, [{"op": "replace", "path": "", "value": {"a": 1}}],
                    "valid")  # fmt: skip
    yield patch(10, "array-append", [1], [{"op": "add", "path": "/-", "value": 2}], "valid")
    yield patch(10, "array-bad-index", [1], [{"op": "add", "path": "/01", "value": 2}], "invalid")
    yield patch(10, "scalar-child", "x", [{"op": "add", "path": "/a", "value": 2}], "invalid")
    yield patch(10, "remove-root", [1], [{"op": "remove", "path": ""}], "invalid")


SESSION = """\
kind: SessionCluster
metadata: {name: shared}
spec:
  deploymentTargetName: prod
  flinkVersion: "1.20"
"""


def session_cluster(spec: str = "") -> str:
    """A SessionCluster on ``prod`` with extra YAML lines (indented by two) in its spec."""
    return TARGET + SESSION + spec


def savepoint(savepoint_id: str, location: str = "s3://sp/1") -> str:
    """A Deployment with id ``d-1`` and one COMPLETED Savepoint of it."""
    return (
        deployment().replace("metadata: {name: orders}", "metadata: {name: orders, id: d-1}")
        + f"---\nkind: Savepoint\nmetadata: {{id: {savepoint_id}, deploymentId: d-1}}\n"
        f"spec: {{savepointLocation: {location}}}\nstatus: {{state: COMPLETED}}\n"
    )


def spliced(text: str, marker: str, piece: str, times: int, *, numbered: bool = False) -> list:
    """``text`` with ``marker`` replaced by ``piece`` ``times`` over, as compact text pairs.

    ``numbered``: ``{i}`` in ``piece`` counts 0, 1, ... (unique keys stay short in the file).
    """
    head, tail = text.split(marker)
    return [[head, 1], [piece, times, "numbered"] if numbered else [piece, times], [tail, 1]]


def wide_and_long() -> Iterator[dict]:
    """Class 1, new shapes: wide documents, long strings in every string field, long chains."""
    for count in (2_000, 10_000):
        wide = {
            "env-vars": ("      kubernetes: {pods: {envVars: [@]}}\n", "{name: E{i}, value: v}, "),
            "labels": ("      kubernetes: {labels: {@}}\n", "l{i}: v, "),
            "loggers": ("      logging: {log4jLoggers: {@}}\n", "a.b{i}: INFO, "),
        }
        for name, (line, piece) in wide.items():
            yield export(1, f"wide-{name}-{count}", spliced(deployment(line), "@", piece, count,
                         numbered=True), "valid")  # type: ignore[arg-type]  # fmt: skip
        yield export(1, f"wide-patch-set-{count}", spliced(TARGET.replace("value: s3://c}", "value: s3://c}\n@"),
                     "@", "  - {op: add, path: /spec/template/spec/flinkConfiguration/k{i}, value: v}\n",
                     count - 1, numbered=True), "valid")  # type: ignore[arg-type]  # fmt: skip
    yield export(1, "wide-beyond-the-size-limit", spliced(deployment("      flinkConfiguration: {@}\n"),
                 "@", "key.number.{i}: value-{i}, ", 60_000, numbered=True), "invalid", "larger than")  # type: ignore[arg-type]  # fmt: skip
    for field, make in {
        "entry-class": lambda v: deployment(artifact=f"        entryClass: a{v}\n"),
        "main-args": lambda v: deployment(artifact=f"        mainArgs: {v}\n"),
        "jar-uri": lambda v: deployment().replace(
            "local:///opt/flink/job.jar", f"https://h/{v}.jar"
        ),
        "image-tag": lambda v: deployment(artifact=f"        flinkImageTag: {v}\n"),
        "label-value": lambda v: deployment(f"      kubernetes: {{labels: {{a: {v}}}}}\n"),
        "annotation-value": lambda v: deployment(
            f"      kubernetes: {{pods: {{annotations: {{a: {v}}}}}}}\n"
        ),
        "env-value": lambda v: deployment(
            f"      kubernetes: {{pods: {{envVars: [{{name: A, value: {v}}}]}}}}\n"
        ),
        "configuration-key": lambda v: deployment(f"      flinkConfiguration: {{a.{v}: b}}\n"),
        "deployment-name": lambda v: TARGET + f"kind: Deployment\nmetadata: {{name: a{v}}}\n",
        "target-name": lambda v: f"kind: DeploymentTarget\nmetadata: {{name: a{v}}}\n",
        "namespace": lambda v: TARGET.replace("namespace: flink-prod", f"namespace: a{v}"),
        "savepoint-location": lambda v: savepoint("sp-1", f"s3://{v}"),
        "savepoint-id": lambda v: savepoint(f"s{v}"),
    }.items():
        yield export(1, f"long-string-100k-{field}", spliced(make("@"), "@", "x", 100_000))  # type: ignore[arg-type]
    for chain in (1_000, 9_000):
        yield patch(1, f"move-chain-{chain}", {"a": {"b": "x" * 1_000}},
                    {"$repeat": [{"op": "move", "from": "/a", "path": "/c"},
                                 {"op": "move", "from": "/c", "path": "/a"}], "times": chain // 2})  # fmt: skip
        yield patch(1, f"copy-then-remove-chain-{chain}", {"a": {"b": "x" * 1_000}},
                    {"$repeat": [{"op": "copy", "from": "/a", "path": "/c"},
                                 {"op": "remove", "path": "/c"}], "times": chain // 2})  # fmt: skip
    yield patch(1, "test-of-a-large-value-many-times", {"a": {"$text": "y", "times": 100_000}},
                {"$repeat": [{"op": "test", "path": "/a", "value": {"$text": "y", "times": 100_000}}],
                 "times": 100}, "invalid")  # fmt: skip
    yield export(1, "more-documents-than-the-limit", spliced("@", "@",
                 "kind: SecretValue\nmetadata: {name: s{i}}\n---\n", 10_001, numbered=True),
                 "invalid", "more than 10,000 documents")  # type: ignore[arg-type]  # fmt: skip
    yield export(1, "many-deployments-500", spliced(TARGET + "@", "@",
                 "kind: Deployment\nmetadata: {name: d{i}}\nspec: {deploymentTargetName: prod, "
                 "template: {spec: {artifact: {jarUri: local:///j.jar}}}}\n---\n", 500,
                 numbered=True), "valid")  # type: ignore[arg-type]  # fmt: skip


def kubernetes_values() -> Iterator[dict]:
    """Class 3: values in pod templates and pod settings the API server alone would refuse."""
    bad_templates = {
        "container-name-upper": "{spec: {containers: [{name: Flink}]}}",
        "container-name-space": "{spec: {containers: [{name: 'a b'}]}}",
        "container-name-empty": "{spec: {containers: [{name: ''}]}}",
        "container-name-long": "{spec: {containers: [{name: " + "a" * 64 + "}]}}",
        "init-container-name": "{spec: {initContainers: [{name: Init_1, image: x}]}}",
        "volume-name-dot": "{spec: {volumes: [{name: a.b, emptyDir: {}}]}}",
        "volume-name-upper": "{spec: {volumes: [{name: Data, emptyDir: {}}]}}",
        "env-name-digit": "{spec: {containers: [{name: a, env: [{name: 1A, value: x}]}]}}",
        "env-name-equals": "{spec: {containers: [{name: a, env: [{name: 'A=B', value: x}]}]}}",
        "env-name-empty": "{spec: {containers: [{name: a, env: [{name: '', value: x}]}]}}",
        "label-key-space": "{metadata: {labels: {'a b': c}}}",
        "label-key-slash-only": "{metadata: {labels: {'/': c}}}",
        "label-key-bad-prefix": "{metadata: {labels: {'Ex_ample.com/a': c}}}",
        "label-value-long": "{metadata: {labels: {a: " + "v" * 64 + "}}}",
        "label-value-newline": '{metadata: {labels: {a: "x\\ny"}}}',
        "label-value-trailing-dash": "{metadata: {labels: {a: x-}}}",
        "annotation-key-space": "{metadata: {annotations: {'a b': c}}}",
        "annotation-key-empty": "{metadata: {annotations: {'': c}}}",
        "node-selector-value-space": "{spec: {nodeSelector: {disk: 'fast ssd'}}}",
        "node-selector-key-colon": "{spec: {nodeSelector: {'disk:type': ssd}}}",
        "quantity-word": "{spec: {containers: [{name: a, resources: {limits: {cpu: lots}}}]}}",
        "quantity-negative": "{spec: {containers: [{name: a, resources: {requests: {memory: -1Gi}}}]}}",
        "quantity-bool": "{spec: {containers: [{name: a, resources: {limits: {cpu: true}}}]}}",
        "quantity-null": "{spec: {containers: [{name: a, resources: {limits: {cpu: null}}}]}}",
        "quantity-list": "{spec: {containers: [{name: a, resources: {limits: {cpu: [1]}}}]}}",
        "quantity-1e400": "{spec: {containers: [{name: a, resources: {limits: {cpu: '1e400'}}}]}}",
        "quantity-huge-binary": "{spec: {containers: [{name: a, resources: {limits: {memory: 9999999999Ti}}}]}}",
        "quantity-8Ei": "{spec: {containers: [{name: a, resources: {limits: {memory: 8Ei}}}]}}",
        "quantity-inf": "{spec: {containers: [{name: a, resources: {limits: {cpu: .inf}}}]}}",
        "quantity-octal": "{spec: {containers: [{name: a, resources: {limits: {cpu: 0o17}}}]}}",
        "quantity-spaces": "{spec: {containers: [{name: a, resources: {limits: {cpu: ' 1'}}}]}}",
        "overhead-word": "{spec: {overhead: {cpu: some}}}",
    }
    for name, template in bad_templates.items():
        yield export(3, f"pod-template-value-{name}",
                     deployment(f"      kubernetes: {{taskManagerPodTemplate: {template}}}\n"), "invalid")  # fmt: skip
    good_templates = {
        "quantities": "{spec: {containers: [{name: a, resources: {limits: {cpu: 500m, memory: 2Gi}, requests: {cpu: 0.5, memory: 1e9}}}]}}",
        "prefixed-label": "{metadata: {labels: {app.kubernetes.io/part-of: shop, a: ''}}}",
        "env-dotted": "{spec: {containers: [{name: a, env: [{name: my.var-1, value: x}]}]}}",
        "annotation-any-value": '{metadata: {annotations: {example.com/note: "any text\\n at all: #"}}}',
    }
    yield export(3, "pod-template-value-annotations-too-large", spliced(deployment(
        "      kubernetes: {taskManagerPodTemplate: {metadata: {annotations: {a: @}}}}\n"),
        "@", "v", 270_000), "invalid", "annotations")  # type: ignore[arg-type]  # fmt: skip
    for name, template in good_templates.items():
        yield export(3, f"pod-template-value-ok-{name}",
                     deployment(f"      kubernetes: {{taskManagerPodTemplate: {template}}}\n"), "valid")  # fmt: skip
    bad_pods = {
        "labels-key-space": "{labels: {'a b': c}}",
        "labels-value-space": "{labels: {a: 'b c'}}",
        "labels-value-long": "{labels: {a: " + "v" * 64 + "}}",
        "labels-value-quote": '{labels: {a: "b\'c"}}',
        "annotations-key-bang": "{annotations: {'a!': b}}",
        "node-selector-value": "{nodeSelector: {a: ' '}}",
        "env-name-space": "{envVars: [{name: 'A B', value: x}]}",
        "env-name-empty": "{envVars: [{name: '', value: x}]}",
        "env-name-newline": '{envVars: [{name: "A\\nB", value: x}]}',
        "volume-name-upper": "{volumeMounts: [{name: V, volume: {emptyDir: {}}, volumeMount: {mountPath: /d}}]}",
        "volume-name-empty": "{volumeMounts: [{name: '', volume: {emptyDir: {}}, volumeMount: {mountPath: /d}}]}",
        "volume-name-quote": '{volumeMounts: [{name: "a\'b", volume: {emptyDir: {}}, volumeMount: {mountPath: /d}}]}',
        "pull-secret-name": "{imagePullSecrets: [{name: Bad_Name}]}",
        "pull-secret-empty": "{imagePullSecrets: [{name: ''}]}",
    }
    for name, pods in bad_pods.items():
        yield export(
            3, f"pods-value-{name}", deployment(f"      kubernetes: {{pods: {pods}}}\n"), "invalid"
        )
        yield export(3, f"session-pods-value-{name}", session_cluster(f"  kubernetes: {{pods: {pods}}}\n"),
                     "invalid")  # fmt: skip
    for name, labels in {"key-space": "{'a b': c}", "value-space": "{a: 'b c'}",
                         "value-long": "{a: " + "v" * 64 + "}", "key-long": "{" + "k" * 64 + ": v}",
                         "value-newline": '{a: "x\\ny"}'}.items():  # fmt: skip
        yield export(3, f"kubernetes-labels-{name}",
                     deployment(f"      kubernetes: {{labels: {labels}}}\n"), "invalid")  # fmt: skip
        yield export(3, f"session-kubernetes-labels-{name}",
                     session_cluster(f"  kubernetes: {{labels: {labels}}}\n"), "invalid")  # fmt: skip


def text_that_is_not_text() -> Iterator[dict]:
    """Class 7: NUL characters and unpaired surrogates, which no resource can hold."""
    places = {
        "configuration-value": lambda v: deployment(f"      flinkConfiguration: {{a: {v}}}\n"),
        "configuration-key": lambda v: deployment(f"      flinkConfiguration: {{{v}: a}}\n"),
        "main-args": lambda v: deployment(artifact=f"        mainArgs: {v}\n"),
        "entry-class": lambda v: deployment(artifact=f"        entryClass: {v}\n"),
        "env-value": lambda v: deployment(
            f"      kubernetes: {{pods: {{envVars: [{{name: A, value: {v}}}]}}}}\n"
        ),
        "annotation": lambda v: deployment(
            f"      kubernetes: {{pods: {{annotations: {{a: {v}}}}}}}\n"
        ),
        "vvp-label": lambda v: deployment().replace(
            "metadata: {name: orders}", f"metadata: {{name: orders, labels: {{a: {v}}}}}"
        ),
        "patch-value": lambda v: TARGET.replace("value: s3://c}", f"value: {v}}}"),
        "savepoint-location": lambda v: savepoint("sp-1", v),
        "session-configuration": lambda v: session_cluster(f"  flinkConfiguration: {{a: {v}}}\n"),
        "sql-script": lambda v: deployment().replace(
            "        jarUri: local:///opt/flink/job.jar\n",
            f"        kind: SQLSCRIPT\n        flinkVersion: '2.0'\n        sqlScript: {v}\n",
        ),
    }
    for place, make in places.items():
        yield export(7, f"nul-in-{place}", make('"x\\0y"'), "invalid", "NUL")
        yield export(7, f"lone-surrogate-in-{place}", make('"x\\ud800y"'), "invalid", "surrogate")
    yield {"id": "lone-surrogate-in-json", "class": 7, "kind": "json", "text": TARGET.split("---")[0]
           and '{"kind": "Deployment", "metadata": {"name": "o\\udc80"}, "x": NaN}',
           "expect": "invalid", "match": ""}  # fmt: skip
    yield export(7, "lone-surrogate-json-export", TARGET + json.dumps(
        {"kind": "Deployment", "metadata": {"name": "orders", "annotations": {"a": "\ud800"}},
         "spec": {"deploymentTargetName": "prod",
                  "template": {"spec": {"artifact": {"jarUri": "local:///j.jar"}}}}}),
        "invalid", "surrogate")  # fmt: skip


def savepoint_names() -> Iterator[dict]:
    """Class 7: any Savepoint id gives a valid, distinct FlinkStateSnapshot name."""
    for index, savepoint_id in enumerate(("'A B/C'", "''", "' '", "'sp-'", "'-'", "'..'", "'x' ",
                                          "'Ünïcode'", "'a_b'", "'1234567-'",
                                          "5A7E0002-AAAA-4BBB-8CCC-DDDDEEEEFFFF")):  # fmt: skip
        yield export(7, f"savepoint-id-{index}", savepoint(savepoint_id))
    yield export(7, "savepoint-ids-sharing-a-prefix", savepoint("aaaaaaaa-1")
                 + "---\nkind: Savepoint\nmetadata: {id: aaaaaaaa-2, deploymentId: d-1}\n"
                 "spec: {savepointLocation: s3://sp/2}\nstatus: {state: COMPLETED}\n", "valid")  # fmt: skip


def yaml_shapes() -> Iterator[dict]:
    """Classes 4 and 7: YAML forms (merge keys, tags, keys of other types, directives)."""
    shapes = {
        "merge-key-into-metadata": (
            TARGET + "kind: Deployment\nx: &m {name: orders}\nmetadata: {<<: *m}\n",
            "invalid",
        ),
        "merge-key-list": (
            deployment("      flinkConfiguration: {<<: [{a: b}, {c: d}]}\n"),
            "valid",
        ),
        "merge-key-scalar": (deployment("      flinkConfiguration: {<<: 3}\n"), "invalid"),
        "merge-key-list-of-scalars": (
            deployment("      flinkConfiguration: {<<: [1, 2]}\n"),
            "invalid",
        ),
        "merge-key-self": (deployment("      flinkConfiguration: &m {<<: *m}\n"), "invalid"),
        "merge-key-twice": (
            deployment("      flinkConfiguration: {<<: {a: b}, <<: {c: d}}\n"),
            "any",
        ),
        "null-key": (deployment("      flinkConfiguration: {~: b}\n"), "any"),
        "boolean-key": (deployment("      flinkConfiguration: {true: b}\n"), "any"),
        "float-key": (deployment("      flinkConfiguration: {1.5: b}\n"), "any"),
        "date-key": (deployment("      flinkConfiguration: {2001-01-01: b}\n"), "any"),
        "list-key": (deployment("      flinkConfiguration: {[a]: b}\n"), "invalid"),
        "undefined-alias": (deployment("      flinkConfiguration: {a: *nope}\n"), "invalid"),
        "timestamp-value": (
            deployment("      flinkConfiguration: {a: 2001-12-14t21:59:43.10-05:00}\n"),
            "valid",
        ),
        "explicit-timestamp": (
            deployment("      flinkConfiguration: {a: !!timestamp 2001-12-14}\n"),
            "any",
        ),
        "explicit-float-tag": (deployment("      parallelism: !!float 3\n"), "any"),
        "explicit-str-tag": (deployment("      parallelism: !!str 3\n"), "valid"),
        "sexagesimal": (deployment("      flinkConfiguration: {a: 190:20:30}\n"), "valid"),
        "hex-parallelism": (deployment("      parallelism: 0x10\n"), "any"),
        "octal-parallelism": (deployment("      parallelism: 0o17\n"), "any"),
        "underscore-number": (deployment("      parallelism: 1_000\n"), "any"),
        "yaml-directive": ("%YAML 1.1\n---\n" + deployment(), "valid"),
        "tag-directive": ("%TAG !e! tag:example.com,2000:\n---\n" + deployment(), "valid"),
        "custom-tag-via-directive": (
            "%TAG !e! tag:example.com,2000:\n---\n" + deployment("      parallelism: !e!x 3\n"),
            "invalid",
        ),
        "byte-order-mark": ("\ufeff" + deployment(), "valid"),
        "crlf": (deployment().replace("\n", "\r\n"), "valid"),
        "document-end-markers": (deployment().replace("---\n", "...\n---\n"), "valid"),
        "scalar-document": ("hello\n", "invalid"),
        "null-document": ("null\n", "any"),
        "list-of-lists": ("[[1], [2]]\n", "invalid"),
        "list-items-null": ("kind: DeploymentList\nitems: null\n", "any"),
        "list-items-scalars": ("kind: DeploymentList\nitems: [1, a, null]\n", "invalid"),
        "list-items-object": ("kind: DeploymentList\nitems: {a: 1}\n", "invalid"),
        "list-in-list": (
            "kind: DeploymentList\nitems: [{kind: DeploymentList, items: []}]\n",
            "invalid",
        ),
        "kind-number": ("kind: 3\nmetadata: {name: x}\n", "invalid"),
        "kind-list": ("kind: [Deployment]\nmetadata: {name: x}\n", "invalid"),
        "metadata-list": (TARGET + "kind: Deployment\nmetadata: []\n", "invalid"),
        "spec-null": (TARGET + "kind: Deployment\nmetadata: {name: x}\nspec: null\n", "invalid"),
        "template-spec-string": (
            TARGET
            + "kind: Deployment\nmetadata: {name: x}\nspec: {deploymentTargetName: prod, template: {spec: x}}\n",
            "invalid",
        ),
        "patch-set-string": (
            "kind: DeploymentTarget\nmetadata: {name: prod}\nspec: {kubernetes: {namespace: a}, deploymentPatchSet: x}\n",
            "invalid",
        ),
        "patch-set-nulls": (
            "kind: DeploymentTarget\nmetadata: {name: prod}\nspec: {kubernetes: {namespace: a}, deploymentPatchSet: [null, 1, []]}\n",
            "invalid",
        ),
    }
    for name, (text, expect) in shapes.items():
        yield export(4, f"yaml-{name}", text, expect)


def names_and_blanks() -> Iterator[dict]:
    """Class 7: names Kubernetes or VVP refuse, blanks where a value is required."""
    for index, name in enumerate(("' '", "''", "'Orders'", "'a_b'", "'-a'", "'a-'", "'a.b'",
                                  "'" + "a" * 64 + "'", '"a\\nb"', "'ä'", "3", "true")):  # fmt: skip
        yield export(7, f"deployment-name-{index}", TARGET + f"kind: Deployment\nmetadata: {{name: {name}}}\n"
                     "spec: {deploymentTargetName: prod, template: {spec: {artifact: {jarUri: local:///j.jar}}}}\n",
                     "invalid" if index < 10 else "any")  # fmt: skip
        yield export(7, f"session-cluster-name-{index}", TARGET + f"kind: SessionCluster\nmetadata: {{name: {name}}}\n"
                     "spec: {deploymentTargetName: prod}\n", "invalid" if index < 10 else "any")  # fmt: skip
        yield export(7, f"namespace-{index}", TARGET.replace("namespace: flink-prod", f"namespace: {name}"),
                     "invalid" if index < 10 else "any")  # fmt: skip
    for index, name in enumerate(("' '", "''", '"a b"', '"a/b"', "'" + "a" * 251 + "'")):
        yield export(7, f"target-name-{index}", f"kind: DeploymentTarget\nmetadata: {{name: {name}}}\n",
                     "invalid")  # fmt: skip
    for field, line in (("jar-uri", "        jarUri: '{}'\n"), ("entry-class", "        entryClass: '{}'\n"),
                        ("image-tag", "        flinkImageTag: '{}'\n"),
                        ("image-repository", "        flinkImageRepository: '{}'\n")):  # fmt: skip
        for label, value in (("empty", ""), ("blank", "   ")):
            yield export(7, f"{label}-{field}", deployment().replace(
                "        jarUri: local:///opt/flink/job.jar\n",
                "        jarUri: local:///opt/flink/job.jar\n" + line.format(value))
                if field != "jar-uri" else deployment().replace(
                "        jarUri: local:///opt/flink/job.jar\n", line.format(value)), "any" if field == "entry-class" else "invalid")  # fmt: skip


def injection_everywhere() -> Iterator[dict]:
    """Class 8: line breaks of every kind into every file and argument we render."""
    breaks = {"u2028": "\\L", "u2029": "\\P", "u0085": "\\N", "vt": "\\v", "ff": "\\f",
              "cr": "\\r", "crlf": "\\r\\n", "nl": "\\n"}  # fmt: skip
    # Flink reads flink-conf.yaml line by line as Java's readLine does: only \n and \r end a
    # line, so other breaks stay inside their value.
    java_breaks = ("cr", "crlf", "nl")
    for name, line_break in breaks.items():
        in_value = "invalid" if name in java_breaks else "valid"
        for version in ("1.17", "1.18"):
            yield export(8, f"configuration-value-{name}-{version}", deployment(
                f'      flinkConfiguration: {{a.b: "x{line_break}kubernetes.namespace: other"}}\n',
                artifact=f"        flinkVersion: '{version}'\n"), in_value)  # fmt: skip
        yield export(8, f"configuration-key-{name}", deployment(
            f'      flinkConfiguration: {{"a{line_break}kubernetes.namespace": x}}\n'), "invalid")  # fmt: skip
        yield export(8, f"logger-name-{name}", deployment(
            f'      logging: {{log4jLoggers: {{"a{line_break}rootLogger.level": INFO}}}}\n'), "invalid")  # fmt: skip
        yield export(8, f"logger-level-{name}", deployment(
            f'      logging: {{log4jLoggers: {{a: "INFO{line_break}rootLogger.level = OFF"}}}}\n'),
            "invalid")  # fmt: skip
        yield export(8, f"session-configuration-value-{name}", session_cluster(
            f'  flinkConfiguration: {{a.b: "x{line_break}kubernetes.namespace: other"}}\n').replace(
            'flinkVersion: "1.20"', 'flinkVersion: "1.17"'), in_value)  # fmt: skip
        yield export(8, f"main-args-{name}", deployment(
            artifact=f'        mainArgs: "--a x{line_break}--b y"\n'))  # fmt: skip
        yield export(8, f"env-value-{name}", deployment(
            f'      kubernetes: {{pods: {{envVars: [{{name: A, value: "x{line_break}B=y"}}]}}}}\n'),
            "valid")  # fmt: skip
    for name, value in {"yaml-document": '"---\\nkubernetes.namespace: x"', "flow": '"{a: b}"',
                        "anchor": '"&a *b"', "null-word": '"null"', "tilde": '"~"',
                        "boolean-word": '"true"', "hex": '"0x10"', "comment": '"x #y"',
                        "quote": "\"'\"", "backslash": '"a\\\\"'}.items():  # fmt: skip
        yield export(8, f"configuration-yaml-special-{name}-2.0", deployment(
            f"      flinkConfiguration: {{a.b: {value}}}\n",
            artifact="        flinkVersion: '2.0'\n"), "valid")  # fmt: skip
    for name, uri in {"command": "'https://h/$(id).jar'", "backtick": "'https://h/`id`.jar'",
                      "semicolon": "'https://h/a;rm -rf /.jar'", "space": "'https://h/a b.jar'",
                      "dash": "'-rf'", "newline": '"https://h/a\\n.jar"'}.items():  # fmt: skip
        yield export(8, f"jar-uri-shell-{name}", deployment().replace(
            "local:///opt/flink/job.jar", uri).replace("jarUri:", "jarUri:", 1))  # fmt: skip
        yield export(8, f"dependency-shell-{name}", deployment(
            artifact=f"        flinkVersion: '1.17'\n        additionalDependencies: [{uri}]\n"))  # fmt: skip
    yield export(8, "sql-runner-args-quote", deployment().replace(
        "  template:\n", "  template:\n    metadata: {annotations: {pulumi-flink.dev/sql-runner-jar-uri: "
        "'local:///r.jar', pulumi-flink.dev/sql-runner-args: \"{script} '\"}}\n").replace(
        "        jarUri: local:///opt/flink/job.jar\n",
        "        kind: SQLSCRIPT\n        flinkVersion: '1.20'\n        sqlScript: SELECT 1\n"),
        "invalid")  # fmt: skip


def pointer_edges() -> Iterator[dict]:
    """Class 10: JSON Pointer escapes and array indices on every kind of root."""
    document = {"a/b": 1, "m~n": 2, "": 3, " ": 4, "list": [1, 2, 3]}
    good = [("/a~1b", 1), ("/m~0n", 2), ("/", 3), ("/ ", 4), ("/list/0", 1), ("/list/2", 3)]
    for index, (path, value) in enumerate(good):
        yield patch(10, f"pointer-escape-test-{index}", document,
                    [{"op": "test", "path": path, "value": value}], "valid")  # fmt: skip
    bad = ["/a~2b", "/m~", "/~", "/list/01", "/list/-1", "/list/+1", "/list/1e0", "/list/ 1",
           "/list/3", "/list/99999999999999999999999", "/list/-", "a", "/list/0/x", "//"]  # fmt: skip
    for index, path in enumerate(bad):
        yield patch(10, f"pointer-bad-test-{index}", document,
                    [{"op": "test", "path": path, "value": 1}], "invalid")  # fmt: skip
        yield patch(10, f"pointer-bad-remove-{index}", document, [{"op": "remove", "path": path}],
                    "invalid")  # fmt: skip
    for index, path in enumerate(["/list/-", "/list/3", "/list/0"]):
        yield patch(10, f"pointer-add-{index}", document, [{"op": "add", "path": path, "value": 9}],
                    "valid")  # fmt: skip
    for index, path in enumerate(["/list/4", "/list/00", "/list/-1"]):
        yield patch(10, f"pointer-add-bad-{index}", document,
                    [{"op": "add", "path": path, "value": 9}], "invalid")  # fmt: skip
    yield patch(10, "copy-from-dash", document, [{"op": "copy", "from": "/list/-", "path": "/x"}],
                "invalid")  # fmt: skip
    yield patch(10, "move-to-dash", document, [{"op": "move", "from": "/a~1b", "path": "/list/-"}],
                "valid")  # fmt: skip
    yield patch(10, "move-into-own-child", document,
                [{"op": "move", "from": "/list", "path": "/list/0"}], "invalid")  # fmt: skip
    yield patch(10, "operation-not-an-object", document, [["op", "test"]], "invalid")
    yield patch(
        10, "operation-unknown-op", document, [{"op": "ADD", "path": "/x", "value": 1}], "invalid"
    )
    yield patch(
        10, "operation-path-not-a-string", document, [{"op": "remove", "path": 3}], "invalid"
    )
    yield patch(10, "nul-in-a-generic-document", {"a": "x\u0000y"},
                [{"op": "test", "path": "/a", "value": "x\u0000y"}], "valid")  # fmt: skip


def wrong_types_more() -> Iterator[dict]:
    """Class 6: more wrong types at every function."""
    deployment_document = {"metadata": {"name": "o"}, "spec": {
        "restoreStrategy": {"kind": "NONE"},
        "template": {"spec": {"artifact": {"jarUri": "local:///j.jar"}}}}}  # fmt: skip
    target_document = {"metadata": {"name": "t"}}
    odd = {"list-of-bytes": [{"$bytes": "x"}], "nested-bytes": {"a": {"$bytes": "x"}},
           "inf-inside": {"a": {"$float": "inf"}}, "deep": {"$deep": 100},
           "empty-object": {}, "empty-list": [], "number": 3.5, "huge": {"$float": "1e308"}}  # fmt: skip
    for label, value in odd.items():
        yield call(
            6, f"effective-deployment-odd-{label}", "effective_deployment", value, target_document
        )
        yield call(
            6, f"effective-target-odd-{label}", "effective_deployment", deployment_document, value
        )
        yield call(6, f"render-odd-{label}", "render_manifests", value, target_document, {})
        yield call(6, f"render-secret-values-{label}", "render_manifests", deployment_document,
                   target_document, {"secret_values": value})  # fmt: skip
        yield call(6, f"load-odd-{label}", "load_vvp_documents", value)
        yield call(6, f"patch-document-odd-{label}", "apply_patch_set", value,
                   [{"op": "test", "path": "", "value": 1}])  # fmt: skip
        yield call(6, f"patch-operation-odd-{label}", "apply_patch_set", {}, [value])
    for label, keywords in {"engine-number": {"engine": 1}, "engine-empty": {"engine": ""},
                            "engine-upper": {"engine": "OPERATOR"},
                            "namespace-bad": {"default_namespace": "Not Valid"},
                            "namespace-empty": {"default_namespace": ""}}.items():  # fmt: skip
        yield call(6, f"render-keyword-{label}", "render_manifests", deployment_document,
                   target_document, keywords)  # fmt: skip


def uris_secrets_and_reserved_names() -> Iterator[dict]:
    """Class 7: URIs with spaces, Secret keys, reserved variables, numbers of SessionClusters."""
    uris = {"space": "'https://h/a b.jar'", "newline": '"https://h/a\\n.jar"', "tab": '"https://h/a\\t.jar"',
            "empty": "''", "blank": "' '"}  # fmt: skip
    for name, uri in uris.items():
        yield export(7, f"uri-{name}-jar", deployment().replace(
            "        jarUri: local:///opt/flink/job.jar\n", f"        jarUri: {uri}\n"), "invalid")  # fmt: skip
        yield export(7, f"uri-{name}-dependency", deployment(
            artifact=f"        additionalDependencies: [{uri}]\n"), "invalid")  # fmt: skip
        yield export(7, f"uri-{name}-python", deployment().replace(
            "        jarUri: local:///opt/flink/job.jar\n",
            f"        kind: PYTHON\n        pythonArtifactUri: {uri}\n"), "invalid")  # fmt: skip
        yield export(7, f"uri-{name}-python-library", deployment().replace(
            "        jarUri: local:///opt/flink/job.jar\n",
            f"        kind: PYTHON\n        pythonArtifactUri: https://h/a.py\n"
            f"        additionalPythonLibraries: [{uri}]\n"), "invalid")  # fmt: skip
        yield export(7, f"uri-{name}-savepoint-location", savepoint("sp-1", uri), "invalid")
    for index, name in enumerate(("'a b'", "''", '"a\\nb"', "'a/b'", "'${x}'")):
        yield export(7, f"secret-value-name-{index}",
                     f"kind: SecretValue\nmetadata: {{name: {name}}}\nspec: {{kind: GENERIC}}\n",
                     "invalid")  # fmt: skip
    yield export(7, "secret-value-name-ok", "kind: SecretValue\nmetadata: {name: db.pass_1}\n"
                 "spec: {kind: GENERIC}\n", "valid")  # fmt: skip
    for variable in ("FLINK_PROPERTIES",):
        yield export(8, f"reserved-env-{variable}-pods", deployment(
            f"      kubernetes: {{pods: {{envVars: [{{name: {variable}, value: 'kubernetes.namespace: x'}}]}}}}\n"),
            "invalid", "reserved")  # fmt: skip
        yield export(8, f"reserved-env-{variable}-pod-template", deployment(
            "      kubernetes: {jobManagerPodTemplate: {spec: {containers: [{name: flink-main-container, "
            f"env: [{{name: {variable}, value: 'kubernetes.namespace: x'}}]}}]}}}}}}\n"), "invalid",
            "reserved")  # fmt: skip
        yield export(8, f"reserved-env-{variable}-session", session_cluster(
            f"  kubernetes: {{pods: {{envVars: [{{name: {variable}, value: 'a: b'}}]}}}}\n"),
            "invalid", "reserved")  # fmt: skip
    for label, value in (("true", "true"), ("zero", "0"), ("int32-plus-one", str(2**31)),
                         ("huge", "9" * 30), ("inf", ".inf"), ("fraction", "1.5")):  # fmt: skip
        yield export(5, f"session-task-managers-{label}", session_cluster(
            f"  numberOfTaskManagers: {value}\n"), "invalid")  # fmt: skip
    for label, part, value in (("registry-space", "Registry", "'a b'"), ("repository-upper", "Repository", "Flink"),
                               ("repository-empty", "Repository", "''"), ("tag-colon", "Tag", "'a:b'"),
                               ("tag-blank", "Tag", "' '"), ("tag-long", "Tag", "t" * 129)):  # fmt: skip
        yield export(7, f"image-{label}", deployment(artifact=f"        flinkImage{part}: {value}\n"),
                     "invalid")  # fmt: skip
        yield export(7, f"session-image-{label}", session_cluster(f"  flinkImage{part}: {value}\n"),
                     "invalid")  # fmt: skip
    alternatives = {
        "pods-env-value-and-value-from": "{pods: {envVars: [{name: A, value: x, valueFrom: {secretKeyRef: {name: s, key: k}}}]}}",
        "pods-env-two-sources": "{pods: {envVars: [{name: A, valueFrom: {secretKeyRef: {name: s, key: k}, configMapKeyRef: {name: c, key: k}}}]}}",
        "pods-volume-two-sources": "{pods: {volumeMounts: [{name: v, volume: {emptyDir: {}, configMap: {name: c}}, volumeMount: {mountPath: /d}}]}}",
        "pods-volume-name-twice": "{pods: {volumeMounts: [{name: v, volume: {emptyDir: {}}, volumeMount: {mountPath: /d}}, {name: v, volume: {emptyDir: {}}, volumeMount: {mountPath: /e}}]}}",
        "template-volume-name-twice": "{taskManagerPodTemplate: {spec: {volumes: [{name: v, emptyDir: {}}, {name: v, emptyDir: {}}]}}}",
        "template-container-name-twice": "{taskManagerPodTemplate: {spec: {containers: [{name: a}, {name: a}]}}}",
        "template-env-value-and-value-from": "{taskManagerPodTemplate: {spec: {containers: [{name: a, env: [{name: A, value: x, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]}]}}}",
        "template-volume-two-sources": "{taskManagerPodTemplate: {spec: {volumes: [{name: v, emptyDir: {}, hostPath: {path: /x}}]}}}",
    }
    for label, kubernetes in alternatives.items():
        yield export(
            3, f"kubernetes-{label}", deployment(f"      kubernetes: {kubernetes}\n"), "invalid"
        )
    for label, value in (("vvp-registry-with-path", "registry.ververica.com/v2.13"),
                         ("registry-with-port", "localhost:5000"), ("registry-trailing-slash", "r.io/x/")):  # fmt: skip
        yield export(7, f"image-ok-{label}", deployment(artifact=f"        flinkImageRegistry: {value}\n"),
                     "valid")  # fmt: skip


FORGED_LINES = {
    "newline-workflow-command": "x\n::error file=a::forged",
    "carriage-return": "x\r::warning::forged",
    "crlf": "x\r\n::error::forged",
    "line-separator": "x\u2028::error::forged",
    "paragraph-separator": "x\u2029forged",
    "next-line": "x\x85forged",
    "escape-sequence": "x\x1b[2K\x1b[1Gforged",
    "bidi-override": "x\u202eforged",
    "form-feed": "x\x0cforged",
    "backspaces": "x" + "\b" * 8 + "forged",
}
"""Texts that would forge a line of their own (or rewrite one) in a CI log or a terminal."""


def forged_lines_and_entrypoint_options() -> Iterator[dict]:
    """Second attacker pass (session 5): messages stay one printable line; entrypoint names.

    Every field a message quotes, paraphrases or locates by (names, keys,
    patch ops and paths, values) carries a text that would start a forged
    line; the corpus test asserts every problem is one printable line.
    ``entryClass``/``entryModule`` starting with ``-`` would be read by
    Flink's entrypoint as an option of its own (``-D`` past the forbidden keys).
    """
    places = {
        "name": lambda text: deployment().replace("name: orders}", f"name: {text}}}"),
        "target-name": lambda text: deployment().replace(
            "deploymentTargetName: prod", f"deploymentTargetName: {text}"),
        "label-key": lambda text: deployment().replace(
            "name: orders}", f"name: orders, labels: {{{text}: v}}}}"),
        "configuration-key": lambda text: deployment(f"      flinkConfiguration: {{{text}: v}}\n"),
        "configuration-value": lambda text: deployment(
            f"      flinkConfiguration: {{taskmanager.numberOfTaskSlots: {text}}}\n"),
        "logger": lambda text: deployment(f"      logging: {{log4jLoggers: {{{text}: INFO}}}}\n"),
        "env-name": lambda text: deployment(
            f"      kubernetes: {{pods: {{envVars: [{{name: {text}, value: v}}]}}}}\n"),
        "patch-op": lambda text: TARGET.replace(
            "value: s3://c}", f"value: s3://c}}\n  - {{op: {text}, path: /x, value: 1}}"),
        "patch-path": lambda text: TARGET.replace(
            "value: s3://c}", f"value: s3://c}}\n  - {{op: remove, path: {text}}}"),
        "unknown-field": lambda text: deployment(f"      {text}: 1\n"),
        "jar-uri": lambda text: deployment().replace("local:///opt/flink/job.jar", text),
        "entry-class": lambda text: deployment(artifact=f"        entryClass: {text}\n"),
        "kind": lambda text: deployment().replace("kind: Deployment", f"kind: {text}"),
    }  # fmt: skip
    for place, make in places.items():
        for label, text in FORGED_LINES.items():
            yield export(8, f"forged-line-{place}-{label}", make(json.dumps(text)))
    options = ("-Dkubernetes.namespace=other", "--jars=local:///x.jar", "-n", "--", "com.Orders --x",
               "com.Orders\n", "1com.Orders", "com..Orders", ".Orders", "com.Orders.")  # fmt: skip
    for index, name in enumerate(options):
        yield export(8, f"entry-class-not-a-class-{index}",
                     deployment(artifact=f"        entryClass: {json.dumps(name)}\n"), "invalid",
                     "is not a Java class name")  # fmt: skip
        yield export(8, f"entry-module-not-a-module-{index}", deployment(
            artifact="        kind: PYTHON\n        pythonArtifactUri: local:///opt/a.zip\n"
                     f"        entryModule: {json.dumps(name.replace('com.Orders', 'jobs.orders'))}\n"
        ).replace("        jarUri: local:///opt/flink/job.jar\n", ""), "invalid",
            "is not a Python module name")  # fmt: skip
    for index, name in enumerate(
        ("com.example.Orders", "Orders$Inner", "_x.$y", "ünïcode.Jöb", "a1.b2")
    ):
        yield export(8, f"entry-class-ok-{index}",
                     deployment(artifact=f"        entryClass: {json.dumps(name)}\n"), "valid")  # fmt: skip


MORE_FAMILIES = (
    wide_and_long,
    kubernetes_values,
    text_that_is_not_text,
    savepoint_names,
    yaml_shapes,
    names_and_blanks,
    injection_everywhere,
    pointer_edges,
    wrong_types_more,
    uris_secrets_and_reserved_names,
    forged_lines_and_entrypoint_options,
)


FAMILIES = (
    time_and_size_bombs,
    huge_numbers_and_deep_nesting,
    pod_templates,
    non_json_values,
    unbounded_numbers,
    wrong_types_at_the_api,
    accepted_though_invalid,
    injection,
    messages,
    any_json_root,
    *MORE_FAMILIES,
)


def main() -> None:
    cases = [case for family in FAMILIES for case in family()]
    ids = [case["id"] for case in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    CORPUS.write_text("".join(json.dumps(case, ensure_ascii=True) + "\n" for case in cases))
    print(f"wrote {len(cases)} cases to {CORPUS}")


if __name__ == "__main__":
    main()
