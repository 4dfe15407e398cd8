#!/bin/sh
# Stands in for journalctl in tests (DD_JOURNALCTL="sh fake-journalctl.sh"): writes its
# arguments to $DD_FAKE_ARGS, prints the recorded `journalctl -o json` output in
# $DD_FAKE_JOURNAL, and with -f waits like journalctl -f until it is stopped (30 s at most).
if [ -n "$DD_FAKE_ARGS" ]; then printf '%s\n' "$@" > "$DD_FAKE_ARGS"; fi
if [ -n "$DD_FAKE_FAIL" ]; then
    echo "$DD_FAKE_FAIL" >&2
    exit 1
fi
cat "$DD_FAKE_JOURNAL"
for a in "$@"; do
    if [ "$a" = "-f" ]; then exec sleep 30; fi
done
exit 0
