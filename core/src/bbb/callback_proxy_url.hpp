#pragma once
// b3scale's callback-proxy URLs (`<api url>/api/v1/callbacks/proxy/<token>`) as a tenant must
// never see them. A create's callback URLs reach the backend wrapped in such a URL, and BBB
// shows the meta_ ones back (getMeetingInfo, getMeetings) and copies them into the
// recording's metadata.xml; the token in them is a credential for the callback proxy, so
// every answer shows the frontend's own URL in its place. The original URL is the token's
// `aud`, read without checking the signature: what it shows is only what the URL's creator
// put there, and a token that cannot be read is shown as an empty value.

#include "bbb/xml_tree.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace b3s::core::bbb {

/// The path below which b3scaled serves the callback proxy.
inline constexpr std::string_view kCallbackProxyPath = "/api/v1/callbacks/proxy/";

/// For `value` an http(s) URL with kCallbackProxyPath in its path: the original callback URL
/// it stands for ("" when its token names none). nullopt for any other value. Pure.
std::optional<std::string> originalCallbackUrl(std::string_view value);

/// Replaces every text in the tree that is a proxy URL by originalCallbackUrl(). Returns
/// how many were replaced.
int revealCallbackUrls(XmlNode& tree);

}  // namespace b3s::core::bbb
