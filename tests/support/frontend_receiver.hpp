#pragma once
// A frontend's own HTTP endpoint for callback tests: records every request it gets (method,
// target, body) and answers with a status the test chooses. Served by b3scale's own
// HttpServer, whose shutdown joins its threads (POCO's HTTPServer may still be tearing a
// connection down when it is destroyed).

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace b3s::core::http {
class HttpServer;
}

namespace b3s::test {

struct ReceivedRequest {
    std::string method;
    std::string target;  ///< path + "?" + raw query
    std::string content_type;
    std::string body;
    std::string host;           ///< the Host header
    std::string authorization;  ///< the Authorization header, "" when none
};

class FrontendReceiver {
public:
    FrontendReceiver();  ///< 127.0.0.1, ephemeral port
    /// 127.0.0.1:`port` (e.g. one a callback URL named before the receiver came up).
    explicit FrontendReceiver(int port);
    ~FrontendReceiver();
    std::string url(const std::string& path) const;  ///< http://127.0.0.1:PORT + path
    int port() const { return port_; }
    /// What B3SCALE_CALLBACK_ALLOW needs for b3scaled to call this receiver: 127.0.0.1:PORT.
    std::string allowEntry() const;
    void answerWith(int status);
    /// Each answer goes out this long after its request arrived (the request counts at once).
    void answerAfter(std::chrono::milliseconds delay);
    std::vector<ReceivedRequest> requests() const;
    /// Waits until at least `n` requests arrived; false on timeout.
    bool waitFor(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    struct State;

private:
    std::shared_ptr<State> state_;
    std::unique_ptr<core::http::HttpServer> server_;
    int port_ = 0;
};

}  // namespace b3s::test
