#pragma once
// The tokens in b3scale's callback-proxy URLs (`<api url>/api/v1/callbacks/proxy/<token>`).
// A frontend's callback URL (end of meeting, recording ready) is handed to the backend only
// inside such a token, so the backend calls b3scale, which re-signs what needs re-signing
// and forwards to the frontend.
//
// Token: a JWT, HS384 with B3SCALE_API_JWT_SECRET, claims as b3scale writes them
// (`sub` = frontend id, `aud` = [original URL], `scope` = "b3scale:callback", `jti`, `iat`)
// plus what b3scale lacks: `exp` (b3scale's never expire), and `b3s_backend`/`b3s_meeting`,
// the backend the meeting was created on (its secret verifies the recording-ready JWT) and
// the meeting (encoded id). Tokens issued by the Go b3scale (no `exp`) are accepted until
// `iat` + the lifetime, so callbacks of meetings taken over from it keep working for a while
// but no token lives forever.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace b3s::core::callbacks {

inline constexpr std::string_view kCallbackScope = "b3scale:callback";
inline constexpr std::string_view kCallbackProxyPath = "/api/v1/callbacks/proxy/";

struct CallbackTarget {
    std::string frontend_id;
    std::string url;         ///< the frontend's own callback URL
    std::string backend_id;  ///< empty in tokens issued by the Go b3scale
    std::string meeting_id;  ///< encoded id; empty in tokens issued by the Go b3scale
};

/// A new token for `target`, valid from `now_s` for `ttl_s` seconds. Thread-safe.
std::string issueCallbackToken(const CallbackTarget& target, std::string_view secret, std::int64_t now_s,
                               std::int64_t ttl_s);

/// The proxy URL for `target`: `api_url` (no trailing slash) + kCallbackProxyPath + token.
std::string callbackProxyUrl(std::string_view api_url, const CallbackTarget& target, std::string_view secret,
                             std::int64_t now_s, std::int64_t ttl_s);

struct CallbackTokenCheck {
    std::optional<CallbackTarget> target;  ///< set when the token is genuine and current
    std::string reason;                    ///< why not, for logs
};

/// Verifies a token: HS384 (HS256/HS512 accepted too), scope `b3scale:callback`, a non-empty
/// `aud` URL and `sub`, and current: `exp` in the future, or without `exp` an `iat` no older
/// than `ttl_s`. Thread-safe; never throws (besides std::bad_alloc).
CallbackTokenCheck verifyCallbackToken(std::string_view token, std::string_view secret, std::int64_t now_s,
                                       std::int64_t ttl_s);

}  // namespace b3s::core::callbacks
