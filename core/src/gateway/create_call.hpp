#pragma once
// create: the call that places meetings (spec gateway §4.2, bbb-api §3 create).
//
//  1. the frontend's create defaults and overrides are applied, then meta_b3s-frontend;
//  2. the meeting id is encoded for the tenant; a meeting the view already knows goes to
//     its backend (a repeated create never resets it, b3scale #19), a new one is placed by
//     the balancer plugin and recorded atomically (first create wins across threads and
//     instances);
//  3. callback URLs are pointed at the callback proxy, the call is signed with the
//     backend's secret and forwarded, with the XML body (or the frontend's default
//     presentation);
//  4. SUCCESS records the backend's internal id; a FAILED answer to a fresh placement
//     undoes it; a backend that cannot be reached at all is replaced by another one (up to
//     three) — it never saw the call, so nothing exists there;
//  5. the backend's answer goes back with the meeting id decoded.
// A meeting lost with its backend (cluster::isLost) is placed anew and created there with the
// passwords and voice bridge its first backend generated (the voice bridge only where free);
// when that fails it is put back as it was, still lost. join_failover uses this to re-create
// it from its stored create parameters.

#include "gateway/bbb_ingress.hpp"
#include "gateway/gateway_context.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::gateway {

/// Scalelite's `meta_server-tag`: `a;b` prefers a backend with tag a or b (`none` = no
/// tags), a trailing `!` makes it required. Spaces around tags are ignored; empty → none.
struct ServerTagRequest {
    std::vector<std::string> tags;
    bool required = false;
};
ServerTagRequest parseServerTag(std::string_view value);

/// `meta_bbb-meeting-size-hint`: a whole number 1 … 100000, else 0 (no hint).
int parseSizeHint(std::string_view value) noexcept;

/// The body b3scale sends for a frontend's `default_presentation`:
/// `<modules><module name="presentation"><document url="U" filename="F"/></module></modules>`,
/// F being the last `/`-separated part of the URL.
std::string defaultPresentationBody(std::string_view url);

/// The create parameters as the store keeps them (Meeting::create_params_json): a JSON
/// object of name → value.
std::string paramsJson(const bbb::ParamList& params);
/// Back from that document; an unreadable one gives no parameters.
bbb::ParamList paramsFromJson(std::string_view json);

class CreateCall {
public:
    explicit CreateCall(const GatewayContext& context) : context_(context) {}
    /// `avoid`: backends not to place it on (one a join just found dead).
    BbbAnswer operator()(const BbbCall& call, std::vector<std::string> avoid = {}) const;

private:
    const GatewayContext& context_;
};

}  // namespace b3s::core::gateway
