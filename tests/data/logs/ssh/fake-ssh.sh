#!/bin/sh
# Stands in for ssh in tests (DD_SSH="sh fake-ssh.sh"): writes its arguments to $DD_FAKE_ARGS,
# checks the options the tool must pass, and runs the remote command on this machine: no
# other host is ever contacted.
if [ -n "$DD_FAKE_ARGS" ]; then printf '%s\n' "$@" > "$DD_FAKE_ARGS"; fi
if [ -n "$DD_FAKE_FAIL" ]; then
    echo "$DD_FAKE_FAIL" >&2
    exit 255
fi
if [ "$1" != "-o" ] || [ "$2" != "BatchMode=yes" ] || [ "$3" != "--" ] || [ $# -ne 5 ]; then
    echo "fake-ssh: unexpected arguments: $*" >&2
    exit 2
fi
exec sh -c "$5"
