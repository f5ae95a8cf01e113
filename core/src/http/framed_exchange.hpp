#pragma once
// One request and its answer as the event-driven front (http_server.hpp) hands them to a
// handler: POCO's server request and response interfaces over memory, so every handler (the
// Router's) stays as it is. The front has read and framed the whole request before (request
// body included); the handler's answer is collected whole and written by the front, which
// owns the socket. Neither object touches a socket.
//
// Not thread-safe: one handler thread uses them, then the front.

#include "http/request_framer.hpp"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SocketAddress.h>

#include <memory>
#include <sstream>
#include <string>

namespace b3s::core::http {

class BufferedResponse;

/// A framed request: its head as parsed, its (decoded) body as a stream.
class FramedRequest final : public Poco::Net::HTTPServerRequest {
public:
    /// Takes the head and body; Transfer-Encoding is dropped and Content-Length names the body
    /// as the handler sees it (the framing was the front's business).
    FramedRequest(RequestHead head, std::string body, Poco::Net::SocketAddress client, Poco::Net::SocketAddress server,
                  Poco::Net::HTTPServerParams::Ptr params, BufferedResponse& response);

    std::istream& stream() override { return body_; }
    const Poco::Net::SocketAddress& clientAddress() const override { return client_; }
    const Poco::Net::SocketAddress& serverAddress() const override { return server_; }
    const Poco::Net::HTTPServerParams& serverParams() const override { return *params_; }
    Poco::Net::HTTPServerResponse& response() const override;
    bool secure() const override { return false; }

private:
    std::istringstream body_;
    Poco::Net::SocketAddress client_;
    Poco::Net::SocketAddress server_;
    Poco::Net::HTTPServerParams::Ptr params_;
    BufferedResponse& response_;
};

/// An answer collected in memory. bytes() gives it as it goes on the wire: always HTTP/1.1,
/// Content-Length the body's real size (no chunked coding), no body for HEAD or a status
/// that has none.
class BufferedResponse final : public Poco::Net::HTTPServerResponse {
public:
    explicit BufferedResponse(bool head_request) : head_request_(head_request) {}

    void sendContinue() override {}  // the front answered 100-continue before the body came
    std::ostream& send() override;
    void sendFile(const std::string& path, const std::string& mediaType) override;
    void sendBuffer(const void* buffer, std::size_t length) override;
    void redirect(const std::string& uri, HTTPStatus status = HTTP_FOUND) override;
    void requireAuthentication(const std::string& realm) override;
    bool sent() const override { return sent_; }

    /// Status line, header fields and body; keep-alive as set (the front decides the rest).
    std::string bytes();

private:
    bool head_request_;
    bool sent_ = false;
    std::ostringstream body_;
};

}  // namespace b3s::core::http
