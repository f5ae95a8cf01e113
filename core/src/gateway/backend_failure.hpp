#pragma once
// The one mapping from a backend call that produced no BBB answer to what the frontend gets:
// internalError with Scalelite's "Unable to access server." (unreachable, timed out) or
// "could not be read" (an answer that is not BBB XML). The backend's own error text, which
// may carry its signed URL, is logged, never sent.

#include "cluster/backend_api.hpp"
#include "gateway/bbb_ingress.hpp"

#include <string_view>

namespace b3s::core::gateway {

/// Logs `backend_call_failed` (call, frontend, backend, error) and returns the FAILED answer.
BbbAnswer backendFailure(const cluster::BackendApiResult& result, std::string_view call, const BbbCall& request,
                         const store::Backend& backend);

}  // namespace b3s::core::gateway
