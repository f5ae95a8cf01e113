#include "import_mapping.hpp"

#include "backend_host.hpp"
#include "ctl_error.hpp"
#include "json_text.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

namespace b3s::ctl {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

/// Receives one problem: the setting's path and why it is not imported.
using Complaint = std::function<void(const std::string& setting, const std::string& why)>;

constexpr std::array kParamMaps = {"create_default_params", "create_override_params", "join_default_params",
                                   "join_override_params"};
constexpr std::array kVisibilities = {"unpublished", "published", "protected", "public", "public_protected"};

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

bool isNull(const Var& v) {
    return v.isEmpty();
}

Object::Ptr sortedObject() {
    return new Object;  // without JSON_PRESERVE_KEY_ORDER: members sorted by name
}

/// The members of `object` other than `known`, each a complaint.
void unknownMembers(const Object& object, const std::string& prefix, std::initializer_list<const char*> known,
                    const Complaint& complain) {
    for (const auto& name : object.getNames()) {
        bool is_known = false;
        for (const char* k : known) is_known = is_known || name == k;
        if (!is_known && !isNull(object.get(name))) complain(prefix + name, "");
    }
}

Var tagsOf(const Var& v, const std::string& setting, const Complaint& complain) {
    const auto list = asArray(v);
    if (!list) {
        complain(setting, "not a list of strings");
        return {};
    }
    Array::Ptr tags = new Array;
    for (const auto& tag : *list) {
        if (!tag.isString() || tag.extract<std::string>().empty()) {
            complain(setting, "not a list of non-empty strings");
            return {};
        }
        tags->add(tag);
    }
    if (tags->size() == 0) return {};
    return tags;
}

Var defaultPresentationOf(const Var& v, const Complaint& complain) {
    const auto object = asObject(v);
    if (!object) {
        complain("default_presentation", "not an object {url, force}");
        return {};
    }
    unknownMembers(*object, "default_presentation.", {"url", "force"}, complain);
    std::string url;
    if (object->has("url") && !isNull(object->get("url"))) {
        if (!object->get("url").isString()) {
            complain("default_presentation", "url is not a string");
            return {};
        }
        url = trimmed(object->get("url").extract<std::string>());
    }
    bool force = false;
    if (object->has("force") && !isNull(object->get("force"))) {
        if (object->get("force").type() != typeid(bool)) {
            complain("default_presentation", "force is not true or false");
            return {};
        }
        force = object->get("force").extract<bool>();
    }
    if (url.empty()) return {};  // b3scale added nothing without a URL
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
        complain("default_presentation", "the url is not an http:// or https:// URL");
        return {};
    }
    auto out = sortedObject();
    out->set("url", url);
    out->set("force", force);
    return out;
}

Var attendeesLimitOf(const Var& v, const Complaint& complain) {
    const auto object = asObject(v);
    if (!object) {
        complain("attendees_limit", "not an object {limit}");
        return {};
    }
    unknownMembers(*object, "attendees_limit.", {"limit"}, complain);
    if (!object->has("limit") || isNull(object->get("limit"))) return {};
    const Var limit = object->get("limit");
    const double d = limit.isNumeric() && limit.type() != typeid(bool) ? limit.convert<double>() : -1;
    if (!std::isfinite(d) || d < 0 || d != std::floor(d) || d > 1e9) {
        complain("attendees_limit", "the limit is not a whole number >= 0");
        return {};
    }
    if (d == 0) return {};  // 0 was "no limit" in b3scale too
    auto out = sortedObject();
    out->set("limit", static_cast<Poco::Int64>(d));
    return out;
}

Var paramsOf(const Var& v, const std::string& setting, const Complaint& complain) {
    const auto object = asObject(v);
    if (!object) {
        complain(setting, "not an object of string values");
        return {};
    }
    auto out = sortedObject();
    for (const auto& name : object->getNames()) {
        const Var value = object->get(name);
        if (isNull(value)) continue;
        if (!value.isString()) {
            complain(setting + "." + name, "not a string");
            continue;
        }
        // b3scale dropped parameters set to "" itself; they meant nothing.
        if (!value.extract<std::string>().empty()) out->set(name, value);
    }
    if (out->size() == 0) return {};
    return out;
}

Var recordingsOf(const Var& v, const Complaint& complain) {
    const auto object = asObject(v);
    if (!object) {
        complain("recordings", "not an object {visibility_override}");
        return {};
    }
    unknownMembers(*object, "recordings.", {"visibility_override"}, complain);
    if (!object->has("visibility_override") || isNull(object->get("visibility_override"))) return {};
    const Var visibility = object->get("visibility_override");
    const std::string text = visibility.isString() ? visibility.extract<std::string>() : std::string("?");
    if (text.empty()) return {};
    if (std::find(kVisibilities.begin(), kVisibilities.end(), text) == kVisibilities.end()) {
        complain("recordings.visibility_override",
                 "not one of unpublished, published, protected, public, "
                 "public_protected");
        return {};
    }
    auto out = sortedObject();
    out->set("visibility_override", text);
    return out;
}

