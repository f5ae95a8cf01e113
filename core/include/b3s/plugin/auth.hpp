#pragma once
// Auth plugins decide whether a bearer token on the REST API is genuine and what it grants.

#include <b3s/plugin/context.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::plugin {

/// The verdict on one token.
struct AuthResult {
    enum class Outcome {
        Valid,          ///< signature, algorithm and time claims check out
        Malformed,      ///< not a token of the expected form
        BadSignature,   ///< signature does not verify, or algorithm not accepted
        Expired,        ///< `exp` is in the past
        NotYetValid,    ///< `nbf` is in the future
    };
    Outcome outcome = Outcome::Malformed;
    std::string subject;              ///< `sub` claim, empty when absent
    std::vector<std::string> scopes;  ///< `scope` claim split on spaces
    std::string reason;               ///< one sentence for logs and 401 bodies; no secret
};

/// Verifies API tokens.
/// Thread-safety: verify() is called concurrently from request threads.
/// Lifetime: created once at start-up, destroyed after the HTTP server has drained.
class B3S_PLUGIN_API Authenticator {
public:
    virtual ~Authenticator() = default;
    /// Checks `token` (the text after "Bearer "). Must not throw.
    virtual AuthResult verify(std::string_view token) const = 0;
};

template <>
struct KindTraits<Authenticator> {
    static constexpr const char* kKind = "auth";
    static constexpr const char* kFactorySymbol = "b3s_create_auth";
    /// May throw ConfigError. Never returns nullptr.
    using Factory = std::unique_ptr<Authenticator>(const Context&);
};

}  // namespace b3s::plugin
