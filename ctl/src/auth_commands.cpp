// auth authorize | create_access_token | authorize_node_agent
#include "commands.hpp"

#include "access_tokens.hpp"
#include "time_text.hpp"
#include "token_lifetime.hpp"
#include "word_list.hpp"

namespace b3s::ctl {

namespace {

constexpr int kAuthorizeAttempts = 3;

std::int64_t nowSeconds(const CtlContext& ctx) {
    return std::chrono::duration_cast<std::chrono::seconds>(ctx.now().time_since_epoch()).count();
}

FlagSpec expiresInFlag() {
    return {"expires-in",
            {},
            "DURATION",
            std::string("how long the token is valid: 90m, 12h, 30d ... (default ") + kDefaultTokenLifetimeText +
                "), or never for a token without expiry"};
}

TokenLifetime lifetimeOf(const Invocation& inv) {
    return parseExpiresIn(inv.value("expires-in").value_or(kDefaultTokenLifetimeText), inv.commandPath());
}

// Mints a token living `lifetime` and says on stderr until when it is valid (stdout carries
// only the token).
std::string mintFor(CtlContext& ctx, TokenLifetime lifetime, const std::string& secret, const std::string& subject,
                    const std::vector<std::string>& scopes) {
    const std::int64_t now_s = nowSeconds(ctx);
    std::optional<std::int64_t> expires_at;
    if (lifetime) expires_at = now_s + lifetime->count();
    ctx.err() << "Expires: "
              << (expires_at ? formatTimestamp(WallClock::time_point(std::chrono::seconds(*expires_at)))
                             : std::string("never (revoked only by changing the secret)"))
              << "\n";
    return mintAccessToken(secret, subject, scopes, now_s, expires_at);
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
    const TokenLifetime lifetime = lifetimeOf(inv);  // a usage error before the secret is asked for
    const std::string secret = ctx.sharedSecret(inv.value("secret"));
    ctx.err() << "** Creating access token **\n"
              << "Sub:    " << sub << "\n"
              << "Scopes: " << scope_text << "\n";
    ctx.out() << mintFor(ctx, lifetime, secret, sub, scopes) << "\n";
    return kExitOk;
}

int authorizeNodeAgent(CtlContext& ctx, const Invocation& inv) {
    std::string ref = inv.value("ref").value_or("");
    if (ref.empty()) ref = randomWords(3, '-');
    if (ref.size() > 64) throw UsageError("--ref is at most 64 characters long", "auth authorize_node_agent");
    const TokenLifetime lifetime = lifetimeOf(inv);
    const std::string secret = ctx.sharedSecret(inv.value("secret"));
    ctx.err() << "** Creating node agent token **\n"
              << "Agent ref: " << ref << "\n";
    ctx.out() << mintFor(ctx, lifetime, secret, ref, {kNodeScope}) << "\n";
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
        "secret — in ~/.config/b3scale/<api>.access_token (mode 0600). The token is valid for an\n"
        "hour; b3scalectl then signs a new one, asking for the secret again unless\n"
        "B3SCALE_API_JWT_SECRET is set.";
    authorize_command.action = [&ctx](const Invocation&) { return authorize(ctx); };

    CommandSpec create_token;
    create_token.name = "create_access_token";
    create_token.summary = "print a token for another tool (offline)";
    create_token.description =
        "Prints an HS384 access token with the given subject and scopes (b3scale:admin,\n"
        "b3scale, b3scale:node) signed with the key b3scaled derives from the shared secret for\n"
        "API tokens; needs no server. The secret comes from --secret (kept in your shell\n"
        "history: avoid), B3SCALE_API_JWT_SECRET, or is asked for.\n"
        "The token expires after 30 days unless --expires-in says otherwise (90m, 12h, 30d);\n"
        "--expires-in never makes one without expiry, revoked only by changing the secret.";
    create_token.flags = {
        {"sub", {}, "SUBJECT", "the token's subject (for b3scale tokens: the account_ref)", false, true},
        {"scopes", {}, "LIST", "comma-separated scopes, e.g. b3scale:admin", false, true},
        {"secret", {}, "SECRET", "the shared secret"},
        expiresInFlag()};
    create_token.action = [&ctx](const Invocation& inv) { return createAccessToken(ctx, inv); };

    CommandSpec node_token;
    node_token.name = "authorize_node_agent";
    node_token.summary = "print a token for b3scaleagent on a BBB node (offline)";
    node_token.description =
        "Prints a b3scale:node token for b3scaleagent (its B3SCALE_API_ACCESS_TOKEN). The agent's\n"
        "ref is --ref, or three random words; it is printed on stderr, the token on stdout.\n"
        "The token expires after 30 days unless --expires-in says otherwise (90m, 12h, 30d):\n"
        "give the agent a new one before then, or choose --expires-in never knowingly.";
    node_token.flags = {{"ref", {}, "REF", "the agent's ref (default: three random words)"},
                        {"secret", {}, "SECRET", "the shared secret"},
                        expiresInFlag()};
    node_token.action = [&ctx](const Invocation& inv) { return authorizeNodeAgent(ctx, inv); };

    auth.subcommands = {authorize_command, create_token, node_token};
    return auth;
}

}  // namespace b3s::ctl
