#pragma once
// Every BBB API call b3scale serves, registered on the ingress with the HTTP methods
// bbb-web accepts for it (bbb-api §2.1). Calls not registered here — getDefaultConfigXML,
// setConfigXML, hooks/*, getJoinUrl and the other session-token endpoints, anything unknown —
// get the ingress's `unsupportedRequest`.

#include "gateway/bbb_ingress.hpp"
#include "gateway/gateway_context.hpp"
#include "gateway/recording_calls.hpp"

namespace b3s::core::gateway {

/// `context` and `recordings` must outlive the ingress.
void registerBbbCalls(BbbIngress& ingress, const GatewayContext& context, const RecordingCalls& recordings);

}  // namespace b3s::core::gateway
