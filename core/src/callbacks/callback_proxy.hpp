#pragma once
// The receiving end of b3scale's callback proxy (spec gateway §8.1, tightened):
//   GET  /api/v1/callbacks/proxy/<token>  — a backend reports a meeting end. Delivered in the
//        background through the persistent outbox (callback_outbox.hpp) to the token's URL
//        exactly as the frontend gave it, plus only BBB's own parameters (end_callback_url.hpp);
//        the backend is answered 200 once it is queued.
//   POST /api/v1/callbacks/proxy/<token>  — recording ready. `signed_parameters` (form or
//        JSON body) is a JWT the backend signed with its own secret: verified with the secret
//        of the token's backend, its `meeting_id` checked against the token's meeting and
//        decoded, re-signed (HS256) with the frontend's secret and POSTed to the frontend as a
//        form through the same outbox; the backend is answered 200 once it is queued.
// The token (callback_token.hpp) must be genuine (else 401), of the kind the method is for
// and used for its own meeting (else 403), and its meeting must run or have ended less than
// the grace ago (callback_liveness.hpp; else 401). While the store cannot be asked, a genuine
// token's callback is answered 200 and spooled (callback_spool.hpp) until it can. A meeting-ended callback from a
// backend the running meeting has left (a stray copy ended there) is answered 200 and delivers nothing. Each callback
// is delivered once, across instances and restarts: a replay is answered 200 and delivers nothing (the outbox's dedupe
// key, callbackDedupeKey). A store that cannot check or queue it: 503, the backend retries.
// Errors are JSON (`{"error":…,"message":…}`); tokens are never logged.

#include "callbacks/callback_outbox.hpp"
#include "callbacks/callback_spool.hpp"
#include "callbacks/callback_token.hpp"
#include "cluster/backend_client.hpp"
#include "cluster/cluster_state.hpp"
#include "store/store.hpp"

#include "util/clock.hpp"

#include <b3s/support/verification_keys.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace b3s::core::callbacks {

struct CallbackProxyOptions {
    /// The callback purpose keys (deriveVerificationKeys(master, previous master, CallbackToken)):
    /// tokens the previous master's key signed still count during a rotation.
    support::VerificationKeys keys;
    std::chrono::milliseconds grace{24 * 3'600'000};  ///< B3SCALE_CALLBACK_GRACE
    std::size_t max_body_bytes = 64 * 1024;
    std::size_t spool_capacity = 10'000;  ///< callbacks kept through a store outage
    std::chrono::milliseconds spool_retry_interval{1000};
};

class CallbackProxy {
public:
    /// Every reference must outlive the proxy.
    CallbackProxy(const cluster::ClusterState& cluster, store::Store& store, CallbackOutbox& outbox, const Clock& clock,
                  CallbackProxyOptions options);

    /// Starts retrying what a store outage spooled; stop() drops what is left. Idempotent.
    void start() { spool_.start(); }
    void stop() noexcept { spool_.stop(); }

    /// Handles a request below kCallbackProxyPath. Never throws.
    void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const;

private:
    enum class Admission { Queued, Duplicate, Refused, StrayCopy, Unavailable };

    /// The frontend's callback for a meeting-ended report, or nullopt when it answered already.
    std::optional<CallbackJob> endJob(const CallbackTarget& target, const std::string& raw_query,
                                      Poco::Net::HTTPServerResponse& response) const;
    /// The frontend's callback for a recording-ready report, or nullopt when it answered already.
    std::optional<CallbackJob> recordingJob(const CallbackTarget& target, Poco::Net::HTTPServerRequest& request,
                                            Poco::Net::HTTPServerResponse& response, std::int64_t now_s) const;
    /// What needs the store: is the token's meeting alive (as of `received_at`), is this copy
    /// the meeting's, then the outbox (a replay of the dedupe key is dropped). Never throws a
    /// StoreError: Unavailable.
    Admission admit(const SpooledCallback& callback) const;

    const cluster::ClusterState& cluster_;
    store::Store& store_;
    CallbackOutbox& outbox_;
    const Clock& clock_;
    CallbackProxyOptions options_;
    mutable CallbackSpool spool_;  ///< thread-safe; after options_, which it reads
};

}  // namespace b3s::core::callbacks
