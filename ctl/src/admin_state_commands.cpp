// enable (en, start) / disable (dis, stop) backend|frontend
#include "commands.hpp"

#include "json_text.hpp"
#include "resource_lookup.hpp"

namespace b3s::ctl {

namespace {

int setBackendAdminState(CtlContext& ctx, const Invocation& inv, const std::string& state) {
    auto& api = ctx.api();
    const auto backend = requireBackend(api, inv.args.at(0));
    if (stringMember(backend, "admin_state") == state) {
        ctx.out() << "no changes\n";
        return kExitNoChange;
    }
    if (inv.flag("dry")) {
        ctx.out() << "skipping backend admin state update\n";
        return kExitOk;
    }
    api.patch("backends/" + percentEncode(stringMember(backend, "id")), R"({"admin_state":")" + state + R"("})");
    ctx.out() << "updated backend admin state\n";
    return kExitOk;
}

int setFrontendActive(CtlContext& ctx, const Invocation& inv, bool active) {
    auto& api = ctx.api();
    const auto frontend = requireFrontend(api, inv.args.at(0));
    const std::string id = stringMember(frontend, "id");
    if (boolMember(frontend, "active") == active) {
        ctx.out() << "no changes\n";
        return kExitNoChange;
    }
    if (inv.flag("dry")) {
        ctx.out() << "skipping frontend update (dry run)\n";
        return kExitOk;
    }
    ctx.out() << (active ? "enable" : "disable") << " frontend: " << id << "\n";
    api.patch("frontends/" + percentEncode(id), active ? R"({"active":true})" : R"({"active":false})");
    return kExitOk;
}

CommandSpec stateCommand(CtlContext& ctx, bool enable) {
    CommandSpec command;
    command.name = enable ? "enable" : "disable";
    command.aliases = enable ? std::vector<std::string>{"en", "start"} : std::vector<std::string>{"dis", "stop"};
    command.summary = enable ? "let a backend take new meetings, or a frontend use b3scale again"
                             : "stop new meetings on a backend (drain), or refuse a frontend's calls";
    command.flags = {{"dry", {}, "", "say what would be done, change nothing"}};

    CommandSpec backend;
    backend.name = "backend";
    backend.args_usage = "<host>";
    backend.min_args = backend.max_args = 1;
    backend.summary = enable ? "admin state ready: the backend takes new meetings"
                             : "admin state stopped: no new meetings, running ones go on";
    const std::string state = enable ? "ready" : "stopped";
    backend.action = [&ctx, state](const Invocation& inv) { return setBackendAdminState(ctx, inv, state); };

    CommandSpec frontend;
    frontend.name = "frontend";
    frontend.args_usage = "<key>";
    frontend.min_args = frontend.max_args = 1;
    frontend.summary = enable ? "accept the frontend's BBB calls again" : "refuse the frontend's BBB calls";
    frontend.action = [&ctx, enable](const Invocation& inv) { return setFrontendActive(ctx, inv, enable); };

    command.description = command.summary + ". Exits with 64 when it already is so.";
    command.subcommands = {backend, frontend};
    return command;
}

}  // namespace

CommandSpec enableCommand(CtlContext& ctx) {
    return stateCommand(ctx, true);
}
CommandSpec disableCommand(CtlContext& ctx) {
    return stateCommand(ctx, false);
}

}  // namespace b3s::ctl
