#include "signal_watch.hpp"

#include "agent_log.hpp"
#include "exit_codes.hpp"

#include "os/process_signals.hpp"

#include <csignal>
#include <cstdlib>

#include <pthread.h>

namespace b3s::agent {

using core::os::ProcessSignals;

SignalWatch::SignalWatch(std::function<void(int)> on_stop) : on_stop_(std::move(on_stop)) {
    ProcessSignals::block();
    thread_ = std::thread([this] {
        bool stopping = false;
        for (;;) {
            const auto received = ProcessSignals::wait();
            if (closing_) return;
            if (received.request == ProcessSignals::Request::Reload) {
                agentLog().info("reload_ignored", {{"signal", ProcessSignals::name(received.signal)},
                                                   {"hint", "the agent reads its configuration at start; restart it"}});
                continue;
            }
            if (stopping) {
                agentLog().warn("stop_forced", {{"signal", ProcessSignals::name(received.signal)}});
                std::_Exit(kExitOk);
            }
            stopping = true;
            agentLog().info("stopping", {{"signal", ProcessSignals::name(received.signal)}});
            on_stop_(received.signal);
        }
    });
}

SignalWatch::~SignalWatch() {
    closing_ = true;
    // The thread may still wait in sigwait: hand it a signal of its set (it is blocked, so
    // only sigwait can take it). When it has returned already, the thread id is gone and
    // nothing is sent.
    if (thread_.joinable()) {
        pthread_kill(thread_.native_handle(), SIGQUIT);
        thread_.join();
    }
}

}  // namespace b3s::agent
