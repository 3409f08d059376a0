"""Work on a second thread (the report's model fits): the result, the error, and the fallback without threads."""

from __future__ import annotations

import concurrent.futures
import threading

import pytest

from clv_xl import background
from clv_xl.errors import ConvergenceError
from clv_xl.models import GammaGamma


def test_the_work_runs_on_another_thread_while_the_caller_goes_on() -> None:
    release = threading.Event()

    def work() -> str:
        assert release.wait(10), "the caller never got past started()"
        return threading.current_thread().name

    result = background.started(work)
    release.set()  # only reachable because started() did not wait for work()
    assert result() != threading.main_thread().name


def test_the_work_s_error_reaches_the_caller() -> None:
    result = background.started(GammaGamma().fit, [1.0], [10.0])  # one customer: too few to fit
    with pytest.raises(ConvergenceError):
        result()


def test_without_threads_the_work_runs_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    # Pyodide (xlwings Lite) cannot start a thread: submit raises RuntimeError there
    def no_thread(self, *args, **kwargs):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(concurrent.futures.ThreadPoolExecutor, "submit", no_thread)
    calls = []
    result = background.started(lambda value: calls.append(value) or value * 2, 21)
    assert calls == []
    assert result() == 42 and calls == [21]
