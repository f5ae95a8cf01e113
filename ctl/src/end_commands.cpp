// end meetings <host>
#include "commands.hpp"

#include "json_text.hpp"
#include "resource_lookup.hpp"

#include <thread>

namespace b3s::ctl {

namespace {

/// b3scaled gives a command 120 s; a little more covers the queue's own delay.
constexpr auto kCommandWait = std::chrono::seconds(130);
constexpr auto kPollInterval = std::chrono::milliseconds(500);

int endMeetings(CtlContext& ctx, const Invocation& inv) {
    auto& api = ctx.api();
    const auto backend = requireBackend(api, inv.args.at(0));
    const std::string backend_id = stringMember(backend, "id");
    const std::string body =
        R"({"action":"end_all_meetings","params":{"BackendID":)" + toJson(Poco::Dynamic::Var(backend_id)) + "}}";
    const auto command = api.post("commands", body).object();
    const std::string command_id = stringMember(command, "id");
    if (command_id.empty()) throw CtlError("b3scaled accepted the command but did not say its id");
    ctx.out() << "Dispatch: end_all_meetings BackendID=" << backend_id << " ("
              << stringMember(objectMember(backend, "bbb"), "host") << ")\n"
              << std::flush;

    std::string last_state;
    const auto deadline = std::chrono::steady_clock::now() + kCommandWait;
    for (;;) {
        const auto current = api.get("commands/" + percentEncode(command_id)).object();
        const std::string state = stringMember(current, "state");
        if (state != last_state) {
            ctx.out() << "State: " << state << "\n" << std::flush;
            last_state = state;
        }
        if (state == "success" || state == "error") {
            const std::string result = current->has("result") ? toJson(current->get("result")) : "null";
            ctx.out() << "Result: " << result << "\n";
            if (state == "error") throw CtlError("end_all_meetings failed: " + result);
            return kExitOk;
        }
        if (std::chrono::steady_clock::now() >= deadline)
            throw CtlError("command " + command_id + " is still '" + state + "' after " +
                           std::to_string(kCommandWait.count()) + " s");
        std::this_thread::sleep_for(kPollInterval);
    }
}

}  // namespace

CommandSpec endCommand(CtlContext& ctx) {
    CommandSpec end;
    end.name = "end";
    end.summary = "end meetings";

    CommandSpec meetings;
    meetings.name = "meetings";
    meetings.summary = "end every meeting on a backend";
    meetings.args_usage = "<host>";
    meetings.description =
        "Asks b3scaled to end every meeting it knows on the backend <host> (BBB end with each\n"
        "meeting's moderator password) and waits until that is done.";
    meetings.min_args = meetings.max_args = 1;
    meetings.action = [&ctx](const Invocation& inv) { return endMeetings(ctx, inv); };

    end.subcommands = {meetings};
    return end;
}

}  // namespace b3s::ctl
