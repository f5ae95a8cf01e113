#pragma once
// Runs the command queue (store::Command) on a thread of its own: claims the oldest due
// command (several instances never run one twice; a command whose instance died is taken
// over after its lease; one not started before its deadline ends as error "timedout"), runs
// it, records the result. The only action is b3scale's end_all_meetings {BackendID}: every
// meeting placed on the backend is ended there (BBB `end`) and forgotten; the first failure
// stops it with the error `end meeting failed: <messageKey>`.
//
// Thread-safety: start() and stop() from one thread.

#include "cluster/backend_api.hpp"
#include "cluster/cluster_state.hpp"
#include "store/store.hpp"

#include "util/clock.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace b3s::core::cluster {

class CommandRunner {
public:
    /// Every reference must outlive the runner.
    CommandRunner(store::Store& store, ClusterState& cluster, const BackendApi& api, const Clock& clock,
                  std::chrono::milliseconds poll_every = std::chrono::milliseconds(500));
    ~CommandRunner();
    CommandRunner(const CommandRunner&) = delete;
    CommandRunner& operator=(const CommandRunner&) = delete;

    void start();
    /// Waits for the command in progress (its backend calls are bounded by their timeouts).
    void stop();

    /// Claims and runs one command; false when none was due. Public for tests.
    bool runOne();

private:
    struct Outcome {
        bool succeeded = false;
        std::string result_json;
    };
    Outcome endAllMeetings(const store::Command& command);
    void loop();

    store::Store& store_;
    ClusterState& cluster_;
    const BackendApi& api_;
    const Clock& clock_;
    std::chrono::milliseconds poll_every_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace b3s::core::cluster
