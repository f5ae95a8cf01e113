#pragma once
// A scripted stand-in for b3scaled's REST API on loopback, for testing what b3scalectl sends
// and how it reads answers without a database: every request is recorded and answered by a
// function the test supplies.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace b3s::ctl::test {

struct StubRequest {
    std::string method;
    std::string path;   ///< without the query
    std::string query;  ///< raw, "" when none
    std::string body;
    std::string authorization;
};

struct StubReply {
    StubReply(int status_ = 200, std::string body_ = "{}") : status(status_), body(std::move(body_)) {}
    int status = 200;
    std::string body = "{}";
    std::string content_type = "application/json";
    std::string location;
};

class StubApiServer {
public:
    using Handler = std::function<StubReply(const StubRequest&)>;
    explicit StubApiServer(Handler handler);
    ~StubApiServer();

    std::string url() const;
    std::vector<StubRequest> requests() const;
    /// The requests other than the status call GET /api/v1 and the lookups (GET), in order:
    /// what changed something.
    std::vector<StubRequest> writes() const;

    class Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace b3s::ctl::test
