#!/usr/bin/env python3
"""Turn Volt's `acpidump` serial output into ACPI test fixtures.

Boot Volt with `acpidump` on its command line; arch/x86/acpi.c then prints
every ACPI structure it visited (RSDP, RSDT/XSDT, the tables they list, the
DSDT) as lines

    ACPIDUMP <SIG> <phys-hex> <length> <offset-hex> <hex bytes, 32 a line>

followed by `ACPIDUMP END`. This tool rebuilds the exact bytes and writes one
file per structure, named `<SIG>@<phys-hex>.bin` (e.g. `APIC@7fe14a0.bin`),
into <outdir>. tests/unit/test_acpi.c serves each file at its physical
address and starts parsing at the `RSDP@...` file.

It also checks every table's checksum (ACPI 6.5 5.2.5.3, 5.2.6) and, with
--draft, writes `expect.draft`: what this script's own small, independent
MADT/FADT reader sees. Compare it with the emulator's configuration before
renaming it to `expect` (the test's reference values).

Usage: tools/acpi_capture.py [--draft] <serial.log> <outdir>
"""
import argparse
import os
import re
import struct
import sys

LINE = re.compile(
    r"ACPIDUMP (?P<sig>\S{4}) 0x(?P<phys>[0-9a-fA-F]+) (?P<len>\d+) "
    r"(?P<off>[0-9a-fA-F]+) (?P<hex>[0-9a-fA-F]*)\s*$")
END = "ACPIDUMP END"


class Table:
    def __init__(self, sig, phys, length):
        self.sig, self.phys, self.length = sig, phys, length
        self.data = bytearray(length)
        self.seen = bytearray(length)  # 1 where a dump line covered the byte


def read_dump(path):
    """Returns {(sig, phys): Table} from one serial log; dies on gaps."""
    tables, ended = {}, False
    with open(path, "r", errors="replace") as f:
        for raw in f:
            at = raw.find("ACPIDUMP ")
            if at < 0:
                continue
            text = raw[at:].rstrip("\r\n")
            if text.startswith(END):
                ended = True
                break
            m = LINE.match(text)
            if not m:
                sys.exit(f"{path}: cannot parse dump line: {text!r}")
            sig, phys = m["sig"], int(m["phys"], 16)
            length, off = int(m["len"]), int(m["off"], 16)
            data = bytes.fromhex(m["hex"])
            t = tables.setdefault((sig, phys), Table(sig, phys, length))
            if t.length != length or off + len(data) > length:
                sys.exit(f"{path}: {sig}@{phys:#x}: inconsistent length")
            t.data[off:off + len(data)] = data
            t.seen[off:off + len(data)] = b"\1" * len(data)
    if not ended:
        sys.exit(f"{path}: no '{END}' line: the dump is cut short")
    if not tables:
        sys.exit(f"{path}: no ACPIDUMP lines (was `acpidump` on the command line?)")
    for t in tables.values():
        if 0 in t.seen:
            sys.exit(f"{t.sig}@{t.phys:#x}: byte {t.seen.index(0)} never dumped")
    return tables


def checksum_ok(t):
    if t.sig == "RSDP":
        if sum(t.data[:20]) & 0xFF:
            return False
        return t.length < 36 or (sum(t.data) & 0xFF) == 0
    return (sum(t.data) & 0xFF) == 0


def madt_summary(t):
    """Independent MADT reading (ACPI 6.5 5.2.12) for the draft."""
    lapic, flags = struct.unpack_from("<II", t.data, 36)
    cpus, ioapics, isos, off = [], [], 0, 44
    while off + 2 <= t.length:
        etype, elen = t.data[off], t.data[off + 1]
        if elen < 2:
            break
        if etype == 0:
            _, apic_id, eflags = struct.unpack_from("<BBI", t.data, off + 2)
            if eflags & 3:
                cpus.append(apic_id)
        elif etype == 9:
            x2id, eflags = struct.unpack_from("<II", t.data, off + 4)
            if eflags & 3:
                cpus.append(x2id)
        elif etype == 1:
            _, _, addr, gsi = struct.unpack_from("<BBII", t.data, off + 2)
            ioapics.append((addr, gsi))
        elif etype == 2:
            isos += 1
        elif etype == 5:
            lapic = struct.unpack_from("<Q", t.data, off + 4)[0]
        off += elen
    return lapic, cpus, ioapics, isos


def fadt_pm1a(t):
    """PM1a control port: X_PM1a_CNT_BLK (I/O space) if present, else legacy."""
    legacy = struct.unpack_from("<I", t.data, 64)[0]
    if t.length >= 184:
        space = t.data[172]
        addr = struct.unpack_from("<Q", t.data, 176)[0]
        if addr and space == 1:
            return addr
    return legacy


def write_draft(tables, outdir):
    lines = ["# draft from tools/acpi_capture.py: check against the emulator"]
    rsdp = [t for t in tables.values() if t.sig == "RSDP"]
    if rsdp:
        lines.append(f"revision {rsdp[0].data[15]}")
    for t in tables.values():
        if t.sig == "APIC":
            lapic, cpus, ioapics, isos = madt_summary(t)
            lines.append("cpus " + " ".join(str(c) for c in cpus))
            lines.append(f"lapic {lapic:#x}")
            if len(ioapics) == 1:
                lines.append(f"ioapic {ioapics[0][0]:#x} {ioapics[0][1]}")
            lines.append(f"isos {isos}")
        elif t.sig == "FACP":
            lines.append(f"pm1a {fadt_pm1a(t):#x}")
    lines.append(f"tables {len(tables)}")
    lines.append("s5 ?  # fill in from the DSDT (iasl -d) or the boot log")
    with open(os.path.join(outdir, "expect.draft"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--draft", action="store_true",
                    help="also write expect.draft")
    ap.add_argument("log")
    ap.add_argument("outdir")
    args = ap.parse_args()
    tables = read_dump(args.log)
    os.makedirs(args.outdir, exist_ok=True)
    bad = 0
    for t in tables.values():
        name = f"{t.sig}@{t.phys:x}.bin"
        with open(os.path.join(args.outdir, name), "wb") as f:
            f.write(t.data)
        ok = checksum_ok(t)
        bad += not ok
        print(f"{name:24} {t.length:7} bytes  checksum {'ok' if ok else 'BAD'}")
    if args.draft:
        write_draft(tables, args.outdir)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
