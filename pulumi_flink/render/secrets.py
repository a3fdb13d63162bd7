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
from pulumi_flink.secrets import SecretDelivery, template_variable

RENDERED_CONF_VOLUME = "flink-config-rendered"
"""The ``emptyDir`` holding the configuration with secret values substituted."""
TEMPLATE_DIR = "/opt/flink/conf-template"
"""Where the init container reads the ConfigMap (with its ``${name}`` placeholders)."""
RENDER_CONTAINER = "render-flink-config"

# Literal replacement (index/substr, no regular expressions), so a value with
# any character reaches the file as it is.
_RENDER_SCRIPT = r"""set -eu
for template in "$TEMPLATE_DIR"/*; do
  awk -v pairs="$SECRET_VALUES" '
    BEGIN { n = split(pairs, list, " ") }
    {
      line = $0
      for (i = 1; i <= n; i++) {
        split(list[i], kv, "=")
        token = "${" kv[1] "}"; value = ENVIRON[kv[2]]; out = ""
        while ((p = index(line, token)) > 0) {
          out = out substr(line, 1, p - 1) value
          line = substr(line, p + length(token))
        }
        line = out line
      }
      print line
    }' "$template" > "$CONF_DIR/$(basename "$template")"
done
"""


def secret_environment(delivery: SecretDelivery) -> list[dict[str, Any]]:
    """The Flink container's variables taken from Secrets (credentials)."""
    return [
        {"name": name, "valueFrom": reference.env_source()}
        for name, reference in delivery.environment
    ]


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
