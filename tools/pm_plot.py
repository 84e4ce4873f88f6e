#!/usr/bin/env python3
"""Plot Volt's power-management log: frequency, utilization, credits, power.

    tools/pm_plot.py LOG [-o PREFIX]   PREFIX-freq.png, -util.png,
                                       -credit.png, -power.png
    tools/pm_plot.py --check LOG       validate the PM/STAT lines only
    tools/pm_plot.py --selftest        plot a synthetic log, check the PNGs

LOG is a serial log holding `PM {...}` lines (pm/pm_report.h: per CPU
f_khz, busy_pct, cstate_us, power_mw; the package's power_mw; energy_uj
per VM) and `STAT {...}` lines (sched/credit_report.h: per vCPU credit;
per CPU busy_ms/idle_ms/f_khz, used when there are no PM lines). Lines
may carry a prefix (a VM name, escape sequences); the JSON starts at the
first '{' after the tag.

Standard library only (no matplotlib on the build machines): a small RGB
raster with lines, axes, ticks, a 3x5 bitmap font for the labels and a
legend of colored boxes, written as PNG with zlib and struct.
"""

import json
import math
import os
import struct
import sys
import tempfile
import zlib

# ---- PNG -------------------------------------------------------------------


def png_bytes(width, height, rows):
    """rows: height bytearrays of width*3 RGB bytes."""
    def chunk(kind, data):
        body = kind + data
        return (struct.pack(">I", len(data)) + body +
                struct.pack(">I", zlib.crc32(body) & 0xffffffff))
    raw = b"".join(b"\x00" + bytes(r) for r in rows)  # filter 0: none
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


# ---- a 3x5 font: each glyph is 5 rows of 3 bits, MSB left ------------------

# Rows written out for clarity: '#' = ink.
GLYPHS = """
0 ### #.# #.# #.# ###
1 .#. ##. .#. .#. ###
2 ### ..# ### #.. ###
3 ### ..# ### ..# ###
4 #.# #.# ### ..# ..#
5 ### #.. ### ..# ###
6 ### #.. ### #.# ###
7 ### ..# ..# .#. .#.
8 ### #.# ### #.# ###
9 ### #.# ### ..# ###
. ... ... ... ... .#.
- ... ... ### ... ...
% #.# ..# .#. #.. #.#
: ... .#. ... .#. ...
/ ..# ..# .#. #.. #..
( .#. #.. #.. #.. .#.
) .#. ..# ..# ..# .#.
A .#. #.# ### #.# #.#
B ##. #.# ##. #.# ##.
C .## #.. #.. #.. .##
D ##. #.# #.# #.# ##.
E ### #.. ##. #.. ###
F ### #.. ##. #.. #..
G .## #.. #.# #.# .##
H #.# #.# ### #.# #.#
I ### .#. .#. .#. ###
J ..# ..# ..# #.# .#.
K #.# #.# ##. #.# #.#
L #.. #.. #.. #.. ###
M #.# ### ### #.# #.#
N #.# ### ### ### #.#
O .#. #.# #.# #.# .#.
P ##. #.# ##. #.. #..
Q .#. #.# #.# ##. .##
R ##. #.# ##. #.# #.#
S .## #.. .#. ..# ##.
T ### .#. .#. .#. .#.
U #.# #.# #.# #.# ###
V #.# #.# #.# #.# .#.
W #.# #.# ### ### #.#
X #.# #.# .#. #.# #.#
Y #.# #.# .#. .#. .#.
Z ### ..# .#. #.. ###
"""
FONT = {}
for _line in GLYPHS.strip().splitlines():
    _ch, *_rows = _line.split()
    FONT[_ch] = _rows
FONT[" "] = ["..."] * 5

PALETTE = [(31, 119, 180), (214, 39, 40), (44, 160, 44), (255, 127, 14),
           (148, 103, 189), (140, 86, 75), (227, 119, 194), (23, 190, 207)]
BLACK, GREY, WHITE = (0, 0, 0), (210, 210, 210), (255, 255, 255)


