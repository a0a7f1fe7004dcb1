#!/usr/bin/env python3
"""Where a whole `logmedic analyze` process spends its CPU, by stage, from `perf script`
output of a `perf record --call-graph dwarf` run: each sample goes to one stage, as the
comment on STAGES says. Prints a markdown table: stage, CPU s, share.

    perf record --call-graph dwarf,32768 -F 199 -o perf.data node dist/cli/main.js analyze big.log --json
    perf script -i perf.data | python3 bench/perf-stages.py 199
"""
import re
import sys

# (stage, frame patterns) in priority order: a sample goes to the first stage each of whose
# patterns some frame of the sample matches. So a page fault taken while Hyperscan reads the
# mapped file counts as a page fault, the search of JSON lines' embedded text counts as
# search, and a memchr called by the record grouping counts as record assembly.
ENGINE = r"logmedic_core::engine::"
STAGES = [
    ("page faults and reads (kernel)", [r"\[kernel\.kallsyms\]"]),
    ("regex engine: building lazy DFA states", [r"regex_automata::util::determinize::", ENGINE]),
    ("regex engine: literal prefilter", [r"engine::prefilter::|engine::regex::walk_lines"]),
    ("Hyperscan search (with its match callback)", [r"libhs\.so|engine::hyperscan::"]),
    ("regex engine: DFAs and per-pattern regexes", [r"engine::regex::"]),
    ("unrecognised-line mining", [r"logmedic_core::template::"]),
    ("fields (header, message, frames, shapes)", [r"logmedic_core::fields::"]),
    ("record grouping and typing", [r"logmedic_core::record::|logmedic_core::analysis::(analyze_chunk|analyze_records|build_record|deciding|match_embedded|take_error_lines)"]),
    ("per-type summary and merge", [r"logmedic_core::analysis::|logmedic_core::partial::|logmedic_core::scan::Merger"]),
    ("napi conversion to JS", [r"logmedic_napi::|napi::"]),
    ("line counting and chunk edges", [r"logmedic_core::scan::|bytecount::"]),
    ("Node and JavaScript (start-up, catalog, output)", [r"bin/node\)|\[JIT\]|v8::|Builtins_"]),
]
COMPILED = [(name, [re.compile(p) for p in pats]) for name, pats in STAGES]


def main():
    hz = float(sys.argv[1]) if len(sys.argv) > 1 else 199.0
    counts = {name: 0 for name, _ in STAGES}
    counts["other (libc, allocator, threads)"] = 0
    frames = []
    total = 0

    def flush():
        nonlocal frames, total
        if not frames:
            return
        total += 1
        for name, rx in COMPILED:
            if all(any(rx.search(frame) for frame in frames) for rx in rx):
                counts[name] += 1
                frames = []
                return
        counts["other (libc, allocator, threads)"] += 1
        frames = []

    header = True
    for line in sys.stdin:
        if not line.strip():
            flush()
            header = True
            continue
        if header:
            header = False
            # The sample's own line: the command name (node, a worker thread) comes first.
            continue
        frames.append(line.strip())
    flush()
    print("| stage | CPU s | share |\n|---|---:|---:|")
    for name, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        if n:
            print(f"| {name} | {n / hz:.2f} | {100.0 * n / total:.1f}% |")
    print(f"| **total** | **{total / hz:.2f}** | 100% |")


main()
