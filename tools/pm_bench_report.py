#!/usr/bin/env python3
"""Write docs/pm-bench.md from the power-management benchmark's Bochs logs.

    tools/pm_bench_report.py BUILD_DIR [--img DIR] > docs/pm-bench.md

Reads BUILD_DIR/systest/bench-pm-*/serial.clean.log (the `bench-pm-*`
runs of tests/bench/bench.cfg, `make bench`) and plots each run's
frequency and power over time with tools/pm_plot.py into
DIR/pm-bench-<run>-freq.png and -power.png (DIR: docs/img).

What is measured (issue 7, "Measure (make bench)"; the simulator's
version of the experiment is docs/dvfs-credit.md):
  - capacity received by the overloaded `work` VM, in % of one CPU at
    the highest frequency: inside the guest (work units per second over
    those of the work guest alone at f_max, run bench-pm-ref) and by
    Volt's accounting (the STAT lines' cap_ms: run time x f/f_max);
  - the frequency (PM lines, per governor sample) and the package power
    and energy (PM lines: energy of each period; the final report);
  - for the idle-governor pair, the final report's governor line.
All over the same span of each run: from the first to the last window
end that both VMs reported (sched_shares.py's series, interpolated).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no tools/__pycache__ in the tree
sys.path.insert(0, HERE)
from sched_shares import guest_series, interpolate  # noqa: E402

REF = "bench-pm-ref"
# (run, label): the reference first.
RUNS = [
    ("bench-pm-perf-fixed", "performance + fixed (reference)"),
    ("bench-pm-od-fixed", "ondemand + fixed"),
    ("bench-pm-od-variable", "ondemand + variable"),
    ("bench-pm-od-dvfs", "ondemand + DVFS-aware (menu)"),
    ("bench-pm-od-dvfs-next-timer", "ondemand + DVFS-aware (next-timer)"),
]
IDLE_PAIR = [("bench-pm-od-dvfs", "menu"),
             ("bench-pm-od-dvfs-next-timer", "next-timer")]
PROMISE = 30.0


def fail(msg):
    sys.exit(f"pm_bench_report: {msg}")


def read_log(build, run):
    path = os.path.join(build, "systest", run, "serial.clean.log")
    if not os.path.exists(path):
        fail(f"{path} missing: run `tests/system/run.py --keep --build "
             f"{build} --list tests/bench/bench.cfg --only bench-pm`")
    return path, open(path, errors="replace").read()


def clock(log):
    m = re.search(r"^sched: clock 0 at TSC (\d+), (\d+) Hz$", log, re.M)
    if not m:
        fail("no 'sched: clock 0 at TSC' line")
    return int(m.group(1)), int(m.group(2))


def ms_series(log, name, clk):
    """(ms since the scheduler's clock 0, cumulative work units)."""
    tsc0, hz = clk
    return [((t - tsc0) * 1000.0 / hz, u)
            for t, u in guest_series(log, name)]


def tagged(log, tag):
    return [json.loads(x) for x in
            re.findall(r"^" + tag + r" (\{.*\})$", log, re.M)]


def stat_series(stats, dom, key):
    out = [(0.0, 0.0)]
    for s in stats:
        out.append((s["t_ms"], sum(v[key] for v in s["vcpus"]
                                   if v["dom"] == dom)))
    return out


def delta(series, t1, t2):
    return interpolate(series, t2) - interpolate(series, t1)


def pm_span(pms, t1, t2):
    """The PM lines whose period lies inside [t1, t2] (whole periods)."""
    return [p for p in pms
            if p["t_ms"] - p["period_ms"] >= t1 - 1e-6 and
            p["t_ms"] <= t2 + 1e-6]


def report_lines(log):
    """The final report (after 'PM report at'): a few fields."""
    i = log.find("PM report at")
    if i < 0:
        fail("no final PM report")
    rep = log[i:]
    r = {}
    m = re.search(r"average (\d+) MHz \(from residency\), (\d+) transitions",
                  rep)
    r["avg_mhz"], r["transitions"] = (int(m.group(1)), int(m.group(2))) \
        if m else (None, None)
    m = re.search(r"^package: ([\d.]+) J", rep, re.M)
    r["pkg_j"] = float(m.group(1)) if m else None
    m = re.search(r"PM report at ([\d.]+) ms", rep)
    r["end_ms"] = float(m.group(1))
    m = re.search(r"governor: (\d+) idle periods, predicted avg ([\d.]+) us, "
                  r"actual avg ([\d.]+) us, \|error\| avg ([\d.]+) us; "
                  r"wrong state (\d+) \(([\d.]+) %\): (\d+) too deep, "
                  r"(\d+) too shallow", rep)
    r["gov"] = m.groups() if m else None
    r["cstates"] = re.findall(r"^\s+(C\w+)\s+(MWAIT 0x[0-9a-f]+|HLT|running)"
                              r"\s+(\d+|-)\s+([\d.]+)\s+([\d.]+)", rep, re.M)
    m = re.search(r"idle ([\d.]+) J over ([\d.]+) ms", rep)
    r["idle_j"] = float(m.group(1)) if m else None
    return r


def ref_rate(build):
    _, log = read_log(build, REF)
    s = ms_series(log, "ref", clock(log))
    if len(s) < 8:
        fail(f"{REF}: only {len(s)} windows")
    t1, t2 = s[len(s) // 4][0], s[-1 - len(s) // 4][0]
    return delta(s, t1, t2) / (t2 - t1) * 1000.0, report_lines(log)


def measure(build, run, rate):
    path, log = read_log(build, run)
    clk = clock(log)
    work, light = ms_series(log, "work", clk), ms_series(log, "light", clk)
    if len(work) < 4 or len(light) < 4:
        fail(f"{run}: too few windows ({len(work)} work, {len(light)} "
             "light)")
    t1 = max(work[0][0], light[0][0])
    t2 = min(work[-1][0], light[-1][0])
    stats, pms = tagged(log, "STAT"), tagged(log, "PM")
    lines = pm_span(pms, t1, t2)
    if t2 <= t1 or not lines:
        fail(f"{run}: the VMs never ran together")
    p1, p2 = lines[0]["t_ms"] - lines[0]["period_ms"], lines[-1]["t_ms"]
    span_s = (p2 - p1) / 1000.0
    per = [l["period_ms"] for l in lines]
    cpu0 = [next(c for c in l["cpus"] if c["cpu"] == 0) for l in lines]
    energy_j = sum(l["pkg"]["power_mw"] * l["period_ms"] for l in lines) / 1e6
    cpu_j = sum(c["power_mw"] * p for c, p in zip(cpu0, per)) / 1e6
    m = {
        "run": run, "log": path, "t1": t1, "t2": t2, "p1": p1, "p2": p2,
        "guest": [100.0 * delta(s, p1, p2) / (span_s * rate)
                  for s in (work, light)],
        "volt": [100.0 * delta(stat_series(stats, d, "cap_ms"), p1, p2) /
                 (p2 - p1) for d in (0, 1)],
        "run_pct": [100.0 * delta(stat_series(stats, d, "run_ms"), p1, p2) /
                    (p2 - p1) for d in (0, 1)],
        "f_mhz": sum(c["f_khz"] * p for c, p in zip(cpu0, per)) /
        sum(per) / 1000.0,
        "busy": sum(c["busy_pct"] * p for c, p in zip(cpu0, per)) / sum(per),
        "fdist": {},
        "changes": sum(1 for a, b in zip(cpu0, cpu0[1:])
                       if a["f_khz"] != b["f_khz"]),
        "energy_j": energy_j, "power_w": energy_j / span_s,
        "cpu_j": cpu_j,
        "span_s": span_s,
        "report": report_lines(log),
    }
    for c, p in zip(cpu0, per):
        f = c["f_khz"] // 1000
        m["fdist"][f] = m["fdist"].get(f, 0.0) + p
    # Energy per second of f_max work: the package's (both VMs' work) and
    # the work VM's share of the running energy per its own work.
    work_s = sum(m["guest"]) / 100.0 * span_s
    m["j_per_work"] = energy_j / work_s if work_s > 0 else float("nan")
    m["cpu_j_per_work"] = cpu_j / work_s if work_s > 0 else float("nan")
    return m


def plot(build_log, run, img_dir):
    short = "pm-bench-" + run[len("bench-pm-"):]
    out = []
    with tempfile.TemporaryDirectory() as d:
        prefix = os.path.join(d, "p")
        subprocess.run([sys.executable, os.path.join(HERE, "pm_plot.py"),
                        build_log, "-o", prefix], check=True,
                       stdout=subprocess.DEVNULL)
        for kind in ("freq", "power"):
            dst = os.path.join(img_dir, f"{short}-{kind}.png")
            shutil.copyfile(f"{prefix}-{kind}.png", dst)
            out.append(dst)
    return out


def pct(x):
    return f"{x:.1f} %"


def table(head, rows):
    out = ["| " + " | ".join(head) + " |",
           "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def levels(ms):
    fs = sorted({f for m in ms for f in m["fdist"]})
    return fs


def shape(by):
    """The comparison with the simulator (docs/dvfs-credit.md), in words
    around this run's numbers."""
    ref, fx = by["bench-pm-perf-fixed"], by["bench-pm-od-fixed"]
    var, dv = by["bench-pm-od-variable"], by["bench-pm-od-dvfs"]

    def vs(m):
        return f"{100.0 * (m['power_w'] / ref['power_w'] - 1):+.1f} %"
    return "\n".join([
        "Against the simulator's shape ([dvfs-credit.md](dvfs-credit.md), "
        "section 1: fixed + ondemand loses capacity, variable keeps it but "
        "burns energy, DVFS-aware keeps the promise and saves energy):\n",
        f"- **fixed + ondemand**: `work` receives {pct(fx['guest'][0])} of "
        f"its {PROMISE:.0f} % (Volt's books: {pct(fx['volt'][0])}) at "
        f"{fx['f_mhz']:.0f} MHz on average; package power {vs(fx)} against "
        f"the reference.",
        f"- **variable + ondemand**: `work` takes what `light` leaves, "
        f"{pct(var['guest'][0])}; the CPU is {pct(var['busy'])} busy and "
        f"stays at {var['f_mhz']:.0f} MHz; package power {vs(var)}.",
        f"- **DVFS-aware + ondemand**: `work` receives "
        f"{pct(dv['guest'][0])} ({pct(dv['volt'][0])} by Volt's books) at "
        f"{dv['f_mhz']:.0f} MHz on average, "
        f"{dv['changes'] / dv['span_s']:.0f} frequency changes per second "
        f"(Xen's 20 ms samples beat with the 30 ms accounting period, as "
        f"in the simulator); package power "
        f"{vs(dv)}, processor energy per second of work "
        f"{dv['cpu_j_per_work']:.2f} J against {ref['cpu_j_per_work']:.2f} J "
        f"for the reference.",
        "- Energy per second of work with the package's uncore included: "
        "running slower stretches the work over more time at the uncore's "
        "constant 2 W, which the simulator does not model; compare the two "
        "last columns.\n"])


def write(ms, rate, ref_rep, img_rel):
    ref = ms[0]
    by = {m["run"]: m for m in ms}
    o = []
    o.append("# Power management in Bochs: governors and credit modes\n")
    o.append("> Generated by `make bench` (`tools/pm_bench_report.py`, "
             "runs `bench-pm-*` of `tests/bench/bench.cfg`); do not edit.\n")
    o.append(
        "Issue 7's measurement on the modeled platform: Volt in Bochs "
        "(skylake_x, one CPU, `clock: sync=none`: the TSC counts emulated "
        "instructions at a nominal 3.5 GHz), the modeled P-state driver "
        "(Bochs has no P-state MSRs: at f < f_max the processor duty-cycles, "
        "so a guest really does f/f_max of the work) with the default table "
        "(2800, 2400, 2000, 1600, 1200 MHz), Bochs's MWAIT C-states (C1, "
        "C1E, C6) and the power model (`docs/power.md`; no RAPL in the "
        "emulator: every joule here is modeled). The scenario is the seed "
        "report's, simulated in [dvfs-credit.md](dvfs-credit.md): on one "
        "CPU, VM `work` (`guests/tests/work.asm`) is CPU-bound and promised "
        "30 %; VM `light` (`guests/tests/light.asm`) does a job of ~1 ms of "
        "f_max work every 10 ms and halts in between (~10 %), weight 700. "
        "Both are pinned to CPU 0; `sched credit stat=20ms` prints the STAT "
        "and PM lines once per governor sample.\n")
    o.append(
        "The promise: in fixed and DVFS-aware mode `cap=30` (with weights "
        "300 : 700, the same 30 %); in variable mode no cap, weights 300 : "
        "700 (a cap holds a variable-mode VM too, which would make that run "
        "the fixed one; the simulator also uses weights). The ondemand "
        "governor uses Xen's defaults (20 ms samples, up_threshold 80).\n")
    o.append(
        f"**Capacity** is work done in % of one CPU at f_max. Inside the "
        f"guest: work units per second over the work guest's alone at "
        f"f_max, measured in run `{REF}` (uncapped, performance governor): "
        f"**{rate:,.0f} units/s**. By Volt: the STAT lines' `cap_ms` "
        f"(run time x f/f_max) over elapsed time. **Span**: each run is "
        f"measured from the first to the last window end that both VMs "
        f"reported, in whole PM periods; the light VM outlives the work VM "
        f"(130 jobs), so the span ends with `work`. **Energy**: the PM "
        f"lines' package energy (modeled: processor running and idle, "
        f"uncore) over the span; *per second of work*: that energy over "
        f"the f_max-seconds of work both VMs did in it.\n")

    o.append("## Capacity and energy\n")
    rows = []
    for m in ms:
        rows.append([
            m["label"], f"{PROMISE:.0f} %",
            f"**{pct(m['guest'][0])}**", pct(m["volt"][0]),
            pct(m["run_pct"][0]), pct(m["guest"][1]),
            f"{m['span_s'] * 1000:.0f} ms"])
    o.append("What the VMs received over the span:\n")
    o.append(table(["run", "work promised", "work received (guest)",
                    "work received (Volt, cap_ms)", "work ran (time)",
                    "light received (guest)", "span"], rows) + "\n")
    fs = levels(ms)
    rows = []
    for m in ms:
        tot = sum(m["fdist"].values())
        dist = " / ".join(f"{100.0 * m['fdist'].get(f, 0) / tot:.0f}"
                          for f in fs)
        rows.append([
            m["label"], f"{m['f_mhz']:.0f} MHz", dist + " %",
            pct(m["busy"]), f"{m['changes'] / m['span_s']:.1f}",
            f"{m['power_w']:.2f} W", f"{m['energy_j']:.3f} J",
            f"{100.0 * (m['power_w'] / ref['power_w'] - 1):+.1f} %",
            f"{m['j_per_work']:.2f} J", f"{m['cpu_j_per_work']:.2f} J"])
    o.append("What the processor did over the span:\n")
    o.append(table(
        ["run", "average frequency",
         "time at " + " / ".join(f"{f / 1000:.1f}" for f in fs) + " GHz",
         "busy", "frequency changes per s", "package power",
         "package energy", "power vs. reference",
         "energy per second of work (package)",
         "the same, processor only"], rows) + "\n")
    o.append(
        "Processor only: the package less the uncore's constant 2 W, the "
        "part the simulator models (it has no uncore; its idle is 1 W, "
        "Volt's C6 0.1 W). Per-VM energy is in each run's PM lines (`vms`) "
        "and final report: each processor's running energy split by the "
        "capacity each VM used on it (`docs/power.md`).\n")
    o.append(shape(by))
    rows = [[m["label"], f"{m['report']['end_ms']:.0f} ms",
             f"{m['report']['avg_mhz']} MHz", m["report"]["transitions"],
             f"{m['report']['pkg_j']:.3f} J"] for m in ms]
    rows.append([f"work alone, uncapped, performance (`{REF}`)",
                 f"{ref_rep['end_ms']:.0f} ms", f"{ref_rep['avg_mhz']} MHz",
                 ref_rep["transitions"], f"{ref_rep['pkg_j']:.3f} J"])
    o.append("The whole runs, from Volt's final report (runs differ in "
             "length: the light VM runs alone at the end; not comparable "
             "with each other, for the record):\n")
    o.append(table(["run", "length", "average frequency (residency)",
                    "P-state transitions", "package energy"], rows) + "\n")

    o.append("## Idle governors: menu vs. next-timer\n")
    o.append("The same ondemand + DVFS-aware run with `pm idle=menu` and "
             "`pm idle=next-timer`; from the final report (whole run). "
             "*Wrong state*: the chosen C-state differs from the deepest "
             "one the measured idle time would have paid for (docs/power.md, "
             "\"Idle governors\").\n")
    rows = []
    for run, gov in IDLE_PAIR:
        rep = by[run]["report"]
        g = rep["gov"]
        if not g:
            fail(f"{run}: no governor line")
        cs = ", ".join(f"{n} {e} x {r} ms" for n, meth, e, r, _ in
                       rep["cstates"] if meth != "running")
        rows.append([gov, g[0], f"{float(g[1]):.1f} us",
                     f"{float(g[2]):.1f} us", f"{float(g[3]):.1f} us",
                     f"{g[4]} ({g[5]} %): {g[6]} too deep, {g[7]} too shallow",
                     cs, f"{rep['idle_j']:.4f} J",
                     f"{rep['pkg_j']:.3f} J"])
    gm, gn = (by[r]["report"]["gov"] for r, _ in IDLE_PAIR)
    o.append(
        "In this workload a timer ends every idle period (the light VM's "
        "`HC_TIMER`, the accounting period, the governor's sample), the "
        "case where next-timer is right by construction: its predicted "
        f"idle time is off by {float(gn[3]):.1f} us on average and it "
        f"chose the wrong state {gn[4]} times. menu scales the time to the "
        "timer by its learned correction factor and pattern (it cannot "
        f"know that no interrupt will come first): off by {float(gm[3]):.1f}"
        f" us on average, {gm[6]} too deep and {gm[7]} too shallow of "
        f"{gm[0]}. Scheduling, frequency and work are identical in the two "
        "runs (the idle governor changes only the C-state chosen).\n")
    o.append(table(["idle governor", "idle periods", "predicted avg",
                    "actual avg", "abs. error avg", "wrong state",
                    "C-states entered (entries x residency)", "idle energy",
                    "package energy"], rows) + "\n")

    o.append("## Frequency and power over time\n")
    o.append("Per run, from its PM lines (`tools/pm_plot.py`): the "
             "processor's frequency, and the processor's and package's "
             "modeled power per period. Where `work` exits (the end of "
             "the span) `light` goes on alone: the flat tail at 1.2 GHz "
             "(ondemand) or 2.8 GHz (performance).\n")
    for m in ms:
        short = "pm-bench-" + m["run"][len("bench-pm-"):]
        o.append(f"**{m['label']}**\n")
        o.append(f"![{m['label']}: frequency]({img_rel}/{short}-freq.png)\n"
                 f"![{m['label']}: power]({img_rel}/{short}-power.png)\n")
    return "\n".join(o)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--img", default="docs/img")
    a = ap.parse_args()
    rate, ref_rep = ref_rate(a.build)
    ms = []
    for run, label in RUNS:
        m = measure(a.build, run, rate)
        m["label"] = label
        ms.append(m)
        plot(m["log"], run, a.img)
    img_rel = os.path.relpath(a.img, "docs")
    print(write(ms, rate, ref_rep, img_rel))
    return 0


if __name__ == "__main__":
    sys.exit(main())
