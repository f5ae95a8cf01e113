#include "b3scaled_api.hpp"

#include "command_line.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace b3s::agent {

B3scaledApi::B3scaledApi(const std::string& api_url, const std::string& token, std::chrono::milliseconds timeout)
    : client_(HttpOrigin::parse(api_url), timeout,
              {{"Authorization", "Bearer " + token}, {"User-Agent", userAgent()}, {"Accept", "application/json"}}) {}

Poco::JSON::Object::Ptr jsonObject(const std::string& body) {
    try {
        Poco::JSON::Parser parser;
        const auto value = parser.parse(body);
        if (value.type() == typeid(Poco::JSON::Object::Ptr)) return value.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
    }
    return nullptr;
}

std::string errorText(const HttpReply& reply) {
    if (const auto o = jsonObject(reply.body); o && o->has("message")) {
        std::string text = o->get("message").toString();
        if (o->has("fields") && o->get("fields").type() == typeid(Poco::JSON::Object::Ptr)) {
            std::ostringstream fields;
            o->getObject("fields")->stringify(fields);
            text += " " + fields.str();
        }
        return text;
    }
    return reply.body.substr(0, 200);
}

}  // namespace b3s::agent
