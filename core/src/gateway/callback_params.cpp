#include "gateway/callback_params.hpp"

#include "util/ascii.hpp"

#include <array>

namespace b3s::core::gateway {
namespace {

constexpr std::array<std::string_view, 4> kMetaCallbacks = {"endCallbackUrl", "bbb-recording-ready-url",
                                                            "bn-recording-ready-url", "canvas-recording-ready-url"};

}  // namespace

bool isCallbackParam(std::string_view name) noexcept {
    if (name == "meetingEndedURL") return true;
    if (!name.starts_with("meta_")) return false;
    const auto meta = name.substr(5);
    for (const auto callback : kMetaCallbacks)
        if (equalsIgnoreAsciiCase(meta, callback)) return true;
    return false;
}

int rewriteCallbackParams(bbb::ParamList& params, callbacks::CallbackTarget target, std::string_view api_url,
                          std::string_view secret, std::int64_t now_s, std::int64_t ttl_s) {
    std::vector<std::pair<std::string, std::string>> replacements;
    for (const auto& p : params) {
        if (p.value.empty() || !isCallbackParam(p.name)) continue;
        target.url = p.value;
        replacements.emplace_back(p.name, callbacks::callbackProxyUrl(api_url, target, secret, now_s, ttl_s));
    }
    for (const auto& [name, url] : replacements) params.set(name, url);
    return static_cast<int>(replacements.size());
}

}  // namespace b3s::core::gateway
