#pragma once
// The JWTs b3scalectl mints from the shared secret B3SCALE_API_JWT_SECRET (spec §5.4): HS384,
// claims {"scope", "sub", "iat", "jti"}, no expiry (as b3scale's; revoke by rotating the
// secret).

#include <cstdint>
#include <string>
#include <vector>

namespace b3s::ctl {

inline constexpr const char* kAdminScope = "b3scale:admin";
inline constexpr const char* kNodeScope = "b3scale:node";
inline constexpr const char* kAdminSubject = "b3scalectl";

/// An HS384 token with `scopes` joined by single spaces, `sub`, `iat` = `issued_at` (seconds
/// since the epoch) and a 24-character random `jti`. Throws CtlError for an empty secret.
std::string mintAccessToken(const std::string& secret, const std::string& subject,
                            const std::vector<std::string>& scopes, std::int64_t issued_at);

/// b3scalectl's own admin token: scope b3scale:admin, sub b3scalectl.
std::string mintAdminToken(const std::string& secret, std::int64_t issued_at);

/// `--scopes a, b,c` → {"a","b","c"}: split at commas, each trimmed, empty ones dropped.
std::vector<std::string> parseScopeList(const std::string& csv);

}  // namespace b3s::ctl
