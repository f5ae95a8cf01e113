#include "http/json_response.hpp"

#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace b3s::core::http {

namespace {

void sendText(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
              const std::string& text) {
    response.setStatusAndReason(status);
    response.setContentType("application/json");
    response.set("Cache-Control", "no-store");
    response.setContentLength(static_cast<std::streamsize>(text.size()));
    response.send().write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace

void sendJson(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
              const Poco::JSON::Object& body) {
    std::ostringstream out;
    body.stringify(out);
    sendText(response, status, out.str() + "\n");
}

void sendJsonValue(Poco::Net::HTTPServerResponse& response, int status, const Poco::Dynamic::Var& body) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(body, out);
    sendText(response, static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status), out.str() + "\n");
}

void sendJsonError(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
                   std::string_view code, std::string_view message) {
    Poco::JSON::Object body;
    body.set("error", std::string(code));
    body.set("message", std::string(message));
    sendJson(response, status, body);
}

}  // namespace b3s::core::http
