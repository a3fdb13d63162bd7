"""Secret values on the pods: references to Kubernetes Secrets, never the values.

See :mod:`pulumi_flink.secrets` for what is delivered how. Credentials become
environment variables of the Flink container (``secretKeyRef``); on the
standalone engine, other values are rendered into the configuration file at
start by an init container, into an ``emptyDir`` Flink reads as its
configuration directory.
"""

from __future__ import annotations

from typing import Any

from pulumi_flink.render.context import MAIN_CONTAINER, RenderContext
from pulumi_flink.secrets import (
    SECRET_REFERENCE,
    SecretDelivery,
    SecretKeyRef,
    references,
    template_variable,
)

RENDERED_CONF_VOLUME = "flink-config-rendered"
"""The ``emptyDir`` holding the configuration with secret values substituted."""
TEMPLATE_DIR = "/opt/flink/conf-template"
"""Where the init container reads the ConfigMap (with its ``${name}`` placeholders)."""
RENDER_CONTAINER = "render-flink-config"

# Literal replacement (index/substr, no regular expressions), with each value
# made safe for the file's format first, so no value can change the file's
# structure: in config.yaml (Flink 1.19+) the placeholders sit in
# double-quoted scalars and the value is escaped for one; flink-conf.yaml
# (read line by line, no quoting, values trimmed, '#' starts a comment) cannot
# hold a line break, '#', surrounding blanks or an empty value, so such a
# value stops the pod with a message naming the secret value (never showing
# it). Other files are copied. POSIX sh and awk (mawk, gawk, busybox).
_RENDER_SCRIPT = r"""set -eu
for template in "$TEMPLATE_DIR"/*; do
  file=$(basename "$template")
  case "$file" in
    config.yaml) format=yaml ;;
    flink-conf.yaml) format=line ;;
    *) cp "$template" "$CONF_DIR/$file"; continue ;;
  esac
  awk -v pairs="$SECRET_VALUES" -v format="$format" -v file="$file" '
    function escaped(value,    out, i, c) {
      out = ""
      for (i = 1; i <= length(value); i++) {
        c = substr(value, i, 1)
        out = out ((c in esc) ? esc[c] : c)
      }
      return out
    }
    function unreadable(value) {
      return value == "" || value ~ /[\n\r#]/ || value ~ /^[ \t]/ || value ~ /[ \t]$/
    }
    BEGIN {
      esc["\\"] = "\\\\"; esc["\""] = "\\\""
      esc["\n"] = "\\n"; esc["\r"] = "\\r"; esc["\t"] = "\\t"
      for (i = 1; i < 32; i++) {
        c = sprintf("%c", i)
        if (!(c in esc)) esc[c] = sprintf("\\x%02x", i)
      }
      esc[sprintf("%c", 127)] = "\\x7f"
      n = split(pairs, list, " ")
      for (i = 1; i <= n; i++) {
        split(list[i], kv, "=")
        token[i] = "${" kv[1] "}"; value = ENVIRON[kv[2]]
        if (format == "line" && unreadable(value)) {
          printf "secret value %s cannot be written into %s: it is empty, has a line " \
            "break or #, or starts or ends with a blank, which Flink before 1.19 cannot " \
            "read back\n", kv[1], file > "/dev/stderr"
          failed = 1
          exit 1
        }
        replacement[i] = (format == "yaml") ? escaped(value) : value
      }
    }
    {
      line = $0
      for (i = 1; i <= n; i++) {
        out = ""
        while ((p = index(line, token[i])) > 0) {
          out = out substr(line, 1, p - 1) replacement[i]
          line = substr(line, p + length(token[i]))
        }
        line = out line
      }
      print line
    }
    END { if (failed) exit 1 }' "$template" > "$CONF_DIR/$file"
done
"""


def secret_environment(delivery: SecretDelivery) -> list[dict[str, Any]]:
    """The Flink container's variables taken from Secrets (credentials)."""
    return [
        {"name": name, "valueFrom": reference.env_source()}
        for name, reference in delivery.environment
    ]


