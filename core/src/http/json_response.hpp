#pragma once
// The one place where JSON answers, and JSON error answers in particular, are written.

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string_view>

namespace b3s::core::http {

/// Sends `body` with the given status and Content-Type application/json.
void sendJson(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
              const Poco::JSON::Object& body);

/// Sends any JSON value (an object or an array) with the given status.
void sendJsonValue(Poco::Net::HTTPServerResponse& response, int status, const Poco::Dynamic::Var& body);

/// Sends {"error": code, "message": message} — the REST API's error shape.
void sendJsonError(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
                   std::string_view code, std::string_view message);

}  // namespace b3s::core::http
