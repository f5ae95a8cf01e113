#pragma once
// One master secret (B3SCALE_API_JWT_SECRET), one key per purpose. Every token b3scale
// issues or accepts is signed with the key of its purpose, never with the master itself, so
// a token minted for one purpose (a callback URL every backend sees, a recording link a
// viewer holds) is refused everywhere else (the REST API, the retry-join page, ...):
//   key(purpose) = HMAC-SHA256(master, "b3scale key v1 " + label(purpose))
// The derivation is one-way: holding a derived key (or any number of tokens signed with it)
// gives nothing towards the master or another purpose's key.

#include <cstddef>
#include <string>
#include <string_view>

namespace b3s::support {

enum class KeyPurpose {
    AdminToken,       ///< REST API bearer tokens (operators, tenants, node agents): auth plugin, b3scalectl
    CallbackToken,    ///< the tokens in callback-proxy URLs handed to backends
    RetryJoinLink,    ///< the signed links of the "meeting is starting" retry page
    RecordingLink,    ///< protected-recording playback links
    RecordingCookie,  ///< protected-recording playback cookies
};

/// Stable label of a purpose ("admin-token", "callback-token", ...): part of the derivation,
/// so it never changes once released. Pure.
std::string_view toString(KeyPurpose purpose) noexcept;

/// The purpose's key: 32 raw bytes. `master` must not be empty (std::invalid_argument), the
/// length rule below is the configuration's to enforce. Pure, thread-safe.
std::string derivePurposeKey(std::string_view master, KeyPurpose purpose);

/// Shortest master secret b3scaled and b3scalectl accept (bytes of the string): 256 bits of
/// hex is 64 characters, of base64 44; 32 bytes keeps an offline search of any token hopeless.
inline constexpr std::size_t kMinSecretBytes = 32;

/// Empty when `secret` is long enough, else one sentence naming `variable`, the rule and how to
/// make a good secret (for ConfigError and the CLI). Pure.
std::string secretLengthProblem(std::string_view variable, std::string_view secret);

}  // namespace b3s::support
