"""The one-shot processes' collector settings: what existed is left out of collections, cycles made later
are still freed. Probed in a fresh interpreter each, since freezing is for the whole process."""

import json
import subprocess
import sys
from pathlib import Path

from warehouse.gcsettings import THRESHOLDS

ROOT = Path(__file__).resolve().parents[1]

_PROBE = """
import gc, json, weakref
from warehouse import gcsettings
gc.disable()  # no automatic collection between the steps below: only the explicit one at the end
class Node: pass
old_a, old_b = Node(), Node(); old_a.other, old_b.other = old_b, old_a
old = weakref.ref(old_a); del old_a, old_b  # a cycle made before: frozen with everything else
before = len(gc.get_objects())
threshold_before = list(gc.get_threshold())
gcsettings.{call}()
a, b = Node(), Node(); a.other, b.other = b, a
new = weakref.ref(a); del a, b
gc.collect()
print(json.dumps({{"before": before, "frozen": gc.get_freeze_count(), "threshold": list(gc.get_threshold()),
                  "threshold_before": threshold_before,
                  "new_cycle_freed": new() is None, "old_cycle_freed": old() is None}}))
"""


def _probe(call: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _PROBE.format(call=call)], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    return json.loads(out)


def test_collect_less_freezes_what_exists_and_still_frees_later_cycles():
    seen = _probe("collect_less")
    assert seen["frozen"] >= seen["before"] > 1000
    assert seen["threshold"] == list(THRESHOLDS)
    assert seen["new_cycle_freed"]
    assert not seen["old_cycle_freed"]  # frozen: the price of not walking Airflow's objects again


def test_before_exit_freezes_the_heap_and_keeps_the_thresholds():
    seen = _probe("before_exit")
    assert seen["frozen"] >= seen["before"]
    assert seen["threshold"] == seen["threshold_before"]
