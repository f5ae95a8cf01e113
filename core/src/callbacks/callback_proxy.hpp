#pragma once
// The receiving end of b3scale's callback proxy (spec gateway §8.1):
//   GET  /api/v1/callbacks/proxy/<token>  — a backend reports a meeting end. The frontend's
//        URL from the token gets the backend's query parameters merged in (the backend's
//        win), meeting ids decoded, and is called in the background with retries; the backend
//        is answered 200 once the callback is in the outbox.
//   POST /api/v1/callbacks/proxy/<token>  — recording ready. `signed_parameters` (form or
//        JSON body) is a JWT the backend signed with its own secret: it is verified with that
//        backend's secret (b3scale never checks it), its `meeting_id` decoded, re-signed
//        (HS256) with the frontend's secret and POSTed to the frontend as a form, through the
//        same outbox (retries with backoff; the frontend's 410 stops them); the backend is
//        answered 200 once the callback is queued.
// A bad or expired token is a 401; a store that cannot take the callback a 503 (the backend
// retries); errors are JSON (`{"error":…,"message":…}`).

#include "callbacks/callback_outbox.hpp"
#include "cluster/backend_client.hpp"
#include "cluster/cluster_state.hpp"

#include "util/clock.hpp"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstdint>
#include <string>

namespace b3s::core::callbacks {

struct CallbackProxyOptions {
    std::string jwt_secret;
    std::int64_t token_ttl_s = 14 * 24 * 3600;
    std::size_t max_body_bytes = 64 * 1024;
};

class CallbackProxy {
public:
    /// Every reference must outlive the proxy.
    CallbackProxy(const cluster::ClusterState& cluster, CallbackOutbox& outbox, const Clock& clock,
                  CallbackProxyOptions options);

    /// Handles a request below kCallbackProxyPath. Never throws.
    void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const;

private:
    const cluster::ClusterState& cluster_;
    CallbackOutbox& outbox_;
    const Clock& clock_;
    CallbackProxyOptions options_;
};

}  // namespace b3s::core::callbacks
