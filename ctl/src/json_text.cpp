#include "json_text.hpp"

#include "ctl_error.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace b3s::ctl {

namespace {

bool isJsonSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// Copies the string literal starting at json[i] (a '"') to `out`; returns the index after it.
std::size_t copyString(std::string_view json, std::size_t i, std::string& out) {
    out += json[i++];
    while (i < json.size()) {
        const char c = json[i++];
        out += c;
        if (c == '\\' && i < json.size()) {
            out += json[i++];
        } else if (c == '"') {
            break;
        }
    }
    return i;
}

std::size_t nextNonSpace(std::string_view json, std::size_t i) {
    while (i < json.size() && isJsonSpace(json[i])) ++i;
    return i;
}

}  // namespace

std::string compactJson(std::string_view json) {
    std::string out;
    out.reserve(json.size());
    for (std::size_t i = 0; i < json.size();) {
        if (json[i] == '"') {
            i = copyString(json, i, out);
        } else {
            if (!isJsonSpace(json[i])) out += json[i];
            ++i;
        }
    }
    return out;
}

std::string prettyJson(std::string_view json, int indent) {
    std::string out;
    out.reserve(json.size() * 2);
    int depth = 0;
    auto newline = [&] {
        out += '\n';
        out.append(static_cast<std::size_t>(std::max(depth, 0) * indent), ' ');
    };
    for (std::size_t i = 0; i < json.size();) {
        const char c = json[i];
        if (c == '"') {
            i = copyString(json, i, out);
            continue;
        }
        if (isJsonSpace(c)) {
            ++i;
            continue;
        }
        if (c == '{' || c == '[') {
            const char close = c == '{' ? '}' : ']';
            const std::size_t next = nextNonSpace(json, i + 1);
            if (next < json.size() && json[next] == close) {
                out += c;
                out += close;
                i = next + 1;
                continue;
            }
            out += c;
            ++depth;
            newline();
        } else if (c == '}' || c == ']') {
            --depth;
            newline();
            out += c;
        } else if (c == ',') {
            out += c;
            newline();
        } else if (c == ':') {
            out += ": ";
        } else {
            out += c;
        }
        ++i;
    }
    if (depth != 0) return std::string(json) + '\n';
    out += '\n';
    return out;
}

Poco::Dynamic::Var parseJson(std::string_view json, const std::string& what) {
    try {
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        return parser.parse(std::string(json));
    } catch (const Poco::Exception& e) {
        throw CtlError(what + " is not valid JSON (" + e.message() + ")");
    }
}

Poco::JSON::Object::Ptr parseJsonObjectArgument(const std::string& text, const std::string& flag) {
    Poco::Dynamic::Var value;
    try {
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        value = parser.parse(text);
    } catch (const Poco::Exception& e) {
        throw UsageError(flag + " is not valid JSON: " + e.message());
    }
    auto object = asObject(value);
    if (!object) throw UsageError(flag + " must be a JSON object, like '{\"tags\":[\"bbb_26\"]}'");
    return object;
}

std::string toJson(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(value, out);
    return out.str();
}

Poco::JSON::Object::Ptr asObject(const Poco::Dynamic::Var& value) {
    if (value.isEmpty() || value.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
    return value.extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Array::Ptr asArray(const Poco::Dynamic::Var& value) {
    if (value.isEmpty() || value.type() != typeid(Poco::JSON::Array::Ptr)) return nullptr;
    return value.extract<Poco::JSON::Array::Ptr>();
}

std::string stringMember(const Poco::JSON::Object::Ptr& object, const std::string& key, const std::string& fallback) {
    return optionalStringMember(object, key).value_or(fallback);
}

std::optional<std::string> optionalStringMember(const Poco::JSON::Object::Ptr& object, const std::string& key) {
    if (!object || !object->has(key)) return std::nullopt;
    const auto value = object->get(key);
    if (value.isEmpty() || !value.isString()) return std::nullopt;
    return value.extract<std::string>();
}

double numberMember(const Poco::JSON::Object::Ptr& object, const std::string& key, double fallback) {
    if (!object || !object->has(key)) return fallback;
    const auto value = object->get(key);
    if (value.isEmpty() || !value.isNumeric()) return fallback;
    try {
        return value.convert<double>();
    } catch (const Poco::Exception&) {
        return fallback;
    }
}

bool boolMember(const Poco::JSON::Object::Ptr& object, const std::string& key, bool fallback) {
    if (!object || !object->has(key)) return fallback;
    const auto value = object->get(key);
    if (value.isEmpty() || !value.isBoolean()) return fallback;
    return value.extract<bool>();
}

Poco::JSON::Object::Ptr objectMember(const Poco::JSON::Object::Ptr& object, const std::string& key) {
    if (!object || !object->has(key)) return nullptr;
    return asObject(object->get(key));
}

Poco::JSON::Array::Ptr arrayMember(const Poco::JSON::Object::Ptr& object, const std::string& key) {
    if (!object || !object->has(key)) return nullptr;
    return asArray(object->get(key));
}

}  // namespace b3s::ctl