class Canvas:
    def __init__(self, width, height):
        self.w, self.h = width, height
        self.rows = [bytearray(b"\xff" * (width * 3)) for _ in range(height)]

    def pixel(self, x, y, color):
        if 0 <= x < self.w and 0 <= y < self.h:
            self.rows[y][3 * x:3 * x + 3] = bytes(color)

    def rect(self, x0, y0, x1, y1, color):
        for y in range(max(y0, 0), min(y1, self.h)):
            for x in range(max(x0, 0), min(x1, self.w)):
                self.rows[y][3 * x:3 * x + 3] = bytes(color)

    def line(self, x0, y0, x1, y1, color, thick=1):
        """Bresenham; a thick line repeats it one pixel across (right of
        a steep line, below a flat one)."""
        steep = abs(y1 - y0) > abs(x1 - x0)
        for t in range(thick):
            ox, oy = (t, 0) if steep else (0, t)
            self._line(x0 + ox, y0 + oy, x1 + ox, y1 + oy, color)

    def _line(self, x0, y0, x1, y1, color):
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err = dx + dy
        while True:
            self.pixel(x0, y0, color)
            if x0 == x1 and y0 == y1:
                return
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                x0 += sx
            if e2 <= dx:
                err += dx
                y0 += sy

    def text(self, x, y, s, color=BLACK, scale=2):
        """Upper-case text from the 3x5 font; returns the end x."""
        for ch in s.upper():
            glyph = FONT.get(ch, FONT[" "])
            for r, row in enumerate(glyph):
                for c, bit in enumerate(row):
                    if bit == "#":
                        self.rect(x + c * scale, y + r * scale,
                                  x + (c + 1) * scale, y + (r + 1) * scale,
                                  color)
            x += 4 * scale
        return x

    def png(self):
        return png_bytes(self.w, self.h, self.rows)


def text_width(s, scale=2):
    return 4 * scale * len(s)


def nice_ticks(lo, hi, want=5):
    """Ticks at 1, 2 or 5 x 10^k covering [lo, hi]."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / want
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    first = int(lo / step) * step
    if first > lo:
        first -= step
    ticks, t = [], first
    while t < hi + step * 0.999:
        ticks.append(round(t, 9))
        t += step
    return ticks, step


def fmt_tick(v, step):
    if step >= 1:
        return str(int(round(v)))
    decimals = 0
    while step < 1 and decimals < 6:
        step *= 10
        decimals += 1
    return f"{v:.{decimals}f}"


def plot(title, xlabel, series, width=900, height=420, step=False):
    """series: list of (label, [(x, y), ...]). Returns PNG bytes. step:
    hold each value until the next point (a frequency is a state)."""
    c = Canvas(width, height)
    left, right, top, bottom = 70, 20, 50, 40
    pts = [p for _, s in series for p in s]
    xs = [p[0] for p in pts] or [0, 1]
    ys = [p[1] for p in pts] or [0, 1]
    xt, xstep = nice_ticks(min(xs), max(xs))
    yt, ystep = nice_ticks(min(0, min(ys)), max(ys))
    x0, x1, y0, y1 = xt[0], xt[-1], yt[0], yt[-1]
    pw, ph = width - left - right, height - top - bottom

    def px(x):
        return left + int(round((x - x0) / (x1 - x0) * pw))

    def py(y):
        return top + ph - int(round((y - y0) / (y1 - y0) * ph))

    for y in yt:
        c.line(left, py(y), left + pw, py(y), GREY)
        lab = fmt_tick(y, ystep)
        c.text(left - 6 - text_width(lab), py(y) - 5, lab)
    for x in xt:
        c.line(px(x), top + ph, px(x), top + ph + 4, BLACK)
        lab = fmt_tick(x, xstep)
        c.text(px(x) - text_width(lab) // 2, top + ph + 8, lab)
    c.line(left, top, left, top + ph, BLACK)
    c.line(left, top + ph, left + pw, top + ph, BLACK)
    c.text(left, 8, title)
    c.text(left + pw - text_width(xlabel), height - 14, xlabel)
    # Legend: a colored box and the label, left to right under the title.
    lx = left
    for i, (label, _) in enumerate(series):
        color = PALETTE[i % len(PALETTE)]
        if lx + 24 + text_width(label) > width:
            break
        c.rect(lx, 28, lx + 12, 40, color)
        lx = c.text(lx + 16, 29, label) + 12
    for i, (_, s) in enumerate(series):
        color = PALETTE[i % len(PALETTE)]
        for (ax, ay), (bx, by) in zip(s, s[1:]):
            if step:
                c.line(px(ax), py(ay), px(bx), py(ay), color, thick=2)
                c.line(px(bx), py(ay), px(bx), py(by), color, thick=2)
            else:
                c.line(px(ax), py(ay), px(bx), py(by), color, thick=2)
        if len(s) == 1:
            c.rect(px(s[0][0]) - 1, py(s[0][1]) - 1, px(s[0][0]) + 2,
                   py(s[0][1]) + 2, color)
    return c.png()


# ---- the log ---------------------------------------------------------------

PM_FIELDS = ("t_ms", "period_ms", "pstates", "energy", "cpus", "pkg", "vms")
PM_CPU_FIELDS = ("cpu", "f_khz", "busy_pct", "cstate_us", "power_mw")


def records(lines, tag):
    """The JSON objects of `tag {...}` lines; bad ones are counted."""
    out, bad = [], 0
    key = tag + " {"
    for line in lines:
        at = line.find(key)
        if at < 0:
            continue
        try:
            out.append(json.loads(line[at + len(tag) + 1:].strip()))
        except ValueError:
            bad += 1
    return out, bad


def check_pm(rec):
    """Raises ValueError unless rec has the PM line's shape."""
    for f in PM_FIELDS:
        if f not in rec:
            raise ValueError(f"PM line without {f}")
    if rec["pstates"] not in ("modeled", "hw"):
        raise ValueError("pstates must be modeled or hw")
    if rec["energy"] not in ("modeled", "rapl"):
        raise ValueError("energy must be modeled or rapl")
    for cpu in rec["cpus"]:
        for f in PM_CPU_FIELDS:
            if f not in cpu:
                raise ValueError(f"PM cpu without {f}")
        if not all(isinstance(v, int) for v in cpu["cstate_us"]):
            raise ValueError("cstate_us must be integers")
    if "power_mw" not in rec["pkg"]:
        raise ValueError("PM pkg without power_mw")
    for vm in rec["vms"]:
        if "vm" not in vm or "energy_uj" not in vm:
            raise ValueError("PM vm without vm/energy_uj")


