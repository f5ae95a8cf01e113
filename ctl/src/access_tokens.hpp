#pragma once
// The JWTs b3scalectl mints from the shared secret B3SCALE_API_JWT_SECRET (spec §5.4): HS384,
// claims {"scope", "sub", "iat", "jti"} and `exp` unless the token is meant never to expire.
// They are signed with the admin-token key derived from the secret
// (support::derivePurposeKey(secret, KeyPurpose::AdminToken)), the key b3scaled checks API
// tokens with; tokens signed with the secret itself (b3scale's Go b3scalectl) are refused.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace b3s::ctl {

inline constexpr const char* kAdminScope = "b3scale:admin";
inline constexpr const char* kNodeScope = "b3scale:node";
inline constexpr const char* kAdminSubject = "b3scalectl";

/// An HS384 token with `scopes` joined by single spaces, `sub`, `iat` = `issued_at` (seconds
/// since the epoch), `exp` = `expires_at` when given, and a 24-character random `jti`, signed
/// with the admin-token key of `secret`. Throws CtlError for an empty secret.
std::string mintAccessToken(const std::string& secret, const std::string& subject,
                            const std::vector<std::string>& scopes, std::int64_t issued_at,
                            std::optional<std::int64_t> expires_at = std::nullopt);

/// b3scalectl's own admin token: scope b3scale:admin, sub b3scalectl, expiring
/// kOwnTokenLifetime after `issued_at`.
std::string mintAdminToken(const std::string& secret, std::int64_t issued_at);

/// Whether b3scalectl may go on using its cached token at `now_s`: its `exp` is more than
/// kOwnTokenRenewBefore away. A token without `exp` (minted before b3scalectl's tokens
/// expired, with the raw secret), expired, about to or unreadable is not. The signature is not
/// checked (b3scaled does that); the claims only decide when to mint a new one. Pure.
bool ownTokenFresh(const std::string& token, std::int64_t now_s);

/// `--scopes a, b,c` → {"a","b","c"}: split at commas, each trimmed, empty ones dropped.
std::vector<std::string> parseScopeList(const std::string& csv);

}  // namespace b3s::ctl
