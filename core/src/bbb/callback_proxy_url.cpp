#include "bbb/callback_proxy_url.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include "util/ascii.hpp"

#include <Poco/JSON/Array.h>

namespace b3s::core::bbb {

std::optional<std::string> originalCallbackUrl(std::string_view value) {
    const bool http = value.size() > 8 && (equalsIgnoreAsciiCase(value.substr(0, 7), "http://") ||
                                           equalsIgnoreAsciiCase(value.substr(0, 8), "https://"));
    if (!http) return std::nullopt;
    const auto at = value.find(kCallbackProxyPath);
    if (at == std::string_view::npos) return std::nullopt;
    auto token = value.substr(at + kCallbackProxyPath.size());
    token = token.substr(0, token.find_first_of("?#/"));
    const auto claims = support::peekJwtClaims(token);
    if (!claims) return std::string();
    if (const auto aud = claims->getArray("aud"); aud && aud->size() == 1 && aud->get(0).isString())
        return aud->get(0).extract<std::string>();
    if (claims->has("aud") && claims->get("aud").isString()) return claims->getValue<std::string>("aud");
    return std::string();
}

int revealCallbackUrls(XmlNode& tree) {
    int replaced = 0;
    forEachElement(tree, [&](XmlNode& element) {
        for (auto& child : element.children) {
            if (child.kind != XmlNode::Kind::Text) continue;
            if (auto original = originalCallbackUrl(child.text)) {
                child.text = std::move(*original);
                ++replaced;
            }
        }
    });
    return replaced;
}

}  // namespace b3s::core::bbb
