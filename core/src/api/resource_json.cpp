#include "api/resource_json.hpp"

#include "recordings/recording_document.hpp"
#include "recordings/visibility.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "util/url_redaction.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <fmt/format.h>

#include <cmath>
#include <ctime>

namespace b3s::core::api {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Poco::Dynamic::Var nullable(const std::optional<std::string>& v) {
    return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var();
}

Poco::Dynamic::Var nullableTime(const std::optional<store::Micros>& v) {
    return v ? Poco::Dynamic::Var(rfc3339(*v)) : Poco::Dynamic::Var();
}

}  // namespace

std::string rfc3339(store::Micros at) {
    if (at <= 0) return "0001-01-01T00:00:00Z";
    const std::time_t seconds = static_cast<std::time_t>(at / 1'000'000);
    const auto micros = at % 1'000'000;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    auto text = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                            tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (micros != 0) text += fmt::format(".{:06}", micros);
    return text + "Z";
}

Poco::Dynamic::Var parseJsonValue(std::string_view text) {
    try {
        // Wrapped in an array: Poco's parser takes only objects and arrays at the top.
        Poco::JSON::Parser parser;
        const auto wrapped = parser.parse("[" + std::string(text) + "]").extract<Array::Ptr>();
        if (!wrapped || wrapped->size() != 1) return {};
        return wrapped->get(0);
    } catch (const Poco::Exception&) {
        return {};
    }
}

namespace {

// The node agent's last report as its heartbeat sent it; null when it sent none.
Poco::Dynamic::Var agentReportJson(const std::optional<store::AgentReport>& report) {
    if (!report) return {};
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("at", rfc3339(report->at));
    const auto put = [](Object& into, const char* name, const auto& value) {
        into.set(name, value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var());
    };
    put(*o, "meetings", report->meetings);
    put(*o, "attendees", report->attendees);
    Object::Ptr host = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    put(*host, "cpu", report->cpu);
    put(*host, "memory", report->memory);
    put(*host, "network_rx_bytes_per_s", report->network_rx_bytes_per_s);
    put(*host, "network_tx_bytes_per_s", report->network_tx_bytes_per_s);
    o->set("host", host);
    return o;
}

}  // namespace

Object::Ptr backendJson(const store::Backend& b, const BackendLoadMap* loads) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", b.id);
    o->set("node_state", b.node_state);
    o->set("admin_state", std::string(store::toString(b.admin_state)));
    o->set("agent_heartbeat", rfc3339(b.agent_heartbeat.value_or(0)));
    o->set("agent_ref", nullable(b.agent_ref));
    o->set("agent_report", agentReportJson(b.agent_report));
    o->set("last_error", nullable(b.last_error));
    o->set("latency", b.latency * 1000);  // nanoseconds, as b3scale
    o->set("meetings_count", b.meetings_count);
    o->set("attendees_count", b.attendees_count);
    o->set("load_factor", b.load_factor);
    if (loads) {
        const auto it = loads->find(b.id);
        o->set("load",
               it != loads->end() && std::isfinite(it->second) ? Poco::Dynamic::Var(it->second) : Poco::Dynamic::Var());
    }
    Object::Ptr bbb = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    bbb->set("host", b.host);
    bbb->set("secret", b.secret);
    o->set("bbb", bbb);
    Object::Ptr settings = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    Array::Ptr tags = new Array;
    for (const auto& t : b.tags) tags->add(t);
    settings->set("tags", b.tags.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(tags));
    o->set("settings", settings);
    o->set("created_at", rfc3339(b.created_at));
    o->set("updated_at", rfc3339(b.updated_at));
    o->set("synced_at", rfc3339(b.synced_at));
    return o;
}

Object::Ptr frontendSettingsJson(std::string_view settings_json) {
    Object::Ptr stored;
    const auto parsed = parseJsonValue(settings_json.empty() ? "{}" : settings_json);
    if (parsed.type() == typeid(Object::Ptr)) stored = parsed.extract<Object::Ptr>();
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    auto take = [&](const char* key, bool is_map) {
        if (stored && stored->has(key) && !stored->get(key).isEmpty())
            o->set(key, stored->get(key));
        else if (is_map)
            o->set(key, Object::Ptr(new Object));
        else
            o->set(key, Poco::Dynamic::Var());
    };
    take("required_tags", false);
    take("default_presentation", false);
    take("attendees_limit", false);
    take("meetings_limit", false);
    take("rate_limit", false);
    take("create_default_params", true);
    take("create_override_params", true);
    take("join_default_params", true);
    take("join_override_params", true);
    take("recordings", false);
    return o;
}

