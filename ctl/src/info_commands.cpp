// The status (no command), version, export-openapi-schema
#include "commands.hpp"

#include "json_text.hpp"
#include "status_view.hpp"

#include "api/openapi_document.hpp"
#include "b3s/generated/build_info.hpp"

namespace b3s::ctl {

int showStatus(CtlContext& ctx) {
    auto client = ctx.apiIfAuthorized();
    if (!client) {
        ctx.out() << (ctx.cachedTokenExpired()
                          ? "b3scalectl is not authorized: the access token for this host has expired.\n"
                          : "b3scalectl is not authorized: An API access token for this host is not present.\n")
                  << "API host: " << ctx.endpoint().url << "\n"
                  << "Run 'b3scalectl auth authorize' (or set B3SCALE_API_ACCESS_TOKEN).\n";
        return kExitOk;
    }
    writeStatus(ctx.out(), client->get("").object(), ctx.endpoint().url);
    return kExitOk;
}

namespace {

int version(CtlContext& ctx) {
    ctx.out() << "b3scalectl v." << core::build::kVersion << "\t" << core::build::kBuildId << "\n";
    // The server's version is public (GET /); the API status needs a token, which is used
    // when there is one but never asked for here.
    try {
        const HttpReply reply = ctx.publicApi().sendPlain("GET", "/");
        const auto server = reply.status == 200 ? asObject(parseJson(reply.body, "GET /")) : nullptr;
        if (server) {
            ctx.out() << "server: " << stringMember(server, "name", "b3scale") << " v."
                      << stringMember(server, "version") << "\t" << stringMember(server, "build") << " @ "
                      << ctx.endpoint().url << "\n";
        } else {
            ctx.out() << "server: " << ctx.endpoint().url << " answered HTTP " << reply.status << "\n";
        }
    } catch (const CtlError& e) {
        ctx.out() << "server: " << e.what() << "\n";
        return kExitOk;
    }
    if (auto client = ctx.apiIfAuthorized()) {
        try {
            const auto status = client->get("").object();
            ctx.out() << "API status: api " << stringMember(status, "api") << ", account "
                      << stringMember(status, "account_ref") << (boolMember(status, "is_admin") ? ", admin" : "")
                      << "\n";
        } catch (const CtlError& e) {
            ctx.out() << "API status: " << e.what() << "\n";
        }
    } else {
        ctx.out() << "API status: not authorized (run 'b3scalectl auth authorize')\n";
    }
    return kExitOk;
}

int exportOpenApi(CtlContext& ctx) {
    // The document is generated from b3scaled's own route table, linked in: no server needed.
    ctx.out() << prettyJson(toJson(core::api::openApiDocument()));
    return kExitOk;
}

}  // namespace

CommandSpec versionCommand(CtlContext& ctx) {
    CommandSpec command;
    command.name = "version";
    command.summary = "print the version of b3scalectl and of the server";
    command.action = [&ctx](const Invocation&) { return version(ctx); };
    return command;
}

CommandSpec exportOpenApiCommand(CtlContext& ctx) {
    CommandSpec command;
    command.name = "export-openapi-schema";
    command.summary = "print the OpenAPI document of the REST API";
    command.description =
        "Prints the OpenAPI 3 document of b3scaled's REST API (the one it serves at\n"
        "/api/v1/openapi.json), offline: it is built from the same route table.";
    command.action = [&ctx](const Invocation&) { return exportOpenApi(ctx); };
    return command;
}

}  // namespace b3s::ctl
