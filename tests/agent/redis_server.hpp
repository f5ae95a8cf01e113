#pragma once
// A real redis-server (Debian's package) for the agent's integration tests: on 127.0.0.1 on a
// free port, in a throwaway directory, nothing saved (--save ''), stopped with the test. It
// can be killed and started again on the same port, as BBB's redis restarting.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

namespace b3s::agent::test {

class RedisServer {
public:
    /// Starts redis-server on a free port (or `port`) and waits until it answers PING.
    /// Fails the test (and throws) when it does not start within 10 s.
    explicit RedisServer(int port = 0, std::string password = {});
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    int port() const noexcept { return port_; }
    const std::string& password() const noexcept { return password_; }
    bool running();

    /// SIGKILL, as a crash: the agent's connection breaks without a goodbye.
    void kill();
    /// Starts it again on the same port.
    void restart();

    /// PUBLISH `message` on `channel`; returns the number of subscribers that got it.
    long long publish(const std::string& channel, const std::string& message);
    /// PUBLISH every message on `channel`, pipelined in batches, in order.
    void publishAll(const std::string& channel, const std::vector<std::string>& messages);
    /// The number of pattern subscriptions (PUBSUB NUMPAT).
    long long patternSubscriptions();

    std::string logText() const;

private:
    void start();
    void waitUntilAnswering();

    std::filesystem::path dir_;
    int port_ = 0;
    std::string password_;
    pid_t pid_ = -1;
    int starts_ = 0;
};

/// The channel akka-apps publishes its events on.
inline const std::string kAkkaAppsChannel = "from-akka-apps-redis-channel";

}  // namespace b3s::agent::test
