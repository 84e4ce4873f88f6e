#!/usr/bin/env python3
"""Check CPU shares in a Volt serial log against what was promised.

Two measurements over the same span of time; both must match the
expectation within a tolerance (percentage points):
  - inside the guests: the `work` test guest (guests/tests/work.asm)
    reports after each window the units of work it did ("[vm] value work
    N") and when the window ended ("[vm] value at T", T = host TSC >> 16);
  - Volt's accounting: `STAT {...}` lines (sched stat=...) carry each
    vCPU's run time at scheduler time t_ms; "sched: clock 0 at TSC X, H Hz"
    maps t_ms to the TSC.
The span is the middle half of the time when every VM was running work.
Cumulative work and run time are interpolated at its ends.

usage: sched_shares.py --expect a=20,b=26.67,c=53.33 [--tol 3] LOG
The VMs are named in the order of their `vm` lines (their domain ids).
"""
import argparse
import bisect
import json
import re
import sys


def interpolate(series, t):
    """series: sorted (time, cumulative value); linear between points."""
    times = [p[0] for p in series]
    i = bisect.bisect_left(times, t)
    if i == 0:
        return series[0][1]
    if i == len(series):
        return series[-1][1]
    (t0, v0), (t1, v1) = series[i - 1], series[i]
    return v0 + (v1 - v0) * (t - t0) / (t1 - t0) if t1 > t0 else v1


def guest_series(log, name):
    """(TSC, cumulative units) at each window end of one VM."""
    vals = re.findall(r"^\[" + re.escape(name) + r"\] value (work|at) (\d+)$",
                      log, re.M)
    series, total, units = [], 0, None
    for key, v in vals:
        if key == "work":
            units = int(v)
        elif units is not None:
            total += units
            series.append((int(v) << 16, total))
            units = None
    return series


def volt_series(log, ndoms):
    m = re.search(r"^sched: clock 0 at TSC (\d+), (\d+) Hz$", log, re.M)
    if not m:
        sys.exit("no 'sched: clock 0 at TSC' line")
    tsc0, hz = int(m.group(1)), int(m.group(2))
    series = [[] for _ in range(ndoms)]
    for line in re.findall(r"^STAT (\{.*\})$", log, re.M):
        s = json.loads(line)
        tsc = tsc0 + s["t_ms"] * hz / 1000.0
        for d in range(ndoms):
            run = sum(v["run_ms"] for v in s["vcpus"] if v["dom"] == d)
            series[d].append((tsc, run))
    return series


def shares(series, t1, t2):
    got = [interpolate(s, t2) - interpolate(s, t1) for s in series]
    total = sum(got)
    if total <= 0:
        sys.exit("nothing measured in the span")
    return [100.0 * g / total for g in got]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--expect", required=True)
    ap.add_argument("--tol", type=float, default=3.0)
    ap.add_argument("log")
    a = ap.parse_args()
    expect = {k: float(v) for k, v in
              (kv.split("=") for kv in a.expect.split(","))}
    names = list(expect)
    log = open(a.log).read()
    guest = [guest_series(log, n) for n in names]
    for n, s in zip(names, guest):
        if len(s) < 4:
            sys.exit(f"vm {n}: only {len(s)} windows of work reported")
    volt = volt_series(log, len(names))
    if min(len(s) for s in volt) < 4:
        sys.exit("fewer than 4 STAT lines")
    # Every VM works from its first window end to its last.
    start = max(s[0][0] for s in guest)
    end = min(s[-1][0] for s in guest)
    if end <= start:
        sys.exit("the VMs never worked at the same time")
    t1, t2 = start + (end - start) / 4, end - (end - start) / 4
    g, v = shares(guest, t1, t2), shares(volt, t1, t2)
    ok = True
    print(f"{'vm':6} {'expected':>9} {'in guest':>9} {'by Volt':>9}")
    for i, n in enumerate(names):
        bad = abs(g[i] - expect[n]) > a.tol or abs(v[i] - expect[n]) > a.tol
        ok &= not bad
        print(f"{n:6} {expect[n]:8.2f}% {g[i]:8.2f}% {v[i]:8.2f}%"
              f"{'  <- off by more than %.1f' % a.tol if bad else ''}")
    print(f"(span: TSC {int(t1)}..{int(t2)}, {(t2 - t1) / 3.5e6:.1f} ms at "
          f"3.5 GHz)")
    if not ok:
        print("shares differ from the expectation")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
