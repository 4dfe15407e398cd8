// docserver-doctor-capture: the only program of DocServer Doctor that opens live captures.
// It lists interfaces, checks BPF filters and writes a pcap stream to stdout, nothing else;
// the analyzers read that stream. It needs CAP_NET_RAW (set by the package's postinst).

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <pcap/pcap.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <poll.h>
#include <unistd.h>

namespace {

constexpr int exitOk = 0;
constexpr int exitUsage = 2; // bad usage, or no permission to capture
constexpr int exitFailed = 3;
constexpr int capNetRaw = 13; // linux/capability.h
constexpr int snapLength = 262144;
constexpr int pollIntervalMs = 100;

volatile std::sig_atomic_t stopRequested = 0;

void requestStop(int)
{
    stopRequested = 1;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

int fail(int code, const QString &message)
{
    err() << "docserver-doctor-capture: " << message << Qt::endl;
    return code;
}

bool hasCapNetRaw()
{
    // /proc files report size 0, so read with stdio rather than trusting QFile::atEnd().
    FILE *status = std::fopen("/proc/self/status", "r");
    if (!status)
        return ::geteuid() == 0;
    char line[256];
    bool has = false;
    while (std::fgets(line, sizeof line, status)) {
        unsigned long long effective = 0;
        if (std::sscanf(line, "CapEff: %llx", &effective) == 1) {
            has = (effective >> capNetRaw) & 1;
            break;
        }
    }
    std::fclose(status);
    return has;
}

int missingPrivilege()
{
    err() << "docserver-doctor-capture: capturing needs the CAP_NET_RAW capability, which this program does not "
             "have.\nGrant it once (the package's postinst does this on install) with:\n  sudo setcap cap_net_raw=eip "
          << QCoreApplication::applicationFilePath() << Qt::endl;
    return exitUsage;
}

int listInterfaces()
{
    pcap_if_t *devices = nullptr;
    char error[PCAP_ERRBUF_SIZE] = {};
    if (pcap_findalldevs(&devices, error) != 0)
        return fail(exitFailed, QStringLiteral("cannot list interfaces: %1").arg(QString::fromLocal8Bit(error)));
    QTextStream out(stdout);
    for (pcap_if_t *d = devices; d; d = d->next) {
        QStringList flags;
        if (d->flags & PCAP_IF_UP)
            flags << QStringLiteral("up");
        if (d->flags & PCAP_IF_RUNNING)
            flags << QStringLiteral("running");
        if (d->flags & PCAP_IF_LOOPBACK)
            flags << QStringLiteral("loopback");
        out << d->name << '\t' << flags.join(QLatin1Char(',')) << '\t'
            << (d->description ? QString::fromLocal8Bit(d->description) : QString()) << '\n';
    }
    pcap_freealldevs(devices);
    return exitOk;
}

int checkFilter(const QString &expression)
{
    pcap_t *dead = pcap_open_dead(DLT_EN10MB, snapLength);
    bpf_program program{};
    const QByteArray text = expression.toUtf8();
    if (pcap_compile(dead, &program, text.constData(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        const QString reason = QString::fromLocal8Bit(pcap_geterr(dead));
        pcap_close(dead);
        return fail(exitUsage, QStringLiteral("invalid filter \"%1\": %2").arg(expression, reason));
    }
    pcap_freecode(&program);
    pcap_close(dead);
    QTextStream(stdout) << "ok\n";
    return exitOk;
}

struct DumpState
{
    pcap_dumper_t *dumper = nullptr;
    qint64 packets = 0;
};

void writePacket(u_char *user, const pcap_pkthdr *header, const u_char *bytes)
{
    auto *state = reinterpret_cast<DumpState *>(user);
    pcap_dump(reinterpret_cast<u_char *>(state->dumper), header, bytes);
    ++state->packets;
}

double monotonicSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

int capture(const QString &iface, const QString &filter, double duration, qint64 count)
{
    if (!hasCapNetRaw())
        return missingPrivilege();
    if (::isatty(STDOUT_FILENO))
        return fail(exitUsage, QStringLiteral("refusing to write a binary pcap stream to a terminal; redirect stdout"));

    char error[PCAP_ERRBUF_SIZE] = {};
    const QByteArray name = iface.toLocal8Bit();
    pcap_t *pcap = pcap_create(name.constData(), error);
    if (!pcap)
        return fail(exitFailed, QStringLiteral("cannot open %1: %2").arg(iface, QString::fromLocal8Bit(error)));
    pcap_set_snaplen(pcap, snapLength);
    pcap_set_promisc(pcap, 0);
    pcap_set_immediate_mode(pcap, 1);
    pcap_set_buffer_size(pcap, 32 * 1024 * 1024); // bursts on a busy host must not overflow it
    const int activated = pcap_activate(pcap);
    if (activated < 0) {
        const QString reason = QString::fromLocal8Bit(pcap_geterr(pcap));
        pcap_close(pcap);
        if (activated == PCAP_ERROR_PERM_DENIED)
            return missingPrivilege();
        if (activated == PCAP_ERROR_NO_SUCH_DEVICE)
            return fail(exitUsage,
                        QStringLiteral("no interface named %1 (see: docserver-doctor-capture interfaces)").arg(iface));
        return fail(exitFailed, QStringLiteral("cannot capture on %1: %2").arg(iface, reason));
    }
    if (activated > 0)
        err() << "docserver-doctor-capture: warning: " << QString::fromLocal8Bit(pcap_geterr(pcap)) << Qt::endl;

    bpf_program program{};
    const QByteArray text = filter.toUtf8();
    if (pcap_compile(pcap, &program, text.constData(), 1, PCAP_NETMASK_UNKNOWN) != 0 ||
        pcap_setfilter(pcap, &program) != 0) {
        const QString reason = QString::fromLocal8Bit(pcap_geterr(pcap));
        pcap_close(pcap);
        return fail(exitUsage, QStringLiteral("invalid filter \"%1\": %2").arg(filter, reason));
    }
    pcap_freecode(&program);
    if (pcap_setnonblock(pcap, 1, error) != 0) {
        pcap_close(pcap);
        return fail(exitFailed,
                    QStringLiteral("cannot make the capture non-blocking: %1").arg(QString::fromLocal8Bit(error)));
    }
    DumpState state;
    state.dumper = pcap_dump_fopen(pcap, stdout);
    if (!state.dumper) {
        const QString reason = QString::fromLocal8Bit(pcap_geterr(pcap));
        pcap_close(pcap);
        return fail(exitFailed, QStringLiteral("cannot write to stdout: %1").arg(reason));
    }
    pcap_dump_flush(state.dumper);

    struct sigaction action
    {
    };
    action.sa_handler = requestStop;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGHUP, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    // Readers wait for this line before they make the traffic they want captured.
    err() << "docserver-doctor-capture: capturing on " << iface << Qt::endl;
    const double deadline = duration > 0 ? monotonicSeconds() + duration : 0;
    const int fd = pcap_get_selectable_fd(pcap);
    int code = exitOk;
    while (!stopRequested) {
        if (deadline > 0 && monotonicSeconds() >= deadline)
            break;
        if (count > 0 && state.packets >= count)
            break;
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, pollIntervalMs);
        if (ready < 0 && errno != EINTR) {
            code = fail(exitFailed, QStringLiteral("poll failed on %1").arg(iface));
            break;
        }
        if (ready <= 0)
            continue;
        const int limit = count > 0 ? int(qMin<qint64>(count - state.packets, 1 << 20)) : -1;
        const int n = pcap_dispatch(pcap, limit, writePacket, reinterpret_cast<u_char *>(&state));
        if (n == PCAP_ERROR) {
            code =
                fail(exitFailed,
                     QStringLiteral("capture on %1 failed: %2").arg(iface, QString::fromLocal8Bit(pcap_geterr(pcap))));
            break;
        }
        // Flush per batch, like tcpdump -U: the reader analyzes as packets arrive.
        if (pcap_dump_flush(state.dumper) != 0 || std::ferror(stdout))
            break; // the reader went away
    }
    // Packets already in the kernel's buffer when the stop came still belong to the capture.
    while (code == exitOk && !std::ferror(stdout) && (count <= 0 || state.packets < count) &&
           pcap_dispatch(pcap, count > 0 ? int(qMin<qint64>(count - state.packets, 1 << 20)) : -1, writePacket,
                         reinterpret_cast<u_char *>(&state)) > 0) {
    }
    pcap_stat stats{};
    const bool haveStats = pcap_stats(pcap, &stats) == 0;
    pcap_dump_flush(state.dumper);
    pcap_dump_close(state.dumper);
    pcap_close(pcap);
    err() << "docserver-doctor-capture: " << state.packets << " packets captured";
    if (haveStats)
        err() << ", " << stats.ps_drop << " dropped by the kernel";
    err() << Qt::endl;
    return code;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("docserver-doctor-capture"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Privileged capture helper of DocServer Doctor (needs CAP_NET_RAW).\n\n"
                       "  interfaces                         list interfaces\n"
                       "  check-filter BPF                   check a capture filter\n"
                       "  capture --iface IF --filter BPF [--duration S] [--count N]\n"
                       "                                     write a pcap stream to stdout\n\n"
                       "Exit codes: 0 ok, 2 bad usage or missing privilege, 3 capture failed."));
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("interfaces, check-filter or capture"));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption ifaceOpt(QStringLiteral("iface"), QStringLiteral("Interface to capture on."),
                                      QStringLiteral("IF"));
    const QCommandLineOption filterOpt(QStringLiteral("filter"), QStringLiteral("BPF capture filter (required)."),
                                       QStringLiteral("BPF"));
    const QCommandLineOption durationOpt(QStringLiteral("duration"), QStringLiteral("Stop after S seconds."),
                                         QStringLiteral("S"));
    const QCommandLineOption countOpt(QStringLiteral("count"), QStringLiteral("Stop after N packets."),
                                      QStringLiteral("N"));
    parser.addOptions({help, ifaceOpt, filterOpt, durationOpt, countOpt});
    if (!parser.parse(QCoreApplication::arguments()))
        return fail(exitUsage, parser.errorText() + QStringLiteral(" (see --help)"));
    if (parser.isSet(help)) {
        QTextStream(stdout) << parser.helpText();
        return exitOk;
    }
    const QStringList words = parser.positionalArguments();
    const QString command = words.value(0);
    if (command == QLatin1String("interfaces") && words.size() == 1)
        return listInterfaces();
    if (command == QLatin1String("check-filter") && words.size() == 2)
        return checkFilter(words.at(1));
    if (command == QLatin1String("capture") && words.size() == 1) {
        if (!parser.isSet(ifaceOpt) || !parser.isSet(filterOpt))
            return fail(exitUsage, QStringLiteral("capture needs --iface IF and --filter BPF"));
        bool ok = true;
        const double duration = parser.isSet(durationOpt) ? parser.value(durationOpt).toDouble(&ok) : 0;
        if (!ok || duration < 0)
            return fail(exitUsage, QStringLiteral("--duration needs seconds, not '%1'").arg(parser.value(durationOpt)));
        const qint64 count = parser.isSet(countOpt) ? parser.value(countOpt).toLongLong(&ok) : 0;
        if (!ok || count < 0)
            return fail(exitUsage, QStringLiteral("--count needs a number, not '%1'").arg(parser.value(countOpt)));
        return capture(parser.value(ifaceOpt), parser.value(filterOpt), duration, count);
    }
    return fail(exitUsage, QStringLiteral("usage: docserver-doctor-capture interfaces | check-filter BPF | capture "
                                          "--iface IF --filter BPF [--duration S] [--count N]"));
}
