#include "api/resource_input.hpp"
#include "api/resource_json.hpp"
#include "api/resources.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <sstream>
#include <thread>
#include <variant>

namespace b3s::core::api {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// An agent reports a meeting the moment BBB creates it, often before the create's answer
// reached b3scaled: wait for the row a while, as b3scale does.
constexpr auto kMeetingWait = std::chrono::seconds(15);
constexpr auto kMeetingPoll = std::chrono::milliseconds(150);

ApiResult rpcAnswer(bool succeeded, Poco::Dynamic::Var result, int status = 200) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("status", succeeded ? "ok" : "error");
    o->set("result", result);
    return ok(o, status);
}

std::optional<store::Backend> ownBackend(const ApiRequest& r, ApiContext& context) {
    if (r.access.subject.empty()) return std::nullopt;
    return context.store.findBackendByAgent(r.access.subject);
}

// The payload is standard, padded base64 of a JSON object (b3scale's agents send a Go
// []byte); nullptr when it is not.
Object::Ptr decodePayload(const std::string& text) {
    try {
        std::istringstream in(text);
        Poco::Base64Decoder decoder(in);
        std::string json((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
        Poco::JSON::Parser parser;
        const auto value = parser.parse(json);
        return value.type() == typeid(Object::Ptr) ? value.extract<Object::Ptr>() : nullptr;
    } catch (const Poco::Exception&) {
        return nullptr;
    }
}

std::string stringParam(const Object& params, const std::string& name) {
    return params.has(name) && params.get(name).isString() ? params.get(name).extract<std::string>() : std::string();
}

// Bounds of what a node may report: beyond them a figure is a bug or a lie, refused whole.
constexpr int kMaxReportedMeetings = 100'000;
constexpr int kMaxReportedAttendees = 1'000'000;
constexpr double kMaxReportedBytesPerSecond = 1e12;

// The heartbeat's optional body: the node's own counts and host figures. Absent fields stay
// absent; a present one of the wrong type or out of bounds is a validation error.
std::variant<store::AgentReport, FieldErrors> readReport(const Object& body, store::Micros now) {
    store::AgentReport r;
    r.at = now;
    FieldErrors errors;
    const auto count = [&](const Object& o, const std::string& name, const std::string& field, int max,
                           std::optional<int>& out) {
        if (!o.has(name)) return;
        const auto v = o.get(name);
        if (!v.isInteger() || v.convert<Poco::Int64>() < 0 || v.convert<Poco::Int64>() > max)
            errors[field].push_back(fmt::format("an integer from 0 to {}", max));
        else
            out = v.convert<int>();
    };
    const auto figure = [&](const Object& o, const std::string& name, double max, std::optional<double>& out) {
        if (!o.has(name)) return;
        const auto v = o.get(name);
        const double d = v.isNumeric() ? v.convert<double>() : std::nan("");
        if (!std::isfinite(d) || d < 0 || d > max)
            errors["host." + name].push_back(fmt::format("a number from 0 to {}", max));
        else
            out = d;
    };
    count(body, "meetings", "meetings", kMaxReportedMeetings, r.meetings);
    count(body, "attendees", "attendees", kMaxReportedAttendees, r.attendees);
    if (body.has("host")) {
        if (body.get("host").type() != typeid(Object::Ptr)) {
            errors["host"].push_back("an object");
        } else {
            const auto host = body.getObject("host");
            figure(*host, "cpu", 1.0, r.cpu);
            figure(*host, "memory", 1.0, r.memory);
            figure(*host, "network_rx_bytes_per_s", kMaxReportedBytesPerSecond, r.network_rx_bytes_per_s);
            figure(*host, "network_tx_bytes_per_s", kMaxReportedBytesPerSecond, r.network_tx_bytes_per_s);
        }
    }
    if (!errors.empty()) return errors;
    return r;
}

Object::Ptr stateOf(const store::Meeting& m) {
    const auto parsed = parseJsonValue(m.state_json);
    if (parsed.type() == typeid(Object::Ptr)) return parsed.extract<Object::Ptr>();
    return new Object;
}

}  // namespace

ApiResult agentBackend(const ApiRequest& request, ApiContext& context) {
    const auto own = ownBackend(request, context);
    if (!own) return ApiError::notFound();
    const auto loads = context.loads.now();
    return ok(backendJson(*own, &loads));
}

ApiResult agentHeartbeat(const ApiRequest& request, ApiContext& context) {
    const auto own = ownBackend(request, context);
    if (!own) return ApiError::notFound();
    const auto now = context.clock.nowMicros();
    // b3scale's agent sends no body; ours sends its counts and the host's figures.
    std::optional<store::AgentReport> report;
    if (request.body) {
        auto read = readReport(*request.body, now);
        if (auto* errors = std::get_if<FieldErrors>(&read)) return ApiError::validation(std::move(*errors));
        report = std::get<store::AgentReport>(read);
    }
    const auto saved = context.store.recordHeartbeat(own->id, now, report);
    if (!saved) return ApiError::notFound();
    context.cluster.put(*saved);
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("backend_id", saved->id);
    o->set("heartbeat", rfc3339(now));
    return ok(o);
}

ApiResult agentRpc(const ApiRequest& request, ApiContext& context) {
    if (!request.body || !request.body->has("action") || !request.body->get("action").isString() ||
        !request.body->has("payload") || !request.body->get("payload").isString())
        return rpcAnswer(false, "the request must be {\"action\": string, \"payload\": base64 string}", 400);
    const auto params = decodePayload(request.body->getValue<std::string>("payload"));
    if (!params) return rpcAnswer(false, "the payload must be base64 of a JSON object", 400);
    const auto own = ownBackend(request, context);
    if (!own) return ApiError::forbidden("this node token has no backend registered");

    const auto action = request.body->getValue<std::string>("action");
    if (action != "meeting_set_running" && action != "meeting_state_reset" && action != "meeting_add_attendee" &&
        action != "meeting_remove_attendee" && action != "meeting_set_recording")
        return rpcAnswer(false, "the requested RPC action is unknown");
    const auto internal_id = stringParam(*params, "internal_meeting_id");
    if (internal_id.empty()) return rpcAnswer(false, "internal_meeting_id is required");

    std::optional<store::Meeting> meeting;
    for (const auto deadline = std::chrono::steady_clock::now() + kMeetingWait;;) {
        meeting = context.store.findMeetingByInternalId(internal_id);
        if (meeting && meeting->backend_id == own->id) break;
        meeting.reset();
        if (std::chrono::steady_clock::now() + kMeetingPoll > deadline)
            return rpcAnswer(false, "meeting not found within deadline");
        std::this_thread::sleep_for(kMeetingPoll);
    }

    auto state = stateOf(*meeting);
    Array::Ptr attendees = state->has("Attendees") && state->get("Attendees").type() == typeid(Array::Ptr)
                               ? state->getArray("Attendees")
                               : Array::Ptr(new Array);
    if (action == "meeting_set_running") {
        state->set("Running", params->has("running") && params->get("running").type() == typeid(bool) &&
                                  params->get("running").extract<bool>());
    } else if (action == "meeting_set_recording") {
        // Ours (b3scale's agent knows no recording events): the record button was pressed.
        if (!params->has("recording") || params->get("recording").type() != typeid(bool))
            return rpcAnswer(false, "recording must be a boolean");
        state->set("Recording", params->get("recording").extract<bool>());
    } else if (action == "meeting_state_reset") {
        state->set("Running", false);
        attendees = new Array;
    } else if (action == "meeting_add_attendee") {
        if (!params->has("attendee") || params->get("attendee").type() != typeid(Object::Ptr))
            return rpcAnswer(false, "attendee is required");
        attendees->add(params->getObject("attendee"));
    } else {
        const auto user = stringParam(*params, "internal_user_id");
        Array::Ptr kept = new Array;
        for (const auto& a : *attendees) {
            const auto o = a.type() == typeid(Object::Ptr) ? a.extract<Object::Ptr>() : nullptr;
            if (!o || stringParam(*o, "InternalUserID") != user) kept->add(a);
        }
        attendees = kept;
    }
    state->set("Attendees", attendees);
    std::ostringstream text;
    state->stringify(text);
    const auto saved = context.store.updateMeetingState(meeting->id, text.str());
    if (!saved) return rpcAnswer(false, "the meeting is gone");
    context.cluster.put(*saved);
    return rpcAnswer(true, Poco::Dynamic::Var());
}

}  // namespace b3s::core::api
