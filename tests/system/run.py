#!/usr/bin/env python3
"""Volt's emulator system tests (kvm-unit-tests shaped).

Each test in tests/system/tests.cfg boots Volt once in Bochs or QEMU, in its
own directory under build/systest/<name>/, bounded by a timeout, and is
judged by its serial output: every `expect` regex must appear, in order,
every `contains` regex anywhere (output of VMs running at once interleaves);
no `forbid` regex may appear; the exit status Volt printed
("volt: exit status N") must equal `status`, and so must QEMU's
isa-debug-exit code when there is one; each `check` command (run with the
clean serial log's path appended) must exit 0. Independent tests run in
parallel (-j). The last line is "N passed, N failed".
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_FORBID = r"EXCEPTION:|PANIC|error:"
ANSI = re.compile(r"\x1b(\[[0-9;=?]*[A-Za-z]|[()][0-9A-Za-z]|[=>c])")
OVMF = "/usr/share/ovmf/OVMF.fd"

BOCHSRC = os.path.join(ROOT, "tools/bochsrc.in")


class Test:
    def __init__(self, name):
        self.name = name
        self.boot = "multiboot2"
        self.emulator = "bochs"
        self.cpus = 2
        self.memory = 256
        self.model = "corei7_skylake_x"
        self.cmdline = ""
        self.files = []
        self.expect = []
        self.contains = []
        self.forbid = DEFAULT_FORBID
        self.status = 0       # None: no Volt (boot = linux)
        self.timeout = 120
        self.end = None       # regex: stop the emulator once the log shows it
        self.checks = []      # commands (+ log path): each must exit 0


def parse_list(path):
    """INI-like: [name] then key = value; expect/files may repeat."""
    tests, cur = [], None
    with open(path) as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                cur = Test(line[1:-1])
                tests.append(cur)
                continue
            if cur is None or "=" not in line:
                sys.exit(f"{path}:{lineno}: expected [name] or key = value")
            key, value = (s.strip() for s in line.split("=", 1))
            if key == "expect":
                cur.expect.append(value)
            elif key == "contains":
                cur.contains.append(value)
            elif key == "files":
                cur.files.extend(value.split())
            elif key == "status" and value == "none":
                cur.status = None
            elif key in ("cpus", "memory", "status", "timeout"):
                setattr(cur, key, int(value))
            elif key == "check":
                cur.checks.append(value)
            elif key in ("boot", "emulator", "model", "cmdline", "forbid", "end"):
                setattr(cur, key, value)
            else:
                sys.exit(f"{path}:{lineno}: unknown key '{key}'")
    return tests


def bochs_count(cpus):
    return {1: "1", 2: "2", 4: "1:2:2"}.get(cpus, f"1:{cpus}:1")


def log_matches(cwd, pattern):
    try:
        with open(os.path.join(cwd, "serial.log"), "rb") as f:
            return re.search(pattern, f.read().decode("utf-8", "replace")) is not None
    except FileNotFoundError:
        return False


def run_emulator(cmd, cwd, timeout, end=None):
    """Run in a new process group; kill the group on timeout, or once the
    serial log matches `end` (a guest that cannot power the machine off)."""
    with open(os.path.join(cwd, "emulator.out"), "w") as out:
        p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                             stdout=out, stderr=subprocess.STDOUT,
                             start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                return p.wait(timeout=0.5), False
            except subprocess.TimeoutExpired:
                if end and log_matches(cwd, end):
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
                    return None, False
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        return None, True


def prepare(t, d, build):
    # $BUILD in a file spec names the build directory (built guests).
    files = [os.path.join(ROOT, f.replace("$BUILD", build)) for f in t.files]
    if t.boot == "linux":  # no Volt: GRUB boots files[0] with initrd files[1]
        subprocess.run([os.path.join(ROOT, "tools/mkiso-linux.sh"), os.path.join(d, "volt.iso"),
                        files[0], files[1], t.cmdline], check=True)
    elif t.boot == "multiboot2":
        subprocess.run([os.path.join(ROOT, "tools/mkiso.sh"), os.path.join(d, "volt.iso"),
                        os.path.join(build, "volt.elf"), t.cmdline] + files, check=True)
    else:
        if t.cmdline:  # the firmware passes no load options to volt.efi
            raise ValueError("uefi tests take host options from volt.cfg's host line, not cmdline")
        subprocess.run([os.path.join(ROOT, "tools/mkesp.sh"), os.path.join(d, "esp.img"),
                        os.path.join(build, "volt.efi")] + files, check=True)


def command(t, d):
    serial = os.path.join(d, "serial.log")
    if t.emulator == "bochs":
        if t.boot not in ("multiboot2", "linux"):
            raise ValueError("bochs tests boot multiboot2 or linux only")
        values = {"@MEMORY@": str(t.memory), "@MODEL@": t.model,
                  "@COUNT@": bochs_count(t.cpus), "@SERIAL@": serial,
                  "@ISO@": "volt.iso"}
        with open(BOCHSRC) as f:
            text = f.read()
        for key, value in values.items():
            text = text.replace(key, value)
        with open(os.path.join(d, "bochsrc"), "w") as f:
            f.write(text)
        with open(os.path.join(d, "rc.txt"), "w") as f:
            f.write("c\n")
        return ["bochs", "-q", "-f", "bochsrc", "-rc", "rc.txt"]
    cmd = ["qemu-system-x86_64", "-nodefaults", "-machine", "q35", "-accel", "tcg",
           "-cpu", "max", "-m", f"{t.memory}M", "-smp", str(t.cpus),
           "-net", "none", "-display", "none", "-monitor", "none",
           "-serial", f"file:{serial}", "-no-reboot",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=4"]
    if t.boot == "uefi":
        cmd += ["-bios", OVMF, "-drive", "if=virtio,format=raw,file=esp.img,snapshot=on"]
    else:
        cmd += ["-cdrom", "volt.iso"]
    return cmd


def debug_exit_status(t, rc):
    """Volt's status from QEMU's exit code, or None when it did not say.

    With exit=isa-debug-exit, Volt writes its status N to port 0xf4 and QEMU
    exits with (N << 1) | 1; after an ACPI power-off QEMU exits with 0. Bochs
    always exits with 1 after its shutdown port, so it tells nothing.
    """
    if t.emulator != "qemu" or rc is None or rc < 0 or rc % 2 == 0:
        return None
    return rc >> 1


def run_check(t):
    """The test's own analyses of its log (shares, timings...)."""
    out = ""
    for check in t.checks:
        p = subprocess.run(check.split() + [t.log_path], cwd=ROOT,
                           capture_output=True, text=True)
        out += f"$ {check}\n{p.stdout}{p.stderr}"
        if p.returncode != 0:
            last = (p.stdout + p.stderr).strip().splitlines()
            reason = f"check failed: {last[-1] if last else p.returncode}"
            break
    else:
        reason = None
    with open(os.path.join(os.path.dirname(t.log_path), "check.txt"), "w") as f:
        f.write(out)
    return reason


