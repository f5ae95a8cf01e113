// auth authorize | create_access_token | authorize_node_agent
#include "commands.hpp"

#include "access_tokens.hpp"
#include "word_list.hpp"

namespace b3s::ctl {

namespace {

constexpr int kAuthorizeAttempts = 3;

std::int64_t nowSeconds(const CtlContext& ctx) {
    return std::chrono::duration_cast<std::chrono::seconds>(ctx.now().time_since_epoch()).count();
}

int authorize(CtlContext& ctx) {
    const bool from_env = ctx.env()("B3SCALE_API_JWT_SECRET").has_value();
    const bool retry = ctx.secrets().interactive() && !from_env;
    ctx.note("Authorizing b3scalectl for " + ctx.endpoint().url + ".");
    for (int attempt = 1;; ++attempt) {
        try {
            ctx.authorize(ctx.sharedSecret(std::nullopt));
            ctx.out() << "Secret accepted, b3scalectl is now authorized.\n"
                      << "The access token is stored in " << ctx.tokenCache().path().string() << "\n";
            return kExitOk;
        } catch (const SecretRefused& e) {
            if (!retry || attempt >= kAuthorizeAttempts) throw;
            ctx.err() << "error using the token: " << e.what() << "\n";
        }
    }
}

int createAccessToken(CtlContext& ctx, const Invocation& inv) {
    const std::string sub = inv.value("sub").value_or("");
    const auto scopes = parseScopeList(inv.value("scopes").value_or(""));
    if (sub.empty()) throw UsageError("--sub must not be empty", "auth create_access_token");
    if (scopes.empty())
        throw UsageError("--scopes needs at least one scope, e.g. b3scale:admin", "auth create_access_token");
    std::string scope_text;
    for (const auto& s : scopes) scope_text += (scope_text.empty() ? "" : " ") + s;
    const std::string secret = ctx.sharedSecret(inv.value("secret"));
    ctx.err() << "** Creating access token **\n"
              << "Sub:    " << sub << "\n"
              << "Scopes: " << scope_text << "\n";
    ctx.out() << mintAccessToken(secret, sub, scopes, nowSeconds(ctx)) << "\n";
    return kExitOk;
}

int authorizeNodeAgent(CtlContext& ctx, const Invocation& inv) {
    std::string ref = inv.value("ref").value_or("");
    if (ref.empty()) ref = randomWords(3, '-');
    if (ref.size() > 64) throw UsageError("--ref is at most 64 characters long", "auth authorize_node_agent");
    const std::string secret = ctx.sharedSecret(inv.value("secret"));
    ctx.err() << "** Creating node agent token **\n"
              << "Agent ref: " << ref << "\n";
    ctx.out() << mintAccessToken(secret, ref, {kNodeScope}, nowSeconds(ctx)) << "\n";
    return kExitOk;
}

}  // namespace

CommandSpec authCommand(CtlContext& ctx) {
    CommandSpec auth;
    auth.name = "auth";
    auth.summary = "access tokens: authorize b3scalectl, mint tokens for tools and node agents";

    CommandSpec authorize_command;
    authorize_command.name = "authorize";
    authorize_command.summary = "authorize b3scalectl with the shared secret";
    authorize_command.description =
        "Signs an admin token with b3scaled's shared secret B3SCALE_API_JWT_SECRET (taken from the\n"
        "environment or an env file when set, else asked for without echo, or read from stdin when\n"
        "that is not a terminal), checks it with b3scaled and stores the token — never the\n"
        "secret — in ~/.config/b3scale/<api>.access_token (mode 0600). Tokens do not expire; to\n"
        "revoke them all, change the secret.";
    authorize_command.action = [&ctx](const Invocation&) { return authorize(ctx); };

    CommandSpec create_token;
    create_token.name = "create_access_token";
    create_token.summary = "print a token for another tool (offline)";
    create_token.description =
        "Prints an HS384 access token with the given subject and scopes (b3scale:admin,\n"
        "b3scale, b3scale:node) signed with the shared secret; needs no server. The secret comes\n"
        "from --secret (kept in your shell history: avoid), B3SCALE_API_JWT_SECRET, or is asked for.";
    create_token.flags = {
        {"sub", {}, "SUBJECT", "the token's subject (for b3scale tokens: the account_ref)", false, true},
        {"scopes", {}, "LIST", "comma-separated scopes, e.g. b3scale:admin", false, true},
        {"secret", {}, "SECRET", "the shared secret"}};
    create_token.action = [&ctx](const Invocation& inv) { return createAccessToken(ctx, inv); };

    CommandSpec node_token;
    node_token.name = "authorize_node_agent";
    node_token.summary = "print a token for b3scaleagent on a BBB node (offline)";
    node_token.description =
        "Prints a b3scale:node token for b3scaleagent (its B3SCALE_API_ACCESS_TOKEN). The agent's\n"
        "ref is --ref, or three random words; it is printed on stderr, the token on stdout.";
    node_token.flags = {{"ref", {}, "REF", "the agent's ref (default: three random words)"},
                        {"secret", {}, "SECRET", "the shared secret"}};
    node_token.action = [&ctx](const Invocation& inv) { return authorizeNodeAgent(ctx, inv); };

    auth.subcommands = {authorize_command, create_token, node_token};
    return auth;
}

}  // namespace b3s::ctl
