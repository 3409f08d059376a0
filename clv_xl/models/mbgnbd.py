"""MBG/NBD: the modified BG/NBD of Batislam, Denizel & Filiztekin (2007).

As BG/NBD (:mod:`clv_xl.models.bgnbd`), customers buy at Poisson rate ``lambda ~ Gamma(r, alpha)`` while alive and
drop out with probability ``p ~ Beta(a, b)`` after each purchase, but the first purchase counts too: a customer can
drop out right after it. So a one-time buyer's P(alive) falls with time instead of staying 1 as under BG/NBD, and
new customers are expected to buy less.

The likelihood is ``L = B(a, b+x+1)/B(a, b) * G(alpha+T) + B(a+1, b+x)/B(a, b) * G(alpha+t_x)`` with
``G(u) = Gamma(r+x)/Gamma(r) * alpha**r / u**(r+x)`` (Batislam et al. 2007, eq. 3, as corrected by Wagner & Hoppe
2008); ``P(alive) = 1 / (1 + a/(b+x) * ((alpha+T)/(alpha+t_x))**(r+x))``; the expected purchases of a customer alive
at T are BG/NBD's eq. (10) factor with ``b + 1`` in place of ``b``; ``E[X(t)] = b/(a-1) * [1 - (alpha/(alpha+t))**r
* 2F1(r, b+1; a+b; t/(alpha+t))]``. All are :mod:`clv_xl.models._beta_geometric` with ``shift = 1``.

References
----------
E. P. Batislam, M. Denizel and A. Filiztekin (2007), "Empirical validation and comparison of models for customer
base analysis", International Journal of Research in Marketing 24(3), 201-209.
U. Wagner and D. Hoppe (2008), "Erratum on the MBG/NBD model", IJRM 25(3), 225-226.
"""

from __future__ import annotations

from clv_xl.models.bgnbd import BetaGeo

__all__ = ["ModifiedBetaGeo"]


class ModifiedBetaGeo(BetaGeo):
    """The MBG/NBD model, fitted by maximum likelihood; the same interface as :class:`~clv_xl.models.BetaGeo`.

    Parameters
    ----------
    penalizer : float, default 0.0
        L2 penalty ``penalizer * (r**2 + alpha**2 + a**2 + b**2)`` added to the mean negative log-likelihood.

    Examples
    --------
    >>> mbg = ModifiedBetaGeo.from_params(r=0.525, alpha=6.183, a=0.891, b=1.614)  # CDNOW, weeks
    >>> round(mbg.p_alive(frequency=0, recency=0, T=38.86), 3)  # a one-time buyer, 39 weeks on
    0.39
    >>> round(mbg.expected_purchases(39, frequency=2, recency=30.43, T=38.86), 3)
    1.263
    """

    model_name = "MBG/NBD"
    advice = (
        "Check that frequency, recency and T are in the same time unit (e.g. weeks), fit on more customers or a "
        "longer history, or add a small penalizer (ModifiedBetaGeo(penalizer=0.001))."
    )
    _shift = 1
