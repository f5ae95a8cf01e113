#pragma once
// BBB's event stream: POCO's Redis client pattern-subscribed (PSUBSCRIBE) to
// `*akka-apps-redis-channel` on bbb-web's redis (redisHost, redisPort, redisPassword). The
// reading thread only reads and hands each message on (Callbacks::message must not block), so
// the agent never holds up BBB's redis: redis keeps a slow subscriber's backlog in its own
// output buffer and drops the subscriber when it grows too large, which this reader never
// lets happen. When the connection fails it is opened again with backoff.
//
// Stopping: POCO's client has no way to interrupt a blocking read, so stop() sends PING on the
// subscribed connection (allowed in subscribed mode) and the reader, woken by the "pong",
// sees the stop; writing from a second thread is safe because the client's output and input
// streams are separate and only the reader reads.

#include "backoff.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace Poco::Redis {
class Client;
}

namespace b3s::agent {

struct RedisEndpoint {
    std::string host = "localhost";
    int port = 6379;
    std::string password;  ///< never logged
};

class RedisSubscriber {
public:
    struct Callbacks {
        std::function<void()> subscribed;              ///< after every (re)subscription
        std::function<void(std::string)> message;      ///< each message's payload
        std::function<void(const std::string&)> lost;  ///< the connection failed (reason)
    };

    RedisSubscriber(RedisEndpoint endpoint, std::string pattern, Callbacks callbacks, BackoffPolicy retry = {});
    ~RedisSubscriber();

    void start();
    /// Returns when the reading thread has ended.
    void stop();

private:
    void run(std::stop_token stop);
    /// Connects, authenticates and subscribes; returns the client for the reader.
    std::shared_ptr<Poco::Redis::Client> subscribe();
    void readMessages(Poco::Redis::Client& client, std::stop_token stop);

    RedisEndpoint endpoint_;
    std::string pattern_;
    Callbacks callbacks_;
    BackoffPolicy retry_;

    std::mutex client_mutex_;
    std::shared_ptr<Poco::Redis::Client> client_;  ///< while subscribed: stop() writes PING to it
    std::jthread thread_;                          ///< last
};

}  // namespace b3s::agent
