"""Fuzz the extractor: mutate the sample corpus into N documents and read them through the extraction
pool (extract/sandbox.py) as the refresh does. Prints crashes (internal_error), hangs (over the time
limit without a `timeout` issue), documents stopped by a limit, and peak memory of the whole process tree.

    .venv/bin/python benchmarks/fuzz_documents.py --docs 5000 [--seconds 30] [--memory-mb 768] [--seed 1]
                                                  [--hostile-every 1000]

Every `--hostile-every` documents, the hostile set of tests/hostile.py (cyclic, zero-bomb and path-operator
PDFs, gridSpan and lying DOCX) is mixed in, so the limits are exercised too.

Target (issue 10): 0 crashes, 0 hangs, peak memory < 1 GB on 5,000 documents.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from peak_memory import PeakMemory  # noqa: E402

from extract.sandbox import ExtractionPool, Job, Limits  # noqa: E402

Mutation = Callable[[random.Random, bytes, list[bytes]], bytes]


def _flip(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _truncate(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    return data[: rng.randrange(1, max(2, len(data)))]


def _duplicate(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    if len(data) < 2:
        return data * 2
    a = rng.randrange(len(data) - 1)
    b = rng.randrange(a + 1, min(len(data), a + 4096) + 1)
    return data[:b] + data[a:b] * rng.randint(2, 50) + data[b:]


def _splice(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    other = rng.choice(corpus)
    return data[: rng.randrange(len(data) + 1)] + other[rng.randrange(len(other) + 1):]


def _insert_text(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    pieces = ["\u2028", "\u2029", "\u0085", "9" * rng.choice([20, 309, 400, 5000]), "\x00", "\ufeff",
              "<table><tr><td colspan=99999>1</td></tr></table>", "|" * 500, "共收到申请" + "1" * 40 + "件",
              "<" * 2000, "一、" * 500, "\u202e", "𠀀" * 100, "-" * 10000]
    text = rng.choice(pieces).encode("utf-8")
    at = rng.randrange(len(data) + 1)
    return data[:at] + text + data[at:]


def _random_bytes(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.randint(1, 2000)) + data[at:]


def _reencode(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    return text.encode(rng.choice(["gb18030", "utf-16", "big5", "utf-8-sig"]), errors="replace")


MUTATIONS: list[Mutation] = [_flip, _truncate, _duplicate, _splice, _insert_text, _random_bytes, _reencode]


def corpus() -> list[tuple[str, bytes]]:
    files = sorted(p for p in (REPO / "samples" / "corpus").rglob("*") if p.is_file() and p.name != "SOURCES.md")
    return [(p.name, p.read_bytes()) for p in files]


def hostile_set() -> list[tuple[str, bytes]]:
    sys.path.insert(0, str(REPO / "tests"))
    import hostile

    return [("cyclic.pdf", hostile.cyclic_contents_pdf()), ("zero_bomb.pdf", hostile.zero_bomb_pdf()),
            ("path_operators.pdf", hostile.path_operators_pdf()), ("gridspan.docx", hostile.gridspan_docx()),
            ("lying.docx", hostile.lying_docx())]


def mutated(n: int, seed: int, hostile_every: int = 0) -> Iterator[Job]:
    rng = random.Random(seed)
    originals = corpus()
    bodies = [data for _, data in originals]
    bombs = hostile_set() if hostile_every else []
    for i in range(n):
        if hostile_every and i % hostile_every == hostile_every - 1:
            name, data = bombs[(i // hostile_every) % len(bombs)]
            yield Job(key=f"{i:05d}-hostile-{name}", source=f"fuzz/{i:05d}/{name}", data=data, filename=name)
            continue
        name, data = rng.choice(originals)
        for _ in range(rng.randint(1, 3)):
            data = rng.choice(MUTATIONS)(rng, data, bodies)
        yield Job(key=f"{i:05d}-{name}", source=f"fuzz/{i:05d}/{name}", data=data, filename=name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=30.0, help="time limit per document")
    parser.add_argument("--memory-mb", type=int, default=768, help="memory limit per worker")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hostile-every", type=int, default=1000, help="mix in a hostile document (0: never)")
    args = parser.parse_args()
    limits = Limits(seconds=args.seconds, memory_mb=args.memory_mb, workers=args.workers)
    codes: Counter[str] = Counter()
    crashes, hangs, stopped = [], [], []
    slowest = (0.0, "")
    started = time.perf_counter()
    with PeakMemory(every_s=0.05) as memory, ExtractionPool(limits) as pool:
        for done, outcome in enumerate(pool.run(mutated(args.docs, args.seed, args.hostile_every)), start=1):
            issues = {i["code"] for i in outcome.extraction["issues"]}
            codes.update(issues)
            if "internal_error" in issues:
                crashes.append((outcome.key, [i["message"][:160] for i in outcome.extraction["issues"]]))
            if outcome.seconds > limits.seconds + 1 and "timeout" not in issues:
                hangs.append((outcome.key, round(outcome.seconds, 1)))
            if outcome.killed:
                stopped.append((outcome.key, outcome.killed))
            slowest = max(slowest, (outcome.seconds, outcome.key))
            if done % 500 == 0:
                print(f"{done}/{args.docs} documents, {time.perf_counter() - started:.0f} s", flush=True)
        replaced = pool.replaced
    elapsed = time.perf_counter() - started
    print(f"\n{args.docs} mutated documents in {elapsed:.0f} s ({args.docs / elapsed:.1f}/s, {args.workers} workers, "
          f"limits {limits.seconds:g} s / {limits.memory_mb} MB per document)")
    print(f"crashes (internal_error): {len(crashes)}")
    for key, messages in crashes[:10]:
        print(f"  {key}: {messages}")
    print(f"hangs (over the limit without a timeout issue): {len(hangs)}")
    for key, seconds in hangs[:10]:
        print(f"  {key}: {seconds} s")
    print(f"stopped by a limit: {len(stopped)} {dict(Counter(k for _, k in stopped))}; workers replaced: {replaced}")
    print(f"slowest document: {slowest[1]} {slowest[0]:.1f} s")
    print(f"peak memory (this process and its workers): {memory.peak_mb:.0f} MB")
    print(f"issue codes: {dict(codes.most_common())}")
    return 0 if not crashes and not hangs and memory.peak_mb < 1024 else 1


if __name__ == "__main__":
    sys.exit(main())