Object::Ptr frontendJson(const store::Frontend& f, bool with_secret) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", f.id);
    o->set("active", f.active);
    Object::Ptr bbb = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    bbb->set("key", f.key);
    if (with_secret) bbb->set("secret", f.secret);
    o->set("bbb", bbb);
    o->set("settings", frontendSettingsJson(f.settings_json));
    o->set("account_ref", nullable(f.account_ref));
    o->set("created_at", rfc3339(f.created_at));
    o->set("updated_at", rfc3339(f.updated_at));
    // Ours: who switched it off ("operator" or "tenant"; null while active).
    o->set("deactivated_by", nullable(f.deactivated_by));
    return o;
}

Object::Ptr meetingJson(const store::Meeting& m, std::string_view frontend_key) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", m.id);
    o->set("internal_id", nullable(m.internal_id));
    const auto state = parseJsonValue(m.state_json);
    o->set("meeting", state.isEmpty() ? Poco::Dynamic::Var(Object::Ptr(new Object)) : state);
    o->set("frontend_id", m.frontend_id);
    o->set("backend_id", nullable(m.backend_id));
    o->set("created_at", rfc3339(m.created_at));
    o->set("updated_at", rfc3339(m.updated_at));
    o->set("synced_at", rfc3339(m.synced_at));
    // Ours: whose it is, as the frontend knows it, and whether it waits for re-creation.
    o->set("frontend_key", std::string(frontend_key));
    const auto decoded = bbb::decodeMeetingId(m.id);
    o->set("meeting_id", decoded ? *decoded : m.id);
    o->set("lost_at", nullableTime(m.lost_at));
    return o;
}

Object::Ptr commandJson(const store::Command& c) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", c.id);
    o->set("seq", c.seq);
    o->set("state", c.state);
    o->set("action", c.action);
    o->set("params", parseJsonValue(c.params_json));
    o->set("result", c.result_json ? parseJsonValue(*c.result_json) : Poco::Dynamic::Var());
    o->set("deadline", rfc3339(c.deadline));
    o->set("started_at", nullableTime(c.started_at));
    o->set("stopped_at", nullableTime(c.stopped_at));
    o->set("created_at", rfc3339(c.created_at));
    return o;
}

Object::Ptr callbackJson(const store::OutboxCallback& c, std::string_view frontend_key) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", c.id);
    o->set("frontend_id", c.frontend_id);
    o->set("frontend_key", std::string(frontend_key));
    o->set("method", c.method);
    o->set("url", redactUserinfo(c.url));
    o->set("state", c.state);
    o->set("attempts", c.attempts);
    o->set("last_error", c.last_error ? Poco::Dynamic::Var(redactUserinfo(*c.last_error)) : Poco::Dynamic::Var());
    o->set("next_attempt_at", rfc3339(c.next_attempt_at));
    o->set("created_at", rfc3339(c.created_at));
    o->set("updated_at", rfc3339(c.updated_at));
    return o;
}

Object::Ptr recordingJson(const store::Recording& r) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("RecordID", r.record_id);
    o->set("MeetingID", r.meeting_id);
    o->set("InternalMeetingID", r.internal_meeting_id);
    o->set("Name", r.name);
    o->set("IsBreakout", r.is_breakout);
    o->set("Published", r.published);
    o->set("State", r.state);
    o->set("StartTime", r.start_time);
    o->set("EndTime", r.end_time);
    o->set("Participants", r.participants);
    Object::Ptr metadata = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [name, value] : r.metadata) metadata->set(name, value);
    o->set("Metadata", metadata);
    Poco::JSON::Array::Ptr formats = new Poco::JSON::Array;
    for (const auto& f : recordings::formatsFromJson(r.formats_json, r.record_id)) {
        Object::Ptr format = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        format->set("Type", f.type);
        format->set("URL", f.url);
        format->set("ProcessingTime", f.processing_time);
        format->set("Length", f.length);
        Poco::JSON::Array::Ptr images = new Poco::JSON::Array;
        for (const auto& image : f.preview) {
            Object::Ptr i = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
            i->set("Alt", image.alt);
            i->set("Height", image.height);
            i->set("Width", image.width);
            i->set("URL", image.url);
            images->add(i);
        }
        Object::Ptr all = new Object;
        all->set("All", images);
        Object::Ptr preview = new Object;
        preview->set("Images", all);
        format->set("Preview", preview);
        formats->add(format);
    }
    o->set("Formats", formats);
    return o;
}

Object::Ptr recordingStateJson(const store::Recording& r) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("record_id", r.record_id);
    o->set("recording", recordingJson(r));
    o->set("meeting_id", r.meeting_id);
    o->set("internal_meeting_id", r.internal_meeting_id);
    o->set("frontend_id", r.frontend_id);
    o->set("visibility", std::string(recordings::visibilityName(recordings::visibilityOf(r))));
    o->set("created_at", rfc3339(r.created_at));
    o->set("updated_at", rfc3339(r.updated_at));
    o->set("synced_at", rfc3339(r.updated_at));  // ours has no sync of its own: the last change
    return o;
}

}  // namespace b3s::core::api
