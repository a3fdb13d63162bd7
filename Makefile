# pulumi-flink developer entry points. Everything installs itself:
#   make demo   quickstart `pulumi up` on an embedded local control plane
#   make test   the whole suite (lint, types, unit, component, end-to-end)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
VENV_PY := $(VENV)/bin/python
TOOLS_BIN := $(shell toolchain/bootstrap.sh --bin-dir)
# The pulumi-flink package's tools (Pulumi YAML host, SDK generator), toolchain/polyglot.env.
PACKAGE_TOOLS_BIN := $(shell toolchain/bootstrap.sh --polyglot-dir)/bin
CACHE := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/pulumi-flink
KUBERNETES_PLUGIN_VERSION := $(shell . toolchain/versions.env && echo $$PULUMI_KUBERNETES_VERSION)

# The real engine, offline: local state, no update checks, no plugin downloads.
export PATH := $(VENV)/bin:$(TOOLS_BIN):$(PACKAGE_TOOLS_BIN):$(PATH)
export PULUMI_HOME ?= $(CACHE)/pulumi-home
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION := true
export PULUMI_CONFIG_PASSPHRASE ?= pulumi-flink-local
export PULUMI_PYTHON_CMD := $(VENV_PY)
export PULUMI_FLINK_TOOLS_BIN := $(TOOLS_BIN)

DEMO_STATE := $(CACHE)/demo-state
DEMO_STACK := dev

.PHONY: help venv tools plugins operator-validator flink-entrypoints posix-tools lint fuzz unit e2e test demo demo-down bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# pyproject.toml states ranges; constraints.txt pins what we test with.
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV_PY) -m pip install --quiet --upgrade pip
	$(VENV_PY) -m pip install --quiet --constraint constraints.txt -e '.[dev,dev-cluster]'
	touch $@

venv: $(VENV)/.installed ## create the virtualenv and install the package (editable, dev tools, dev-cluster extra)

tools: ## build (or reuse) the pinned Pulumi CLI, plugins, kube-apiserver, etcd, kwok, Pulumi YAML
	toolchain/bootstrap.sh

plugins: tools ## register the built pulumi-kubernetes plugin with the local Pulumi
	pulumi plugin ls 2>/dev/null | grep -q "kubernetes *resource *$(KUBERNETES_PLUGIN_VERSION)" || \
	  pulumi plugin install resource kubernetes $(KUBERNETES_PLUGIN_VERSION) \
	    --file $(TOOLS_BIN)/pulumi-resource-kubernetes

operator-validator: ## download (or reuse) the Flink operator's validator the tests run (Maven, ~1 min cold)
	toolchain/operator-validator/install.sh

lint: venv ## ruff and mypy --strict
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

fuzz: venv ## the adversarial corpus and a longer fuzzing run (FUZZ_EXAMPLES, default 2000)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-2000} $(VENV)/bin/pytest tests/unit/adversarial -q

unit: venv ## fast inner loop: unit and component tests (no cluster)
	PULUMI_FLINK_TEST_TOOLS=$$(toolchain/posix-tools/install.sh --dir) \
	  $(VENV)/bin/pytest tests/unit tests/component pulumi_flink -q

posix-tools: ## unpack (or reuse) gawk and busybox for the init-script tests (apt-get download, ~5 s cold)
	toolchain/posix-tools/install.sh

flink-entrypoints: tools ## fetch (or reuse) what the checks that run renders through Flink's own entrypoints need
	toolchain/flink-entrypoints/install.sh

e2e: venv plugins flink-entrypoints ## end-to-end: real Pulumi engine, real kube-apiserver
	$(VENV)/bin/pytest tests/e2e -q

# Under `make test` the operator's validator must run, never skip.
test: export PULUMI_FLINK_REQUIRE_OPERATOR_VALIDATOR := 1
test: lint operator-validator posix-tools unit e2e ## everything CI runs
	$(VENV_PY) -m bench.harness --smoke

demo: venv plugins ## quickstart: local control plane, `pulumi up` of ./Pulumi.yaml, show what it made
	$(VENV)/bin/pulumi-flink dev-cluster up --real-flink
	eval "$$($(VENV)/bin/pulumi-flink dev-cluster env)"; \
	mkdir -p $(DEMO_STATE)/flink-state; \
	export PULUMI_BACKEND_URL=file://$(DEMO_STATE); \
	pulumi stack select --create $(DEMO_STACK) >/dev/null; \
	pulumi config set stateDir file://$(DEMO_STATE)/flink-state; \
	pulumi up --yes --refresh --skip-preview; \
	pulumi stack output; \
	kubectl get serviceaccounts,roles,rolebindings,configmaps,services,deployments,pods,flinkdeployments \
	  --all-namespaces -l app.kubernetes.io/managed-by=pulumi-flink; \
	rest="$$($(VENV)/bin/pulumi-flink dev-cluster services | awk '/-jobmanager:8081/ {print $$2; exit}')"; \
	echo "standalone job on real Flink, $$rest/jobs/overview:"; curl -s "$$rest/jobs/overview"; echo

demo-down: ## destroy the quickstart and stop the local control plane
	eval "$$($(VENV)/bin/pulumi-flink dev-cluster env)"; \
	export PULUMI_BACKEND_URL=file://$(DEMO_STATE); \
	pulumi destroy --yes --stack $(DEMO_STACK) || true
	$(VENV)/bin/pulumi-flink dev-cluster down

bench: venv plugins ## benchmarks (N = 10, 100, 500); writes docs/benchmarks.md
	$(VENV_PY) -m bench.harness

clean: ## remove the virtualenv and caches inside the repo (the tool cache stays)
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
