#include "fake_bbb/callback_dispatcher.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <sstream>

namespace b3s::test::bbb {

CallbackDispatcher::CallbackDispatcher(std::chrono::milliseconds timeout)
    : timeout_(timeout), worker_([this] { run(); }) {}

CallbackDispatcher::~CallbackDispatcher() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
    }
    changed_.notify_all();
    worker_.join();
}

void CallbackDispatcher::enqueue(std::string url) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        queue_.push_back(std::move(url));
    }
    changed_.notify_all();
}

std::vector<CallbackRecord> CallbackDispatcher::delivered() const {
    std::lock_guard lock(mutex_);
    return delivered_;
}

bool CallbackDispatcher::waitFor(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return delivered_.size() >= count; });
}

void CallbackDispatcher::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        std::string url = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        CallbackRecord record = deliver(url);
        lock.lock();
        delivered_.push_back(std::move(record));
        changed_.notify_all();
    }
}

CallbackRecord CallbackDispatcher::deliver(const std::string& url) const {
    CallbackRecord record;
    record.url = url;
    try {
        const Poco::URI uri(url);
        if (uri.getScheme() != "http") {
            // The fake speaks plain HTTP only; tests listen on loopback.
            record.error = "unsupported scheme: " + uri.getScheme();
            return record;
        }
        Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
        session.setTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(timeout_).count()));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("User-Agent", "fake-bbb-callback");
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& body = session.receiveResponse(response);
        std::ostringstream sink;
        Poco::StreamCopier::copyStream(body, sink);
        record.status = static_cast<int>(response.getStatus());
    } catch (const Poco::Exception& e) {
        // Best effort, like bbb-web: a failed callback is recorded, never retried.
        record.error = e.displayText();
    }
    return record;
}

}  // namespace b3s::test::bbb
