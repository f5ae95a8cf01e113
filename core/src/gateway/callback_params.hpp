#pragma once
// The callback parameters of a create, pointed at b3scale's callback proxy (spec gateway
// §3.3, §8.1): the backend must never call a frontend directly, because its
// recording-ready JWT is signed with the backend's secret, which the frontend does not know,
// and because backends stay hidden behind b3scale. Each proxy URL carries a token bound to
// its meeting, backend, kind of callback and the exact URL (callbacks/callback_token.hpp).

#include "bbb/param_list.hpp"
#include "callbacks/callback_token.hpp"
#include "callbacks/callback_url_policy.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace b3s::core::gateway {

/// The kind of callback `name` is, or nullopt when it is none: meetingEndedURL (exact) and
/// meta_endCallbackUrl are meeting-ended callbacks; meta_bbb-recording-ready-url,
/// meta_bn-recording-ready-url and meta_canvas-recording-ready-url recording-ready ones. The
/// meta_ names match in any case (BBB lower-cases metadata names, so every spelling reaches
/// the backend's callback).
std::optional<callbacks::CallbackKind> callbackKindOf(std::string_view name) noexcept;

/// Whether `name` is a callback parameter (callbackKindOf() names a kind).
bool isCallbackParam(std::string_view name) noexcept;

/// Whether `url` can be a callback: an absolute http or https URL with a host, printable
/// ASCII only (no spaces or control characters), at most 4096 bytes. Pure.
bool isCallbackUrl(std::string_view url);

struct InvalidCallback {
    std::string param;
    std::string reason;  ///< for the log: the policy's refusal, or "not an http(s) URL"
};

/// The first callback parameter of `params` whose value is neither empty nor isCallbackUrl(),
/// or one `policy` refuses from the URL alone (an address literal it refuses); nullopt when
/// every one is fine.
std::optional<InvalidCallback> invalidCallbackParam(const bbb::ParamList& params,
                                                    const callbacks::CallbackUrlPolicy& policy);

/// Replaces the value of every non-empty callback parameter of `params` by a proxy URL
/// whose token carries `target` with the parameter's URL and kind, signed with `key` (the
/// callback purpose key). Returns how many were replaced.
int rewriteCallbackParams(bbb::ParamList& params, callbacks::CallbackTarget target, std::string_view api_url,
                          std::string_view key, std::int64_t now_s, std::int64_t ttl_s);

}  // namespace b3s::core::gateway
