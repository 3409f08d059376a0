"""Probabilistic customer-base models: BG/NBD for purchase counts, Gamma-Gamma for spend, predicted CLV."""

from __future__ import annotations

from clv_xl.models.bgnbd import BetaGeo
from clv_xl.models.gamma_gamma import GammaGamma

__all__ = ["BetaGeo", "GammaGamma"]
