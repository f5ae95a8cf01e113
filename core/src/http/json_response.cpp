#include "http/json_response.hpp"

#include <sstream>

namespace b3s::core::http {

void sendJson(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
              const Poco::JSON::Object& body) {
    std::ostringstream out;
    body.stringify(out);
    const std::string text = out.str() + "\n";
    response.setStatusAndReason(status);
    response.setContentType("application/json");
    response.set("Cache-Control", "no-store");
    response.setContentLength(static_cast<std::streamsize>(text.size()));
    response.send().write(text.data(), static_cast<std::streamsize>(text.size()));
}

void sendJsonError(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
                   std::string_view code, std::string_view message) {
    Poco::JSON::Object body;
    body.set("error", std::string(code));
    body.set("message", std::string(message));
    sendJson(response, status, body);
}

}  // namespace b3s::core::http
