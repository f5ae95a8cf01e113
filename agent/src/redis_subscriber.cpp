#include "redis_subscriber.hpp"

#include "agent_log.hpp"
#include "interruptible_wait.hpp"
#include "log_throttle.hpp"

#include <Poco/Exception.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <Poco/Redis/Exception.h>
#include <Poco/Redis/Type.h>

namespace b3s::agent {
namespace {

using Poco::Redis::Array;
using Poco::Redis::BulkString;
using Poco::Redis::RedisType;

/// Ends the connection's reading loop with a reason for the log.
struct ConnectionFailed {
    std::string reason;
};

std::string elementText(const Array& a, std::size_t i) {
    if (a.getType(i) == Poco::Redis::RedisTypeTraits<BulkString>::TypeId) {
        const auto value = a.get<BulkString>(i);
        return value.isNull() ? std::string() : value.value();
    }
    if (a.getType(i) == Poco::Redis::RedisTypeTraits<std::string>::TypeId) return a.get<std::string>(i);
    return {};
}

std::optional<Array> arrayOf(const RedisType::Ptr& reply) {
    if (reply.isNull()) return std::nullopt;
    if (reply->type() == Poco::Redis::RedisTypeTraits<Poco::Redis::Error>::TypeId)
        throw ConnectionFailed{"redis answered: " + reply->toString()};
    if (reply->type() != Poco::Redis::RedisTypeTraits<Array>::TypeId) return std::nullopt;
    const auto* a = dynamic_cast<const Poco::Redis::Type<Array>*>(reply.get());
    if (!a) return std::nullopt;
    return a->value();
}

}  // namespace

RedisSubscriber::RedisSubscriber(RedisEndpoint endpoint, std::string pattern, Callbacks callbacks, BackoffPolicy retry)
    : endpoint_(std::move(endpoint)), pattern_(std::move(pattern)), callbacks_(std::move(callbacks)), retry_(retry) {}

RedisSubscriber::~RedisSubscriber() {
    stop();
}

void RedisSubscriber::start() {
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void RedisSubscriber::stop() {
    if (!thread_.joinable()) return;
    thread_.request_stop();
    {
        std::lock_guard lock(client_mutex_);
        if (client_) {
            try {
                Array ping;
                ping << "PING"
                     << "b3scaleagent-stop";
                client_->execute<void>(ping);
                client_->flush();
            } catch (const Poco::Exception&) {
                // The connection is gone already: the reader is failing anyway.
            }
        }
    }
    thread_.join();
}

std::shared_ptr<Poco::Redis::Client> RedisSubscriber::subscribe() {
    auto client = std::make_shared<Poco::Redis::Client>();
    client->connect(endpoint_.host, endpoint_.port, Poco::Timespan(5, 0));
    if (!endpoint_.password.empty()) {
        Array auth;
        auth << "AUTH" << endpoint_.password;
        const auto reply = client->sendCommand(auth);
        if (reply->type() == Poco::Redis::RedisTypeTraits<Poco::Redis::Error>::TypeId)
            throw ConnectionFailed{"redis refused redisPassword: " + reply->toString()};
    }
    Array psubscribe;
    psubscribe << "PSUBSCRIBE" << pattern_;
    const auto confirmation = arrayOf(client->sendCommand(psubscribe));
    if (!confirmation || confirmation->size() < 1 || elementText(*confirmation, 0) != "psubscribe")
        throw ConnectionFailed{"redis did not confirm PSUBSCRIBE"};
    return client;
}

void RedisSubscriber::readMessages(Poco::Redis::Client& client, std::stop_token stop) {
    while (!stop.stop_requested()) {
        const auto message = arrayOf(client.readReply());
        if (!message || message->size() < 1) continue;
        const auto kind = elementText(*message, 0);
        if (kind == "pmessage" && message->size() >= 4)
            callbacks_.message(elementText(*message, 3));
        else if (kind == "message" && message->size() >= 3)
            callbacks_.message(elementText(*message, 2));
        // "pong" (stop() woke us) and subscription confirmations: nothing to do.
    }
}

void RedisSubscriber::run(std::stop_token stop) {
    Backoff backoff(retry_);
    LogThrottle failure_log;
    bool was_connected = false;
    const std::string where = endpoint_.host + ":" + std::to_string(endpoint_.port);
    while (!stop.stop_requested()) {
        std::string failure;
        bool subscribed = false;
        try {
            auto client = subscribe();
            {
                std::lock_guard lock(client_mutex_);
                client_ = client;
            }
            subscribed = true;
            if (!stop.stop_requested()) {
                redisLog().info(was_connected ? "redis_reconnected" : "redis_connected",
                                {{"redis", where}, {"pattern", pattern_}});
                was_connected = true;
                backoff.reset();
                failure_log.reset();
                callbacks_.subscribed();
                readMessages(*client, stop);
            }
        } catch (const ConnectionFailed& e) {
            failure = e.reason;
        } catch (const Poco::Exception& e) {
            failure = e.displayText();
        }
        {
            std::lock_guard lock(client_mutex_);
            if (client_) {
                try {
                    client_->disconnect();
                } catch (const Poco::Exception&) {
                    // Closing a socket that failed: nothing more to learn.
                }
            }
            client_.reset();
        }
        if (stop.stop_requested()) break;
        if (subscribed) callbacks_.lost(failure);
        const auto delay = backoff.next();
        if (const auto suppressed = failure_log.allow())
            redisLog().warn(subscribed ? "redis_lost" : "redis_unreachable",
                            {{"redis", where},
                             {"error", failure},
                             {"retry_in_ms", std::to_string(delay.count())},
                             {"suppressed", std::to_string(*suppressed)}});
        waitFor(stop, delay);
    }
}

}  // namespace b3s::agent
