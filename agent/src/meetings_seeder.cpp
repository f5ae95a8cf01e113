#include "meetings_seeder.hpp"

#include "agent_log.hpp"
#include "command_line.hpp"
#include "get_meetings.hpp"
#include "interruptible_wait.hpp"
#include "log_throttle.hpp"

namespace b3s::agent {

MeetingsSeeder::MeetingsSeeder(const std::string& api_url, std::string secret, Deliver deliver, BackoffPolicy retry)
    : secret_(std::move(secret)), deliver_(std::move(deliver)), retry_(retry) {
    auto origin = HttpOrigin::parse(api_url);
    api_path_ = origin.base_path + "/";
    origin.base_path.clear();
    client_ = std::make_unique<HttpClient>(std::move(origin), std::chrono::seconds(10),
                                           HttpHeaders{{"User-Agent", userAgent()}});
}

MeetingsSeeder::~MeetingsSeeder() {
    stop();
}

void MeetingsSeeder::start() {
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void MeetingsSeeder::stop() {
    if (!thread_.joinable()) return;
    thread_.request_stop();
    client_->interrupt();
    thread_.join();
}

void MeetingsSeeder::request(std::uint64_t generation) {
    {
        std::lock_guard lock(mutex_);
        wanted_ = generation;
    }
    wake_.notify_one();
}

void MeetingsSeeder::run(std::stop_token stop) {
    Backoff backoff(retry_);
    LogThrottle failure_log;
    std::uint64_t done = 0;
    while (!stop.stop_requested()) {
        std::uint64_t generation = 0;
        {
            std::unique_lock lock(mutex_);
            if (!wake_.wait(lock, stop, [&] { return wanted_ != done; })) return;
            generation = wanted_;
        }
        std::string error;
        try {
            const auto reply = client_->send("GET", getMeetingsUrl(api_path_, secret_));
            if (reply.status == 200) {
                if (auto snapshot = parseGetMeetings(reply.body, error)) {
                    deliver_(generation, std::move(*snapshot));
                    done = generation;
                    backoff.reset();
                    failure_log.reset();
                    continue;
                }
            } else {
                error = "HTTP " + std::to_string(reply.status);
            }
        } catch (const HttpUnreachable& e) {
            error = e.what();
        }
        if (stop.stop_requested()) return;
        const auto delay = backoff.next();
        if (const auto suppressed = failure_log.allow())
            seedLog().warn("meetings_seed_failed", {{"error", error},
                                                    {"retry_in_ms", std::to_string(delay.count())},
                                                    {"suppressed", std::to_string(*suppressed)}});
        waitFor(stop, delay);
    }
}

}  // namespace b3s::agent
