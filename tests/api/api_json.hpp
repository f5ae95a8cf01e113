#pragma once
// Reading the REST API's JSON answers in the API tests: the parsed body, and a value at a
// dotted path as text for assertions.

#include "b3scaled_process.hpp"  // HttpResult

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>
#include <string>

namespace b3s::test::api_json {

/// The parsed body; empty when it is not JSON.
inline Poco::Dynamic::Var json(const HttpResult& r) {
    try {
        Poco::JSON::Parser parser;
        return parser.parse(r.body);
    } catch (const Poco::Exception&) {
        return {};
    }
}

/// The body as an object; nullptr when it is not one.
inline Poco::JSON::Object::Ptr object(const HttpResult& r) {
    const auto v = json(r);
    return v.type() == typeid(Poco::JSON::Object::Ptr) ? v.extract<Poco::JSON::Object::Ptr>() : nullptr;
}

/// The body as an array; nullptr when it is not one.
inline Poco::JSON::Array::Ptr array(const HttpResult& r) {
    const auto v = json(r);
    return v.type() == typeid(Poco::JSON::Array::Ptr) ? v.extract<Poco::JSON::Array::Ptr>() : nullptr;
}

/// The value at a dotted path as text: "null", "(absent)", "(no object)", "(not an object)",
/// compact JSON for an object or array, else the scalar as text.
inline std::string text(const Poco::JSON::Object::Ptr& o, const std::string& path) {
    if (!o) return "(no object)";
    Poco::JSON::Object::Ptr at = o;
    std::string rest = path;
    for (auto dot = rest.find('.'); dot != std::string::npos; dot = rest.find('.')) {
        if (!at->has(rest.substr(0, dot))) return "(absent)";
        at = at->getObject(rest.substr(0, dot));
        if (!at) return "(not an object)";
        rest = rest.substr(dot + 1);
    }
    if (!at->has(rest)) return "(absent)";
    const auto v = at->get(rest);
    if (v.isEmpty()) return "null";
    if (v.type() == typeid(Poco::JSON::Object::Ptr) || v.type() == typeid(Poco::JSON::Array::Ptr)) {
        std::ostringstream out;
        Poco::JSON::Stringifier::stringify(v, out);
        return out.str();
    }
    return v.convert<std::string>();
}

}  // namespace b3s::test::api_json
