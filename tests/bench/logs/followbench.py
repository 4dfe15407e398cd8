#!/usr/bin/env python3
"""Follow-mode benchmark: `logs follow --classified` against `tail -F | grep -E --line-buffered`
on the same stream, in the same run (tests/bench/logs/bench.sh calls it).

Usage: followbench.py CLI PATTERNS SOURCE_LOG [WORK_DIR]

Environment: FOLLOW_RATE (lines/s of the paced phase, default 10000), FOLLOW_SECONDS (default 5),
FOLLOW_LINES (lines of the burst phase, default 200000).

A writer appends the first lines of SOURCE_LOG (the mixed log of bench.sh) to a followed file:
 - paced: one write(2) per line at FOLLOW_RATE lines/s, as a busy nginx does; the latency of a
   line is the time from its write returning to its classified line being read from the
   follower's output (median, p99, max);
 - burst: FOLLOW_LINES lines appended in 64 KiB writes as fast as the disk takes them; the rate
   is lines appended / time until the last expected output line was read.
Each consumer runs alone on the stream (one after the other): they would otherwise share the same
two cores. Lines are matched by their line number (`--text` prints FILE:LINE, grep -n LINE:), so
the log is appended verbatim. CPU time and peak RSS of the consumers come from wait4().
"""
import os
import re
import select
import signal
import subprocess
import sys
import time

IDLE_LIMIT = 10.0  # seconds without output after the writer is done: the consumer is stuck


def statistics(latencies):
    if not latencies:
        return "no output"
    s = sorted(latencies)
    pick = lambda q: s[min(len(s) - 1, int(q * len(s)))]
    return "latency median %.2f ms, p99 %.2f ms, max %.2f ms" % (pick(0.5) * 1e3, pick(0.99) * 1e3, s[-1] * 1e3)


class Consumer:
    """A follower process (or tail | grep) whose stdout lines carry the input's line number."""

    def __init__(self, name, commands, number_of):
        self.name = name
        self.number_of = number_of
        self.procs = []
        stdin = None
        for cmd in commands:
            p = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            if stdin is not None:
                stdin.close()
            stdin = p.stdout
            self.procs.append(p)
        self.out = self.procs[-1].stdout.fileno()
        os.set_blocking(self.out, False)
        self.buf = b""
        self.seen = {}

    def poll(self, timeout):
        r, _, _ = select.select([self.out], [], [], max(0.0, timeout))
        if not r:
            return 0
        now = time.monotonic()
        try:
            data = os.read(self.out, 1 << 20)
        except BlockingIOError:
            return 0
        if not data:
            return 0
        self.buf += data
        *lines, self.buf = self.buf.split(b"\n")
        for line in lines:
            n = self.number_of(line)
            if n is not None and n not in self.seen:
                self.seen[n] = now
        return len(lines)

    def stop(self):
        """Stops every process; returns (cpu seconds, peak RSS MiB) summed / maxed over them."""
        cpu, rss = 0.0, 0
        for p in self.procs:
            # VmHWM of the program itself: wait4's ru_maxrss would count this script's memory,
            # which the child held between fork and exec.
            try:
                with open("/proc/%d/status" % p.pid) as status:
                    for field in status:
                        if field.startswith("VmHWM:"):
                            rss = max(rss, int(field.split()[1]))
            except OSError:
                pass
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGINT if p is self.procs[0] else signal.SIGTERM)
        for p in self.procs:
            try:
                _, status, usage = os.wait4(p.pid, 0)
                p.returncode = status
            except ChildProcessError:
                usage = None
            if usage:
                cpu += usage.ru_utime + usage.ru_stime
        return cpu, rss / 1024.0


def follower(cli, path):
    pat = re.compile(rb"^\S*:(\d+) ")
    cmd = [cli, "logs", "follow", path, "--classified", "--text"]

    def number_of(line):
        m = pat.match(line)
        return int(m.group(1)) if m else None

    return Consumer("docserver-doctor-cli logs follow --classified", [cmd], number_of)


