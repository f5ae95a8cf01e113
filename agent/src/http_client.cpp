#include "http_client.hpp"

#include "util/client_connection.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketImpl.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <memory>
#include <sstream>

#include <sys/socket.h>

namespace b3s::agent {
namespace {

Poco::Timespan timespan(std::chrono::milliseconds ms) {
    return Poco::Timespan(static_cast<long>(ms.count() / 1000), static_cast<long>((ms.count() % 1000) * 1000));
}

}  // namespace

HttpOrigin HttpOrigin::parse(const std::string& url) {
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception& e) {
        throw std::invalid_argument(url + " is not a URL: " + e.displayText());
    }
    if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty())
        throw std::invalid_argument(url + " is not an http(s) URL");
    HttpOrigin o;
    o.scheme = uri.getScheme();
    o.host = uri.getHost();
    o.port = uri.getPort();
    o.base_path = uri.getPath();
    while (o.base_path.ends_with('/')) o.base_path.pop_back();
    return o;
}

std::string HttpOrigin::url() const {
    return scheme + "://" + host + ":" + std::to_string(port);
}

HttpClient::HttpClient(HttpOrigin origin, std::chrono::milliseconds timeout, HttpHeaders headers)
    : origin_(std::move(origin)), timeout_(timeout), headers_(std::move(headers)) {}

HttpClient::~HttpClient() = default;

namespace {

/// Forgets the descriptor interrupt() may shut down when the answer is in (or failed).
struct ActiveSocket {
    std::mutex& mutex;
    int& fd;
    void set(int value) {
        std::lock_guard lock(mutex);
        fd = value;
    }
    ~ActiveSocket() { set(-1); }
};

}  // namespace

HttpReply HttpClient::send(const std::string& method, const std::string& path_and_query, const std::string& body) {
    const std::string target = origin_.base_path + path_and_query;
    const std::string where = method + " " + origin_.url() + target.substr(0, target.find('?'));
    if (interrupted_) throw HttpUnreachable(where + ": stopping");
    ActiveSocket active{socket_mutex_, active_socket_};
    try {
        if (!session_) {
            if (origin_.scheme == "https")
                session_ = std::make_unique<Poco::Net::HTTPSClientSession>(origin_.host, origin_.port,
                                                                           core::util::verifyingClientTls());
            else
                session_ = std::make_unique<Poco::Net::HTTPClientSession>(origin_.host, origin_.port);
            // Connecting is bounded more tightly: a host that drops packets must not hold a
            // retry loop (or a stop) for a whole answer's timeout.
            const auto connect = std::min(timeout_, std::chrono::milliseconds(5000));
            session_->setTimeout(timespan(connect), timespan(timeout_), timespan(timeout_));
            session_->setKeepAlive(true);
            // Below b3scaled's and nginx's idle timeouts: a connection is never reused just as
            // the server closes it.
            session_->setKeepAliveTimeout(Poco::Timespan(4, 0));
        }
        Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
        request.setKeepAlive(true);
        for (const auto& [name, value] : headers_) request.set(name, value);
        if (!body.empty() || (method != "GET" && method != "DELETE")) {
            request.setContentLength(static_cast<std::streamsize>(body.size()));
            if (!body.empty()) request.setContentType("application/json");
        }
        std::ostream& out = session_->sendRequest(request);
        out << body;
        active.set(session_->socket().impl()->sockfd());
        if (interrupted_) throw HttpUnreachable(where + ": stopping");
        Poco::Net::HTTPResponse response;
        std::istream& in = session_->receiveResponse(response);
        std::ostringstream text;
        Poco::StreamCopier::copyStream(in, text);
        active.set(-1);
        if (interrupted_) throw HttpUnreachable(where + ": stopping");
        return {static_cast<int>(response.getStatus()), text.str()};
    } catch (const Poco::Exception& e) {
        active.set(-1);
        session_.reset();  // a fresh connection next time
        throw HttpUnreachable(where + ": " +
                              (interrupted_ ? std::string("stopping") : core::util::unreachableReason(e)));
    } catch (const HttpUnreachable&) {
        active.set(-1);
        session_.reset();
        throw;
    }
}

void HttpClient::interrupt() {
    interrupted_ = true;
    std::lock_guard lock(socket_mutex_);
    // shutdown(2) wakes the reader; the descriptor stays the session's until its thread lets go.
    if (active_socket_ >= 0) ::shutdown(active_socket_, SHUT_RDWR);
}

}  // namespace b3s::agent
