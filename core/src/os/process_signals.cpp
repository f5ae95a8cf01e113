#include "os/process_signals.hpp"

#include <cerrno>
#include <csignal>
#include <system_error>

#include <pthread.h>

namespace b3s::core::os {
namespace {

sigset_t handledSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGQUIT);
    sigaddset(&set, SIGHUP);
    return set;
}

}  // namespace

void ProcessSignals::block() {
    const sigset_t set = handledSignals();
    if (const int rc = pthread_sigmask(SIG_BLOCK, &set, nullptr); rc != 0)
        throw std::system_error(rc, std::generic_category(), "pthread_sigmask");
}

ProcessSignals::Received ProcessSignals::wait() {
    const sigset_t set = handledSignals();
    for (;;) {
        int signal = 0;
        const int rc = sigwait(&set, &signal);
        if (rc == EINTR) continue;
        if (rc != 0) throw std::system_error(rc, std::generic_category(), "sigwait");
        return {signal == SIGHUP ? Request::Reload : Request::Stop, signal};
    }
}

const char* ProcessSignals::name(int signal) noexcept {
    switch (signal) {
        case SIGINT: return "SIGINT";
        case SIGTERM: return "SIGTERM";
        case SIGQUIT: return "SIGQUIT";
        case SIGHUP: return "SIGHUP";
        default: return "signal";
    }
}

}  // namespace b3s::core::os