def with_secret_environment(template: dict[str, Any], delivery: SecretDelivery) -> dict[str, Any]:
    """A user's pod template whose env values referencing secret values take them by reference.

    ``${name}`` alone becomes ``valueFrom.secretKeyRef``; text around it
    keeps the variable literal, with ``$(VAR)`` (which Kubernetes expands)
    in place of the reference and ``VAR`` taken from the Secret first in the
    container's ``env``. Each container (and init container) on its own.

    >>> delivery = SecretDelivery(environment_values=(("pw", SecretKeyRef("s", "pw")),))
    >>> pod = {"spec": {"containers": [{"name": "c", "env": [
    ...     {"name": "A", "value": "${pw}"}, {"name": "B", "value": "u:${pw}@h"}]}]}}
    >>> for var in with_secret_environment(pod, delivery)["spec"]["containers"][0]["env"]:
    ...     print(var)
    {'name': 'PULUMI_FLINK_SECRET_VALUE_PW', 'valueFrom': {'secretKeyRef': {'name': 's', 'key': 'pw'}}}
    {'name': 'A', 'valueFrom': {'secretKeyRef': {'name': 's', 'key': 'pw'}}}
    {'name': 'B', 'value': 'u:$(PULUMI_FLINK_SECRET_VALUE_PW)@h'}
    """  # noqa: E501
    refs = dict(delivery.environment_values)
    spec = template.get("spec")
    if not refs or not isinstance(spec, dict):
        return template
    containers = {
        kind: [_with_secret_env(container, refs) for container in spec[kind]]
        for kind in ("initContainers", "containers")
        if isinstance(spec.get(kind), list)
    }
    return {**template, "spec": {**spec, **containers}}


def _with_secret_env(container: Any, refs: dict[str, SecretKeyRef]) -> Any:
    if not isinstance(container, dict) or not isinstance(container.get("env"), list):
        return container
    helpers: dict[str, dict[str, Any]] = {}
    env = []
    for variable in container["env"]:
        value = variable.get("value") if isinstance(variable, dict) else None
        if not isinstance(value, str):
            env.append(variable)
            continue
        names = [name for name in references(value) if name in refs]
        if not names:
            env.append(variable)
        elif value == f"${{{names[0]}}}":
            env.append({"name": variable["name"], "valueFrom": refs[names[0]].env_source()})
        else:
            for name in names:
                helpers[name] = {
                    "name": template_variable(name),
                    "valueFrom": refs[name].env_source(),
                }
            composed = SECRET_REFERENCE.sub(
                lambda match: f"$({template_variable(match[1])})" if match[1] in refs else match[0],
                value,
            )
            env.append({**variable, "value": composed})
    return {**container, "env": [*helpers.values(), *env]}


def secret_pod_template(context: RenderContext) -> dict[str, Any]:
    """A pod template overlay giving the Flink container its credential variables."""
    environment = secret_environment(context.secrets)
    if not environment:
        return {}
    return {"spec": {"containers": [{"name": MAIN_CONTAINER, "env": environment}]}}


def render_config_init_container(
    context: RenderContext, image: str, conf_dir: str, config_volume: str
) -> dict[str, Any]:
    """The init container that writes the configuration, secret values substituted.

    Its variables reference the Secrets; the rendered files go to the
    :data:`RENDERED_CONF_VOLUME` ``emptyDir`` mounted at ``conf_dir``.
    """
    values = context.secrets.template_values
    pairs = " ".join(f"{name}={template_variable(name)}" for name, _ in values)
    return {
        "name": RENDER_CONTAINER,
        "image": image,
        "command": ["/bin/sh", "-c", _RENDER_SCRIPT],
        "env": [
            {"name": "TEMPLATE_DIR", "value": TEMPLATE_DIR},
            {"name": "CONF_DIR", "value": conf_dir},
            {"name": "SECRET_VALUES", "value": pairs},
            *(
                {"name": template_variable(name), "valueFrom": reference.env_source()}
                for name, reference in values
            ),
        ],
        "volumeMounts": [
            {"name": config_volume, "mountPath": TEMPLATE_DIR},
            {"name": RENDERED_CONF_VOLUME, "mountPath": conf_dir},
        ],
    }
