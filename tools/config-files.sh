#!/usr/bin/env bash
# config-files.sh CONFIG: the kernel/initrd file names a volt.cfg mentions,
# one per line (make uses it to put them into the ISO / ESP image).
set -euo pipefail
grep -E '^[[:space:]]*vm[[:space:]]' "$1" | grep -oE '(kernel|initrd)=[^[:space:]]+' \
	| cut -d= -f2 | sort -u
