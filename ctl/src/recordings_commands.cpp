// recordings reindex
#include "commands.hpp"

#include "json_text.hpp"

namespace b3s::ctl {

namespace {

int reindex(CtlContext& ctx, const Invocation& inv) {
    const auto reply = ctx.api().post("recordings-reindex", "");
    if (inv.flag("json")) {
        printJson(ctx, reply.body);
        return kExitOk;
    }
    const auto report = reply.object();
    const auto skipped = arrayMember(report, "skipped");
    ctx.out() << "Formats found: " << static_cast<long long>(numberMember(report, "formats_seen"))
              << ", indexed: " << static_cast<long long>(numberMember(report, "indexed"))
              << ", already indexed: " << static_cast<long long>(numberMember(report, "unchanged"))
              << ", skipped: " << (skipped ? skipped->size() : 0) << "\n";
    if (skipped)
        for (std::size_t i = 0; i < skipped->size(); ++i)
            ctx.out() << "  skipped " << skipped->getElement<std::string>(static_cast<unsigned>(i)) << "\n";
    return kExitOk;
}

}  // namespace

CommandSpec recordingsCommand(CtlContext& ctx) {
    CommandSpec recordings;
    recordings.name = "recordings";
    recordings.summary = "recordings index";

    CommandSpec reindex_command;
    reindex_command.name = "reindex";
    reindex_command.summary = "rebuild the recordings index from the recordings storage";
    reindex_command.description =
        "Asks b3scaled to read every recording in its recordings plugin's published and\n"
        "unpublished trees and index those it does not know (POST /api/v1/recordings-reindex):\n"
        "how an operator moving over from b3scale keeps every recording. A recording is\n"
        "attributed to the frontend its meeting id was encoded for; one whose frontend does not\n"
        "exist is listed as skipped. Safe to run again: indexed recordings stay as they are.\n"
        "Needs a b3scaled that has the recordings plugin loaded.";
    reindex_command.flags = {{"json", {}, "", "print the API's JSON report"}};
    reindex_command.action = [&ctx](const Invocation& inv) { return reindex(ctx, inv); };

    recordings.subcommands = {reindex_command};
    return recordings;
}

}  // namespace b3s::ctl
