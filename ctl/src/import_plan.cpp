#include "import_plan.hpp"

#include "api_endpoint.hpp"
#include "json_text.hpp"

#include <Poco/JSON/Array.h>

#include <cmath>
#include <set>
#include <sstream>

namespace b3s::ctl {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr newObject() {
    return new Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

std::string shown(const std::optional<std::string>& value) {
    return value ? *value : std::string("none");
}

std::string number(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

Var nullable(const std::optional<std::string>& value) {
    return value ? Var(*value) : Var();
}

Var tagsJson(const std::vector<std::string>& tags) {
    if (tags.empty()) return {};
    Array::Ptr out = new Array;
    for (const auto& tag : tags) out->add(tag);
    return out;
}

bool isParamMap(const std::string& setting) {
    return setting.size() > 7 && setting.compare(setting.size() - 7, 7, "_params") == 0;
}

/// The settings of a PATCH that turns `current` into `wanted` (both canonical), and the
/// names of the settings that change. PATCH merges: a setting that goes is sent as null, a
/// parameter that goes as "" (which removes it).
Object::Ptr settingsPatch(const Object::Ptr& wanted, const Object::Ptr& current, std::vector<std::string>& changes) {
    std::set<std::string> names;
    for (const auto& name : wanted->getNames()) names.insert(name);
    for (const auto& name : current->getNames()) names.insert(name);
    auto patch = newObject();
    for (const auto& name : names) {
        const Var want = wanted->has(name) ? wanted->get(name) : Var();
        const Var have = current->has(name) ? current->get(name) : Var();
        if (canonicalJson(want) == canonicalJson(have)) continue;
        changes.push_back("settings." + name + ": changed");
        if (want.isEmpty() || !isParamMap(name)) {
            patch->set(name, want);
            continue;
        }
        auto params = newObject();
        for (const auto& [param, value] : *asObject(want)) params->set(param, value);
        if (const auto old = asObject(have))
            for (const auto& param : old->getNames())
                if (!params->has(param)) params->set(param, "");
        patch->set(name, params);
    }
    return patch;
}

std::vector<std::string> stringsOf(const Array::Ptr& list) {
    std::vector<std::string> out;
    if (list)
        for (const auto& item : *list)
            if (item.isString()) out.push_back(item.extract<std::string>());
    return out;
}

}  // namespace

ImportStep planFrontend(const WantedFrontend& wanted, const Object::Ptr& current) {
    ImportStep step;
    step.kind = "frontend";
    step.name = wanted.key;
    step.warnings = wanted.warnings;

    if (!current) {
        auto bbb = newObject();
        bbb->set("key", wanted.key);
        bbb->set("secret", wanted.secret);
        auto body = newObject();
        body->set("bbb", bbb);
        body->set("active", wanted.active);
        if (wanted.account_ref) body->set("account_ref", *wanted.account_ref);
        body->set("settings", wanted.settings);
        step.action = ImportStep::Action::Create;
        step.method = "POST";
        step.resource = "frontends";
        step.body = toJson(body);
        return step;
    }

    auto patch = newObject();
    const auto current_bbb = objectMember(current, "bbb");
    if (stringMember(current_bbb, "secret") != wanted.secret) {
        step.changes.push_back("secret: changed");
        auto bbb = newObject();
        bbb->set("key", wanted.key);
        bbb->set("secret", wanted.secret);
        patch->set("bbb", bbb);
    }
    const bool active = boolMember(current, "active", true);
    if (active != wanted.active) {
        step.changes.push_back(std::string("active: ") + (active ? "true" : "false") + " -> " +
                               (wanted.active ? "true" : "false"));
        patch->set("active", wanted.active);
    }
    const auto account_ref = optionalStringMember(current, "account_ref");
    if (account_ref != wanted.account_ref) {
        step.changes.push_back("account_ref: " + shown(account_ref) + " -> " + shown(wanted.account_ref));
        patch->set("account_ref", nullable(wanted.account_ref));
    }
    const auto settings =
        settingsPatch(wanted.settings, canonicalFrontendSettings(objectMember(current, "settings")), step.changes);
    if (settings->size() > 0) patch->set("settings", settings);

    if (patch->size() == 0) return step;
    step.action = ImportStep::Action::Update;
    step.method = "PATCH";
    step.resource = "frontends/" + percentEncode(stringMember(current, "id"));
    step.body = toJson(patch);
    return step;
}

ImportStep planBackend(const WantedBackend& wanted, const Object::Ptr& current) {
    ImportStep step;
    step.kind = "backend";
    step.name = wanted.host;
    step.warnings = wanted.warnings;
    if (wanted.skip_reason) {
        step.action = ImportStep::Action::Skip;
        step.skip_reason = *wanted.skip_reason;
        return step;
    }

    if (!current) {
        auto bbb = newObject();
        bbb->set("host", wanted.host);
        bbb->set("secret", wanted.secret);
        auto settings = newObject();
        settings->set("tags", tagsJson(wanted.tags));
        auto body = newObject();
        body->set("bbb", bbb);
        body->set("settings", settings);
        body->set("admin_state", wanted.admin_state);
        body->set("load_factor", wanted.load_factor);
        if (wanted.agent_ref) body->set("agent_ref", *wanted.agent_ref);
        step.action = ImportStep::Action::Create;
        step.method = "POST";
        step.resource = "backends";
        step.body = toJson(body);
        return step;
    }

    auto patch = newObject();
    const auto current_bbb = objectMember(current, "bbb");
    if (stringMember(current_bbb, "secret") != wanted.secret) {
        step.changes.push_back("secret: changed");
        auto bbb = newObject();
        bbb->set("host", stringMember(current_bbb, "host"));
        bbb->set("secret", wanted.secret);
        patch->set("bbb", bbb);
    }
    if (stringsOf(arrayMember(objectMember(current, "settings"), "tags")) != wanted.tags) {
        step.changes.push_back("settings.tags: changed");
        auto settings = newObject();
        settings->set("tags", tagsJson(wanted.tags));
        patch->set("settings", settings);
    }
    const std::string admin_state = stringMember(current, "admin_state");
    if (admin_state != wanted.admin_state) {
        step.changes.push_back("admin_state: " + admin_state + " -> " + wanted.admin_state);
        patch->set("admin_state", wanted.admin_state);
    }
    const double load_factor = numberMember(current, "load_factor", 1.0);
    if (std::fabs(load_factor - wanted.load_factor) > 1e-6) {
        step.changes.push_back("load_factor: " + number(load_factor) + " -> " + number(wanted.load_factor));
        patch->set("load_factor", wanted.load_factor);
    }
    // A binding b3scale lacks is left alone: a node agent of ours may have made it.
    const auto agent_ref = optionalStringMember(current, "agent_ref");
    if (wanted.agent_ref && agent_ref != wanted.agent_ref) {
        step.changes.push_back("agent_ref: " + shown(agent_ref) + " -> " + *wanted.agent_ref);
        patch->set("agent_ref", *wanted.agent_ref);
    }

    if (patch->size() == 0) return step;
    step.action = ImportStep::Action::Update;
    step.method = "PATCH";
    step.resource = "backends/" + percentEncode(stringMember(current, "id"));
    step.body = toJson(patch);
    return step;
}

}  // namespace b3s::ctl
