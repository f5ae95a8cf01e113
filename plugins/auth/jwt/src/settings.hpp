#pragma once
// The auth/jwt plugin's configuration: which secret, which algorithms, how much clock skew.
// The secret is b3scale's master secret; tokens are checked with the admin-token key derived
// from it (b3s/support/purpose_keys.hpp), never with the master itself.

#include <b3s/plugin/context.hpp>

#include <array>
#include <cstdint>
#include <set>
#include <string>

namespace b3s::auth::jwt {

inline constexpr const char* kSecretKey = "B3SCALE_API_JWT_SECRET";
inline constexpr const char* kPreviousSecretKey = "B3SCALE_API_JWT_SECRET_PREVIOUS";
inline constexpr const char* kAlgorithmsKey = "B3SCALE_AUTH_JWT_ALGORITHMS";
inline constexpr const char* kLeewayKey = "B3SCALE_AUTH_JWT_LEEWAY";

// b3scale's admin API accepts only HS384; other HMAC variants are opt-in.
inline constexpr const char* kDefaultAlgorithms = "HS384";
inline constexpr const char* kDefaultLeewaySeconds = "30";

inline constexpr std::array<plugin::ConfigKey, 4> kConfigKeys{{
    {kSecretKey, nullptr,
     "master secret, at least 32 bytes; API tokens are signed with the admin-token key derived from it", true, true},
    {kAlgorithmsKey, kDefaultAlgorithms, "accepted signing algorithms, comma-separated: HS256, HS384, HS512", false,
     false},
    {kLeewayKey, kDefaultLeewaySeconds, "seconds of clock skew tolerated when checking exp and nbf", false, false},
    {kPreviousSecretKey, nullptr,
     "the master secret replaced, during a rotation: tokens signed with its admin-token key are still accepted", false,
     true},
}};

struct Settings {
    std::string secret;                ///< the master secret (>= 32 bytes); never logged, never put in a message
    std::string previous_secret;       ///< the replaced master during a rotation (>= 32 bytes, not `secret`), or empty
    std::set<std::string> algorithms;  ///< non-empty subset of {HS256, HS384, HS512}
    std::int64_t leeway_seconds = 30;  ///< >= 0
};

/// Reads and validates the plugin's keys, applying the defaults above when a key is unset.
/// Throws plugin::ConfigError naming the key and the accepted values (a secret shorter than
/// support::kMinSecretBytes is refused with support::secretLengthProblem's sentence, and so is
/// a previous secret, which must also differ from the secret).
Settings parseSettings(const plugin::ConfigView& config);

}  // namespace b3s::auth::jwt
