#include "gateway/backend_failure.hpp"

#include "log/logger.hpp"

namespace b3s::core::gateway {
namespace {

log::Logger& failureLog() {
    static log::Logger l("b3s.core.gateway");
    return l;
}

}  // namespace

BbbAnswer backendFailure(const cluster::BackendApiResult& result, std::string_view call, const BbbCall& request,
                         const store::Backend& backend) {
    failureLog().warn("backend_call_failed", {{"call", std::string(call)},
                                              {"frontend", request.frontend->frontend.key},
                                              {"backend", backend.host},
                                              {"error", result.error}});
    return BbbAnswer::failure(result.outcome == cluster::BackendApiResult::Outcome::Unreadable
                                  ? bbb::ApiError::backendAnswerUnreadable()
                                  : bbb::ApiError::backendUnreachable());
}

}  // namespace b3s::core::gateway
