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
``[piece, times]`` pairs.
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
)


def main() -> None:
    cases = [case for family in FAMILIES for case in family()]
    ids = [case["id"] for case in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    CORPUS.write_text("".join(json.dumps(case, ensure_ascii=True) + "\n" for case in cases))
    print(f"wrote {len(cases)} cases to {CORPUS}")


if __name__ == "__main__":
    main()
