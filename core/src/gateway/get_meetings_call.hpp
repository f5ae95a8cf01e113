#pragma once
// getMeetings for one frontend (spec gateway §4.7, bbb-api §3 getMeetings): asks, in
// parallel, every backend that holds one of the frontend's meetings, each with its own
// timeout (B3SCALE_GET_MEETINGS_TIMEOUT_MS). The answer lists the frontend's meetings only —
// those the store places on the answering backend — plus their breakout rooms, ids decoded.
// A backend that is down or slow costs its own meetings, not the whole answer (Scalelite
// fails the whole call, SL#498). With no meeting: SUCCESS, `<meetings/>`, `noMeetings`.

#include "gateway/bbb_ingress.hpp"
#include "gateway/gateway_context.hpp"

namespace b3s::core::gateway {

class GetMeetingsCall {
public:
    explicit GetMeetingsCall(const GatewayContext& context) : context_(context) {}
    BbbAnswer operator()(const BbbCall& call) const;

private:
    const GatewayContext& context_;
};

}  // namespace b3s::core::gateway
