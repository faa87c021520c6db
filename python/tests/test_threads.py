"""Long runs release the GIL, report progress, and stop on Ctrl-C."""

import os
import signal
import threading
import time

import pytest

import backchannel as bc

#: More runs than finish in the tests' time on two cores: the run is
#: always stopped before its end.
ENDLESS = 10**11


def test_another_thread_runs_during_a_study():
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    counter = threading.Thread(target=count)
    counter.start()
    started = time.monotonic()
    try:
        bc.run("muscat-2026", runs=1_000_000, threads=1, keep_runs=False)
    finally:
        stop.set()
        counter.join()
    during = [t for t in ticks if t > started + 0.05]
    # Ticks every 10 ms all along a run that takes well over a second.
    assert len(during) > 20, len(during)


def test_progress_callback_sees_the_runs_done():
    seen = []
    bc.run("minimal", runs=50_000, progress=seen.append, keep_runs=False)
    assert seen and seen[-1] == 50_000
    assert seen == sorted(seen)


def test_progress_line_without_tqdm(monkeypatch, capsys):
    monkeypatch.setitem(__import__("sys").modules, "tqdm", None)
    monkeypatch.setitem(__import__("sys").modules, "tqdm.auto", None)
    bc.run("minimal", runs=1000, progress=True, keep_runs=False)
    assert "1000 / 1000 runs" in capsys.readouterr().err


def test_a_failing_progress_callback_stops_the_study():
    def fail(done):
        raise RuntimeError("stop here")

    started = time.monotonic()
    with pytest.raises(RuntimeError, match="stop here"):
        bc.run("muscat-2026", runs=ENDLESS, progress=fail, keep_runs=False)
    assert time.monotonic() - started < 5


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(),
                    reason="signals reach Python's main thread only")
def test_ctrl_c_raises_keyboard_interrupt_within_two_seconds():
    sent = []

    def interrupt():
        sent.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(1.0, interrupt)
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        bc.run("muscat-2026", runs=ENDLESS, keep_runs=False)
    latency = time.monotonic() - sent[0]
    print(f"Ctrl-C to KeyboardInterrupt: {latency * 1000:.0f} ms")
    assert latency < 2.0
