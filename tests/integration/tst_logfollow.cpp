// LogFollower against real file operations: a writer thread appends numbered lines at about
// 10,000 lines/s while the test renames, copies-and-truncates, or deletes the file, the way
// logrotate does. Every line must arrive exactly once, in order.
#include "logs/logfollower.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

using namespace dd;

namespace {

// Appends "seq=N" lines to a path with O_APPEND, reopening the path when asked (a logger's
// reaction to SIGHUP / postrotate), pacing itself to about `perSecond`.
class Writer
{
public:
    Writer(const QString &path, int total, int perSecond)
        : m_path(QFile::encodeName(path)), m_total(total), m_perSecond(perSecond)
    {
    }
    ~Writer() { join(); }

    void start()
    {
        m_thread = std::thread([this] { run(); });
    }
    void join()
    {
        if (m_thread.joinable())
            m_thread.join();
    }
    void requestReopen() { m_reopen.store(true); }
    int written() const { return m_written.load(); }
    bool done() const { return m_done.load(); }
    std::mutex &lock() { return m_lock; }

private:
    void run()
    {
        int fd = ::open(m_path.constData(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < m_total && fd >= 0; ++i) {
            if (m_reopen.exchange(false)) {
                ::close(fd);
                fd = ::open(m_path.constData(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            }
            const QByteArray line = "2024/10/22 13:51:56 [error] 1#1: *" + QByteArray::number(i) +
                                    " connect() failed (111: Connection refused) while connecting to upstream, "
                                    "client: 10.0.0.1, server: , request: \"GET /seq=" +
                                    QByteArray::number(i) +
                                    " HTTP/1.1\", upstream: \"http://127.0.0.1:8000/\", host: \"d\"\n";
            {
                const std::lock_guard<std::mutex> guard(m_lock);
                if (::write(fd, line.constData(), size_t(line.size())) != line.size())
                    break;
                m_written.store(i + 1);
            }
            const qint64 due = qint64(i + 1) * 1000 / m_perSecond;
            if (clock.elapsed() < due)
                std::this_thread::sleep_for(std::chrono::milliseconds(due - clock.elapsed()));
        }
        if (fd >= 0)
            ::close(fd);
        m_done.store(true);
    }

    QByteArray m_path;
    int m_total;
    int m_perSecond;
    std::thread m_thread;
    std::atomic<bool> m_reopen{false};
    std::atomic<int> m_written{0};
    std::atomic<bool> m_done{false};
    std::mutex m_lock;
};

// Collects the sequence numbers of the lines a follower emits.
class Collector : public QObject
{
public:
    explicit Collector(LogFollower *follower)
    {
        connect(follower, &LogFollower::linesClassified, this, [this](const QList<ClassifiedLine> &lines) {
            static const QRegularExpression seq(QStringLiteral("/seq=(\\d+) "));
            for (const ClassifiedLine &l : lines) {
                const QRegularExpressionMatch m = seq.match(l.text);
                if (m.hasMatch())
                    numbers.append(m.captured(1).toInt());
                causes.append(l.causeId);
                texts.append(l.text);
            }
        });
    }
    // Empty when numbers are exactly 0..count-1 in order; otherwise what is wrong.
    QString checkSequence(int count) const
    {
        if (numbers.size() != count)
            return QStringLiteral("got %1 lines, expected %2").arg(numbers.size()).arg(count);
        for (int i = 0; i < count; ++i) {
            if (numbers.at(i) != i)
                return QStringLiteral("line %1 is seq %2").arg(i).arg(numbers.at(i));
        }
        return QString();
    }
    QList<int> numbers;
    QStringList causes;
    QStringList texts;
};

} // namespace

class TestLogFollow : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void rotation_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("rename and recreate") << QStringLiteral("rename");
        QTest::newRow("copytruncate") << QStringLiteral("copytruncate");
        QTest::newRow("delete and recreate") << QStringLiteral("delete");
    }
    void rotation()
    {
        QFETCH(QString, how);
        const QString file = path(how + QStringLiteral(".log"));
        constexpr int total = 12000;
        LogFollower follower;
        follower.setFromStart(true);
        Collector collector(&follower);
        QSignalSpy rotated(&follower, &LogFollower::fileRotated);
        QSignalSpy truncated(&follower, &LogFollower::fileTruncated);
        QFile::remove(file);
        QVERIFY(QFile(file).open(QIODevice::WriteOnly)); // exists before following starts
        follower.follow({file});
        Writer writer(file, total, 10000);
        writer.start();
        for (int round = 1; round <= 3; ++round) {
            QTRY_VERIFY_WITH_TIMEOUT(writer.written() >= round * total / 4, 10000);
            const QString rotatedName = file + QLatin1Char('.') + QString::number(round);
            if (how == QLatin1String("rename")) {
                QVERIFY(QFile::rename(file, rotatedName));
                QTest::qSleep(20); // the writer keeps appending to the renamed file for a while
                writer.requestReopen();
            } else if (how == QLatin1String("delete")) {
                QVERIFY(QFile::remove(file));
                QTest::qSleep(20);
                writer.requestReopen();
            } else {
                // copytruncate loses what is written between the copy and the truncation for
                // every reader; the writer is held for that moment, and the follower has read
                // all before it, so no line may go missing here.
                const std::lock_guard<std::mutex> hold(writer.lock());
                QTRY_COMPARE_WITH_TIMEOUT(qsizetype(collector.numbers.size()), qsizetype(writer.written()), 10000);
                QVERIFY(QFile::copy(file, rotatedName));
                QVERIFY(QFile::resize(file, 0));
            }
        }
        QTRY_VERIFY_WITH_TIMEOUT(writer.done(), 20000);
        writer.join();
        QTRY_COMPARE_WITH_TIMEOUT(qsizetype(collector.numbers.size()), qsizetype(total), 10000);
        const QString problem = collector.checkSequence(total);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        if (how == QLatin1String("copytruncate"))
            QVERIFY(truncated.size() >= 1);
        else
            QCOMPARE(rotated.size(), 3);
        QCOMPARE(collector.causes.constFirst(), QStringLiteral("ds-docservice-down"));
        follower.stop();
    }

