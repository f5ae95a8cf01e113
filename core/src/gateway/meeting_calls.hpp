#pragma once
// The calls that follow a meeting to its backend (spec gateway §4.4–4.6, bbb-api §3):
// end, isMeetingRunning, getMeetingInfo, insertDocument, sendChatMessage. The meeting is
// looked up in the in-memory view, scoped to the calling frontend — another frontend's
// meeting is exactly as unknown as a missing one — and the call is re-signed for its
// backend. Unknown meetings are answered locally the way BBB answers them.

#include "gateway/bbb_ingress.hpp"
#include "gateway/gateway_context.hpp"

namespace b3s::core::gateway {

/// Forwards `end`; on SUCCESS (or the backend's notFound) the placement is removed.
class EndCall {
public:
    explicit EndCall(const GatewayContext& context) : context_(context) {}
    BbbAnswer operator()(const BbbCall& call) const;

private:
    const GatewayContext& context_;
};

/// isMeetingRunning (unknown → SUCCESS running=false, without asking a backend),
/// getMeetingInfo (unknown → notFound), sendChatMessage (unknown → notFound) and
/// insertDocument (XML body only; unknown → notFound).
class ForwardedMeetingCall {
public:
    ForwardedMeetingCall(const GatewayContext& context, std::string call) : context_(context), call_(std::move(call)) {}
    BbbAnswer operator()(const BbbCall& call) const;

private:
    const GatewayContext& context_;
    std::string call_;
};

}  // namespace b3s::core::gateway
