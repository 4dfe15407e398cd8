#!/bin/sh
# Stands in for ssh in the remote-capture tests (DD_SSH="sh fake-ssh.sh"): contacts no host.
# Records its arguments, one per line, in $DD_FAKE_SSH_ARGS, writes the recorded capture
# $DD_FAKE_SSH_PCAP to stdout as `tcpdump -U -w -` would, then stays connected for
# $DD_FAKE_SSH_HOLD seconds (default 0) like a capture still running, or exits with
# $DD_FAKE_SSH_EXIT (default 0).
printf '%s\n' "$@" > "${DD_FAKE_SSH_ARGS:-/dev/null}"
if [ -n "$DD_FAKE_SSH_PCAP" ]; then
    cat "$DD_FAKE_SSH_PCAP" || exit 255
fi
if [ "${DD_FAKE_SSH_HOLD:-0}" -gt 0 ]; then
    exec sleep "$DD_FAKE_SSH_HOLD"
fi
exit "${DD_FAKE_SSH_EXIT:-0}"
