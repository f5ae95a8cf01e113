#include "gateway/callback_params.hpp"

#include "util/ascii.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <array>

namespace b3s::core::gateway {
namespace {

using callbacks::CallbackKind;

constexpr std::size_t kMaxCallbackUrlBytes = 4096;

constexpr std::array<std::pair<std::string_view, CallbackKind>, 4> kMetaCallbacks = {{
    {"endCallbackUrl", CallbackKind::MeetingEnded},
    {"bbb-recording-ready-url", CallbackKind::RecordingReady},
    {"bn-recording-ready-url", CallbackKind::RecordingReady},
    {"canvas-recording-ready-url", CallbackKind::RecordingReady},
}};

}  // namespace

std::optional<CallbackKind> callbackKindOf(std::string_view name) noexcept {
    if (name == "meetingEndedURL") return CallbackKind::MeetingEnded;
    if (!name.starts_with("meta_")) return std::nullopt;
    const auto meta = name.substr(5);
    for (const auto& [callback, kind] : kMetaCallbacks)
        if (equalsIgnoreAsciiCase(meta, callback)) return kind;
    return std::nullopt;
}

bool isCallbackParam(std::string_view name) noexcept {
    return callbackKindOf(name).has_value();
}

bool isCallbackUrl(std::string_view url) {
    if (url.empty() || url.size() > kMaxCallbackUrlBytes) return false;
    for (const char c : url)
        if (c <= ' ' || c >= '\x7f') return false;
    try {
        const Poco::URI uri{std::string(url)};
        return (uri.getScheme() == "http" || uri.getScheme() == "https") && !uri.getHost().empty();
    } catch (const Poco::Exception&) {
        return false;
    }
}

std::optional<InvalidCallback> invalidCallbackParam(const bbb::ParamList& params,
                                                    const callbacks::CallbackUrlPolicy& policy) {
    for (const auto& p : params) {
        if (p.value.empty() || !isCallbackParam(p.name)) continue;
        if (!isCallbackUrl(p.value)) return InvalidCallback{p.name, "not an http(s) URL"};
        if (auto refusal = policy.refusal(p.value)) return InvalidCallback{p.name, std::move(*refusal)};
    }
    return std::nullopt;
}

int rewriteCallbackParams(bbb::ParamList& params, callbacks::CallbackTarget target, std::string_view api_url,
                          std::string_view key, std::int64_t now_s, std::int64_t ttl_s) {
    std::vector<std::pair<std::string, std::string>> replacements;
    for (const auto& p : params) {
        const auto kind = callbackKindOf(p.name);
        if (p.value.empty() || !kind) continue;
        target.url = p.value;
        target.kind = *kind;
        replacements.emplace_back(p.name, callbacks::callbackProxyUrl(api_url, target, key, now_s, ttl_s));
    }
    for (const auto& [name, url] : replacements) params.set(name, url);
    return static_cast<int>(replacements.size());
}

}  // namespace b3s::core::gateway
