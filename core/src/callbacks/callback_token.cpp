#include "callbacks/callback_token.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include <b3s/support/verification_keys.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/SHA2Engine.h>

#include <charconv>
#include <sstream>

namespace b3s::core::callbacks {
namespace {

using support::JwtAlgorithm;

constexpr std::string_view kEnded = "end";
constexpr std::string_view kReady = "rec";

std::optional<std::string> stringClaim(const Poco::JSON::Object& claims, const std::string& name) {
    if (!claims.has(name)) return std::nullopt;
    const auto value = claims.get(name);
    if (!value.isString()) return std::nullopt;
    return value.extract<std::string>();
}

std::optional<CallbackKind> kindOf(std::string_view text) {
    if (text == kEnded) return CallbackKind::MeetingEnded;
    if (text == kReady) return CallbackKind::RecordingReady;
    return std::nullopt;
}

std::optional<std::int64_t> decimal(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
    return value;
}

}  // namespace

std::string_view toString(CallbackKind kind) noexcept {
    return kind == CallbackKind::RecordingReady ? kReady : kEnded;
}

std::string issueCallbackToken(const CallbackTarget& target, std::string_view key, std::int64_t now_s,
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
    claims.set("b3s_backend", target.backend_id);
    claims.set("b3s_meeting", target.meeting_id);
    claims.set("b3s_kind", std::string(toString(target.kind)));
    claims.set("b3s_since", std::to_string(target.meeting_since_us));
    return support::signJwt(claims, key, JwtAlgorithm::Hs384);
}

std::string callbackProxyUrl(std::string_view api_url, const CallbackTarget& target, std::string_view key,
                             std::int64_t now_s, std::int64_t ttl_s) {
    std::string url(api_url);
    url.append(kCallbackProxyPath);
    url.append(issueCallbackToken(target, key, now_s, ttl_s));
    return url;
}

CallbackTokenCheck verifyCallbackToken(std::string_view token, std::string_view key, std::int64_t now_s) {
    return verifyCallbackToken(token, support::VerificationKeys{std::string(key), {}}, now_s);
}

CallbackTokenCheck verifyCallbackToken(std::string_view token, const support::VerificationKeys& keys,
                                       std::int64_t now_s) {
    CallbackTokenCheck out;
    // Only what issueCallbackToken writes: a token in another algorithm is not ours.
    const auto check = support::verifyJwt(token, keys, {JwtAlgorithm::Hs384}, now_s);
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
        out.reason = "the token has no expiry";
        return out;
    }
    CallbackTarget target;
    target.frontend_id = stringClaim(claims, "sub").value_or("");
    if (const auto aud = claims.getArray("aud"); aud && aud->size() == 1 && aud->get(0).isString())
        target.url = aud->get(0).extract<std::string>();
    target.backend_id = stringClaim(claims, "b3s_backend").value_or("");
    target.meeting_id = stringClaim(claims, "b3s_meeting").value_or("");
    target.jti = stringClaim(claims, "jti").value_or("");
    const auto kind = kindOf(stringClaim(claims, "b3s_kind").value_or(""));
    const auto since = decimal(stringClaim(claims, "b3s_since").value_or(""));
    if (target.frontend_id.empty() || target.url.empty() || target.backend_id.empty() || target.meeting_id.empty() ||
        target.jti.empty() || !kind || !since) {
        out.reason = "the token is not bound to a frontend, meeting, backend, kind and URL";
        return out;
    }
    target.kind = *kind;
    target.meeting_since_us = *since;
    out.target = std::move(target);
    return out;
}

std::string callbackDedupeKey(const CallbackTarget& target, std::string_view record_id) {
    Poco::SHA2Engine hash(Poco::SHA2Engine::SHA_256);
    // NUL separators: no field can end inside another (ids and URLs hold no NUL).
    const std::string since = std::to_string(target.meeting_since_us);
    for (const std::string_view part : {std::string_view(target.frontend_id), std::string_view(target.meeting_id),
                                        std::string_view(since), std::string_view(target.url)}) {
        hash.update(part.data(), static_cast<unsigned>(part.size()));
        hash.update('\0');
    }
    if (target.kind == CallbackKind::RecordingReady)
        hash.update(record_id.data(), static_cast<unsigned>(record_id.size()));
    return std::string(toString(target.kind)) + ":" + Poco::DigestEngine::digestToHex(hash.digest());
}

}  // namespace b3s::core::callbacks
