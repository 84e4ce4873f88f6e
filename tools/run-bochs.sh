#!/usr/bin/env bash
# run-bochs.sh VOLT.iso: boot Volt in Bochs (skylake_x, 2 CPUs), serial
# console on this terminal. Bochs quits when Volt powers off; Ctrl-C stops it.
set -euo pipefail
iso=$(realpath "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/volt-run.XXXXXX)
trap 'kill $tail_pid 2>/dev/null || true; rm -rf "$dir"' EXIT
cd "$dir"
: > com1.out
sed -e "s|@MEMORY@|${VOLT_MEGS:-512}|" \
	-e "s|@MODEL@|${VOLT_BOCHS_MODEL:-corei7_skylake_x}|" \
	-e "s|@COUNT@|${VOLT_BOCHS_COUNT:-2}|" \
	-e "s|@ISO@|$iso|" -e "s|@SERIAL@|com1.out|" \
	"$root/tools/bochsrc.in" > bochsrc
echo c > rc.txt
tail -f com1.out &
tail_pid=$!
echo "run-bochs: booting $iso (serial console follows; Ctrl-C to stop)"
bochs -q -f bochsrc -rc rc.txt < /dev/null > bochs.stdout 2>&1 || true
sleep 0.5
