#include "api_client.hpp"

#include "json_text.hpp"

#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

namespace b3s::ctl {

Poco::JSON::Object::Ptr JsonReply::object() const {
    auto object = asObject(json);
    if (!object) throw CtlError("unexpected answer from b3scaled: not a JSON object");
    return object;
}

Poco::JSON::Array::Ptr JsonReply::array() const {
    auto array = asArray(json);
    if (!array) throw CtlError("unexpected answer from b3scaled: not a JSON array");
    return array;
}

ApiError::ApiError(int status, std::string code, std::string message,
                   std::map<std::string, std::vector<std::string>> fields, const std::string& sentence)
    : CtlError(sentence),
      status_(status),
      code_(std::move(code)),
      message_(std::move(message)),
      fields_(std::move(fields)) {}

ApiError apiErrorFrom(int status, const std::string& body) {
    std::string code;
    std::string message;
    std::map<std::string, std::vector<std::string>> fields;
    try {
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        if (auto object = asObject(parser.parse(body))) {
            code = stringMember(object, "error");
            message = stringMember(object, "message");
            if (auto field_errors = objectMember(object, "fields")) {
                for (const auto& name : field_errors->getNames()) {
                    auto& list = fields[name];
                    if (auto messages = arrayMember(field_errors, name)) {
                        for (std::size_t i = 0; i < messages->size(); ++i)
                            if (messages->get(i).isString()) list.push_back(messages->get(i).extract<std::string>());
                    } else if (auto one = optionalStringMember(field_errors, name)) {
                        list.push_back(*one);
                    }
                }
            }
        }
    } catch (const Poco::Exception&) {
        // not JSON: only the status is reported
    }

    std::string sentence;
    if (status == 404) {
        sentence = "the resource could not be found (404)";
        if (!message.empty() && message != "Not Found") sentence = message + " (404)";
    } else if (status == 401) {
        sentence = "the API refused the access token (401" + (message.empty() ? "" : ": " + message) + ")";
    } else if (status == 403) {
        sentence = "the access token may not do this (403" + (message.empty() ? "" : ": " + message) + ")";
    } else {
        sentence = message.empty() ? "b3scaled answered HTTP " + std::to_string(status) : message;
        std::string details;
        for (const auto& [name, messages] : fields)
            for (const auto& m : messages) details += (details.empty() ? "" : "; ") + name + ": " + m;
        if (!details.empty()) sentence += ": " + details;
        if (!message.empty()) sentence += " (" + std::to_string(status) + (code.empty() ? "" : " " + code) + ")";
    }
    return ApiError(status, std::move(code), std::move(message), std::move(fields), sentence);
}

ApiClient::ApiClient(HttpTransport transport, std::string token)
    : transport_(std::move(transport)), token_(std::move(token)) {}

JsonReply ApiClient::get(const std::string& resource, const QueryParams& query) const {
    return call("GET", resource, query, {});
}
JsonReply ApiClient::post(const std::string& resource, const std::string& json_body) const {
    return call("POST", resource, {}, json_body);
}
JsonReply ApiClient::patch(const std::string& resource, const std::string& json_body) const {
    return call("PATCH", resource, {}, json_body);
}
JsonReply ApiClient::remove(const std::string& resource, const QueryParams& query) const {
    return call("DELETE", resource, query, {});
}

HttpReply ApiClient::sendPlain(const std::string& method, const std::string& path_and_query) const {
    return transport_.send(method, path_and_query);
}

JsonReply ApiClient::call(const std::string& method, const std::string& resource, const QueryParams& query,
                          const std::string& body) const {
    std::string path = "/api/v1" + (resource.empty() ? std::string() : "/" + resource);
    if (!query.empty()) path += "?" + encodeQuery(query);
    HttpHeaders headers;
    if (!token_.empty()) headers.emplace_back("Authorization", "Bearer " + token_);
    const HttpReply reply = transport_.send(method, path, headers, body, body.empty() ? "" : "application/json");
    if (reply.status >= 300 || reply.status < 200) throw apiErrorFrom(reply.status, reply.body);
    JsonReply out;
    out.status = reply.status;
    out.body = reply.body;
    out.json = parseJson(reply.body, "the answer of " + method + " " + path);
    return out;
}

}  // namespace b3s::ctl
