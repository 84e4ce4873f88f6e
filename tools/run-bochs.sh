#!/usr/bin/env bash
# run-bochs.sh VOLT.iso: boot Volt in Bochs (skylake_x, 2 CPUs), serial
# console on this terminal. Bochs quits when Volt powers off; Ctrl-C stops it.
set -euo pipefail
iso=$(realpath "$1")
dir=$(mktemp -d /tmp/volt-run.XXXXXX)
trap 'kill $tail_pid 2>/dev/null || true; rm -rf "$dir"' EXIT
cd "$dir"
: > com1.out
cat > bochsrc <<RC
megs: ${VOLT_MEGS:-512}
cpu: model=${VOLT_BOCHS_MODEL:-corei7_skylake_x}, count=${VOLT_BOCHS_COUNT:-2}, reset_on_triple_fault=0
romimage: file=/usr/share/bochs/BIOS-bochs-latest, options=fastboot
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0-master: type=cdrom, path=$iso, status=inserted
boot: cdrom
display_library: rfb, options="timeout=0"
speaker: enabled=0
com1: enabled=1, mode=file, dev=com1.out
port_e9_hack: enabled=1
clock: sync=none
log: bochs.log
panic: action=fatal
error: action=ignore
info: action=ignore
RC
echo c > rc.txt
tail -f com1.out &
tail_pid=$!
echo "run-bochs: booting $iso (serial console follows; Ctrl-C to stop)"
bochs -q -f bochsrc -rc rc.txt < /dev/null > bochs.stdout 2>&1 || true
sleep 0.5
