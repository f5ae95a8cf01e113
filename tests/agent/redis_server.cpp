#include "redis_server.hpp"

#include "child_spawn.hpp"
#include "gateway_cluster.hpp"  // freePort
#include "temp_dir.hpp"

#include <Poco/Exception.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <sys/wait.h>

namespace b3s::agent::test {

RedisServer::RedisServer(int port, std::string password)
    : dir_(b3s::test::makeTempDir("redis")),
      port_(port != 0 ? port : b3s::test::freePort()),
      password_(std::move(password)) {
    start();
}

RedisServer::~RedisServer() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
}

void RedisServer::start() {
    std::vector<std::string> args = {
        "--port", std::to_string(port_), "--bind",      "127.0.0.1", "--save",    "", "--appendonly", "no",
        "--dir",  dir_.string(),         "--daemonize", "no",        "--logfile", ""};
    if (!password_.empty()) {
        args.push_back("--requirepass");
        args.push_back(password_);
    }
    ++starts_;
    const auto log = dir_ / ("redis-" + std::to_string(starts_) + ".log");
    pid_ = b3s::test::spawnChild({"/usr/bin/redis-server", args, {}, dir_, "/dev/null", log, log});
    waitUntilAnswering();
}

void RedisServer::waitUntilAnswering() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        try {
            Poco::Redis::Client client;
            client.connect("127.0.0.1", port_, Poco::Timespan(1, 0));
            if (!password_.empty()) {
                Poco::Redis::Array auth;
                auth << "AUTH" << password_;
                client.execute<std::string>(auth);
            }
            Poco::Redis::Array ping;
            ping << "PING";
            if (client.execute<std::string>(ping) == "PONG") return;
        } catch (const Poco::Exception&) {
        }
        if (!running()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "redis-server did not start on port " << port_ << ":\n" << logText();
    throw std::runtime_error("redis-server did not start");
}

bool RedisServer::running() {
    if (pid_ <= 0) return false;
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
    }
    return true;
}

void RedisServer::kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

void RedisServer::restart() {
    kill();
    start();
}

namespace {

void connectTo(Poco::Redis::Client& client, int port, const std::string& password) {
    client.connect("127.0.0.1", port, Poco::Timespan(5, 0));
    if (!password.empty()) {
        Poco::Redis::Array auth;
        auth << "AUTH" << password;
        client.execute<std::string>(auth);
    }
}

}  // namespace

long long RedisServer::publish(const std::string& channel, const std::string& message) {
    Poco::Redis::Client client;
    connectTo(client, port_, password_);
    Poco::Redis::Array cmd;
    cmd << "PUBLISH" << channel << message;
    return client.execute<Poco::Int64>(cmd);
}

void RedisServer::publishAll(const std::string& channel, const std::vector<std::string>& messages) {
    Poco::Redis::Client client;
    connectTo(client, port_, password_);
    constexpr std::size_t kBatch = 500;
    for (std::size_t i = 0; i < messages.size(); i += kBatch) {
        std::vector<Poco::Redis::Array> batch;
        for (std::size_t j = i; j < std::min(messages.size(), i + kBatch); ++j) {
            Poco::Redis::Array cmd;
            cmd << "PUBLISH" << channel << messages[j];
            batch.push_back(std::move(cmd));
        }
        client.sendCommands(batch);
    }
}

long long RedisServer::patternSubscriptions() {
    Poco::Redis::Client client;
    connectTo(client, port_, password_);
    Poco::Redis::Array cmd;
    cmd << "PUBSUB"
        << "NUMPAT";
    return client.execute<Poco::Int64>(cmd);
}

std::string RedisServer::logText() const {
    std::string text;
    for (int i = 1; i <= starts_; ++i) {
        std::ifstream in(dir_ / ("redis-" + std::to_string(i) + ".log"));
        std::stringstream s;
        s << in.rdbuf();
        text += s.str();
    }
    return text;
}

}  // namespace b3s::agent::test
