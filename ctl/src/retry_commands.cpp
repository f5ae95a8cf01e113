// retry callback <id>
#include "commands.hpp"

#include "api_endpoint.hpp"
#include "json_text.hpp"

namespace b3s::ctl {

namespace {

int retryCallback(CtlContext& ctx, const Invocation& inv) {
    const auto& id = inv.args.at(0);
    const auto callback = ctx.api().post("callbacks/" + percentEncode(id) + "/retry", "").object();
    ctx.out() << "queued again: " << stringMember(callback, "id", id) << " ("
              << stringMember(callback, "frontend_key", "-") << ")\n";
    return kExitOk;
}

}  // namespace

CommandSpec retryCommand(CtlContext& ctx) {
    CommandSpec retry;
    retry.name = "retry";
    retry.summary = "queue a dead callback again";

    CommandSpec callback;
    callback.name = "callback";
    callback.summary = "queue a dead letter of the callback outbox again";
    callback.args_usage = "<id>";
    callback.description =
        "Queues the dead callback <id> (see 'show callbacks --dead') again: it is attempted\n"
        "within a second, with its attempts counted from zero.";
    callback.min_args = callback.max_args = 1;
    callback.action = [&ctx](const Invocation& inv) { return retryCallback(ctx, inv); };

    retry.subcommands = {callback};
    return retry;
}

}  // namespace b3s::ctl