def tail_grep(patterns, path):
    def number_of(line):
        head = line.split(b":", 1)[0]
        return int(head) if head.isdigit() else None

    return Consumer("tail -F | grep -E --line-buffered",
                    [["tail", "-n", "+1", "-F", path],
                     ["grep", "--line-buffered", "-n", "-E", "-f", patterns]], number_of)


def run(make, path, lines, expected, paced, rate):
    """One consumer on one stream: returns a line of figures."""
    open(path, "wb").close()
    consumer = make(path)
    time.sleep(1.0)  # the consumer is following the (empty) file now
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    written = {}
    start = time.monotonic()
    if paced:
        i = 0
        while i < len(lines):
            due = min(len(lines), int((time.monotonic() - start) * rate) + 1)
            while i < due:
                os.write(fd, lines[i])
                written[i + 1] = time.monotonic()
                i += 1
            consumer.poll((i / rate) - (time.monotonic() - start))
    else:
        chunk, size = [], 0
        for line in lines:
            chunk.append(line)
            size += len(line)
            if size >= 65536:
                os.write(fd, b"".join(chunk))
                chunk, size = [], 0
                consumer.poll(0)
        if chunk:
            os.write(fd, b"".join(chunk))
    os.close(fd)
    end_write = time.monotonic()
    last_output = end_write
    while len(consumer.seen) < expected and time.monotonic() - last_output < IDLE_LIMIT:
        if consumer.poll(0.2):
            last_output = time.monotonic()
    done = max(consumer.seen.values()) if consumer.seen else time.monotonic()
    cpu, rss = consumer.stop()
    got = len(consumer.seen)
    head = "  %-48s %7d of %7d lines out" % (consumer.name, got, expected)
    if got < expected:
        head += " (INCOMPLETE)"
    if paced:
        lat = [t - written[n] for n, t in consumer.seen.items() if n in written]
        return head + ", %s, CPU %.2f s, peak RSS %.1f MB" % (statistics(lat), cpu, rss)
    elapsed = done - start
    return head + ", %.2f s (writer %.2f s): %.0f lines/s through, CPU %.2f s, peak RSS %.1f MB" % (
        elapsed, end_write - start, len(lines) / elapsed, cpu, rss)


def expected_counts(cli, patterns, lines, work):
    """Lines each consumer should print for `lines`: classified records / grep matches."""
    sample = os.path.join(work, "follow-sample.log")
    with open(sample, "wb") as f:
        f.writelines(lines)
    classified = subprocess.run([cli, "logs", "classify", sample, "--classified", "--text"],
                                stdout=subprocess.PIPE, check=False).stdout.count(b"\n")
    matching = subprocess.run(["grep", "-c", "-E", "-f", patterns, sample],
                              stdout=subprocess.PIPE, check=False).stdout.strip()
    return classified, int(matching or 0)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    cli, patterns, source = sys.argv[1:4]
    work = sys.argv[4] if len(sys.argv) > 4 else "/tmp/dd-logbench"
    rate = int(os.environ.get("FOLLOW_RATE", "10000"))
    seconds = float(os.environ.get("FOLLOW_SECONDS", "5"))
    burst = int(os.environ.get("FOLLOW_LINES", "200000"))
    with open(source, "rb") as f:
        lines = [f.readline() for _ in range(max(burst, int(rate * seconds)))]
    lines = [l for l in lines if l.endswith(b"\n")]
    path = os.path.join(work, "follow.log")
    for title, sample, paced in (("paced, %d lines/s, one write per line" % rate, lines[:int(rate * seconds)], True),
                                 ("burst, %d lines appended in 64 KiB writes" % burst, lines[:burst], False)):
        classified, matching = expected_counts(cli, patterns, sample, work)
        print("follow %s (%d lines; %d classified records, %d grep matches); load %s" % (
            title, len(sample), classified, matching, " ".join(open("/proc/loadavg").read().split()[:3])))
        print(run(lambda p: follower(cli, p), path, sample, classified, paced, rate), flush=True)
        print(run(lambda p: tail_grep(patterns, p), path, sample, matching, paced, rate), flush=True)


if __name__ == "__main__":
    main()