    void classifiesAppendedLinesWithin100ms()
    {
        const QString file = path(QStringLiteral("latency.log"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered));
        out.write("old line that must not be reported\n");
        LogFollower follower; // starts at the end
        QElapsedTimer clock;
        QList<qint64> latencies;
        connect(&follower, &LogFollower::linesClassified, this, [&](const QList<ClassifiedLine> &lines) {
            for (const ClassifiedLine &l : lines) {
                QVERIFY2(!l.text.startsWith(QLatin1String("old line")), "read from the start");
                if (l.causeId == QLatin1String("rabbitmq-unreachable"))
                    latencies << clock.elapsed();
            }
        });
        follower.follow({file});
        for (int i = 0; i < 5; ++i) {
            clock.start();
            out.write("[2024-10-22T13:51:56.259] [ERROR] nodeJS - [AMQP] Error: connect ECONNREFUSED 127.0.0.1:5672\n");
            QTRY_COMPARE_WITH_TIMEOUT(latencies.size(), i + 1, 5000);
        }
        std::sort(latencies.begin(), latencies.end());
        QVERIFY2(latencies.at(2) < 100, qPrintable(QStringLiteral("median latency %1 ms").arg(latencies.at(2))));
        follower.stop();
    }

    void stackTraceStaysWithItsLine()
    {
        const QString file = path(QStringLiteral("stack.log"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
        LogFollower follower;
        Collector collector(&follower);
        follower.follow({file});
        out.write("[2025-04-30T08:00:01.001] [ERROR] [localhost] [docId] [userId] nodeJS - [AMQP] Error: read "
                  "ECONNRESET\n    at TCP.onStreamRead (node:internal/stream_base_commons:217:20)\n");
        QTRY_COMPARE_WITH_TIMEOUT(collector.causes.size(), 1, 5000);
        QCOMPARE(collector.causes.constFirst(), QStringLiteral("rabbitmq-41-frame-max"));
        QVERIFY(collector.texts.constFirst().contains(QLatin1String("\n    at TCP.onStreamRead")));
        follower.stop();
    }

    void picksUpNewFilesMatchingAGlob()
    {
        const QString root = path(QStringLiteral("glob"));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/docservice")));
        QFile first(root + QStringLiteral("/docservice/out.log"));
        QVERIFY(first.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
        LogFollower follower;
        Collector collector(&follower);
        QSignalSpy opened(&follower, &LogFollower::fileOpened);
        follower.follow({root + QStringLiteral("/*/out.log")});
        QCOMPARE(opened.size(), 1);
        // A directory and a file that appear later are followed from their first line.
        QVERIFY(QDir().mkpath(root + QStringLiteral("/converter")));
        QFile second(root + QStringLiteral("/converter/out.log"));
        QVERIFY(second.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
        second.write(
            "[2024-10-22T13:51:56.259] [ERROR] [localhost] [docId] [userId] nodeJS - createTaskQueue error: x\n");
        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 2, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(collector.causes.size(), 1, 5000);
        QCOMPARE(collector.causes.constFirst(), QStringLiteral("rabbitmq-unreachable"));
        QVERIFY(follower.followedFiles().contains(second.fileName()));
        QFile ignored(root + QStringLiteral("/converter/err.log"));
        QVERIFY(ignored.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
        ignored.write("[2024-10-22T13:51:56.259] [ERROR] nodeJS - createTaskQueue error: y\n");
        first.write("[2024-10-22T13:51:56.259] [ERROR] nodeJS - editorData error: z\n");
        QTRY_COMPARE_WITH_TIMEOUT(collector.causes.size(), 2, 5000);
        QCOMPARE(collector.causes.at(1), QStringLiteral("redis-unreachable"));
        follower.stop();
    }

    void survivesHugeLinesAndBinary()
    {
        const QString file = path(QStringLiteral("huge.log"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
        LogFollower follower;
        Collector collector(&follower);
        QSignalSpy problems(&follower, &LogFollower::problemFound);
        follower.follow({file});
        out.write(QByteArray(3 << 20, 'x') + '\n');
        out.write(QByteArray("\x00\x01\xff\xfe binary\n", 12));
        out.write(
            "2024/10/22 13:51:56 [error] 1#1: *2 no live upstreams while connecting to upstream, client: 1.1.1.1, "
            "server: , request: \"GET / HTTP/1.1\", upstream: \"http://docservice/\", host: \"h\"\n");
        QTRY_COMPARE_WITH_TIMEOUT(collector.causes.size(), 3, 5000);
        QCOMPARE(collector.causes.at(2), QStringLiteral("no-live-upstreams"));
        QVERIFY(collector.texts.at(0).size() <= 4096);
        QVERIFY(problems.size() >= 2); // one line each: the cut line, the binary data
        follower.stop();
    }

    void missingFileIsWaitedFor()
    {
        const QString file = path(QStringLiteral("later.log"));
        LogFollower follower;
        Collector collector(&follower);
        follower.follow({file});
        QVERIFY(follower.followedFiles().isEmpty());
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
        out.write("2024/10/22 13:51:56 [error] 1#1: *2 upstream prematurely closed connection while reading response "
                  "header from upstream, client: 1.1.1.1, server: , request: \"GET / HTTP/1.1\", upstream: "
                  "\"http://127.0.0.1:8000/\", host: \"h\"\n");
        QTRY_COMPARE_WITH_TIMEOUT(collector.causes.size(), 1, 5000);
        QCOMPARE(collector.causes.constFirst(), QStringLiteral("upstream-prematurely-closed"));
        follower.stop();
    }
};

QTEST_GUILESS_MAIN(TestLogFollow)
#include "tst_logfollow.moc"
