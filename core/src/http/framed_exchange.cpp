#include "http/framed_exchange.hpp"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>

namespace b3s::core::http {

FramedRequest::FramedRequest(RequestHead head, std::string body, Poco::Net::SocketAddress client,
                             Poco::Net::SocketAddress server, Poco::Net::HTTPServerParams::Ptr params,
                             BufferedResponse& response)
    : body_(std::move(body)),
      client_(std::move(client)),
      server_(std::move(server)),
      params_(std::move(params)),
      response_(response) {
    setMethod(head.method);
    setURI(head.target);
    setVersion(head.version);
    for (auto& [name, value] : head.fields) add(name, value);
    if (head.chunked) {
        erase("Transfer-Encoding");
        setContentLength64(static_cast<Poco::Int64>(body_.str().size()));
    }
}

Poco::Net::HTTPServerResponse& FramedRequest::response() const {
    return response_;
}

std::ostream& BufferedResponse::send() {
    if (sent_) throw Poco::Net::NetException("the response was sent already");
    sent_ = true;
    return body_;
}

void BufferedResponse::sendFile(const std::string& path, const std::string& mediaType) {
    Poco::FileInputStream in(path);
    setContentType(mediaType);
    Poco::StreamCopier::copyStream(in, send());
}

void BufferedResponse::sendBuffer(const void* buffer, std::size_t length) {
    send().write(static_cast<const char*>(buffer), static_cast<std::streamsize>(length));
}

void BufferedResponse::redirect(const std::string& uri, HTTPStatus status) {
    setStatusAndReason(status);
    set("Location", uri);
    send();
}

void BufferedResponse::requireAuthentication(const std::string& realm) {
    setStatusAndReason(HTTP_UNAUTHORIZED);
    set("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
    send();
}

std::string BufferedResponse::bytes() {
    std::string body = body_.str();
    const int status = static_cast<int>(getStatus());
    const bool no_body_status = status < 200 || status == HTTP_NO_CONTENT || status == HTTP_NOT_MODIFIED;
    setVersion(HTTP_1_1);
    setChunkedTransferEncoding(false);
    if (no_body_status) {
        body.clear();
        erase("Content-Length");
    } else if (head_request_) {
        // HEAD: the length the GET would have, no body.
        if (!hasContentLength()) setContentLength64(static_cast<Poco::Int64>(body.size()));
        body.clear();
    } else {
        setContentLength64(static_cast<Poco::Int64>(body.size()));
    }
    std::ostringstream head;
    write(head);
    return head.str() + body;
}

}  // namespace b3s::core::http
