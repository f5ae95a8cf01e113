#include "callbacks/callback_token.hpp"

#include <b3s/support/hmac_jwt.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace b3s::core::callbacks {
namespace {

using support::JwtAlgorithm;

std::optional<std::string> stringClaim(const Poco::JSON::Object& claims, const std::string& name) {
    if (!claims.has(name)) return std::nullopt;
    const auto value = claims.get(name);
    if (!value.isString()) return std::nullopt;
    return value.extract<std::string>();
}

std::optional<std::int64_t> numberClaim(const Poco::JSON::Object& claims, const std::string& name) {
    if (!claims.has(name)) return std::nullopt;
    const auto value = claims.get(name);
    if (!value.isNumeric()) return std::nullopt;
    try {
        return static_cast<std::int64_t>(value.convert<double>());
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

}  // namespace

std::string issueCallbackToken(const CallbackTarget& target, std::string_view secret, std::int64_t now_s,
                               std::int64_t ttl_s) {
    Poco::JSON::Object claims;
    claims.set("sub", target.frontend_id);
    Poco::JSON::Array::Ptr aud = new Poco::JSON::Array;
    aud->add(target.url);
    claims.set("aud", aud);
    claims.set("scope", std::string(kCallbackScope));
    claims.set("jti", support::randomToken(24));
    claims.set("iat", now_s);
    claims.set("exp", now_s + ttl_s);
    if (!target.backend_id.empty()) claims.set("b3s_backend", target.backend_id);
    if (!target.meeting_id.empty()) claims.set("b3s_meeting", target.meeting_id);
    return support::signJwt(claims, secret, JwtAlgorithm::Hs384);
}

std::string callbackProxyUrl(std::string_view api_url, const CallbackTarget& target, std::string_view secret,
                             std::int64_t now_s, std::int64_t ttl_s) {
    std::string url(api_url);
    url.append(kCallbackProxyPath);
    url.append(issueCallbackToken(target, secret, now_s, ttl_s));
    return url;
}

CallbackTokenCheck verifyCallbackToken(std::string_view token, std::string_view secret, std::int64_t now_s,
                                       std::int64_t ttl_s) {
    CallbackTokenCheck out;
    const auto check =
        support::verifyJwt(token, secret, {JwtAlgorithm::Hs384, JwtAlgorithm::Hs256, JwtAlgorithm::Hs512}, now_s);
    if (!check.valid()) {
        out.reason = check.reason;
        return out;
    }
    const auto& claims = *check.claims;
    const auto scope = stringClaim(claims, "scope").value_or("");
    bool scoped = false;
    std::istringstream words(scope);
    for (std::string word; words >> word;) scoped = scoped || word == kCallbackScope;
    if (!scoped) {
        out.reason = "the token is not a callback token (scope)";
        return out;
    }
    if (!claims.has("exp")) {
        const auto iat = numberClaim(claims, "iat");
        if (!iat || *iat + ttl_s <= now_s) {
            out.reason = "the token has no expiry and was issued too long ago";
            return out;
        }
    }
    CallbackTarget target;
    target.frontend_id = stringClaim(claims, "sub").value_or("");
    // b3scale writes aud as an array of one URL; a plain string is accepted too.
    if (const auto aud = claims.getArray("aud"); aud && aud->size() > 0 && aud->get(0).isString())
        target.url = aud->get(0).extract<std::string>();
    else
        target.url = stringClaim(claims, "aud").value_or("");
    target.backend_id = stringClaim(claims, "b3s_backend").value_or("");
    target.meeting_id = stringClaim(claims, "b3s_meeting").value_or("");
    if (target.frontend_id.empty() || target.url.empty()) {
        out.reason = "the token names no frontend or no callback URL";
        return out;
    }
    out.target = std::move(target);
    return out;
}

}  // namespace b3s::core::callbacks
