// set (update, u, add, a) backend|frontend|recording-visibility
#include "commands.hpp"

#include "backend_host.hpp"
#include "json_text.hpp"
#include "resource_lookup.hpp"

#include <Poco/JSON/Object.h>

#include <array>

namespace b3s::ctl {

namespace {

Poco::JSON::Object::Ptr newObject() {
    return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

/// --secret, else the secret typed (no echo) or piped in; "" when none.
std::string secretForCreate(CtlContext& ctx, const Invocation& inv, const std::string& what) {
    if (const auto secret = inv.value("secret"); secret && !secret->empty()) return *secret;
    return ctx.secrets().read("Secret for " + what + ": ");
}

std::optional<Poco::JSON::Object::Ptr> optsOf(const Invocation& inv) {
    if (const auto opts = inv.value("opts")) return parseJsonObjectArgument(*opts, "--opts (-j)");
    return std::nullopt;
}

/// The POST of a create: bbb.<identity> (host or key), bbb.secret and the settings.
Poco::JSON::Object::Ptr createOf(const char* identity, const std::string& value, const std::string& secret,
                                 const std::optional<Poco::JSON::Object::Ptr>& opts) {
    auto bbb = newObject();
    bbb->set(identity, value);
    bbb->set("secret", secret);
    auto body = newObject();
    body->set("bbb", bbb);
    body->set("settings", opts ? *opts : newObject());
    return body;
}

/// Sends a create unless it is a dry run; prints "created <what>: <id> <identity>".
int sendCreate(CtlContext& ctx, const std::string& resource, const Poco::JSON::Object::Ptr& body, bool dry,
               const char* what, const char* identity) {
    if (dry) {
        ctx.out() << "skipped creating " << what << "\n";
        return kExitOk;
    }
    const auto created = ctx.api().post(resource, toJson(body)).object();
    ctx.out() << "created " << what << ": " << stringMember(created, "id") << " "
              << stringMember(objectMember(created, "bbb"), identity) << "\n";
    return kExitOk;
}

/// The PATCH of an update: a new secret (with the bbb object's `identity` field, host or key,
/// which the API wants beside it) and the settings; empty when nothing changes.
Poco::JSON::Object::Ptr updateOf(const Poco::JSON::Object::Ptr& current, const char* identity, const Invocation& inv,
                                 const std::optional<Poco::JSON::Object::Ptr>& opts) {
    const auto current_bbb = objectMember(current, "bbb");
    auto patch = newObject();
    if (const auto secret = inv.value("secret");
        secret && !secret->empty() && *secret != stringMember(current_bbb, "secret")) {
        auto bbb = newObject();
        bbb->set(identity, stringMember(current_bbb, identity));
        bbb->set("secret", *secret);
        patch->set("bbb", bbb);
    }
    if (opts) patch->set("settings", *opts);
    return patch;
}

/// Sends an update unless it is empty (exit 64) or a dry run.
int sendUpdate(CtlContext& ctx, const std::string& resource, const Poco::JSON::Object::Ptr& patch, bool dry,
               const char* skipped, const char* updated) {
    if (patch->size() == 0) {
        ctx.out() << "no changes\n";
        return kExitNoChange;
    }
    if (dry) {
        ctx.out() << skipped << "\n";
        return kExitOk;
    }
    ctx.api().patch(resource, toJson(patch));
    ctx.out() << updated << "\n";
    return kExitOk;
}

int setBackend(CtlContext& ctx, const Invocation& inv) {
    const std::string host = normaliseBackendHost(inv.args.at(0));
    const auto opts = optsOf(inv);
    const bool dry = inv.flag("dry");
    auto& api = ctx.api();
    const auto backend = findBackendByHost(api, inv.args.at(0));

    if (!backend) {
        const std::string secret = secretForCreate(ctx, inv, host);
        if (secret.empty()) throw CtlError("need secret to create host (--secret)");
        auto body = createOf("host", host, secret, opts);
        body->set("admin_state", "ready");
        return sendCreate(ctx, "backends", body, dry, "backend", "host");
    }

    // Update: every change goes into one PATCH (b3scale sent only the settings when both
    // --secret and -j were given). PATCH merges, so only what changes is sent.
    return sendUpdate(ctx, "backends/" + percentEncode(stringMember(backend, "id")),
                      updateOf(backend, "host", inv, opts), dry, "skipping backend update", "updated backend");
}

int setFrontend(CtlContext& ctx, const Invocation& inv) {
    const std::string key = inv.args.at(0);
    if (key.empty() || key.find_first_of("/?#% \t\r\n") != std::string::npos)
        throw UsageError("a frontend key is one URL path segment (no '/', '?', '#', '%' or spaces), got '" + key + "'",
                         "set frontend");
    const auto opts = optsOf(inv);
    const bool dry = inv.flag("dry");
    auto& api = ctx.api();
    ctx.out() << "getting frontend: " << key << "\n";
    const auto frontend = findFrontendByKey(api, key);

    if (!frontend) {
        ctx.out() << "creating frontend\n";
        const std::string secret = secretForCreate(ctx, inv, "frontend " + key);
        if (secret.empty()) throw CtlError("need secret to create frontend (--secret)");
        // b3scale went on to a second, redundant PATCH after the create.
        return sendCreate(ctx, "frontends", createOf("key", key, secret, opts), dry, "frontend", "key");
    }

    return sendUpdate(ctx, "frontends/" + percentEncode(stringMember(frontend, "id")),
                      updateOf(frontend, "key", inv, opts), dry, "skipped saving changes in frontend",
                      "updated frontend");
}

constexpr std::array kVisibilities = {"unpublished", "published", "protected", "public", "public_protected"};

int setRecordingVisibility(CtlContext& ctx, const Invocation& inv) {
    const std::string& id = inv.args.at(0);
    const std::string& visibility = inv.args.at(1);
    if (std::find(kVisibilities.begin(), kVisibilities.end(), visibility) == kVisibilities.end())
        throw UsageError("unknown visibility '" + visibility +
                             "'; choose one of: unpublished, published, protected, public, public_protected",
                         "set recording-visibility");
    ctx.out() << "Update recording: " << id << " Visibility: " << visibility << "\n";
    if (inv.flag("dry")) {
        ctx.out() << "skipping recording update (dry run)\n";
        return kExitOk;
    }
    auto body = newObject();
    body->set("record_id", id);
    body->set("visibility", visibility);
    ctx.api().post("recordings-visibility", toJson(body));
    ctx.out() << "Ok.\n";
    return kExitOk;
}

}  // namespace

CommandSpec setCommand(CtlContext& ctx) {
    CommandSpec set;
    set.name = "set";
    set.aliases = {"update", "u", "add", "a"};
    set.summary = "create or change a backend, a frontend or a recording's visibility";
    set.description =
        "Creates the backend or frontend when it does not exist, else changes it. Exits with 64\n"
        "when there was nothing to change.";
    set.flags = {{"dry", {}, "", "say what would be done, change nothing"}};

    CommandSpec backend;
    backend.name = "backend";
    backend.summary = "add a backend (BBB server) or change its secret or settings";
    backend.args_usage = "<host>";
    backend.description =
        "Adds the BBB server <host> as a backend, or changes it.\n"
        "\n"
        "<host> is the server's BBB API URL. A host without /bigbluebutton/api gets it appended:\n"
        "https://bbb1.example.org means https://bbb1.example.org/bigbluebutton/api/.\n"
        "\n"
        "A new backend needs its BBB secret (bbb-conf --secret): --secret, else it is asked for\n"
        "without echo, or read from stdin when that is not a terminal. It takes meetings at once\n"
        "(admin state ready) once b3scaled's first poll succeeds.\n"
        "\n"
        "-j sets the settings, e.g. -j '{\"tags\":[\"bbb_26\"]}' (frontends with required_tags only\n"
        "use backends with all of them). Given with --secret, both change in one request.";
    backend.flags = {{"secret", {"s"}, "SECRET", "the BBB server's secret"},
                     {"opts", {"j"}, "JSON", "settings as a JSON object, e.g. '{\"tags\":[\"bbb_26\"]}'"}};
    backend.min_args = backend.max_args = 1;
    backend.action = [&ctx](const Invocation& inv) { return setBackend(ctx, inv); };

    CommandSpec frontend;
    frontend.name = "frontend";
    frontend.summary = "add a frontend (tenant) or change its secret or settings";
    frontend.args_usage = "<key>";
    frontend.description =
        "Adds the frontend <key>, or changes it. Its application then uses\n"
        "<api>/bbb/<key>/bigbluebutton/api/ with this secret as its BBB server.\n"
        "\n"
        "A new frontend needs a secret: --secret, else it is asked for without echo (or read from\n"
        "stdin when that is not a terminal).\n"
        "\n"
        "-j changes settings; members not given are kept, parameter maps are merged (a key set to\n"
        "\"\" is removed), lists are replaced. Examples:\n"
        "  -j '{\"required_tags\":[\"bbb_26\"]}'\n"
        "  -j '{\"attendees_limit\":{\"limit\":50}}'\n"
        "  -j '{\"default_presentation\":{\"url\":\"https://example.org/x.pdf\",\"force\":false}}'\n"
        "  -j '{\"create_override_params\":{\"disabledFeatures\":\"learningDashboard\",\"record\":\"false\"}}'\n"
        "  -j '{\"recordings\":{\"visibility_override\":\"protected\"}}'";
    frontend.flags = {{"secret", {"s"}, "SECRET", "the frontend's BBB secret"},
                      {"opts", {"j"}, "JSON", "settings as a JSON object"}};
    frontend.min_args = frontend.max_args = 1;
    frontend.action = [&ctx](const Invocation& inv) { return setFrontend(ctx, inv); };

    CommandSpec visibility;
    visibility.name = "recording-visibility";
    visibility.summary = "set a recording's visibility";
    visibility.args_usage = "<recordID> <visibility>";
    visibility.description =
        "Sets the visibility of a recording: unpublished, published, protected, public or\n"
        "public_protected.";
    visibility.min_args = visibility.max_args = 2;
    visibility.action = [&ctx](const Invocation& inv) { return setRecordingVisibility(ctx, inv); };

    set.subcommands = {backend, frontend, visibility};
    return set;
}

}  // namespace b3s::ctl
