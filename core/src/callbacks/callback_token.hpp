#pragma once
// The tokens in b3scale's callback-proxy URLs (`<api url>/api/v1/callbacks/proxy/<token>`).
// A frontend's callback URL (end of meeting, recording ready) is handed to the backend only
// inside such a token, so the backend calls b3scale, which re-signs what needs re-signing
// and forwards to the frontend.
//
// Token: a JWT, HS384 with the callback purpose key (support::derivePurposeKey(master,
// KeyPurpose::CallbackToken)), never the master itself, so no other token b3scale issues is
// one and a callback token opens nothing else. Claims: `sub` = frontend id, `aud` =
// [original URL], `scope` = "b3scale:callback", `jti`, `iat`, `exp` (the absolute cap,
// B3SCALE_CALLBACK_TOKEN_TTL), and the binding: `b3s_meeting` (encoded id), `b3s_backend`,
// `b3s_kind` ("end": a meeting-ended GET, "rec": a recording-ready POST) and `b3s_since`
// (the meeting row's created_at, in µs as a decimal string: which incarnation of the id).
// A token without every binding claim is refused, which includes every token the Go b3scale
// issued (signed with the master, unbound): taking them over would let a URL that leaked
// before the upgrade call anything for its remaining lifetime.

#include "bbb/callback_proxy_url.hpp"

#include <b3s/support/verification_keys.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace b3s::core::callbacks {

inline constexpr std::string_view kCallbackScope = "b3scale:callback";
inline constexpr std::string_view kCallbackProxyPath = bbb::kCallbackProxyPath;

/// Which callback a token is for; a token is accepted only for its own kind.
enum class CallbackKind {
    MeetingEnded,    ///< meetingEndedURL, meta_endCallbackUrl: a GET
    RecordingReady,  ///< meta_*-recording-ready-url: a POST of signed_parameters
};

/// "end" or "rec": the `b3s_kind` claim and the prefix of a dedupe key. Pure.
std::string_view toString(CallbackKind kind) noexcept;

struct CallbackTarget {
    std::string frontend_id;
    std::string url;         ///< the frontend's own callback URL
    std::string backend_id;  ///< the backend the meeting was created on
    std::string meeting_id;  ///< encoded id
    CallbackKind kind = CallbackKind::MeetingEnded;
    std::int64_t meeting_since_us = 0;  ///< created_at of the meeting row the token was issued for
    std::string jti;                    ///< set by verifyCallbackToken (ignored when issuing)
};

/// A new token for `target`, valid from `now_s` for `ttl_s` seconds, signed with `key` (the
/// callback purpose key). Throws std::invalid_argument for an empty key. Thread-safe.
std::string issueCallbackToken(const CallbackTarget& target, std::string_view key, std::int64_t now_s,
                               std::int64_t ttl_s);

/// The proxy URL for `target`: `api_url` (no trailing slash) + kCallbackProxyPath + token.
std::string callbackProxyUrl(std::string_view api_url, const CallbackTarget& target, std::string_view key,
                             std::int64_t now_s, std::int64_t ttl_s);

struct CallbackTokenCheck {
    std::optional<CallbackTarget> target;  ///< set when the token is genuine, bound and unexpired
    std::string reason;                    ///< why not, for logs (never the token)
};

/// Verifies a token: HS384 under `keys` (the current callback key, or during a rotation the
/// previous master's callback key: support::verifyJwt), scope `b3scale:callback`, `exp`
/// present and in the future, and every claim above present and well-formed. Whether the
/// meeting still counts (running, or ended less than the grace ago) is the caller's question.
/// Thread-safe; never throws (besides std::bad_alloc).
CallbackTokenCheck verifyCallbackToken(std::string_view token, const support::VerificationKeys& keys,
                                       std::int64_t now_s);
/// The same with one key and no previous one.
CallbackTokenCheck verifyCallbackToken(std::string_view token, std::string_view key, std::int64_t now_s);

/// The key under which one delivery of a callback is remembered: "end:<hash>" for a meeting
/// end, once per incarnation of the meeting and URL — whichever backend's copy reports it and
/// whichever token it holds (a meeting re-created elsewhere, or a stray copy ended later,
/// reports the same end again) —, "rec:<hash>" for a recording, once per record and URL. The
/// hash (SHA-256, hex) keeps the key short whatever the URL. The persistent outbox takes it
/// as its dedupe_key. Pure.
std::string callbackDedupeKey(const CallbackTarget& target, std::string_view record_id = {});

}  // namespace b3s::core::callbacks