def series_from_log(lines):
    """{'freq'|'util'|'credit'|'power': [(label, [(t_s, y), ...])]}"""
    pm, _ = records(lines, "PM")
    stat, _ = records(lines, "STAT")
    out = {"freq": {}, "util": {}, "credit": {}, "power": {}}

    def add(kind, label, t, y):
        out[kind].setdefault(label, []).append((t, y))

    modeled = any(r.get("pstates") == "modeled" or
                  r.get("energy") == "modeled" for r in pm)
    for r in pm:
        t = r["t_ms"] / 1000
        for c in r["cpus"]:
            add("freq", f"cpu{c['cpu']}", t, c["f_khz"] / 1000)
            add("util", f"cpu{c['cpu']}", t, c["busy_pct"])
            add("power", f"cpu{c['cpu']}", t, c["power_mw"] / 1000)
        add("power", "pkg", t, r["pkg"]["power_mw"] / 1000)
    prev = {}
    for r in stat:
        t = r["t_ms"] / 1000
        for v in r.get("vcpus", []):
            add("credit", f"d{v['dom']}v{v['vcpu']}", t, v["credit"])
        if pm:
            continue
        for c in r.get("cpus", []):
            label = f"cpu{c['cpu']}"
            if c.get("f_khz"):
                add("freq", label, t, c["f_khz"] / 1000)
            busy, idle = c["busy_ms"], c["idle_ms"]
            if label in prev:
                db, di = busy - prev[label][0], idle - prev[label][1]
                if db + di > 0:
                    add("util", label, t, 100 * db / (db + di))
            prev[label] = (busy, idle)
    return {k: sorted(v.items()) for k, v in out.items()}, modeled


TITLES = {
    "freq": "frequency MHz",
    "util": "utilization %",
    "credit": "credit",
    "power": "power W",
}


def write_plots(lines, prefix):
    data, modeled = series_from_log(lines)
    written = []
    for kind, series in data.items():
        if not series:
            continue
        title = TITLES[kind]
        if modeled and kind in ("freq", "power"):
            title += " (modeled)"
        path = f"{prefix}-{kind}.png"
        with open(path, "wb") as f:
            f.write(plot(title, "t s", series, step=kind == "freq"))
        written.append(path)
    return written


# ---- self-test -------------------------------------------------------------


