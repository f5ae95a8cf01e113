#include "http_transport.hpp"

#include "ctl_error.hpp"
#include "util/client_connection.hpp"

#include "b3s/generated/build_info.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>

#include <fmt/format.h>

#include <memory>
#include <sstream>

namespace b3s::ctl {

std::string userAgent() {
    return std::string("b3scalectl/") + core::build::kVersion;
}

HttpTransport::HttpTransport(ApiEndpoint endpoint, std::chrono::milliseconds timeout, HttpTrace trace)
    : endpoint_(std::move(endpoint)), timeout_(timeout), trace_(std::move(trace)) {}

HttpReply HttpTransport::send(const std::string& method, const std::string& path_and_query, const HttpHeaders& headers,
                              const std::string& body, const std::string& content_type) const {
    const auto started = std::chrono::steady_clock::now();
    const std::string target = endpoint_.target(path_and_query);
    HttpReply reply;
    try {
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (endpoint_.scheme == "https")
            session = std::make_unique<Poco::Net::HTTPSClientSession>(endpoint_.host, endpoint_.port,
                                                                      core::util::verifyingClientTls());
        else
            session = std::make_unique<Poco::Net::HTTPClientSession>(endpoint_.host, endpoint_.port);
        const Poco::Timespan timeout(static_cast<long>(timeout_.count() / 1000),
                                     static_cast<long>((timeout_.count() % 1000) * 1000));
        session->setTimeout(timeout);
        Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("User-Agent", userAgent());
        request.set("Accept", "application/json");
        for (const auto& [name, value] : headers) request.set(name, value);
        const bool with_body = !body.empty() || (method != "GET" && method != "DELETE" && method != "HEAD");
        if (with_body) {
            request.setContentLength(static_cast<std::streamsize>(body.size()));
            if (!content_type.empty()) request.setContentType(content_type);
        }
        std::ostream& out = session->sendRequest(request);
        if (with_body) out << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session->receiveResponse(response);
        std::ostringstream text;
        Poco::StreamCopier::copyStream(in, text);
        reply.status = static_cast<int>(response.getStatus());
        reply.content_type = response.getContentType();
        reply.location = response.get("Location", "");
        reply.body = text.str();
    } catch (const Poco::Exception& e) {
        if (trace_) trace_(fmt::format("{} {}{} failed: {}", method, endpoint_.url, path_and_query, e.displayText()));
        throw CtlError("cannot reach b3scaled at " + endpoint_.url + ": " + core::util::unreachableReason(e));
    }
    if (trace_) {
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
        trace_(fmt::format("{} {}{} -> {} ({} ms)", method, endpoint_.url, path_and_query, reply.status, ms));
    }
    return reply;
}

}  // namespace b3s::ctl
