#pragma once
// Reads the node's meetings from its own BBB (getMeetings, signed with securitySalt) when the
// dispatcher asks for a seed, on a thread of its own, retrying with backoff until it gets an
// answer, a newer request supersedes it or the agent stops.

#include "backoff.hpp"
#include "http_client.hpp"
#include "meeting_table.hpp"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace b3s::agent {

class MeetingsSeeder {
public:
    using Deliver = std::function<void(std::uint64_t generation, MeetingSnapshot snapshot)>;

    /// `api_url`: the BBB API URL (…/bigbluebutton/api/). Throws std::invalid_argument when it
    /// is not an http(s) URL.
    MeetingsSeeder(const std::string& api_url, std::string secret, Deliver deliver, BackoffPolicy retry = {});
    ~MeetingsSeeder();

    void start();
    void stop();
    /// Asks for a snapshot for `generation` (replacing an older request). Never blocks.
    void request(std::uint64_t generation);

private:
    void run(std::stop_token stop);

    std::string api_path_;  ///< path of the API URL, ends with '/'
    std::string secret_;
    Deliver deliver_;
    BackoffPolicy retry_;
    std::unique_ptr<HttpClient> client_;

    std::mutex mutex_;
    std::condition_variable_any wake_;
    std::uint64_t wanted_ = 0;
    std::jthread thread_;  ///< last
};

}  // namespace b3s::agent
