#include "cluster/backend_poll.hpp"

#include "bbb/callback_proxy_url.hpp"
#include "bbb/meeting_state.hpp"

#include <Poco/JSON/Object.h>

#include <charconv>
#include <sstream>

namespace b3s::core::cluster {
namespace {

int count(const bbb::XmlNode& meeting, std::string_view name) {
    const auto text = meeting.childText(name).value_or("0");
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc{} && value > 0 ? value : 0;
}

const char* outcomeText(BackendApiResult::Outcome outcome) {
    switch (outcome) {
        case BackendApiResult::Outcome::Unreachable: return "unreachable";
        case BackendApiResult::Outcome::TimedOut: return "timed out";
        case BackendApiResult::Outcome::Unreadable: return "unreadable answer";
        case BackendApiResult::Outcome::Answered: return "answered";
    }
    return "failed";
}

}  // namespace

int PollResult::attendees() const noexcept {
    int total = 0;
    for (const auto& m : meetings) total += m.attendees();
    return total;
}

PollResult pollBackend(const BackendApi& api, const store::Backend& backend, const Clock& clock) {
    PollResult poll;
    poll.asked_at_us = clock.nowMicros();
    auto result = api.call(backend, {"getMeetings", {}, {}});
    poll.latency = result.latency;
    if (!result.answered()) {
        poll.error = std::string(outcomeText(result.outcome)) + (result.error.empty() ? "" : ": " + result.error);
        return poll;
    }
    if (!result.succeeded()) {
        // BBB answers FAILED checksumError to a wrong secret: the operator must hear of it.
        poll.error = "getMeetings answered " + result.returncode() + ": " + result.messageKey();
        return poll;
    }
    poll.succeeded = true;
    const auto* meetings = result.xml->child("meetings");
    if (!meetings) return poll;  // BBB's noMeetings answer has an empty <meetings/> or none
    for (const auto* m : meetings->childrenNamed("meeting")) {
        PolledMeeting pm;
        pm.meeting_id = m->childText("meetingID").value_or("");
        pm.internal_id = m->childText("internalMeetingID").value_or("");
        if (const auto* metadata = m->child("metadata"))
            pm.frontend_key = metadata->childText("b3s-frontend").value_or("");
        pm.breakout = m->childText("isBreakout").value_or("false") == "true";
        pm.participants = count(*m, "participantCount");
        pm.listeners = count(*m, "listenerCount");
        pm.video = count(*m, "videoCount");
        pm.running = m->childText("running").value_or("false") == "true";
        const auto start = m->childText("startTime").value_or("0");
        std::from_chars(start.data(), start.data() + start.size(), pm.start_time_ms);
        pm.state_json = bbb::meetingStateJson(*m);
        Poco::JSON::Object params(Poco::JSON_PRESERVE_KEY_ORDER);
        if (auto name = m->childText("meetingName")) params.set("name", *name);
        // A callback the backend holds is a proxy URL: kept as the frontend's own, so a
        // re-creation wraps that URL again, never a token of the old incarnation.
        if (const auto* metadata = m->child("metadata"))
            for (const auto& item : metadata->children)
                if (item.kind == bbb::XmlNode::Kind::Element) {
                    auto value = item.textContent();
                    if (auto original = bbb::originalCallbackUrl(value)) value = std::move(*original);
                    params.set("meta_" + item.name, value);
                }
        std::ostringstream json;
        params.stringify(json);
        pm.create_params_json = json.str();
        if (!pm.meeting_id.empty()) poll.meetings.push_back(std::move(pm));
    }
    return poll;
}

}  // namespace b3s::core::cluster
