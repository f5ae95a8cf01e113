#include "api/json_diff.hpp"

#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <sstream>

namespace b3s::core::api {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

Object::Ptr asObject(const Var& v) {
    if (v.type() != typeid(Object::Ptr)) return nullptr;
    return v.extract<Object::Ptr>();
}

std::string jsonText(const Var& v) {
    if (v.isEmpty()) return "null";
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(v, out);
    return out.str();
}

bool addsNothing(const Var& v) {
    return v.isEmpty() || (v.isString() && v.extract<std::string>().empty());
}

void diff(const Object& before, const Object& after, const std::string& prefix, bool top,
          std::vector<std::string>& out) {
    for (const auto& [key, value] : after) {
        const std::string path = prefix.empty() ? key : prefix + "." + key;
        if (!before.has(key)) {
            if (!top && !addsNothing(value)) out.push_back(path);
            continue;
        }
        const auto old_value = before.get(key);
        const auto old_object = asObject(old_value);
        const auto new_object = asObject(value);
        if (old_object && new_object) {
            diff(*old_object, *new_object, path, false, out);
            continue;
        }
        if (jsonText(old_value) != jsonText(value)) out.push_back(path);
    }
}

void leaves(const Object& o, const std::string& prefix, std::vector<std::string>& out) {
    for (const auto& [key, value] : o) {
        const std::string path = prefix.empty() ? key : prefix + "." + key;
        if (const auto inner = asObject(value); inner && inner->size() > 0)
            leaves(*inner, path, out);
        else
            out.push_back(path);
    }
}

}  // namespace

std::vector<std::string> changedFields(const Object& before, const Object& after) {
    std::vector<std::string> out;
    diff(before, after, "", true, out);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> fieldNames(const Object& body) {
    std::vector<std::string> out;
    leaves(body, "", out);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace b3s::core::api
