#include "callbacks/callback_dispatcher.hpp"

#include "log/logger.hpp"
#include "util/url_redaction.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>

namespace b3s::core::callbacks {
namespace {

log::Logger& dispatchLog() {
    static log::Logger l("b3s.core.callbacks");
    return l;
}

// For logs: scheme, host and path (never userinfo); the query may carry a frontend's own tokens.
std::string withoutQuery(const std::string& url) {
    try {
        Poco::URI uri(url);
        return redactUserinfo(uri.getScheme() + "://" + uri.getAuthority() + uri.getPath());
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

bool CallbackDispatcher::push(Job job) {
    {
        std::lock_guard lock(mutex_);
        if (jobs_.size() >= options_.max_queued) {
            dispatchLog().warn("callback_queue_full", {{"url", withoutQuery(job.request.url)}});
            return false;
        }
        job.due = std::chrono::steady_clock::now();
        jobs_.push_back(std::move(job));
    }
    wake_.notify_all();
    return true;
}

bool CallbackDispatcher::enqueue(std::string url) {
    Job job;
    job.request.url = std::move(url);
    return push(std::move(job));
}

bool CallbackDispatcher::enqueuePost(std::string url, std::string body, std::string content_type) {
    Job job;
    job.request.method = "POST";
    job.request.url = std::move(url);
    job.request.body = std::move(body);
    job.request.content_type = std::move(content_type);
    return push(std::move(job));
}

std::size_t CallbackDispatcher::delivered() const {
    std::lock_guard lock(mutex_);
    return delivered_;
}

std::size_t CallbackDispatcher::abandoned() const {
    std::lock_guard lock(mutex_);
    return abandoned_;
}

std::size_t CallbackDispatcher::gone() const {
    std::lock_guard lock(mutex_);
    return gone_;
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
        const auto result = client_.call(job.request);
        const bool ok = result.ok() && result.response->status < 400;
        lock.lock();
        if (ok) {
            ++delivered_;
            continue;
        }
        if (result.ok() && result.response->status == 410) {
            ++gone_;
            dispatchLog().info("callback_gone", {{"url", withoutQuery(job.request.url)}});
            continue;
        }
        const std::string why = result.ok() ? "HTTP " + std::to_string(result.response->status) : result.error.message;
        if (static_cast<std::size_t>(job.attempt) >= options_.retry_delays.size()) {
            ++abandoned_;
            dispatchLog().warn("callback_abandoned", {{"url", withoutQuery(job.request.url)},
                                                      {"attempts", std::to_string(job.attempt + 1)},
                                                      {"error", why}});
            continue;
        }
        job.due = std::chrono::steady_clock::now() + options_.retry_delays[static_cast<std::size_t>(job.attempt)];
        ++job.attempt;
        dispatchLog().info(
            "callback_retry",
            {{"url", withoutQuery(job.request.url)}, {"attempt", std::to_string(job.attempt)}, {"error", why}});
        jobs_.push_back(std::move(job));
    }
}

}  // namespace b3s::core::callbacks
