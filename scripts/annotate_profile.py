#!/usr/bin/env python3
"""Reads the plugin's profile (targets/cortex-m/plugin/insn_count.c, profile=FILE)
beside the firmware's disassembly: instructions per function, then the
disassembly of the hottest functions with each instruction's execution count.

  scripts/annotate_profile.py model_m7.elf prof.txt [--functions 3] [--min-count 1000]
"""
import argparse
import collections
import re
import subprocess


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("elf")
    ap.add_argument("profile")
    ap.add_argument("--functions", type=int, default=3, help="functions to disassemble")
    ap.add_argument("--min-count", type=int, default=0, help="hide instructions run fewer times")
    args = ap.parse_args()

    counts = collections.Counter()
    with open(args.profile) as f:
        for line in f:
            pc, n = line.split()
            counts[int(pc, 16)] += int(n)

    disasm = subprocess.run(["arm-none-eabi-objdump", "-d", args.elf], check=True,
                            capture_output=True, text=True).stdout
    function, per_function, lines = None, collections.Counter(), collections.defaultdict(list)
    for line in disasm.splitlines():
        m = re.match(r"^([0-9a-f]+) <(.+)>:$", line)
        if m:
            function = m.group(2)
            continue
        m = re.match(r"^\s+([0-9a-f]+):\s+(.*)$", line)
        if m and function:
            n = counts.get(int(m.group(1), 16), 0)
            per_function[function] += n
            lines[function].append((n, line.strip()))

    total = sum(per_function.values())
    print(f"{'instructions':>14} {'share':>6}  function")
    for name, n in per_function.most_common(15):
        print(f"{n:>14,} {100.0 * n / max(total, 1):5.1f}%  {name}")
    for name, _ in per_function.most_common(args.functions):
        print(f"\n== {name}")
        for n, text in lines[name]:
            if n >= args.min_count:
                print(f"{n:>12,}  {text}")


if __name__ == "__main__":
    main()
