#pragma once
// The auth/jwt plugin's configuration: which secret, which algorithms, how much clock skew.

#include <b3s/plugin/context.hpp>

#include <array>
#include <cstdint>
#include <set>
#include <string>

namespace b3s::auth::jwt {

inline constexpr const char* kSecretKey = "B3SCALE_API_JWT_SECRET";
inline constexpr const char* kAlgorithmsKey = "B3SCALE_AUTH_JWT_ALGORITHMS";
inline constexpr const char* kLeewayKey = "B3SCALE_AUTH_JWT_LEEWAY";

// b3scale's admin API accepts only HS384; other HMAC variants are opt-in.
inline constexpr const char* kDefaultAlgorithms = "HS384";
inline constexpr const char* kDefaultLeewaySeconds = "30";

inline constexpr std::array<plugin::ConfigKey, 3> kConfigKeys{{
    {kSecretKey, nullptr, "shared secret API tokens are signed with (raw bytes of the string)", true, true},
    {kAlgorithmsKey, kDefaultAlgorithms, "accepted signing algorithms, comma-separated: HS256, HS384, HS512", false,
     false},
    {kLeewayKey, kDefaultLeewaySeconds, "seconds of clock skew tolerated when checking exp and nbf", false, false},
}};

struct Settings {
    std::string secret;                ///< never logged, never put in a message
    std::set<std::string> algorithms;  ///< non-empty subset of {HS256, HS384, HS512}
    std::int64_t leeway_seconds = 30;  ///< >= 0
};

/// Reads and validates the plugin's keys, applying the defaults above when a key is unset.
/// Throws plugin::ConfigError naming the key and the accepted values.
Settings parseSettings(const plugin::ConfigView& config);

}  // namespace b3s::auth::jwt