Object::Ptr frontendSettingsOf(const Object::Ptr& settings, const Complaint& complain) {
    auto out = sortedObject();
    if (!settings) return out;
    for (const auto& name : settings->getNames()) {
        const Var v = settings->get(name);
        if (isNull(v)) continue;
        Var mapped;
        if (name == "required_tags") {
            mapped = tagsOf(v, name, complain);
        } else if (name == "default_presentation") {
            mapped = defaultPresentationOf(v, complain);
        } else if (name == "attendees_limit") {
            mapped = attendeesLimitOf(v, complain);
        } else if (std::find(kParamMaps.begin(), kParamMaps.end(), name) != kParamMaps.end()) {
            mapped = paramsOf(v, name, complain);
        } else if (name == "recordings") {
            mapped = recordingsOf(v, complain);
        } else {
            complain(name, "");
            continue;
        }
        if (!isNull(mapped)) out->set(name, mapped);
    }
    return out;
}

/// The settings column as an object; a complaint (and nullptr) when it is none.
Object::Ptr settingsObject(const std::string& json, const Complaint& complain) {
    try {
        const auto parsed = parseJson(json.empty() ? "{}" : json, "the settings");
        if (isNull(parsed)) return nullptr;
        if (auto object = asObject(parsed)) return object;
    } catch (const CtlError&) {
        // not JSON at all: the same complaint as any other non-object
    }
    complain("settings", "not a JSON object");
    return nullptr;
}

Complaint complaintsInto(std::vector<std::string>& warnings, const std::string& who) {
    return [&warnings, who](const std::string& setting, const std::string& why) {
        warnings.push_back(who + ": setting '" + setting + "' " +
                           (why.empty() ? "has no equivalent in this b3scale" : "is not usable (" + why + ")") +
                           "; not imported");
    };
}

}  // namespace

std::string canonicalJson(const Var& value) {
    if (const auto object = asObject(value)) {
        auto sorted = sortedObject();
        for (const auto& name : object->getNames()) sorted->set(name, object->get(name));
        std::string out = "{";
        bool first = true;
        for (const auto& [name, member] : *sorted) {
            if (!first) out += ",";
            first = false;
            out += toJson(Var(name)) + ":" + canonicalJson(member);
        }
        return out + "}";
    }
    if (const auto array = asArray(value)) {
        std::string out = "[";
        for (std::size_t i = 0; i < array->size(); ++i) out += (i ? "," : "") + canonicalJson(array->get(i));
        return out + "]";
    }
    return toJson(value);
}

Object::Ptr canonicalFrontendSettings(const Object::Ptr& settings) {
    return frontendSettingsOf(settings, [](const std::string&, const std::string&) {});
}

WantedFrontend mapFrontend(const LegacyFrontend& row) {
    WantedFrontend f;
    f.key = trimmed(row.key);
    f.secret = trimmed(row.secret);
    f.active = row.active;
    f.account_ref = row.account_ref;
    const auto complain = complaintsInto(f.warnings, "frontend " + f.key);
    f.settings = frontendSettingsOf(settingsObject(row.settings_json, complain), complain);
    return f;
}

WantedBackend mapBackend(const LegacyBackend& row) {
    WantedBackend b;
    const std::string host = trimmed(row.host);
    try {
        b.host = normaliseBackendHost(host);
    } catch (const UsageError&) {
        b.host = host;
        b.skip_reason = "its host is no http:// or https:// URL";
        return b;
    }
    b.secret = trimmed(row.secret);
    b.agent_ref = row.agent_ref;
    const auto complain = complaintsInto(b.warnings, "backend " + b.host);

    if (row.admin_state == "decommissioned") {
        b.skip_reason = "decommissioned in b3scale";
        return b;
    }
    if (row.admin_state == "ready" || row.admin_state == "init" || row.admin_state == "stopped") {
        b.admin_state = row.admin_state;
    } else {
        b.admin_state = "stopped";
        b.warnings.push_back("backend " + b.host + ": admin state '" + row.admin_state +
                             "' has no equivalent in this b3scale; imported as stopped (takes no new meetings)");
    }

    if (!std::isfinite(row.load_factor) || row.load_factor < 0) {
        b.warnings.push_back("backend " + b.host + ": load factor " + std::to_string(row.load_factor) +
                             " is not usable; imported as 1");
    } else if (row.load_factor > 0) {
        b.load_factor = row.load_factor;
    }

    if (const auto settings = settingsObject(row.settings_json, complain)) {
        for (const auto& name : settings->getNames()) {
            const Var v = settings->get(name);
            if (name == "tags") {
                if (isNull(v)) continue;
                if (const auto tags = asArray(tagsOf(v, "tags", complain)))
                    for (const auto& tag : *tags) b.tags.push_back(tag.extract<std::string>());
            } else if (!isNull(v)) {
                complain(name, "");
            }
        }
    }
    return b;
}

}  // namespace b3s::ctl
