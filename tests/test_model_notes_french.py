"""The notes a degenerate fit writes (the limiting models of BG/NBD and MBG/NBD) read in French in a French report.

The Forecast sheet shows the model's note through :func:`clv_xl.i18n.translate`; a note the catalogue does not know
would stay English in a French workbook. The fits are real ones on simulations whose drop-out is the same for every
customer (the note's case), and the French text is checked for its French words and its French number.
"""

from __future__ import annotations

import numpy as np
import pytest

from clv_xl.i18n.catalogue import translate
from clv_xl.models import BetaGeo, ModifiedBetaGeo
from tests.simulations import bgnbd_histories


@pytest.mark.parametrize(("model_class", "after"), [(BetaGeo, "un achat répété"), (ModifiedBetaGeo, "chaque achat")])
def test_homogeneous_drop_out_note_is_translated(model_class, after):
    # every customer drops out with p = 0.1 (Beta(1e9, 9e9) is a point mass): seed 2 gives both models the ridge
    rng = np.random.default_rng(2)
    T = rng.uniform(30, 400, 3000).round()
    x, tx = bgnbd_histories(0.8, 20.0, 1e9, 9e9, T, rng)
    model = model_class().fit(x, np.round(tx, 2), T)
    assert model.degenerate, "this seed's sample no longer reaches the ridge: choose another"
    french = translate(model.note, "fr")
    p = model.params["a"] / (model.params["a"] + model.params["b"])
    assert french.startswith("Les départs ne sont pas hétérogènes") and f"part après {after} " in french
    assert f"{p:.4g}".replace(".", ",") in french  # the decimal comma
    assert f"{model_class.__name__}(penalizer=0.001)" in french and "Drop-out" not in french


def test_one_purchase_rate_note_is_translated():
    model = BetaGeo.from_params(r=2e6, alpha=4e6, a=1.0, b=3.0)
    english = model._rate_note()
    assert "r / alpha = 0.5 per time unit" in english
    french = translate(english, "fr")
    assert french.startswith("Les fréquences d'achat ne sont pas hétérogènes")
    assert "r / alpha = 0,5 par unité de temps" in french and "BetaGeo(penalizer=0.001)" in french
