// delete (d, del, rm) backend|frontend
#include "commands.hpp"

#include "json_text.hpp"
#include "resource_lookup.hpp"

namespace b3s::ctl {

namespace {

int deleteBackend(CtlContext& ctx, const Invocation& inv) {
    auto& api = ctx.api();
    const auto backend = requireBackend(api, inv.args.at(0));
    const std::string id = stringMember(backend, "id");
    const std::string host = stringMember(objectMember(backend, "bbb"), "host");
    const bool dry = inv.flag("dry");
    // An offline backend cannot drain (nothing answers its polls), so it goes at once, as
    // b3scale removes a backend in an error state; otherwise it is decommissioned: no new
    // meetings, deleted by b3scaled when its last meeting has ended.
    const bool hard = inv.flag("force") || stringMember(backend, "node_state") == "offline";
    if (hard) {
        if (dry) {
            ctx.out() << "skipping delete backend (dry run)\n";
            return kExitOk;
        }
        ctx.out() << "deleting backend\n";
        api.remove("backends/" + percentEncode(id), {{"force", "true"}});
        ctx.out() << "deleted backend: " << id << " " << host << "\n";
        return kExitOk;
    }
    if (stringMember(backend, "admin_state") == "decommissioned") {
        ctx.out() << "no changes: backend is already being decommissioned (--force deletes it now)\n";
        return kExitNoChange;
    }
    if (dry) {
        ctx.out() << "skipping decommissioning backend (dry run)\n";
        return kExitOk;
    }
    api.remove("backends/" + percentEncode(id));
    ctx.out() << "backend marked for decommissioning\n";
    return kExitOk;
}

int deleteFrontend(CtlContext& ctx, const Invocation& inv) {
    auto& api = ctx.api();
    const auto frontend = requireFrontend(api, inv.args.at(0));
    const std::string id = stringMember(frontend, "id");
    if (inv.flag("dry")) {
        ctx.out() << "skipping delete (dry)\n";
        return kExitOk;
    }
    ctx.out() << "delete frontend: " << id << "\n";
    api.remove("frontends/" + percentEncode(id));
    return kExitOk;
}

}  // namespace

CommandSpec deleteCommand(CtlContext& ctx) {
    CommandSpec del;
    del.name = "delete";
    del.aliases = {"d", "del", "rm"};
    del.summary = "remove a backend or a frontend";
    del.flags = {{"dry", {}, "", "say what would be done, change nothing"},
                 {"force", {"f"}, "", "delete a backend at once instead of decommissioning it"}};

    CommandSpec backend;
    backend.name = "backend";
    backend.summary = "decommission a backend (or delete it now with --force)";
    backend.args_usage = "<host>";
    backend.description =
        "Decommissions the backend: it takes no new meetings, its meetings go on, and b3scaled\n"
        "deletes it once its last meeting has ended. With --force, or when the backend is\n"
        "offline (nothing answers its polls, so it cannot drain), it is removed at once; its\n"
        "meetings are re-created on another backend when they are next joined.";
    backend.min_args = backend.max_args = 1;
    backend.action = [&ctx](const Invocation& inv) { return deleteBackend(ctx, inv); };

    CommandSpec frontend;
    frontend.name = "frontend";
    frontend.summary = "delete a frontend and its meetings' records (refused while it has recordings)";
    frontend.args_usage = "<key>";
    frontend.min_args = frontend.max_args = 1;
    frontend.action = [&ctx](const Invocation& inv) { return deleteFrontend(ctx, inv); };

    del.subcommands = {backend, frontend};
    return del;
}

}  // namespace b3s::ctl
