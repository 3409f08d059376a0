"""Code outside a model class uses only the models' public API, and one method stores a fitted state."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import clv_xl
from clv_xl.models import BetaGeo, GammaGamma

PACKAGE = Path(clv_xl.__file__).parent  # the installed package in CI's wheel run, else the source tree


def model_private_names() -> set[str]:
    """Private attributes and methods defined inside the model classes of clv_xl/models/."""
    names = set()
    for path in (PACKAGE / "models").glob("*.py"):
        for cls in (n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.ClassDef)):
            for node in ast.walk(cls):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("_"):
                    names.add(node.name)
                if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
                    names.add(node.attr)
    return {n for n in names if not n.startswith("__")}


def outside_classes(tree: ast.AST):
    """Every node not inside a class body."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(c for c in ast.iter_child_nodes(node) if not isinstance(c, ast.ClassDef))


def test_no_code_outside_a_model_class_reaches_into_its_private_members():
    private = model_private_names()
    assert {"_p_alive_arrays", "_alive_purchases", "_params"} <= private  # the scan sees the models
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in outside_classes(ast.parse(path.read_text())):
            owner = ast.unparse(node.value) if isinstance(node, ast.Attribute) else ""
            if isinstance(node, ast.Attribute) and node.attr in private and owner not in {"self", "cls"}:
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {ast.unparse(node)}")
    assert offenders == []


def test_one_method_stores_a_fitted_state():
    stores = []
    for path in sorted((PACKAGE / "models").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef):
                for assign in (n for n in ast.walk(node) if isinstance(n, ast.Assign | ast.AnnAssign)):
                    targets = assign.targets if isinstance(assign, ast.Assign) else [assign.target]
                    if any(isinstance(t, ast.Attribute) and t.attr == "_params" for t in targets):
                        stores.append(node.name)
    assert sorted(stores) == ["__init__", "_set_state"]  # __init__ marks "not fitted"


def test_known_parameters_and_a_fit_leave_the_same_kind_of_state(cdnow_dir):
    import pandas as pd

    data = pd.read_csv(cdnow_dir / "cdnow_customers_summary_with_transactions.csv")
    fitted = BetaGeo().fit(data["x"], data["t_x"], data["T"])
    known = BetaGeo.from_params(**fitted.params)
    assert known.params == pytest.approx(fitted.params)
    assert np.isnan(known.log_likelihood) and fitted.log_likelihood == pytest.approx(-9582.4, abs=0.5)  # FHL 2005
    assert known.standard_errors == {} and set(fitted.standard_errors) == {"r", "alpha", "a", "b"}
    # the public discounted sum equals eq. (10) undiscounted: 1.226 for the published customer
    assert known.discounted_purchases(39, 2, 30.43, 38.86) == pytest.approx(1.226, abs=5e-3)
    assert np.isnan(GammaGamma.from_params(6.25, 3.74, 15.44).log_likelihood)
