"""Drain3, the reference for `bench/templates.mjs`: mine the lines of a file with Drain3's
default settings (one setting for all systems, raw lines in, like logmedic), write one
cluster id per line, and report the CPU seconds spent in Drain3 alone.

    python bench/templates_drain3.py LINES_FILE IDS_OUT_FILE   # prints JSON
"""
import json
import sys
import time

from drain3 import TemplateMiner
from drain3.template_miner_config import TemplateMinerConfig


def main(lines_path: str, ids_path: str) -> None:
    with open(lines_path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    config = TemplateMinerConfig()
    config.profiling_enabled = False
    miner = TemplateMiner(config=config)
    ids = []
    start = time.process_time()
    for line in lines:
        ids.append(miner.add_log_message(line)["cluster_id"])
    cpu = time.process_time() - start
    with open(ids_path, "w", encoding="utf-8") as f:
        f.write("\n".join(str(i) for i in ids) + "\n")
    print(json.dumps({"lines": len(lines), "cpu_s": cpu, "clusters": len(miner.drain.clusters)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
