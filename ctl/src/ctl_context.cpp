#include "ctl_context.hpp"

#include "access_tokens.hpp"
#include "command_line.hpp"
#include "ctl_error.hpp"
#include "json_text.hpp"

#include <b3s/support/purpose_keys.hpp>

#include <unistd.h>

namespace b3s::ctl {

CtlContext::CtlContext(CtlIo io, EnvLookup env, Clock clock)
    : io_(io),
      env_(std::move(env)),
      clock_(std::move(clock)),
      secrets_(std::make_unique<SecretInput>(io_.in, io_.in_fd, io_.err)),
      endpoint_(ApiEndpoint::parse(kDefaultApiUrl)) {
    const auto level = env_("B3SCALE_LOG_LEVEL");
    debug_ = level && (*level == "debug" || *level == "trace" || *level == "0" || *level == "-1");
}

CtlContext::~CtlContext() = default;

void CtlContext::note(const std::string& line) {
    if (secrets_->interactive()) io_.err << line << "\n";
}

void CtlContext::configure(const Invocation& invocation) {
    if (const auto api = invocation.value("api")) {
        endpoint_ = ApiEndpoint::parse(*api);
    } else if (const auto from_env = env_("B3SCALE_API_URL")) {
        endpoint_ = ApiEndpoint::parse(*from_env);
    }
}

HttpTransport CtlContext::transport() const {
    HttpTrace trace;
    if (debug_) trace = [this](const std::string& line) { io_.err << "debug: " << line << '\n'; };
    return HttpTransport(endpoint_, std::chrono::seconds(30), trace);
}

TokenCache CtlContext::tokenCache() const {
    return TokenCache(tokenCacheDir(env_), endpoint_.url);
}

ApiClient CtlContext::publicApi() const {
    return ApiClient(transport(), "");
}

std::optional<ApiClient> CtlContext::apiIfAuthorized() {
    if (api_) return *api_;
    if (const auto token = env_("B3SCALE_API_ACCESS_TOKEN")) return ApiClient(transport(), *token);
    if (const auto cached = tokenCache().load()) {
        const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
        if (ownTokenFresh(*cached, now_s)) {
            token_from_cache_ = true;
            return ApiClient(transport(), *cached);
        }
        // Expired or about to: a new one needs the secret, which is only taken unasked here.
        if (env_("B3SCALE_API_JWT_SECRET")) {
            authorize(sharedSecret(std::nullopt));
            return *api_;
        }
        cached_token_expired_ = true;
    }
    return std::nullopt;
}

ApiClient& CtlContext::api() {
    if (api_) return *api_;
    if (auto client = apiIfAuthorized()) {
        api_ = std::make_unique<ApiClient>(std::move(*client));
        return *api_;
    }
    const TokenCache cache = tokenCache();
    note(cached_token_expired_ ? "** The access token for " + endpoint_.url + " has expired: authorization required **"
                               : "** Authorization required for " + endpoint_.url + " **");
    note("b3scalectl signs an admin access token with b3scaled's shared secret (B3SCALE_API_JWT_SECRET)");
    note("and keeps the token, never the secret, in " + cache.path().string() + ".");
    authorize(sharedSecret(std::nullopt));
    return *api_;
}

Poco::JSON::Object::Ptr CtlContext::authorize(const std::string& secret) {
    const std::string token =
        mintAdminToken(secret, std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count());
    ApiClient client(transport(), token);
    Poco::JSON::Object::Ptr status;
    try {
        status = client.get("").object();
    } catch (const ApiError& e) {
        if (e.status() == 401 || e.status() == 403)
            throw SecretRefused("b3scaled did not accept a token signed with this secret (" +
                                std::to_string(e.status()) + (e.apiMessage().empty() ? "" : ": " + e.apiMessage()) +
                                ")");
        throw;
    }
    if (!boolMember(status, "is_admin")) throw SecretRefused("authorization failed");
    tokenCache().store(token);
    token_from_cache_ = true;
    api_ = std::make_unique<ApiClient>(std::move(client));
    return status;
}

namespace {

// b3scaled refuses to start with a shorter secret, so a token signed with one is useless.
std::string checkedSecret(std::string secret) {
    if (const auto problem = support::secretLengthProblem("B3SCALE_API_JWT_SECRET", secret); !problem.empty())
        throw CtlError(problem);
    return secret;
}

}  // namespace

std::string CtlContext::sharedSecret(const std::optional<std::string>& flag_value) {
    if (flag_value && !flag_value->empty()) return checkedSecret(*flag_value);
    if (const auto from_env = env_("B3SCALE_API_JWT_SECRET")) {
        note("Using the shared secret B3SCALE_API_JWT_SECRET from the environment.");
        return checkedSecret(*from_env);
    }
    note("Please paste the shared secret (B3SCALE_API_JWT_SECRET).");
    std::string secret = secrets_->read("Secret: ");
    if (secret.empty() && !secrets_->interactive())
        throw CtlError(
            "no shared secret: none on stdin and B3SCALE_API_JWT_SECRET is not set (or set "
            "B3SCALE_API_ACCESS_TOKEN)");
    if (secret.empty()) throw CtlError("secret should not be empty");
    return checkedSecret(std::move(secret));
}

}  // namespace b3s::ctl
