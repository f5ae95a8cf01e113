#include "backend_view.hpp"

#include "json_text.hpp"
#include "text_table.hpp"

#include <fmt/format.h>

namespace b3s::ctl {

namespace {

std::string tagList(const Poco::JSON::Object::Ptr& backend) {
    std::string out;
    if (auto tags = arrayMember(objectMember(backend, "settings"), "tags"))
        for (std::size_t i = 0; i < tags->size(); ++i)
            if (tags->get(i).isString()) out += (out.empty() ? "" : ",") + tags->get(i).extract<std::string>();
    return out;
}

std::string count(const Poco::JSON::Object::Ptr& object, const std::string& key) {
    return fmt::format("{}", static_cast<long long>(numberMember(object, key)));
}

std::string loadFactor(const Poco::JSON::Object::Ptr& backend) {
    return fmt::format("{:g}", numberMember(backend, "load_factor", 1.0));
}

// The load as the server's balancer weighs it; "-" when the server does not say (it could
// not, or it predates the field).
std::string balancerLoad(const Poco::JSON::Object::Ptr& backend) {
    if (!backend->has("load") || backend->isNull("load")) return "-";
    return fmt::format("{:.4g}", numberMember(backend, "load"));
}

std::string latency(const Poco::JSON::Object::Ptr& backend) {
    return formatLatency(static_cast<std::int64_t>(numberMember(backend, "latency")));
}

std::optional<WallClock::time_point> timeMember(const Poco::JSON::Object::Ptr& object, const std::string& key) {
    const auto text = optionalStringMember(object, key);
    return text ? parseTimestamp(*text) : std::nullopt;
}

std::string withTimestamp(const Poco::JSON::Object::Ptr& object, const std::string& key, WallClock::time_point now) {
    const auto when = timeMember(object, key);
    if (!when) return "never";
    return formatAge(when, now) + " (" + stringMember(object, key) + ")";
}

}  // namespace

std::string agentSummary(const Poco::JSON::Object::Ptr& backend, WallClock::time_point now) {
    if (!optionalStringMember(backend, "agent_ref")) return "no agent";
    return formatAge(timeMember(backend, "agent_heartbeat"), now);
}

void writeBackendTable(std::ostream& out, const Poco::JSON::Array::Ptr& backends, WallClock::time_point now) {
    if (!backends || backends->size() == 0) {
        out << "no backends\n";
        return;
    }
    using A = TextTable::Align;
    TextTable table({{"HOST"},
                     {"ADMIN"},
                     {"HEALTH"},
                     {"LAST POLL"},
                     {"AGENT"},
                     {"MEETINGS", A::Right},
                     {"ATTENDEES", A::Right},
                     {"LOAD", A::Right},
                     {"FACTOR", A::Right},
                     {"LATENCY", A::Right},
                     {"TAGS"},
                     {"LAST ERROR"}});
    for (std::size_t i = 0; i < backends->size(); ++i) {
        const auto backend = backends->getObject(static_cast<unsigned>(i));
        if (!backend) continue;
        table.addRow({stringMember(objectMember(backend, "bbb"), "host"), stringMember(backend, "admin_state"),
                      stringMember(backend, "node_state"), formatAge(timeMember(backend, "synced_at"), now),
                      agentSummary(backend, now), count(backend, "meetings_count"), count(backend, "attendees_count"),
                      balancerLoad(backend), loadFactor(backend), latency(backend), tagList(backend),
                      shorten(stringMember(backend, "last_error"), 40)});
    }
    table.write(out);
}

void writeBackendDetails(std::ostream& out, const Poco::JSON::Object::Ptr& backend, WallClock::time_point now) {
    const auto settings = objectMember(backend, "settings");
    const auto agent_ref = optionalStringMember(backend, "agent_ref");
    std::vector<std::pair<std::string, std::string>> rows = {
        {"Backend", stringMember(objectMember(backend, "bbb"), "host")},
        {"ID", stringMember(backend, "id")},
        {"Admin state", stringMember(backend, "admin_state")},
        {"Health", stringMember(backend, "node_state")},
        {"Last poll", withTimestamp(backend, "synced_at", now)},
        {"Agent", agent_ref ? *agent_ref : "no agent"},
    };
    if (agent_ref) rows.emplace_back("Agent heartbeat", withTimestamp(backend, "agent_heartbeat", now));
    rows.insert(rows.end(), {{"Meetings", count(backend, "meetings_count")},
                             {"Attendees", count(backend, "attendees_count")},
                             {"Load", balancerLoad(backend)},
                             {"Load factor", loadFactor(backend)},
                             {"Latency", latency(backend)},
                             {"Last error", stringMember(backend, "last_error", "-")},
                             {"Tags", tagList(backend).empty() ? "-" : tagList(backend)},
                             {"Settings", settings ? prettyJson(toJson(settings)) : "{}"},
                             {"Created", stringMember(backend, "created_at")},
                             {"Updated", stringMember(backend, "updated_at")}});
    writeDetails(out, rows);
}

}  // namespace b3s::ctl
