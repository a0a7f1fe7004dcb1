#!/usr/bin/env python3
"""Hostile logs for the core's time and memory bounds: one huge line of a shape that some
field reader or the template miner walks (deep JSON, escaped newlines, frames, key=value …),
or very many lines that stress record grouping, clustering and the summary.

    python3 bench/hostile.py OUT_DIR [--scale 1.0] [--only NAME,NAME]

scale 1.0 writes the single-line shapes at about 50 MB and the many-line shapes at their full
counts (1M lines, 10M continuation lines); 0.25 gives the N of an N/4N growth check. Each
file's name is its shape; run them under `timeout` and `/usr/bin/time`.
"""
import argparse
import os
import random

HEAD = b"2025-05-17 10:05:00,066 - worker - ERROR - "
LINE_BYTES = 50_000_000


def repeat_to(unit: bytes, total: int) -> bytes:
    return unit * max(1, total // len(unit))


def one_line(scale):
    n = int(LINE_BYTES * scale)
    shapes = {
        # {"a":{"a":…1…}} nested as deep as the size allows, with a failure beside it.
        "deep-json": lambda: b'{"level":"error","msg":"CUDA out of memory","a":'
        + repeat_to(b'{"a":', n // 2) + b"1" + repeat_to(b"}", n // 10) + b"}",
        "json-keys": lambda: b'{"level":"error","msg":"CUDA out of memory",'
        + b",".join(b'"k%d":"v"' % i for i in range(n // 14)) + b"}",
        # A JSON message holding a traceback of escaped lines: the embedded-text path.
        "json-escaped-newlines": lambda: b'{"level":"error","msg":"Traceback (most recent call last):'
        + repeat_to(b'\\n  File \\"a.py\\", line 1', n) + b'\\nRuntimeError: CUDA out of memory"}',
        "unbalanced": lambda: HEAD + b"CUDA out of memory " + repeat_to(b'({["<', n),
        "key-value": lambda: HEAD + b"CUDA out of memory " + repeat_to(b"key=value ", n),
        "frames": lambda: HEAD + b"java.lang.OutOfMemoryError: Java heap space " + repeat_to(b"at a.b(C.java:1) ", n),
        "exceptions": lambda: HEAD + repeat_to(b"Exception: Error: Caused by: ", n),
        "timestamps": lambda: HEAD + b"CUDA out of memory " + repeat_to(b"2025-05-17 10:05:00,066 ", n),
        "nul": lambda: HEAD + b"CUDA out of memory " + repeat_to(b"ab\x00", n),
        "invalid-utf8": lambda: HEAD + b"CUDA out of memory " + repeat_to(b"a\xff\xfe\xc3", n),
        "long-token": lambda: HEAD + b"CUDA out of memory " + repeat_to(b"x", n),
        "placeholders": lambda: HEAD + b"widget stalled " + repeat_to(b"%s {} %d ", n),
        "unknown-words": lambda: HEAD + b"widget stalled " + repeat_to(b"ok ", n),
    }
    return {k: (lambda f=f: [f(), b"\n"]) for k, f in shapes.items()}


def many_lines(scale):
    lines = int(1_000_000 * scale)
    deep = int(10_000_000 * scale)

    def distinct_unknown():
        rnd = random.Random(1)
        for i in range(lines):
            words = b" ".join(b"w%x" % rnd.getrandbits(24) for _ in range(rnd.randint(3, 12)))
            yield b"2025-05-17 10:05:%02d,066 - worker - ERROR - " % (i % 60) + words + b"\n"

    def python_traceback():
        yield HEAD + b"step failed\nTraceback (most recent call last):\n"
        chunk = b'  File "/srv/app/model.py", line 12, in forward\n    y = layer(x)\n' * 1000
        for _ in range(deep // 2000):
            yield chunk
        yield b"RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB\n"

    def java_stack():
        yield HEAD + b"request failed\njava.lang.OutOfMemoryError: Java heap space\n"
        chunk = b"\tat com.example.Worker.run(Worker.java:42)\n" * 1000
        for _ in range(deep // 1000):
            yield chunk

    def same_failure():
        for i in range(lines):
            yield b"2025-05-17 10:%02d:%02d,066 - worker - ERROR - CUDA out of memory. Tried to allocate 2.00 GiB\n" % (i // 60 % 60, i % 60)

    def crlf():
        for i in range(lines):
            if i % 10 == 0:
                yield b"2025-05-17 10:05:00,066 - worker - ERROR - CUDA out of memory\r\n"
            else:
                yield b"2025-05-17 10:05:00,066 - worker - INFO - payload %d ok\r\n" % i

    return {
        "distinct-unknown": distinct_unknown,
        "python-traceback": python_traceback,
        "java-stack": java_stack,
        "same-failure": same_failure,
        "crlf": crlf,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    only = set(filter(None, args.only.split(",")))
    for name, parts in {**one_line(args.scale), **many_lines(args.scale)}.items():
        if only and name not in only:
            continue
        path = os.path.join(args.out, name + ".log")
        with open(path, "wb") as f:
            for part in parts():
                f.write(part)
        print(f"{path}\t{os.path.getsize(path)}")


if __name__ == "__main__":
    main()
