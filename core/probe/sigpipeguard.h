#pragma once

// Internal to core/probe.

#include <csignal>
#include <ctime>
#include <pthread.h>

namespace dd {

/**
 * OpenSSL's socket BIO writes with write(2): an alert sent to a peer that already closed would
 * raise SIGPIPE and kill the process. Like curl, block it around OpenSSL calls and swallow a
 * SIGPIPE they caused (a library must not change the process's signal dispositions).
 */
class SigpipeGuard
{
public:
    SigpipeGuard()
    {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &set, &m_old);
        m_wasPending = isPending();
    }
    ~SigpipeGuard()
    {
        if (!m_wasPending && isPending()) {
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, SIGPIPE);
            const timespec zero = {0, 0};
            sigtimedwait(&set, nullptr, &zero);
        }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }
    SigpipeGuard(const SigpipeGuard &) = delete;
    SigpipeGuard &operator=(const SigpipeGuard &) = delete;

private:
    static bool isPending()
    {
        sigset_t pending;
        sigpending(&pending);
        return sigismember(&pending, SIGPIPE) == 1;
    }

    sigset_t m_old;
    bool m_wasPending = false;
};

} // namespace dd
