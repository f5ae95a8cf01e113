#pragma once
// The auth/jwt plugin's Authenticator: checks the bearer token (an HMAC-signed JWT, compared
// in constant time, `exp`/`nbf` enforced with a leeway, the algorithms of
// B3SCALE_AUTH_JWT_ALGORITHMS only) and applies the permission matrix (access_policy.hpp).
// The signing key is the admin-token key derived from the master secret, so a token signed
// with the master itself or with another purpose's key (a callback URL, a recording link)
// is never an API token. During a rotation (B3SCALE_API_JWT_SECRET_PREVIOUS) tokens signed
// with the previous master's admin-token key are accepted too.

#include "settings.hpp"

#include <b3s/plugin/auth.hpp>
#include <b3s/plugin/context.hpp>

#include <b3s/support/hmac_jwt.hpp>
#include <b3s/support/verification_keys.hpp>

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace b3s::auth::jwt {

/// Longer input is refused before any parsing: no legitimate API token comes close.
inline constexpr std::size_t kMaxTokenBytes = 8192;

class JwtAuthorizer final : public plugin::Authenticator {
public:
    /// `clock` and `logger` must outlive this object (the Context guarantees it).
    JwtAuthorizer(Settings settings, const plugin::Clock& clock, plugin::Logger& logger);

    // b3s::plugin::Authenticator
    plugin::AccessDecision authorize(std::string_view token, plugin::ApiAction action) const override;

private:
    plugin::AccessDecision authorizeUnguarded(std::string_view token, plugin::ApiAction action) const;

    Settings settings_;               // without the master secrets: only keys_ are kept
    support::VerificationKeys keys_;  // deriveVerificationKeys(master, previous, KeyPurpose::AdminToken)
    std::vector<support::JwtAlgorithm> algorithms_;
    const plugin::Clock& clock_;
    plugin::Logger& logger_;
};

/// The factory exported as b3s_create_auth. Throws plugin::ConfigError.
std::unique_ptr<plugin::Authenticator> create(const plugin::Context& context);

}  // namespace b3s::auth::jwt
