#include "jwt_authorizer.hpp"

#include "access_policy.hpp"

#include <b3s/support/purpose_keys.hpp>

#include <Poco/Dynamic/Var.h>

#include <exception>
#include <optional>
#include <string>
#include <typeinfo>

namespace b3s::auth::jwt {
namespace {

using plugin::AccessDecision;
using support::JwtAlgorithm;
using support::JwtCheck;

// b3scale's 401 sentences, so clients that match them keep working; the detail after the
// colon is for people and never holds the token, a claim value or the secret.
AccessDecision unauthenticated(std::string reason) {
    AccessDecision d;
    d.outcome = AccessDecision::Outcome::Unauthenticated;
    d.reason = std::move(reason);
    return d;
}

// Absent claims read as "", claims of another JSON type are a malformed token.
std::optional<std::string> stringClaim(const Poco::JSON::Object& claims, const std::string& name) {
    if (!claims.has(name)) return std::string();
    const Poco::Dynamic::Var value = claims.get(name);
    if (value.isEmpty()) return std::string();
    if (!value.isString()) return std::nullopt;
    return value.extract<std::string>();
}

std::vector<std::string> splitScopes(const std::string& scope) {
    std::vector<std::string> scopes;
    std::size_t pos = 0;
    while (pos < scope.size()) {
        auto end = scope.find(' ', pos);
        if (end == std::string::npos) end = scope.size();
        if (end > pos) scopes.push_back(scope.substr(pos, end - pos));
        pos = end + 1;
    }
    return scopes;
}

JwtAlgorithm algorithmOf(const std::string& name) {
    if (name == "HS256") return JwtAlgorithm::Hs256;
    if (name == "HS512") return JwtAlgorithm::Hs512;
    return JwtAlgorithm::Hs384;
}

}  // namespace

JwtAuthorizer::JwtAuthorizer(Settings settings, const plugin::Clock& clock, plugin::Logger& logger)
    : settings_(std::move(settings)),
      keys_(support::deriveVerificationKeys(settings_.secret, settings_.previous_secret,
                                            support::KeyPurpose::AdminToken)),
      clock_(clock),
      logger_(logger) {
    settings_.secret.clear();
    settings_.previous_secret.clear();
    for (const auto& name : settings_.algorithms) algorithms_.push_back(algorithmOf(name));
}

AccessDecision JwtAuthorizer::authorize(std::string_view token, plugin::ApiAction action) const {
    // Per-request path: nothing may escape. Whatever still throws is a bug worth an error
    // line, but never a crash of the request thread, and never access.
    try {
        return authorizeUnguarded(token, action);
    } catch (const std::exception& e) {
        logger_.error("authorize_failed", {{"exception", typeid(e).name()}});
    }
    return unauthenticated("invalid or expired jwt: the token could not be checked");
}

AccessDecision JwtAuthorizer::authorizeUnguarded(std::string_view token, plugin::ApiAction action) const {
    if (token.empty()) return unauthenticated("missing or malformed jwt");
    if (token.size() > kMaxTokenBytes) return unauthenticated("missing or malformed jwt: the token is too long");
    const auto now_s = clock_.nowMicros() / 1'000'000;
    JwtCheck check;
    switch (algorithms_.size()) {
        // verifyJwt takes an initializer list: spell out the (at most three) accepted sets.
        case 1: check = support::verifyJwt(token, keys_, {algorithms_[0]}, now_s, settings_.leeway_seconds); break;
        case 2:
            check = support::verifyJwt(token, keys_, {algorithms_[0], algorithms_[1]}, now_s, settings_.leeway_seconds);
            break;
        default:
            check = support::verifyJwt(token, keys_, {algorithms_[0], algorithms_[1], algorithms_[2]}, now_s,
                                       settings_.leeway_seconds);
            break;
    }
    switch (check.outcome) {
        case JwtCheck::Outcome::Valid: break;
        case JwtCheck::Outcome::Malformed: return unauthenticated("missing or malformed jwt: " + check.reason);
        case JwtCheck::Outcome::BadSignature:
        case JwtCheck::Outcome::WrongAlgorithm:
        case JwtCheck::Outcome::Expired:
        case JwtCheck::Outcome::NotYetValid: return unauthenticated("invalid or expired jwt: " + check.reason);
    }
    const auto subject = stringClaim(*check.claims, "sub");
    const auto scope = stringClaim(*check.claims, "scope");
    if (!subject || !scope) return unauthenticated("missing or malformed jwt: sub and scope must be strings");
    return decideAccess(splitScopes(*scope), *subject, action);
}

std::unique_ptr<plugin::Authenticator> create(const plugin::Context& context) {
    Settings settings = parseSettings(context.config());
    std::string algorithms;
    for (const auto& a : settings.algorithms) algorithms += (algorithms.empty() ? "" : ",") + a;
    const std::string leeway = std::to_string(settings.leeway_seconds);
    context.logger().info("authenticator_ready",
                          {{"algorithms", algorithms},
                           {"leeway_seconds", leeway},
                           {"previous_secret", settings.previous_secret.empty() ? "no" : "yes"}});
    return std::make_unique<JwtAuthorizer>(std::move(settings), context.clock(), context.logger());
}

}  // namespace b3s::auth::jwt
