#pragma once
// join (spec gateway §4.3, bbb-api §3 join): the hottest path. No database round trip: the
// meeting and its backend come from the in-memory view, the join URL is signed with the
// backend's secret, and the browser is redirected (302) to the backend itself, which sets
// its session cookie on the browser's own connection. `redirect=false` is forwarded and
// answers the backend's XML, as BBB would.
//
// Browsers get pages, not XML: a meeting still being created, or one this instance has not
// heard of while the store cannot be asked (meeting_lookup.hpp) → a 302 to a signed retry page
// that re-requests the join after a moment (redirect=false: serverUnavailable, never "not
// found"); an unknown meeting → a 404 page; a full frontend
// (attendees_limit) → a 403 page; a meeting whose backend is unavailable → a 503 page with a
// retry link. With redirect=false the same cases are BBB FAILED answers.
//
// Failover (join_failover.hpp): a meeting lost with its backend (offline, deleted, or back
// without it), or on a backend that failed its last poll or a call since and does not answer
// a short check, is re-created on a healthy backend from the create parameters stored at its
// first create (same id, passwords, voice bridge where free) before the join is redirected
// there; only when that fails does the user see the 503 page. Joins of meetings on healthy
// backends skip all of it.

#include "gateway/bbb_ingress.hpp"
#include "gateway/gateway_context.hpp"

namespace b3s::core::gateway {

class JoinCall {
public:
    explicit JoinCall(const GatewayContext& context) : context_(context) {}
    BbbAnswer operator()(const BbbCall& call) const;

private:
    const GatewayContext& context_;
};

}  // namespace b3s::core::gateway