def synthetic_log(periods=60):
    """Two CPUs and two vCPUs, as Volt prints them, with noise."""
    lines = ["volt: pm: P-states: modeled (no EIST)", "garbage PM {not json"]
    levels = [2800000, 2400000, 2000000, 1600000, 1200000]
    energy = [0, 0]
    for i in range(periods):
        t = (i + 1) * 100
        cpus = []
        for c in range(2):
            busy = (i * 7 + c * 40) % 100
            f = levels[(i // 8 + c) % len(levels)]
            pw = 1000 + busy * f // 20000
            cpus.append(f'{{"cpu":{c},"f_khz":{f},"busy_pct":{busy}.5,'
                        f'"cstate_us":[{1000 * (100 - busy)},0],'
                        f'"power_mw":{pw}}}')
        energy = [energy[0] + 40000 + i, energy[1] + 20000]
        vms = ",".join(f'{{"vm":{v},"energy_uj":{e}}}'
                       for v, e in enumerate(energy))
        lines.append(f'\x1b[0mPM {{"t_ms":{t}.000,"period_ms":100.000,'
                     f'"pstates":"modeled","energy":"modeled",'
                     f'"cpus":[{",".join(cpus)}],"pkg":{{"power_mw":'
                     f'{5000 + i * 10}}},"vms":[{vms}]}}')
        vc = ",".join(
            f'{{"dom":{d},"vcpu":0,"state":"run","pri":"under",'
            f'"credit":{(i * 37 + d * 150) % 300 - 150},"run_ms":1.000,'
            f'"cap_ms":1.000,"wake_lat_us":0,"migr":0}}' for d in range(2))
        lines.append(f'STAT {{"t_ms":{t}.000,"cpus":[{{"cpu":0,'
                     f'"busy_ms":{t // 2}.000,"idle_ms":{t // 2}.000,'
                     f'"f_khz":0}}],"vcpus":[{vc}]}}')
    return lines


def read_png(data):
    """(width, height, rows of RGB tuples) of a PNG this tool wrote."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature"
    pos, idat, size = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        crc = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]
        assert crc == zlib.crc32(kind + body) & 0xffffffff, "chunk CRC"
        if kind == b"IHDR":
            size = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype = size[:4]
    assert (depth, ctype) == (8, 2), "8-bit RGB"
    raw = zlib.decompress(idat)
    assert len(raw) == h * (1 + 3 * w), "pixel data size"
    rows = []
    for y in range(h):
        line = raw[y * (1 + 3 * w):(y + 1) * (1 + 3 * w)]
        assert line[0] == 0, "filter 0"
        rows.append([tuple(line[1 + 3 * x:4 + 3 * x]) for x in range(w)])
    return w, h, rows


def selftest():
    passed = failed = 0

    def check(name, cond):
        nonlocal passed, failed
        if cond:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}")

    lines = synthetic_log()
    pm, bad = records(lines, "PM")
    check("records: 60 PM lines, 1 bad", len(pm) == 60 and bad == 1)
    try:
        for r in pm:
            check_pm(r)
        check("PM shape", True)
    except ValueError as e:
        check(f"PM shape: {e}", False)
    try:
        check_pm({"t_ms": 1})
        check("PM shape refuses a bad record", False)
    except ValueError:
        check("PM shape refuses a bad record", True)
    data, modeled = series_from_log(lines)
    check("modeled", modeled)
    check("series", [k for k, v in data.items() if v] ==
          ["freq", "util", "credit", "power"])
    check("power series: cpu0 cpu1 pkg",
          [lab for lab, _ in data["power"]] == ["cpu0", "cpu1", "pkg"])
    check("freq in MHz", data["freq"][0][1][0] == (0.1, 2800.0))
    check("ticks", nice_ticks(0, 2800)[0] == [0, 1000, 2000, 3000] and
          nice_ticks(0.1, 6.0)[0] == [0, 2, 4, 6])
    with tempfile.TemporaryDirectory() as d:
        written = write_plots(lines, os.path.join(d, "pm"))
        check("four PNGs", len(written) == 4)
        for path in written:
            blob = open(path, "rb").read()
            check(f"{path}: size", 2000 < len(blob) < 400000)
            w, h, rows = read_png(blob)
            check(f"{path}: 900x420", (w, h) == (900, 420))
            colors = {px for row in rows for px in row}
            check(f"{path}: series drawn",
                  PALETTE[0] in colors and PALETTE[1] in colors)
            check(f"{path}: text and axes", BLACK in colors)
        # STAT-only logs still give frequency-less utilization plots.
        stat_only = [l for l in lines if "STAT {" in l]
        data2, _ = series_from_log(stat_only)
        check("STAT-only: util from busy_ms deltas",
              data2["util"] and data2["util"][0][1][0][1] == 50.0)
    print(f"pm_plot selftest: {passed} passed, {failed} failed")
    return 1 if failed else 0


def main(argv):
    if argv[1:2] == ["--selftest"]:
        return selftest()
    if argv[1:2] == ["--check"] and len(argv) == 3:
        lines = open(argv[2], errors="replace").read().splitlines()
        pm, bad = records(lines, "PM")
        _, bad_stat = records(lines, "STAT")
        if bad or bad_stat or not pm:
            print(f"{argv[2]}: {len(pm)} PM lines, {bad + bad_stat} "
                  "unparsable", file=sys.stderr)
            return 1
        try:
            for r in pm:
                check_pm(r)
        except ValueError as e:
            print(f"{argv[2]}: {e}", file=sys.stderr)
            return 1
        print(f"{argv[2]}: {len(pm)} PM lines ok")
        return 0
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "-o"):
        print(__doc__, file=sys.stderr)
        return 2
    prefix = argv[3] if len(argv) == 4 else "pm"
    lines = open(argv[1], errors="replace").read().splitlines()
    written = write_plots(lines, prefix)
    if not written:
        print(f"{argv[1]}: no PM or STAT lines", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
