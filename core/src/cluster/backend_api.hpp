#pragma once
// BBB API calls to one backend: parameters signed with the backend's own secret (the
// frontend's checksum is never forwarded), sent through the pooled BackendClient, and the
// XML answer parsed. Every outcome is a value: handlers map it to a BBB answer, never
// forward the backend's raw error text (it may carry signed URLs).

#include "bbb/checksum.hpp"
#include "bbb/param_list.hpp"
#include "bbb/xml_tree.hpp"
#include "cluster/backend_client.hpp"
#include "cluster/poll_requests.hpp"
#include "store/records.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace b3s::core::cluster {

struct BackendApiCall {
    std::string call;       ///< "create", "getMeetings", …
    bbb::ParamList params;  ///< decoded, without checksum (the signer adds the backend's)
    std::string body;       ///< an XML document (create presentations, insertDocument); sent as POST
};

struct BackendApiResult {
    enum class Outcome {
        Answered,     ///< an XML <response> came back (SUCCESS or FAILED)
        Unreachable,  ///< no connection: the backend never saw the call (safe to try another one)
        TimedOut,     ///< sent, but no complete answer: the backend may have acted on it
        Unreadable,   ///< an answer that is not a BBB XML answer (HTTP error page, garbage, too large)
    };
    Outcome outcome = Outcome::Unreachable;
    std::optional<bbb::XmlNode> xml;  ///< Answered: the root element
    std::string error;                ///< for logs only: what went wrong, never a query or secret
    std::chrono::microseconds latency{0};

    bool answered() const noexcept { return outcome == Outcome::Answered; }
    /// returncode of an answer ("SUCCESS"/"FAILED"), empty when not answered.
    std::string returncode() const;
    std::string messageKey() const;
    bool succeeded() const { return returncode() == "SUCCESS"; }
};

class BackendApi {
public:
    /// `client` (and `trouble`, when given) must outlive this object. `algorithm` signs every
    /// call (SHA-256 by default: every BBB since 2.x accepts it). A call that finds a backend
    /// unreachable, timed out or answering something that is not BBB's XML reports it to
    /// `trouble` (PollRequests::callFailed: an early poll, and joins there check it first).
    explicit BackendApi(BackendClient& client, PollRequests* trouble = nullptr,
                        bbb::ChecksumAlgorithm algorithm = bbb::ChecksumAlgorithm::Sha256);

    /// Performs `call` on `backend`. Thread-safe. Never throws (besides std::bad_alloc).
    BackendApiResult call(const store::Backend& backend, const BackendApiCall& call) const;

    /// The signed URL of `call` on `backend` (join redirects point browsers at it).
    std::string signedUrl(const store::Backend& backend, std::string_view call, const bbb::ParamList& params) const;

private:
    BackendClient& client_;
    PollRequests* trouble_;
    bbb::ChecksumAlgorithm algorithm_;
};

}  // namespace b3s::core::cluster
