#!/usr/bin/env python3
"""Checks of power-management behaviour in a Volt serial log (system tests).

  pm_check.py ondemand LOG [--cpu N]
      The `phases` guest (guests/tests/phases.asm) is busy, idle, busy.
      With the ondemand governor the processor's frequency (PM lines) must
      fall to the lowest P-state during the idle phase and be back at the
      highest during the second busy phase.

  pm_check.py capacity LOG --ref NAME --expect a=30,b=15 [--tol 3]
      `work` guests (guests/tests/work.asm): each VM's work rate over the
      time all of them ran, in percent of the reference VM's (which runs
      alone on a processor at the highest frequency) must be within tol
      points of the expectation: capacity received, measured inside the
      guests.

  pm_check.py energy LOG --same a,b --cheaper a,c
      The final PM report's VM energy: VMs that ran on the same processor
      at the same frequency (--same) are charged the same energy per ms of
      capacity (within 5%); --cheaper x,y: x's energy per ms of capacity is
      below y's (x ran at a lower frequency: less energy per unit of work).

  pm_check.py cstates LOG --deeper-than C1
      The final PM report shows a C-state deeper than the one named with
      entries and residency on some processor.
"""
import argparse
import json
import re
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from sched_shares import guest_series, interpolate  # noqa: E402


def clock(log):
    m = re.search(r"^sched: clock 0 at TSC (\d+), (\d+) Hz$", log, re.M)
    if not m:
        sys.exit("no 'sched: clock 0 at TSC' line")
    return int(m.group(1)), int(m.group(2))


def tsc_to_ms(tsc, c):
    return (tsc - c[0]) * 1000.0 / c[1]


def pm_lines(log):
    return [json.loads(x) for x in re.findall(r"^PM (\{.*\})$", log, re.M)]


def ondemand(a, log):
    c = clock(log)
    phases = [(k, tsc_to_ms(int(v) << 16, c)) for k, v in re.findall(
        r"^\[[^\]]+\] value phase_(busy|idle) (\d+)$", log, re.M)]
    if [k for k, _ in phases] != ["busy", "idle", "busy"]:
        sys.exit(f"phases reported: {phases}")
    end = re.findall(r"^PM (\{.*\})$", log, re.M)
    lines = pm_lines(log)
    if len(lines) < 6:
        sys.exit(f"only {len(lines)} PM lines")
    freqs = sorted({cpu["f_khz"] for l in lines for cpu in l["cpus"]})
    f = [(l["t_ms"], next(x["f_khz"] for x in l["cpus"] if x["cpu"] == a.cpu))
         for l in lines]
    fmax = max(x for _, x in f)
    idle_start, busy2 = phases[1][1], phases[2][1]
    in_idle = [x for t, x in f if idle_start < t <= busy2]
    in_busy2 = [x for t, x in f if t > busy2]
    print(f"frequencies seen (kHz): {freqs}")
    print(f"idle phase from {idle_start:.1f} ms: {in_idle}")
    print(f"second busy phase from {busy2:.1f} ms: {in_busy2}")
    ok = True
    if not in_idle or min(in_idle) >= fmax:
        print("the frequency did not drop while the VM idled")
        ok = False
    if not in_busy2 or in_busy2[-1] != fmax:
        print("the frequency did not come back up under load")
        ok = False
    del end
    return 0 if ok else 1


def capacity(a, log):
    expect = {k: float(v) for k, v in
              (kv.split("=") for kv in a.expect.split(","))}
    names = list(expect) + [a.ref]
    series = {n: guest_series(log, n) for n in names}
    for n, s in series.items():
        if len(s) < 4:
            sys.exit(f"vm {n}: only {len(s)} windows of work reported")
    start = max(s[0][0] for s in series.values())
    end = min(s[-1][0] for s in series.values())
    if end <= start:
        sys.exit("the VMs never worked at the same time")
    t1, t2 = start + (end - start) / 4, end - (end - start) / 4
    rate = {n: interpolate(s, t2) - interpolate(s, t1)
            for n, s in series.items()}
    if rate[a.ref] <= 0:
        sys.exit("the reference VM did no work")
    ok = True
    print(f"{'vm':8} {'expected':>9} {'received':>9}   (work rate, % of {a.ref})")
    for n, e in expect.items():
        got = 100.0 * rate[n] / rate[a.ref]
        bad = abs(got - e) > a.tol
        ok &= not bad
        print(f"{n:8} {e:8.2f}% {got:8.2f}%"
              f"{'  <- off by more than %.1f' % a.tol if bad else ''}")
    return 0 if ok else 1


def vm_energy(log):
    """name -> (energy_J, capacity_ms) from the final report."""
    i = log.rfind("VM energy (")
    if i < 0:
        sys.exit("no VM energy section in the PM report")
    rows = re.findall(r"^\s+\d+\s+(\S+)\s+([\d.]+)\s+[\d.]+\s+([\d.]+)$",
                      log[i:], re.M)
    return {n: (float(e), float(c)) for n, e, c in rows}


def energy(a, log):
    vms = vm_energy(log)
    per = {n: e / c for n, (e, c) in vms.items() if c > 0}
    print("energy per ms of capacity (mJ): " +
          ", ".join(f"{n} {1000 * v:.3f}" for n, v in per.items()))
    ok = True
    if a.same:
        x, y = a.same.split(",")
        if abs(per[x] / per[y] - 1) > 0.05:
            print(f"{x} and {y} ran alike but differ by more than 5%")
            ok = False
    if a.cheaper:
        x, y = a.cheaper.split(",")
        if not per[x] < per[y]:
            print(f"{x} ran slower but was not charged less per unit")
            ok = False
    return 0 if ok else 1


def cstates(a, log):
    rows = re.findall(r"^\s+(C\w+)\s+(MWAIT 0x[0-9a-f]+|HLT)\s+(\d+)\s+"
                      r"([\d.]+)\s", log, re.M)
    if not rows:
        sys.exit("no C-state rows in the PM report")
    names = []
    for name, _, _, _ in rows:
        if name not in names:
            names.append(name)
    if a.deeper_than not in names:
        sys.exit(f"{a.deeper_than} is not among the C-states {names}")
    deeper = names[names.index(a.deeper_than) + 1:]
    used = [(n, int(e), float(r)) for n, _, e, r in rows
            if n in deeper and int(e) > 0 and float(r) > 0]
    print(f"C-states: {names}; entered deeper than {a.deeper_than}: {used}")
    return 0 if used else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["ondemand", "capacity", "cstates",
                                     "energy"])
    ap.add_argument("log")
    ap.add_argument("--cpu", type=int, default=0)
    ap.add_argument("--ref")
    ap.add_argument("--expect")
    ap.add_argument("--tol", type=float, default=3.0)
    ap.add_argument("--deeper-than", default="C1")
    ap.add_argument("--same")
    ap.add_argument("--cheaper")
    a = ap.parse_args()
    log = open(a.log).read()
    return {"ondemand": ondemand, "capacity": capacity,
            "cstates": cstates, "energy": energy}[a.what](a, log)


if __name__ == "__main__":
    sys.exit(main())
