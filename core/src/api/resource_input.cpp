#include "api/resource_input.hpp"

#include "gateway/frontend_settings.hpp"
#include "util/ascii.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <cmath>
#include <sstream>

namespace b3s::core::api {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr const char* kRequired = "this field is required";
constexpr std::size_t kMaxAccountRef = 80;
constexpr std::size_t kMaxAgentRef = 64;  // b3scale's VARCHAR(64)

bool isObject(const Var& v) {
    return v.type() == typeid(Object::Ptr) && !v.extract<Object::Ptr>().isNull();
}

Object::Ptr objectAt(const Object& doc, const std::string& key) {
    if (!doc.has(key)) return nullptr;
    const auto v = doc.get(key);
    return isObject(v) ? v.extract<Object::Ptr>() : nullptr;
}

// A string field: nullopt (with the problem noted) when present but not a string.
std::optional<std::string> stringAt(const Object& doc, const std::string& key, const std::string& field,
                                    FieldErrors& errors, bool& present) {
    present = doc.has(key) && !doc.get(key).isEmpty();
    if (!present) return std::nullopt;
    const auto v = doc.get(key);
    if (!v.isString()) {
        errors[field].push_back("must be a string");
        return std::nullopt;
    }
    return v.extract<std::string>();
}

std::string trimmed(const std::string& s) {
    return std::string(trimAny(s, " \t\r\n"));
}

// A required string field, trimmed: nullopt (with the problem noted) when absent, blank or
// not a string.
std::optional<std::string> requiredStringAt(const Object& doc, const std::string& key, const std::string& field,
                                            FieldErrors& errors) {
    bool present = false;
    const auto value = stringAt(doc, key, field, errors, present);
    if (!value) {
        if (!present) errors[field].push_back(kRequired);
        return std::nullopt;
    }
    auto t = trimmed(*value);
    if (t.empty()) {
        errors[field].push_back(kRequired);
        return std::nullopt;
    }
    return t;
}

// A frontend key is a path segment of /bbb/<key>/…: nothing that would end or escape it.
bool usableKey(const std::string& key) {
    for (const unsigned char c : key)
        if (c <= 0x20 || c == 0x7f || c == '/' || c == '?' || c == '#' || c == '%' || c == '\\') return false;
    return true;
}

void dropEmptyParams(Object& settings) {
    for (const char* map :
         {"create_default_params", "create_override_params", "join_default_params", "join_override_params"}) {
        auto params = objectAt(settings, map);
        if (!params) continue;
        std::vector<std::string> empty;
        for (const auto& [name, value] : *params)
            if (value.isEmpty() || (value.isString() && value.extract<std::string>().empty())) empty.push_back(name);
        for (const auto& name : empty) params->remove(name);
    }
}

std::string compact(const Object& o) {
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

}  // namespace

FieldErrors readFrontend(const Object& doc, store::Frontend& frontend, bool take_account_ref) {
    FieldErrors errors;
    const auto bbb = objectAt(doc, "bbb");
    if (!bbb) {
        errors["bbb"].push_back(kRequired);
    } else {
        if (auto key = requiredStringAt(*bbb, "key", "bbb.key", errors)) {
            if (!usableKey(*key))
                errors["bbb.key"].push_back("must not contain spaces, control characters, '/', '?', '#', '%' or '\\'");
            else
                frontend.key = *key;
        }
        if (auto secret = requiredStringAt(*bbb, "secret", "bbb.secret", errors)) frontend.secret = *secret;
    }
    if (doc.has("active") && !doc.get("active").isEmpty()) {
        const auto v = doc.get("active");
        if (v.type() != typeid(bool))
            errors["active"].push_back("must be true or false");
        else
            frontend.active = v.extract<bool>();
    }
    if (doc.has("settings") && !doc.get("settings").isEmpty()) {
        const auto settings = objectAt(doc, "settings");
        if (!settings) {
            errors["settings"].push_back("must be an object");
        } else {
            // Null keys are how b3scale shows "unset": stored as absent.
            auto copy = Object::Ptr(new Object(*settings));
            std::vector<std::string> nulls;
            for (const auto& [name, value] : *copy)
                if (value.isEmpty()) nulls.push_back(name);
            for (const auto& name : nulls) copy->remove(name);
            dropEmptyParams(*copy);
            const auto text = compact(*copy);
            const auto parsed = gateway::parseFrontendSettings(text);
            if (!parsed.settings)
                errors["settings"].push_back(parsed.error);
            else
                frontend.settings_json = text;
        }
    }
    if (take_account_ref && doc.has("account_ref")) {
        const auto v = doc.get("account_ref");
        if (v.isEmpty()) {
            frontend.account_ref.reset();
        } else if (!v.isString()) {
            errors["account_ref"].push_back("must be a string or null");
        } else {
            const auto ref = v.extract<std::string>();
            if (ref.size() > kMaxAccountRef)
                errors["account_ref"].push_back("must be at most 80 characters");
            else
                frontend.account_ref = ref;
        }
    }
    return errors;
}

FieldErrors readBackend(const Object& doc, store::Backend& backend, bool creating) {
    FieldErrors errors;
    const auto bbb = objectAt(doc, "bbb");
    if (!bbb) {
        errors["bbb"].push_back(kRequired);
    } else {
        bool present = false;
        if (auto host = stringAt(*bbb, "host", "bbb.host", errors, present)) {
            auto h = trimmed(*host);
            if (h.empty()) errors["bbb.host"].push_back(kRequired);
            if (!h.starts_with("http://") && !h.starts_with("https://")) {
                errors["bbb.host"].push_back("should start with http(s)://");
            } else {
                try {
                    const Poco::URI uri(h);
                    if (uri.getHost().empty() || !uri.getQuery().empty() || !uri.getFragment().empty())
                        errors["bbb.host"].push_back("must be a URL like https://bbb.example.org/bigbluebutton/api/");
                    else
                        backend.host = h.ends_with('/') ? h : h + "/";
                } catch (const Poco::Exception&) {
                    errors["bbb.host"].push_back("is not a valid URL");
                }
            }
        } else if (!present) {
            errors["bbb.host"].push_back(kRequired);
        }
        if (auto secret = requiredStringAt(*bbb, "secret", "bbb.secret", errors)) backend.secret = *secret;
    }
    if (doc.has("settings") && !doc.get("settings").isEmpty()) {
        const auto settings = objectAt(doc, "settings");
        if (!settings) {
            errors["settings"].push_back("must be an object");
        } else if (settings->has("tags")) {
            const auto tags = settings->get("tags");
            backend.tags.clear();
            if (!tags.isEmpty()) {
                if (tags.type() != typeid(Array::Ptr)) {
                    errors["settings.tags"].push_back("must be a list of strings or null");
                } else {
                    for (const auto& t : *tags.extract<Array::Ptr>()) {
                        if (!t.isString() || t.extract<std::string>().empty()) {
                            errors["settings.tags"].push_back("must be a list of non-empty strings");
                            break;
                        }
                        backend.tags.push_back(t.extract<std::string>());
                    }
                }
            }
        }
    }
    bool present = false;
    if (auto state = stringAt(doc, "admin_state", "admin_state", errors, present)) {
        if (state->empty() && creating) {
            backend.admin_state = store::AdminState::Ready;
        } else if (const auto parsed = store::parseAdminState(*state)) {
            backend.admin_state = *parsed;
        } else {
            errors["admin_state"].push_back("must be one of init, ready, stopped, decommissioned");
        }
    } else if (!present && creating) {
        backend.admin_state = store::AdminState::Ready;
    }
    if (doc.has("load_factor") && !doc.get("load_factor").isEmpty()) {
        const auto v = doc.get("load_factor");
        if (!v.isNumeric() || v.type() == typeid(bool)) {
            errors["load_factor"].push_back("must be a number");
        } else {
            const double lf = v.convert<double>();
            if (!std::isfinite(lf) || lf < 0)
                errors["load_factor"].push_back("must be a finite number >= 0");
            else
                backend.load_factor = (creating && lf == 0) ? 1.0 : lf;
        }
    } else if (creating) {
        backend.load_factor = 1.0;
    }
    // Set by operators (an import from b3scale keeps the node agent's binding); a node's own
    // create replaces it with its subject, and a node's change of it is refused before this.
    if (doc.has("agent_ref")) {
        const auto v = doc.get("agent_ref");
        if (v.isEmpty()) {
            backend.agent_ref.reset();
        } else if (!v.isString() || v.extract<std::string>().empty()) {
            errors["agent_ref"].push_back("must be a non-empty string or null");
        } else if (v.extract<std::string>().size() > kMaxAgentRef) {
            errors["agent_ref"].push_back("must be at most 64 characters");
        } else {
            backend.agent_ref = v.extract<std::string>();
        }
    }
    return errors;
}

}  // namespace b3s::core::api
