#pragma once
// What the soak's clients saw, sorted into kinds a frontend author would recognise
// ("SUCCESS", "FAILED notFound", "retry page", "no answer (Connection reset by peer)"), each
// marked expected or not, and counted per call and per chaos phase for the summary.

#include "b3scaled_process.hpp"

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace b3s::test::soak {

struct Outcome {
    std::string kind;
    bool expected = true;
};

/// How a frontend reads b3scaled's answer to `call`. `browser`: a join that redirects (a
/// user's browser follows it). `postgres_down`: PostgreSQL was stopped while the request ran,
/// the one time an HTTP 503 is an expected answer. Expected: SUCCESS, FAILED with the keys
/// a BBB client handles (internalError, notFound, invalidMeetingIdentifier,
/// serverUnavailable, meetingForciblyEnded), the redirect to a backend, the retry page, the
/// not-found and unavailable pages. Never expected: no answer (torn connection, timeout), HTTP
/// 500, a 200 that is not BBB XML, any other key or status, and b3scaled's generic
/// internalError (an exception it did not handle) while PostgreSQL was up.
Outcome classify(std::string_view call, bool browser, const HttpResult& result, bool postgres_down);

/// Thread-safe tally of outcomes.
class OutcomeTally {
public:
    explicit OutcomeTally(std::chrono::steady_clock::time_point start) : start_(start) {}

    void record(const std::string& call, const Outcome& outcome, const std::string& phase, int instance,
                const HttpResult& result, const std::string& what);

    std::size_t total() const;
    std::size_t unexpected() const;
    /// The first unexpected outcomes with their time, instance, phase and the answer's start.
    std::vector<std::string> unexpectedSamples() const;
    /// One line per (call, kind): count, expected or not, and the phases it came in.
    void print(std::ostream& out) const;

private:
    const std::chrono::steady_clock::time_point start_;
    mutable std::mutex mutex_;
    struct Count {
        std::size_t n = 0;
        bool expected = true;
        std::map<std::string, std::size_t> by_phase;
    };
    std::map<std::pair<std::string, std::string>, Count> counts_;  ///< (call, kind)
    std::size_t total_ = 0;
    std::size_t unexpected_ = 0;
    std::vector<std::string> samples_;
};

}  // namespace b3s::test::soak
