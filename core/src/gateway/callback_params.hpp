#pragma once
// The callback parameters of a create, pointed at b3scale's callback proxy (spec gateway
// §3.3, §8.1): the backend must never call a frontend directly, because its
// recording-ready JWT is signed with the backend's secret, which the frontend does not know,
// and because backends stay hidden behind b3scale.

#include "bbb/param_list.hpp"
#include "callbacks/callback_token.hpp"

#include <cstdint>
#include <string_view>

namespace b3s::core::gateway {

/// Whether `name` is a callback parameter: meetingEndedURL (exact), or a meta_ parameter
/// whose name, after `meta_`, is endCallbackUrl, bbb-recording-ready-url,
/// bn-recording-ready-url or canvas-recording-ready-url in any case (BBB lower-cases
/// metadata names, so every spelling reaches the backend's callback).
bool isCallbackParam(std::string_view name) noexcept;

/// Replaces the value of every non-empty callback parameter of `params` by a proxy URL
/// whose token carries `target` with the parameter's URL. Returns how many were replaced.
int rewriteCallbackParams(bbb::ParamList& params, callbacks::CallbackTarget target, std::string_view api_url,
                          std::string_view secret, std::int64_t now_s, std::int64_t ttl_s);

}  // namespace b3s::core::gateway
