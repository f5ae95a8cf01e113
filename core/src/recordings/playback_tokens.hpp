#pragma once
// Protected playback (spec b3scale-admin §8.5, done stricter): getRecordings hands a
// protected recording's formats out as short-lived links to b3scaled; following one sets an
// access cookie for that one recording on the playback host, which nginx's auth_request asks
// b3scaled to check on every file. Both are bound to the recording and its owner, so a
// cookie from one recording never opens another, and expire.
//
// Keys are derived from B3SCALE_API_JWT_SECRET per purpose (support::derivePurposeKey,
// KeyPurpose::RecordingLink and ::RecordingCookie), so a link or cookie is never valid as an
// API token, a callback token or the other kind. During a rotation, links and cookies signed
// with the previous master's keys (B3SCALE_API_JWT_SECRET_PREVIOUS) still open.

#include "util/clock.hpp"

#include <b3s/support/verification_keys.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace b3s::core::recordings {

/// What a valid link names.
struct PlaybackLink {
    std::string frontend_id;
    std::string record_id;
    std::string format;
};

class PlaybackTokens {
public:
    /// `secret` must not be empty (throws std::invalid_argument). `previous_secret`: the
    /// replaced master during a rotation, verification only; empty = none. `clock` must
    /// outlive this.
    PlaybackTokens(std::string_view secret, const Clock& clock, std::int64_t link_ttl_s = 3600,
                   std::int64_t cookie_ttl_s = 8 * 3600, std::string_view previous_secret = {});

    /// A link token (a JWT: sub = frontend id, aud = "<format>:<recordID>", exp).
    std::string linkToken(std::string_view frontend_id, std::string_view record_id, std::string_view format) const;
    /// The link's content when the token is ours, unexpired and well-formed; nullopt else.
    std::optional<PlaybackLink> checkLink(std::string_view token) const;

    /// The cookie that opens one recording: its name and value.
    static std::string cookieName(std::string_view record_id);
    /// "<expiry s>.<base64url HMAC of frontend, record and expiry>": compact, since a browser
    /// carries one per recording watched.
    std::string cookieValue(std::string_view frontend_id, std::string_view record_id) const;
    /// Whether `value` was issued for this recording of this frontend and has not expired.
    bool checkCookie(std::string_view value, std::string_view frontend_id, std::string_view record_id) const;

    std::int64_t cookieTtlSeconds() const noexcept { return cookie_ttl_s_; }

private:
    static std::string cookieMac(std::string_view key, std::string_view frontend_id, std::string_view record_id,
                                 std::int64_t expiry_s);

    support::VerificationKeys link_keys_;
    support::VerificationKeys cookie_keys_;
    const Clock& clock_;
    std::int64_t link_ttl_s_;
    std::int64_t cookie_ttl_s_;
};

}  // namespace b3s::core::recordings
