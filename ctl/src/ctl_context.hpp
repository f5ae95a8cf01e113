#pragma once
// What every b3scalectl command works with: its streams, the environment, the API endpoint
// and an authorised API client, built on first use.
//
// The access token comes from B3SCALE_API_ACCESS_TOKEN, else from the token cache, else it
// is minted from the shared secret (B3SCALE_API_JWT_SECRET from the environment or an env
// file, else asked for without echo), checked against the status endpoint and cached. The
// cached token expires after kOwnTokenLifetime; one that has expired or is about to is minted
// again (without asking when B3SCALE_API_JWT_SECRET is set).

#include "api_client.hpp"
#include "api_endpoint.hpp"
#include "secret_input.hpp"
#include "time_text.hpp"
#include "token_cache.hpp"

#include <Poco/JSON/Object.h>

#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace b3s::ctl {

struct Invocation;

/// b3scaled refused a token signed with the secret given (a wrong secret).
class SecretRefused : public CtlError {
public:
    using CtlError::CtlError;
};

/// The process's streams. `in_fd` is the descriptor behind `in` (for terminal checks).
struct CtlIo {
    std::istream& in;
    int in_fd;
    std::ostream& out;
    std::ostream& err;
};

class CtlContext {
public:
    using Clock = std::function<WallClock::time_point()>;

    CtlContext(
        CtlIo io, EnvLookup env, Clock clock = [] { return WallClock::now(); });
    ~CtlContext();

    std::ostream& out() { return io_.out; }
    std::ostream& err() { return io_.err; }
    /// Writes an informational line to stderr when a person is at the terminal (stdin is
    /// one); scripts see only results on stdout and, on failure, the one error line.
    void note(const std::string& line);
    const EnvLookup& env() const { return env_; }
    SecretInput& secrets() { return *secrets_; }
    WallClock::time_point now() const { return clock_(); }

    /// Takes --api from the command line (else B3SCALE_API_URL, else the default). Throws
    /// UsageError for a malformed URL.
    void configure(const Invocation& invocation);
    const ApiEndpoint& endpoint() const { return endpoint_; }

    /// The authorised client; the first call may ask for the secret (see above). Throws
    /// CtlError when no usable token can be had.
    ApiClient& api();
    /// A client with the token from the environment or the cache, never asking; nullopt
    /// when there is none. A cached token that expired (or is about to) is minted again when
    /// B3SCALE_API_JWT_SECRET is set, else counts as none (cachedTokenExpired() tells).
    std::optional<ApiClient> apiIfAuthorized();
    /// The cached token was found expired (or about to) and could not be replaced unasked.
    bool cachedTokenExpired() const { return cached_token_expired_; }
    /// A client without a token (for the unauthenticated routes).
    ApiClient publicApi() const;

    TokenCache tokenCache() const;
    /// Where the token in use came from, for hints ("the cached token in <path>").
    bool tokenFromCache() const { return token_from_cache_; }

    /// Mints an admin token from `secret`, checks it with GET /api/v1 and caches it. Returns
    /// the status object. Throws SecretRefused when b3scaled refuses it ("authorization
    /// failed" for a token without admin rights), CtlError when it cannot be asked.
    Poco::JSON::Object::Ptr authorize(const std::string& secret);

    /// The shared secret for minting tokens: `flag_value` when given, else
    /// B3SCALE_API_JWT_SECRET, else read from stdin (prompt on stderr). Throws CtlError
    /// "secret should not be empty", and support::secretLengthProblem's sentence for a secret
    /// shorter than b3scaled accepts.
    std::string sharedSecret(const std::optional<std::string>& flag_value);

    /// A new transport to the endpoint (with request tracing at log level debug).
    HttpTransport transport() const;

private:
    CtlIo io_;
    EnvLookup env_;
    Clock clock_;
    std::unique_ptr<SecretInput> secrets_;
    ApiEndpoint endpoint_;
    std::unique_ptr<ApiClient> api_;
    bool token_from_cache_ = false;
    bool cached_token_expired_ = false;
    bool debug_ = false;
};

}  // namespace b3s::ctl
