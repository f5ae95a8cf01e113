#pragma once
// The BBB API as frontends call it: /bbb/<frontendKey>/bigbluebutton/api/<call> (and
// b3scale's short form /bbb/<frontendKey>/<call>). Everything that is the same for every
// call happens here, once: path parsing, size limits, query and form parsing, the tenant
// lookup, the checksum, the method check, dispatch, and writing the XML answer.

#include "bbb/bbb_response.hpp"
#include "bbb/checksum.hpp"
#include "bbb/param_list.hpp"
#include "gateway/frontend_rate_limiter.hpp"
#include "gateway/frontend_settings.hpp"
#include "metrics/metric_handles.hpp"
#include "store/records.hpp"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <functional>
#include <map>
#include <memory>

#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::gateway {

/// A tenant as the gateway needs it: its row and its parsed settings.
struct FrontendEntry {
    store::Frontend frontend;
    FrontendSettings settings;
};

/// Where the gateway finds tenants. Implementations answer from memory (no database round
/// trip per request). Thread-safety: called concurrently from request threads.
class FrontendDirectory {
public:
    virtual ~FrontendDirectory() = default;
    /// The frontend with exactly this key, or nullptr.
    virtual std::shared_ptr<const FrontendEntry> findByKey(std::string_view key) const = 0;
};

/// One verified BBB call, as handlers receive it.
struct BbbCall {
    std::shared_ptr<const FrontendEntry> frontend;
    std::string name;          ///< the call: "create", "join", …
    std::string method;        ///< GET or POST
    bbb::ParamList params;     ///< decoded: URL query, then form-body parameters
    std::string body;          ///< raw body unless it was a form body (XML documents)
    std::string content_type;  ///< of the body
    std::string remote_address;
    std::string target;  ///< the request target as received (path + "?" + raw query)
};

/// What a handler answers. Every BBB answer is HTTP 200 with XML, except joins (302) and
/// the HTML pages browsers see.
struct BbbAnswer {
    int status = 200;
    std::string content_type{bbb::kXmlContentType};
    std::string body;
    std::string location;           ///< for redirects
    bool close_connection = false;  ///< the request body was not read to its end

    static BbbAnswer xml(std::string body) { return {200, std::string(bbb::kXmlContentType), std::move(body), {}}; }
    static BbbAnswer failure(const bbb::ApiError& error) { return xml(bbb::renderFailure(error)); }
};

using CallHandler = std::function<BbbAnswer(const BbbCall&)>;

/// Verifies one call's checksum (bbb::verifyChecksum; a seam for tests).
using ChecksumVerifier = std::function<bbb::ChecksumResult(std::string_view call, std::string_view raw_query,
                                                           std::string_view secret, bbb::ChecksumAlgorithmSet allowed)>;

struct IngressLimits {
    std::size_t max_query_bytes = 64 * 1024;        ///< B3SCALE_BBB_MAX_QUERY_BYTES
    std::size_t max_body_bytes = 32 * 1024 * 1024;  ///< B3SCALE_BBB_MAX_BODY_BYTES
    /// B3SCALE_BBB_ACCEPT_FORM_BODIES: false refuses parameters in a form-encoded body (the
    /// checksum does not cover them); XML bodies are always passed on.
    bool accept_form_bodies = true;
    /// B3SCALE_BBB_CHECKSUM_ALGORITHMS: a checksum made with another one is a checksumError.
    bbb::ChecksumAlgorithmSet checksum_algorithms = bbb::kAllChecksumAlgorithms;
    /// Counts refused checksums by frontend key ("unknown" for keys nobody has); optional.
    const metrics::Counter* checksum_failures = nullptr;
    /// Checks every checksum — of unknown keys too, against a secret nobody has.
    ChecksumVerifier verify_checksum = [](std::string_view call, std::string_view raw_query, std::string_view secret,
                                          bbb::ChecksumAlgorithmSet allowed) {
        return bbb::verifyChecksum(call, raw_query, secret, allowed);
    };
};

class BbbIngress {
public:
    /// `directory` must outlive the ingress.
    BbbIngress(const FrontendDirectory& directory, IngressLimits limits);

    /// Registers the handler of one call and the HTTP methods BBB accepts for it.
    /// Not thread-safe: register everything before serving.
    void on(std::string call, std::vector<std::string> methods, CallHandler handler);

    /// Handles a request whose path starts with /bbb/. Never throws.
    void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const;

    /// Splits a path below /bbb/ into frontend key and call; exposed for tests.
    /// Index paths give call "" ; `ok` is false for paths without a key.
    struct Route {
        bool ok = false;
        std::string key;
        std::string call;
    };
    static Route parsePath(std::string_view path);

private:
    struct Registration {
        std::vector<std::string> methods;
        CallHandler handler;
    };
    BbbAnswer process(Poco::Net::HTTPServerRequest& request) const;

    const FrontendDirectory& directory_;
    IngressLimits limits_;
    /// An unknown or disabled key's checksum is checked against this (random, per process),
    /// so that it costs what a known key's costs and timing does not tell which keys exist.
    std::string dummy_secret_;
    std::map<std::string, Registration, std::less<>> calls_;
    mutable FrontendRateLimiter rate_limiter_;
};

}  // namespace b3s::core::gateway
