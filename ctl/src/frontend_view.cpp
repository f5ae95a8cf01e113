#include "frontend_view.hpp"

#include "json_text.hpp"
#include "text_table.hpp"

namespace b3s::ctl {

std::string settingsSummary(const Poco::JSON::Object::Ptr& settings) {
    if (!settings) return "";
    Poco::JSON::Object::Ptr set = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& name : settings->getNames()) {
        const auto value = settings->get(name);
        if (value.isEmpty()) continue;
        if (auto object = asObject(value); object && object->size() == 0) continue;
        if (auto array = asArray(value); array && array->size() == 0) continue;
        set->set(name, value);
    }
    return set->size() == 0 ? "" : toJson(set);
}

void writeFrontendTable(std::ostream& out, const Poco::JSON::Array::Ptr& frontends) {
    if (!frontends || frontends->size() == 0) {
        out << "no frontends\n";
        return;
    }
    TextTable table({{"KEY"}, {"STATE"}, {"ACCOUNT"}, {"ID"}, {"SETTINGS"}});
    for (std::size_t i = 0; i < frontends->size(); ++i) {
        const auto frontend = frontends->getObject(static_cast<unsigned>(i));
        if (!frontend) continue;
        table.addRow({stringMember(objectMember(frontend, "bbb"), "key"),
                      boolMember(frontend, "active") ? "enabled" : "disabled",
                      stringMember(frontend, "account_ref", "-"), stringMember(frontend, "id"),
                      settingsSummary(objectMember(frontend, "settings"))});
    }
    table.write(out);
}

void writeFrontendDetails(std::ostream& out, const Poco::JSON::Object::Ptr& frontend, const ApiEndpoint& endpoint) {
    const auto bbb = objectMember(frontend, "bbb");
    const auto settings = objectMember(frontend, "settings");
    const std::string key = stringMember(bbb, "key");
    writeDetails(out, {{"Frontend", key},
                       {"ID", stringMember(frontend, "id")},
                       {"Enabled", boolMember(frontend, "active") ? "true" : "false"},
                       {"Account", stringMember(frontend, "account_ref", "-")},
                       {"Created", stringMember(frontend, "created_at")},
                       {"Updated", stringMember(frontend, "updated_at")},
                       {"Settings", settings ? prettyJson(toJson(settings)) : "{}"}});
    out << '\n';
    writeDetails(
        out, {{"Frontend URL", endpoint.url + "/bbb/" + key + "/"}, {"Frontend Secret", stringMember(bbb, "secret")}});
}

}  // namespace b3s::ctl
