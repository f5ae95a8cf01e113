#include "api/json_merge.hpp"

#include <Poco/JSON/Parser.h>

#include <sstream>

namespace b3s::core::api {

using Poco::JSON::Object;

void mergeJson(Object& target, const Object& patch) {
    for (const auto& [key, value] : patch) {
        if (value.type() == typeid(Object::Ptr) && target.has(key) && target.get(key).type() == typeid(Object::Ptr)) {
            auto into = target.get(key).extract<Object::Ptr>();
            const auto from = value.extract<Object::Ptr>();
            if (into && from) {
                mergeJson(*into, *from);
                continue;
            }
        }
        target.set(key, value);
    }
}

Object::Ptr copyJson(const Object& source) {
    std::ostringstream text;
    source.stringify(text);
    Poco::JSON::Parser parser;
    return parser.parse(text.str()).extract<Object::Ptr>();
}

}  // namespace b3s::core::api
