#include "store/agent_report_json.hpp"

#include "store/store_error.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace b3s::core::store {
namespace {

template <class T>
void put(Poco::JSON::Object& o, const char* name, const std::optional<T>& value) {
    if (value) o.set(name, *value);
}

std::optional<double> number(const Poco::JSON::Object& o, const char* name) {
    if (!o.has(name)) return std::nullopt;
    const auto v = o.get(name);
    if (!v.isNumeric()) return std::nullopt;
    return v.convert<double>();
}

std::optional<int> integer(const Poco::JSON::Object& o, const char* name) {
    if (!o.has(name)) return std::nullopt;
    const auto v = o.get(name);
    if (!v.isInteger()) return std::nullopt;
    return v.convert<int>();
}

}  // namespace

std::string agentReportToJson(const AgentReport& report) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("at_us", Poco::Int64(report.at));
    put(o, "meetings", report.meetings);
    put(o, "attendees", report.attendees);
    put(o, "cpu", report.cpu);
    put(o, "memory", report.memory);
    put(o, "network_rx_bytes_per_s", report.network_rx_bytes_per_s);
    put(o, "network_tx_bytes_per_s", report.network_tx_bytes_per_s);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

AgentReport agentReportFromJson(std::string_view json) {
    try {
        Poco::JSON::Parser parser;
        const auto o = parser.parse(std::string(json)).extract<Poco::JSON::Object::Ptr>();
        AgentReport r;
        if (o->has("at_us") && o->get("at_us").isInteger()) r.at = o->get("at_us").convert<Poco::Int64>();
        r.meetings = integer(*o, "meetings");
        r.attendees = integer(*o, "attendees");
        r.cpu = number(*o, "cpu");
        r.memory = number(*o, "memory");
        r.network_rx_bytes_per_s = number(*o, "network_rx_bytes_per_s");
        r.network_tx_bytes_per_s = number(*o, "network_tx_bytes_per_s");
        return r;
    } catch (const Poco::Exception& e) {
        throw StoreError(StoreError::Kind::Internal,
                         "a backend's agent_report is not a JSON object: " + e.displayText());
    }
}

}  // namespace b3s::core::store