def judge(t, log, timed_out, rc=None):
    if timed_out:  # a run must end by itself: a hang is a failure
        return f"TIMEOUT after {t.timeout} s"
    pos = 0
    for pattern in t.expect:
        m = re.compile(pattern).search(log, pos)
        if not m:
            return f"expected /{pattern}/ not found"
        pos = m.end()
    for pattern in t.contains:
        if not re.search(pattern, log):
            return f"/{pattern}/ not found anywhere"
    if t.forbid:
        m = re.search(t.forbid, log)
        if m:
            line = log[log.rfind("\n", 0, m.start()) + 1:log.find("\n", m.start())]
            return f"forbidden /{t.forbid}/ seen: {line.strip()}"
    if t.checks:
        reason = run_check(t)
        if reason:
            return reason
    if t.status is None:  # no Volt in this run: nothing reports a status
        return None
    statuses = re.findall(r"volt: exit status (\d+)", log)
    if not statuses:
        return "no 'volt: exit status' line"
    if int(statuses[-1]) != t.status:
        return f"exit status {statuses[-1]}, expected {t.status}"
    port = debug_exit_status(t, rc)
    if port is not None and port != t.status:
        return (f"QEMU exit code {rc} (isa-debug-exit status {port}) disagrees "
                f"with the serial status {t.status}")
    return None


def run_one(t, build, keep):
    d = os.path.join(build, "systest", t.name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    start = time.time()
    try:
        prepare(t, d, build)
        cmd = command(t, d)
    except (subprocess.CalledProcessError, ValueError) as e:
        return t, f"setup failed: {e}", 0.0, ""
    rc, timed_out = run_emulator(cmd, d, t.timeout, t.end)
    elapsed = time.time() - start
    try:
        with open(os.path.join(d, "serial.log"), "rb") as f:
            log = ANSI.sub("", f.read().decode("utf-8", "replace")).replace("\r", "")
    except FileNotFoundError:
        log = ""
    t.log_path = os.path.join(d, "serial.clean.log")
    with open(t.log_path, "w") as f:
        f.write(log)
    with open(os.path.join(d, "wall.txt"), "w") as f:
        f.write(f"{elapsed:.1f}\n")
    reason = judge(t, log, timed_out, rc)
    if not reason and not keep:
        for big in ("volt.iso", "esp.img"):
            if os.path.exists(os.path.join(d, big)):
                os.remove(os.path.join(d, big))
    return t, reason, elapsed, log


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-j", type=int, default=2, help="parallel runs (default 2)")
    ap.add_argument("--only", help="run only the tests whose name matches this regex")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--list", default=os.path.join(ROOT, "tests/system/tests.cfg"))
    ap.add_argument("--keep", action="store_true", help="keep images of passing tests")
    args = ap.parse_args()

    args.build = os.path.abspath(args.build)
    tests = parse_list(args.list)
    if args.only:
        tests = [t for t in tests if re.search(args.only, t.name)]
    if not tests:
        sys.exit("no tests selected")

    passed = failed = 0
    suite_start = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.j) as pool:
        for t, reason, elapsed, log in pool.map(lambda t: run_one(t, args.build, args.keep), tests):
            if reason is None:
                passed += 1
                cost = re.search(r"boot cost: (\d+) TSC ticks", log)
                extra = f" [boot cost {int(cost.group(1)):,} TSC ticks]" if cost else ""
                print(f"PASS {t.name} ({elapsed:.1f} s){extra}", flush=True)
            else:
                failed += 1
                print(f"FAIL {t.name} ({elapsed:.1f} s): {reason}", flush=True)
                print(f"     serial log: {os.path.join(args.build, 'systest', t.name, 'serial.clean.log')}")
                for line in log.strip().splitlines()[-30:]:
                    print(f"     | {line}")
    print(f"system tests: {time.time() - suite_start:.1f} s wall")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
