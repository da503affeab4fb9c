"""The import direction is the architecture (ARCHITECTURE.md): domain ← models ← services ← schema/api/kds/web."""
from __future__ import annotations

from tests.architecture.imports import cycles, module_graph, package_graph

# What each package may import among the application's own packages.
ALLOWED = {
    "config": set(),
    "domain": set(),
    "models": {"domain"},
    "outbound": set(),  # HTTP to the payment providers: the transport wechat/ and alipay_open/ share
    "wechat": {"config", "domain", "outbound"},
    # Alipay's open API (face-to-face) and its sandbox, like wechat/; not "alipay": the SDK owns that name
    "alipay_open": {"config", "domain", "outbound"},
    "printers": {"config", "domain"},  # the printer kinds, the emulator and the Feie sandbox: like wechat/
    "services": {"config", "domain", "models", "wechat", "alipay_open", "printers"},
    "schema": {"domain", "models", "services", "printers"},
    "api": {"config", "domain", "models", "schema", "services", "wechat", "alipay_open", "printers"},
    "kds": {"domain", "models", "schema", "services"},
    "web": {"config", "domain", "models", "schema", "services"},
    # metrics, readiness and logs: beside the other outer layers, never imported by them (services
    # report facts through services.uow, which monitoring counts)
    "monitoring": {"domain", "models", "services"},
}


def test_no_module_imports_itself_back() -> None:
    assert cycles(module_graph()) == []


def test_no_package_imports_itself_back() -> None:
    assert cycles(package_graph(module_graph())) == []


def test_each_package_imports_only_the_layers_below_it() -> None:
    graph = package_graph(module_graph())
    wrong = {pkg: sorted(graph[pkg] - allowed) for pkg, allowed in ALLOWED.items() if graph.get(pkg, set()) - allowed}
    assert wrong == {}


def test_the_graph_sees_lazy_imports() -> None:
    """A function-level import counts: hiding a cycle inside a function does not remove it."""
    graph = module_graph()
    assert "services.uow" in graph["kds"]
