#pragma once
// Verifies HMAC-signed JWTs (RFC 7519, JWS compact form) and checks exp/nbf, which
// Poco::JWT::Signer does not do.

#include "settings.hpp"

#include <b3s/plugin/auth.hpp>
#include <b3s/plugin/context.hpp>

#include <Poco/JWT/Signer.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace b3s::auth::jwt {

/// Longer input is refused before any parsing: no legitimate API token comes close.
inline constexpr std::size_t kMaxTokenBytes = 8192;

class JwtAuthenticator final : public plugin::Authenticator {
public:
    /// `clock` and `logger` must outlive this object (the Context guarantees it).
    JwtAuthenticator(const Settings& settings, const plugin::Clock& clock, plugin::Logger& logger);

    // b3s::plugin::Authenticator
    plugin::AuthResult verify(std::string_view token) const override;

private:
    plugin::AuthResult verifyUnguarded(std::string_view token) const;

    // Poco's Signer is neither copyable nor movable; its tryVerify() is const and keeps no
    // state between calls, so concurrent verify() calls share it safely.
    std::unique_ptr<Poco::JWT::Signer> signer_;
    std::int64_t leeway_seconds_;
    const plugin::Clock& clock_;
    plugin::Logger& logger_;
};

/// The factory exported as b3s_create_auth. Throws plugin::ConfigError.
std::unique_ptr<plugin::Authenticator> create(const plugin::Context& context);

}  // namespace b3s::auth::jwt
