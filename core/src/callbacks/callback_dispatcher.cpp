#include "callbacks/callback_dispatcher.hpp"

#include "log/logger.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>

namespace b3s::core::callbacks {
namespace {

log::Logger& dispatchLog() {
    static log::Logger l("b3s.core.callbacks");
    return l;
}

// For logs: scheme, host and path; the query may carry a frontend's own tokens.
std::string withoutQuery(const std::string& url) {
    try {
        Poco::URI uri(url);
        return uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
    } catch (const Poco::Exception&) {
        return "(unparsable URL)";
    }
}

}  // namespace

CallbackDispatcher::CallbackDispatcher(cluster::BackendClient& client, DispatcherOptions options)
    : client_(client), options_(std::move(options)) {
    worker_ = std::thread([this] { work(); });
}

CallbackDispatcher::~CallbackDispatcher() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        if (!jobs_.empty()) dispatchLog().warn("callbacks_dropped", {{"count", std::to_string(jobs_.size())}});
    }
    wake_.notify_all();
    worker_.join();
}

bool CallbackDispatcher::enqueue(std::string url) {
    {
        std::lock_guard lock(mutex_);
        if (jobs_.size() >= options_.max_queued) {
            dispatchLog().warn("callback_queue_full", {{"url", withoutQuery(url)}});
            return false;
        }
        jobs_.push_back({std::move(url), 0, std::chrono::steady_clock::now()});
    }
    wake_.notify_all();
    return true;
}

std::size_t CallbackDispatcher::delivered() const {
    std::lock_guard lock(mutex_);
    return delivered_;
}

std::size_t CallbackDispatcher::abandoned() const {
    std::lock_guard lock(mutex_);
    return abandoned_;
}

void CallbackDispatcher::work() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (jobs_.empty()) {
            wake_.wait(lock);
            continue;
        }
        auto next =
            std::min_element(jobs_.begin(), jobs_.end(), [](const Job& a, const Job& b) { return a.due < b.due; });
        if (next->due > std::chrono::steady_clock::now()) {
            wake_.wait_until(lock, next->due);
            continue;
        }
        Job job = std::move(*next);
        jobs_.erase(next);
        lock.unlock();
        cluster::BackendRequest request;
        request.url = job.url;
        const auto result = client_.call(request);
        const bool ok = result.ok() && result.response->status < 400;
        lock.lock();
        if (ok) {
            ++delivered_;
            continue;
        }
        const std::string why = result.ok() ? "HTTP " + std::to_string(result.response->status) : result.error.message;
        if (static_cast<std::size_t>(job.attempt) >= options_.retry_delays.size()) {
            ++abandoned_;
            dispatchLog().warn(
                "callback_abandoned",
                {{"url", withoutQuery(job.url)}, {"attempts", std::to_string(job.attempt + 1)}, {"error", why}});
            continue;
        }
        job.due = std::chrono::steady_clock::now() + options_.retry_delays[static_cast<std::size_t>(job.attempt)];
        ++job.attempt;
        dispatchLog().info("callback_retry",
                           {{"url", withoutQuery(job.url)}, {"attempt", std::to_string(job.attempt)}, {"error", why}});
        jobs_.push_back(std::move(job));
    }
}

}  // namespace b3s::core::callbacks
