#pragma once
// The signed, expiring blob behind /b3s/retry-join/<blob>. While a meeting's BBB server is
// still being prepared, a browser's join is answered with a redirect to that page, which
// re-requests the original join URL a moment later. The signature keeps the page from being
// an open redirect (only join URLs b3scaled itself saw can come out), the expiry keeps an old
// link from being replayed forever.
//
//   blob = base64url(JSON {"mth":"GET","url":join_url,"exp":now_s+ttl_s})
//          "." base64url(HMAC-SHA256(key, first part))          (both unpadded)
//   key  = support::derivePurposeKey(jwt_secret, KeyPurpose::RetryJoinLink)
//
// The purpose's own key keeps a retry-join signature from ever being valid as anything signed
// with the master secret or another purpose's key (and the other way round). During a rotation
// a link signed with the previous master's retry-join key still opens.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace b3s::core::gateway {

/// Path prefix the blob is appended to.
inline constexpr std::string_view kRetryJoinPathPrefix = "/b3s/retry-join/";

/// Builds the blob for `join_url`, the original request target (path + "?" + raw query),
/// which must start with "/bbb/"; a blob for any other URL, or made with an empty secret,
/// is produced but never opens. The blob uses only [A-Za-z0-9_.-], so it is safe in a path
/// segment as it is. Errors: none except std::bad_alloc. Thread-safety: pure function.
std::string makeRetryJoinBlob(std::string_view join_url, std::string_view jwt_secret, std::int64_t now_s,
                              std::int64_t ttl_s);

/// The join URL inside a blob that is genuine (signature checked in constant time, with the
/// key of `jwt_secret` or of `previous_jwt_secret`, B3SCALE_API_JWT_SECRET_PREVIOUS, when that
/// is not empty), not expired (exp > now_s), whose method is GET and whose url starts with
/// "/bbb/" and contains no control character (so no CR/LF); nullopt otherwise, and always for
/// an empty secret. Never throws (except std::bad_alloc). Thread-safety: pure function.
std::optional<std::string> openRetryJoinBlob(std::string_view blob, std::string_view jwt_secret, std::int64_t now_s,
                                             std::string_view previous_jwt_secret = {});

}  // namespace b3s::core::gateway
