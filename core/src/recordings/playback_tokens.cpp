#include "recordings/playback_tokens.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include <b3s/support/purpose_keys.hpp>
#include <b3s/support/verification_keys.hpp>

#include <Poco/JSON/Object.h>

#include <charconv>
#include <stdexcept>

namespace b3s::core::recordings {

using support::JwtAlgorithm;

namespace {

constexpr std::size_t kCookieMacBytes = 16;  // 128 bits: forging one is out of reach

std::int64_t nowSeconds(const Clock& clock) {
    return clock.nowMicros() / 1'000'000;
}

}  // namespace

PlaybackTokens::PlaybackTokens(std::string_view secret, const Clock& clock, std::int64_t link_ttl_s,
                               std::int64_t cookie_ttl_s, std::string_view previous_secret)
    : clock_(clock), link_ttl_s_(link_ttl_s), cookie_ttl_s_(cookie_ttl_s) {
    if (secret.empty()) throw std::invalid_argument("protected playback needs B3SCALE_API_JWT_SECRET");
    link_keys_ = support::deriveVerificationKeys(secret, previous_secret, support::KeyPurpose::RecordingLink);
    cookie_keys_ = support::deriveVerificationKeys(secret, previous_secret, support::KeyPurpose::RecordingCookie);
}

std::string PlaybackTokens::linkToken(std::string_view frontend_id, std::string_view record_id,
                                      std::string_view format) const {
    Poco::JSON::Object claims;
    claims.set("sub", std::string(frontend_id));
    claims.set("aud", std::string(format) + ":" + std::string(record_id));
    claims.set("exp", nowSeconds(clock_) + link_ttl_s_);
    return support::signJwt(claims, link_keys_.current, JwtAlgorithm::Hs256);
}

std::optional<PlaybackLink> PlaybackTokens::checkLink(std::string_view token) const {
    const auto check = support::verifyJwt(token, link_keys_, {JwtAlgorithm::Hs256}, nowSeconds(clock_));
    if (!check.valid()) return std::nullopt;
    const auto& claims = *check.claims;
    if (!claims.has("sub") || !claims.get("sub").isString() || !claims.has("aud") || !claims.get("aud").isString())
        return std::nullopt;
    const auto sub = claims.getValue<std::string>("sub");
    const auto aud = claims.getValue<std::string>("aud");
    const auto colon = aud.find(':');
    if (sub.empty() || colon == std::string::npos || colon == 0 || colon + 1 == aud.size()) return std::nullopt;
    return PlaybackLink{sub, aud.substr(colon + 1), aud.substr(0, colon)};
}

std::string PlaybackTokens::cookieName(std::string_view record_id) {
    return "b3s_rec_" + std::string(record_id);
}

std::string PlaybackTokens::cookieMac(std::string_view key, std::string_view frontend_id, std::string_view record_id,
                                      std::int64_t expiry_s) {
    // Lengths first, so no two (frontend, record) pairs share one MAC input.
    std::string input = std::to_string(frontend_id.size()) + ":" + std::string(frontend_id) + ";" +
                        std::to_string(record_id.size()) + ":" + std::string(record_id) + ";" +
                        std::to_string(expiry_s);
    const auto mac = support::hmac(JwtAlgorithm::Hs256, key, input);
    return support::base64UrlEncode(std::string_view(mac).substr(0, kCookieMacBytes));
}

std::string PlaybackTokens::cookieValue(std::string_view frontend_id, std::string_view record_id) const {
    const auto expiry = nowSeconds(clock_) + cookie_ttl_s_;
    return std::to_string(expiry) + "." + cookieMac(cookie_keys_.current, frontend_id, record_id, expiry);
}

bool PlaybackTokens::checkCookie(std::string_view value, std::string_view frontend_id,
                                 std::string_view record_id) const {
    const auto dot = value.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot > 19) return false;
    std::int64_t expiry = 0;
    const auto digits = value.substr(0, dot);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), expiry);
    if (ec != std::errc() || end != digits.data() + digits.size()) return false;
    if (expiry <= nowSeconds(clock_)) return false;
    return support::anyKeyMatches(cookie_keys_, [&](std::string_view key) {
        return support::constantTimeEquals(value.substr(dot + 1), cookieMac(key, frontend_id, record_id, expiry));
    });
}

}  // namespace b3s::core::recordings
