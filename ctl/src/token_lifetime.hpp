#pragma once
// How long the tokens b3scalectl mints live. Tokens for other tools (`auth create_access_token`,
// `auth authorize_node_agent`) get `--expires-in DURATION`, 30 days unless said otherwise;
// `--expires-in never` is the explicit choice of a token without `exp`. b3scalectl's own token
// (the cached one) lives an hour and is minted again shortly before it ends.

#include <chrono>
#include <optional>
#include <string>

namespace b3s::ctl {

/// A token's lifetime; nullopt: no `exp`, the token never expires.
using TokenLifetime = std::optional<std::chrono::seconds>;

inline constexpr std::chrono::seconds kDefaultTokenLifetime{30LL * 24 * 3600};
inline constexpr const char* kDefaultTokenLifetimeText = "30d";
/// The longest --expires-in accepted; longer is what `never` says honestly.
inline constexpr std::chrono::seconds kMaxTokenLifetime{3650LL * 24 * 3600};

/// b3scalectl's own admin token: its lifetime, and how close to its end a cached one is
/// replaced (so a command never starts with a token that runs out on the way).
inline constexpr std::chrono::seconds kOwnTokenLifetime{3600};
inline constexpr std::chrono::seconds kOwnTokenRenewBefore{300};

/// Parses `--expires-in`: a whole positive number and a unit, `s`, `m`, `h` or `d` ("90m",
/// "12h", "30d"), at most 3650d; or `never`. Throws UsageError naming the value and the form,
/// with `command_path` for the help hint. Pure.
TokenLifetime parseExpiresIn(const std::string& text, const std::string& command_path);

}  // namespace b3s::ctl
