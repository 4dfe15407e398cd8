// Fan-out benchmark (issue 4): N tcp probes at once to loopback listeners that drop SYNs
// (accept queue full, never accepting), each bounded by a timeout. Reports wall time, outcomes,
// peak RSS and the longest stall of the event loop meanwhile. Built and run by probe_fanout.sh.

#include "probe/activeprobe.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QTextStream>
#include <QTimer>

#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

namespace {

// A listener whose accept queue (backlog 0) is filled by one connection nobody accepts: the
// kernel then drops every further SYN, exactly like an overloaded or wedged backend.
bool makeFullListener(quint16 *port, QList<int> *fds)
{
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        ::listen(listener, 0) != 0 || ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return false;
    fds->append(listener);
    const int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (filler < 0 || ::connect(filler, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
        return false;
    fds->append(filler);
    *port = ntohs(address.sin_port);
    return true;
}

qint64 statusKb(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith(field))
            return line.mid(int(qstrlen(field))).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int probes = args.value(1, QStringLiteral("1000")).toInt();
    const int listeners = args.value(2, QStringLiteral("100")).toInt();
    const int timeoutMs = args.value(3, QStringLiteral("2000")).toInt();
    QTextStream out(stdout);

    rlimit limit = {};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);

    QList<int> fds;
    QList<quint16> ports;
    for (int i = 0; i < listeners; ++i) {
        quint16 port = 0;
        if (!makeFullListener(&port, &fds)) {
            out << "cannot make listener: " << std::strerror(errno) << '\n';
            return 3;
        }
        ports.append(port);
    }
    const qint64 rssBefore = statusKb("VmRSS:");

    // Event-loop stall monitor: a 1 ms timer; a gap well above 1 ms is time the loop was busy.
    QElapsedTimer loopClock;
    qint64 lastTick = 0;
    qint64 maxGapNs = 0;
    qint64 maxGapAtNs = 0;
    int gapsOver50ms = 0;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(1);
    QObject::connect(&tick, &QTimer::timeout, &app, [&] {
        const qint64 now = loopClock.nsecsElapsed();
        const qint64 gap = now - lastTick;
        if (gap > maxGapNs) {
            maxGapNs = gap;
            maxGapAtNs = lastTick;
        }
        gapsOver50ms += gap > 50'000'000 ? 1 : 0;
        lastTick = now;
    });

    std::vector<std::unique_ptr<dd::ActiveProbe>> running;
    QHash<QString, int> outcomes;
    int finished = 0;
    QElapsedTimer wall;
    qint64 startLoopNs = 0;
    QTimer::singleShot(0, &app, [&] {
        loopClock.start();
        tick.start();
        wall.start();
        for (int i = 0; i < probes; ++i) {
            dd::ProbeSpec spec;
            spec.kind = dd::ProbeKind::Tcp;
            spec.target = QStringLiteral("127.0.0.1:%1").arg(ports.at(i % ports.size()));
            spec.connectTimeoutMs = timeoutMs;
            running.emplace_back(dd::createProbe(dd::ProbeKind::Tcp));
            QObject::connect(running.back().get(), &dd::ActiveProbe::finished, &app, [&](const dd::ProbeResult &r) {
                ++outcomes[dd::probeOutcomeName(r.outcome)];
                if (++finished == probes) {
                    const qint64 wallMs = wall.elapsed();
                    tick.stop();
                    out << "probes            " << probes << " to " << listeners
                        << " listeners with a full accept queue, timeout " << timeoutMs << " ms\n";
                    out << "wall              " << wallMs << " ms\n";
                    for (auto it = outcomes.cbegin(); it != outcomes.cend(); ++it)
                        out << "outcome           " << it.key() << ' ' << it.value() << '\n';
                    out << "starting all      " << QString::number(double(startLoopNs) / 1e6, 'f', 1) << " ms\n";
                    out << "longest loop gap  " << QString::number(double(maxGapNs) / 1e6, 'f', 1) << " ms, starting "
                        << QString::number(double(maxGapAtNs) / 1e6, 'f', 1)
                        << " ms after the probes (gaps over 50 ms: " << gapsOver50ms << ")\n";
                    out << "RSS before/after  " << rssBefore / 1024.0 << " / " << statusKb("VmRSS:") / 1024.0
                        << " MiB, peak " << statusKb("VmHWM:") / 1024.0 << " MiB\n";
                    out.flush();
                    app.exit(wallMs < 3000 && statusKb("VmHWM:") < 50 * 1024 && maxGapNs < 50'000'000 ? 0 : 1);
                }
            });
            running.back()->start(spec);
        }
        startLoopNs = loopClock.nsecsElapsed();
    });
    const int code = app.exec();
    running.clear();
    for (const int fd : std::as_const(fds))
        ::close(fd);
    return code;
}
