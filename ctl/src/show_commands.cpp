// show backends|backend|frontends|frontend|meetings|recordings|recording|callbacks
#include "commands.hpp"

#include "backend_host.hpp"
#include "backend_view.hpp"
#include "callback_view.hpp"
#include "frontend_view.hpp"
#include "json_text.hpp"
#include "meeting_view.hpp"
#include "resource_lookup.hpp"
#include "text_table.hpp"

namespace b3s::ctl {

void printJson(CtlContext& ctx, const std::string& body) {
    ctx.out() << prettyJson(body);
}

namespace {

int showBackends(CtlContext& ctx, const Invocation& inv) {
    const auto reply = ctx.api().get("backends");
    if (inv.flag("json")) {
        printJson(ctx, reply.body);
    } else {
        writeBackendTable(ctx.out(), reply.array(), ctx.now());
    }
    return kExitOk;
}

int showBackend(CtlContext& ctx, const Invocation& inv) {
    auto& api = ctx.api();
    const auto backend = requireBackend(api, inv.args.at(0));
    const auto reply = api.get("backends/" + percentEncode(stringMember(backend, "id")));
    if (inv.flag("json")) {
        printJson(ctx, reply.body);
    } else {
        writeBackendDetails(ctx.out(), reply.object(), ctx.now());
    }
    return kExitOk;
}

int showFrontends(CtlContext& ctx, const Invocation& inv) {
    const auto reply = ctx.api().get("frontends");
    if (inv.flag("json")) {
        printJson(ctx, reply.body);
    } else {
        writeFrontendTable(ctx.out(), reply.array());
    }
    return kExitOk;
}

int showFrontend(CtlContext& ctx, const Invocation& inv) {
    auto& api = ctx.api();
    const auto frontend = requireFrontend(api, inv.args.at(0));
    const auto reply = api.get("frontends/" + percentEncode(stringMember(frontend, "id")));
    if (inv.flag("json")) {
        printJson(ctx, reply.body);
    } else {
        writeFrontendDetails(ctx.out(), reply.object(), ctx.endpoint());
    }
    return kExitOk;
}

int showMeetings(CtlContext& ctx, const Invocation& inv) {
    auto& api = ctx.api();
    QueryParams filters;
    if (const auto host = inv.value("backend")) filters.emplace_back("backend_host", normaliseBackendHost(*host));
    if (const auto key = inv.value("frontend")) filters.emplace_back("frontend_key", *key);
    const auto reply = api.get("meetings", filters);
    if (inv.flag("json")) {
        printJson(ctx, reply.body);
    } else {
        const auto meetings = reply.array();
        writeMeetingTable(ctx.out(), meetings,
                          meetings->size() == 0 ? std::map<std::string, std::string>{} : backendHostsById(api),
                          ctx.now());
    }
    return kExitOk;
}

int showRecordings(CtlContext& ctx, const Invocation& inv) {
    QueryParams filters;
    if (const auto id = inv.value("frontend-id")) filters.emplace_back("frontend_id", *id);
    if (const auto key = inv.value("frontend")) filters.emplace_back("frontend_key", *key);
    if (filters.empty())
        throw UsageError("'show recordings' needs --frontend KEY or --frontend-id ID", "show recordings");
    const auto reply = ctx.api().get("recordings", filters);
    if (inv.flag("json")) {
        printJson(ctx, reply.body);
        return kExitOk;
    }
    const auto recordings = reply.array();
    if (recordings->size() == 0) {
        ctx.out() << "no recordings\n";
        return kExitOk;
    }
    TextTable table({{"RECORDING"}, {"ENDED"}, {"PUBLISHED"}, {"MEETING"}});
    for (std::size_t i = 0; i < recordings->size(); ++i) {
        const auto state = recordings->getObject(static_cast<unsigned>(i));
        const auto recording = objectMember(state, "recording");
        const auto end_ms = static_cast<std::int64_t>(numberMember(recording, "EndTime"));
        std::string ended = "-";
        if (end_ms > 0) ended = formatTimestamp(WallClock::time_point(std::chrono::milliseconds(end_ms)));
        const auto metadata = objectMember(recording, "Metadata");
        std::string name = stringMember(metadata, "meetingName", stringMember(recording, "Name"));
        table.addRow({stringMember(state, "record_id", stringMember(recording, "RecordID")), ended,
                      boolMember(recording, "Published") ? "yes" : "no", shorten(name, 50)});
    }
    table.write(ctx.out());
    return kExitOk;
}

int showCallbacks(CtlContext& ctx, const Invocation& inv) {
    const QueryParams filter = {{"state", inv.flag("dead") ? "dead" : "pending,delivering"}};
    const auto reply = ctx.api().get("callbacks", filter);
    if (inv.flag("json")) {
        printJson(ctx, reply.body);
    } else {
        writeCallbackTable(ctx.out(), reply.array(), ctx.now());
    }
    return kExitOk;
}

int showRecording(CtlContext& ctx, const Invocation& inv) {
    printJson(ctx, ctx.api().get("recordings/" + percentEncode(inv.args.at(0))).body);
    return kExitOk;
}

}  // namespace

CommandSpec showCommand(CtlContext& ctx) {
    CommandSpec show;
    show.name = "show";
    show.aliases = {"s"};
    show.summary = "show backends, frontends, meetings, recordings and callbacks";
    show.description =
        "Shows what b3scaled knows. Human output is a table; --json prints the API's JSON as it\n"
        "came (re-indented), for scripts.";
    show.flags = {{"json", {}, "", "print the API's JSON instead of a table"}};

    CommandSpec backends;
    backends.name = "backends";
    backends.summary = "list backends: health, last poll, agent heartbeat, load";
    backends.description =
        "Lists every backend (BBB server) with its admin state (ready, stopped, decommissioned,\n"
        "init), its health as b3scaled's own polls see it (init = never polled, ready, unstable =\n"
        "recent poll failures, no new meetings, offline), when it last answered a poll, how long\n"
        "ago its agent sent a heartbeat ('no agent' without b3scaleagent — none is needed),\n"
        "meetings, attendees, load factor, poll latency, tags and the last poll error.";
    backends.action = [&ctx](const Invocation& inv) { return showBackends(ctx, inv); };

    CommandSpec backend;
    backend.name = "backend";
    backend.summary = "show one backend in detail";
    backend.args_usage = "<host>";
    backend.description =
        "Shows one backend. <host> is its BBB API URL; https://bbb1.example.org finds\n"
        "https://bbb1.example.org/bigbluebutton/api/.";
    backend.min_args = backend.max_args = 1;
    backend.action = [&ctx](const Invocation& inv) { return showBackend(ctx, inv); };

    CommandSpec frontends;
    frontends.name = "frontends";
    frontends.summary = "list frontends (tenants)";
    frontends.description =
        "Lists every frontend: key, enabled or disabled, account, id and the settings that are set.";
    frontends.action = [&ctx](const Invocation& inv) { return showFrontends(ctx, inv); };

    CommandSpec frontend;
    frontend.name = "frontend";
    frontend.summary = "show one frontend with its BBB URL and secret";
    frontend.args_usage = "<key>";
    frontend.description =
        "Shows one frontend, with the BBB API URL and secret to configure in its application\n"
        "(Greenlight, Moodle, …).";
    frontend.min_args = frontend.max_args = 1;
    frontend.action = [&ctx](const Invocation& inv) { return showFrontend(ctx, inv); };

    CommandSpec meetings;
    meetings.name = "meetings";
    meetings.summary = "list running meetings, cluster-wide";
    meetings.description =
        "Lists the meetings b3scaled knows, on every backend unless filtered: frontend, the\n"
        "frontend's own meeting id, name, backend, attendees (BBB's participant count at the last\n"
        "poll) and age.";
    meetings.flags = {{"backend", {}, "HOST", "only meetings on this backend"},
                      {"frontend", {"fe"}, "KEY", "only meetings of this frontend"}};
    meetings.action = [&ctx](const Invocation& inv) { return showMeetings(ctx, inv); };

    CommandSpec recordings;
    recordings.name = "recordings";
    recordings.summary = "list the recordings of a frontend";
    recordings.flags = {{"frontend-id", {"feid"}, "ID", "the frontend's id"},
                        {"frontend", {"fe"}, "KEY", "the frontend's key"}};
    recordings.action = [&ctx](const Invocation& inv) { return showRecordings(ctx, inv); };

    CommandSpec recording;
    recording.name = "recording";
    recording.summary = "show one recording (JSON)";
    recording.args_usage = "<recordID>";
    recording.min_args = recording.max_args = 1;
    recording.action = [&ctx](const Invocation& inv) { return showRecording(ctx, inv); };

    CommandSpec callbacks;
    callbacks.name = "callbacks";
    callbacks.summary = "list callbacks to frontends waiting in the outbox, or the dead letters";
    callbacks.description =
        "Lists the callbacks (meeting ended, recording ready) b3scaled still has to deliver to\n"
        "frontends, newest first: id, frontend, state, URL (a password in it shown as ***),\n"
        "attempts so far, the last error and age. --dead lists those it gave up on instead:\n"
        "attempts exhausted, the frontend answered 410, or the URL is refused by\n"
        "B3SCALE_CALLBACK_ALLOW/DENY ('retry callback <id>' queues one again).";
    callbacks.flags = {{"dead", {}, "", "only the dead letters"}};
    callbacks.action = [&ctx](const Invocation& inv) { return showCallbacks(ctx, inv); };

    show.subcommands = {backends, backend, frontends, frontend, meetings, recordings, recording, callbacks};
    return show;
}

}  // namespace b3s::ctl
