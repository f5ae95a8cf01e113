#include "gateway/playback_gate.hpp"

#include "gateway/browser_pages.hpp"
#include "http/request_trace.hpp"
#include "log/logger.hpp"
#include "recordings/recording_document.hpp"
#include "recordings/recording_metadata.hpp"
#include "recordings/recording_names.hpp"
#include "recordings/visibility.hpp"

#include <Poco/Net/NameValueCollection.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace b3s::core::gateway {

using Poco::Net::HTTPResponse;

namespace {

const log::Logger& gateLog() {
    static const log::Logger l("b3s.core.playback");
    return l;
}

void sendPage(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& body) {
    response.setStatusAndReason(status);  // "403 Forbidden", not "403 OK"
    response.setContentType(std::string(kHtmlContentType));
    response.set("Cache-Control", "no-store");
    response.setContentLength64(static_cast<Poco::Int64>(body.size()));
    response.send() << body;
}

void sendEmpty(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status) {
    response.setStatusAndReason(status);  // "403 Forbidden", not "403 OK"
    response.set("Cache-Control", "no-store");
    response.setContentLength64(0);
    response.send();
}

std::vector<std::string_view> labels(std::string_view host) {
    std::vector<std::string_view> out;
    while (!host.empty()) {
        const auto dot = host.find('.');
        out.push_back(host.substr(0, dot));
        if (dot == std::string_view::npos) break;
        host.remove_prefix(dot + 1);
    }
    return out;
}

bool isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool looksLikeRecordId(std::string_view segment) {
    const auto dash = segment.find('-');
    if (dash == std::string_view::npos || dash == 0 || dash + 1 == segment.size()) return false;
    const auto hex = segment.substr(0, dash);
    const auto digits = segment.substr(dash + 1);
    return std::all_of(hex.begin(), hex.end(), isHex) &&
           std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<std::string> sharedCookieDomain(std::string_view host_a, std::string_view host_b) {
    const auto a = recordings::toLowerAscii(host_a);
    const auto b = recordings::toLowerAscii(host_b);
    const auto la = labels(a);
    const auto lb = labels(b);
    std::size_t common = 0;
    while (common < la.size() && common < lb.size() && la[la.size() - 1 - common] == lb[lb.size() - 1 - common] &&
           !la[la.size() - 1 - common].empty())
        ++common;
    if (common < 2) return std::nullopt;
    std::string domain;
    for (std::size_t i = la.size() - common; i < la.size(); ++i) {
        if (!domain.empty()) domain += '.';
        domain += la[i];
    }
    return domain;
}

namespace {

/// The path segments of the file nginx serves for a request target.
std::vector<std::string> servedSegments(std::string_view raw) {
    if (const auto q = raw.find_first_of("?#"); q != std::string_view::npos) raw = raw.substr(0, q);
    // Percent-decoded first, as nginx does before it resolves the path.
    std::string decoded;
    decoded.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '%' && i + 2 < raw.size() && std::isxdigit(static_cast<unsigned char>(raw[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(raw[i + 2]))) {
            decoded += static_cast<char>(std::stoi(std::string(raw.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            decoded += raw[i];
        }
    }
    // Empty and "." segments dropped, ".." removes the one before (never above the root).
    std::vector<std::string> segments;
    std::string_view rest(decoded);
    while (true) {
        const auto slash = rest.find('/');
        const auto segment = rest.substr(0, slash);
        if (segment == "..") {
            if (!segments.empty()) segments.pop_back();
        } else if (!segment.empty() && segment != ".") {
            segments.emplace_back(segment);
        }
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
    }
    return segments;
}

}  // namespace

std::optional<std::string> recordIdInPath(std::string_view path) {
    // Judge the file nginx serves, not the raw request line: X-Resource-Path is nginx's
    // $request_uri, which still holds "..", "." and percent escapes that nginx resolves
    // before it opens the file ("/presentation/<open>/../<protected>/…" serves the
    // protected recording's file).
    const auto segments = servedSegments(path);
    // The recordings' files, /<format>/<recordID>/…: the second segment, whatever its shape
    // (imports take any [A-Za-z0-9_-] id, not only BBB's <hex>-<ms>).
    if (!segments.empty() && segments.front() != "playback")
        return segments.size() >= 2 ? std::optional<std::string>(segments[1]) : std::nullopt;
    // BBB's playback applications (/playback/<format>/<version>/…): shell and assets are the
    // same for every recording; a recording's id in their path is checked all the same.
    for (const auto& segment : segments)
        if (looksLikeRecordId(segment)) return segment;
    return std::nullopt;
}

PlaybackGate::PlaybackGate(store::Store& store, const b3s::plugin::RecordingsStore& files,
                           const recordings::PlaybackTokens* tokens, PlaybackGateOptions options)
    : store_(store), files_(files), tokens_(tokens), options_(std::move(options)) {}

void PlaybackGate::handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const {
    try {
        const std::string path = Poco::URI(request.getURI()).getPath();
        if (path == kProtectedRecordingsAuthPath) {
            http::requestTrace().route = "playback:auth";
            return authorize(request, response);
        }
        http::requestTrace().route = "playback:link";
        std::string_view token(path);
        token.remove_prefix(std::min(token.size(), kProtectedRecordingsPath.size()));
        follow(token, response);
    } catch (const std::exception& e) {
        gateLog().error("playback_failed", {{"error", e.what()}});
        if (!response.sent()) sendEmpty(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
    }
}

void PlaybackGate::follow(std::string_view token, Poco::Net::HTTPServerResponse& response) const {
    const auto link = tokens_ ? tokens_->checkLink(token) : std::nullopt;
    if (!link) return sendPage(response, HTTPResponse::HTTP_FORBIDDEN, recordingForbiddenPage());
    const auto recording = store_.findRecording(link->frontend_id, link->record_id);
    if (!recording) {
        // Another frontend's (an operator moved it, or a link made for someone else): a
        // foreign link, 403 as the header says; gone altogether: 404.
        if (store_.findRecordingById(link->record_id))
            return sendPage(response, HTTPResponse::HTTP_FORBIDDEN, recordingForbiddenPage());
        return sendPage(response, HTTPResponse::HTTP_NOT_FOUND, recordingNotFoundPage());
    }
    if (!recording->published) return sendPage(response, HTTPResponse::HTTP_NOT_FOUND, recordingNotFoundPage());
    std::string target;
    for (const auto& format : recordings::formatsFromJson(recording->formats_json, recording->record_id))
        if (format.type == link->format) target = files_.playbackUrl(format.url);
    if (target.empty()) return sendPage(response, HTTPResponse::HTTP_NOT_FOUND, recordingNotFoundPage());

    Poco::URI target_uri;
    Poco::URI api_uri;
    try {
        target_uri = Poco::URI(target);
        api_uri = Poco::URI(options_.api_url);
    } catch (const Poco::Exception&) {
    }
    if (target_uri.getHost().empty()) {
        gateLog().error("playback_url_invalid", {{"record_id", recording->record_id}, {"format", link->format}});
        return sendEmpty(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
    }
    auto domain = options_.cookie_domain.empty() ? sharedCookieDomain(api_uri.getHost(), target_uri.getHost())
                                                 : std::optional<std::string>(options_.cookie_domain);
    if (!domain) {
        gateLog().error("playback_cookie_domain_missing",
                        {{"api_host", api_uri.getHost()},
                         {"playback_host", target_uri.getHost()},
                         {"hint", "set B3SCALE_RECORDINGS_COOKIE_DOMAIN or serve playback below the API's domain"}});
        return sendEmpty(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
    }
    std::string cookie = recordings::PlaybackTokens::cookieName(recording->record_id) + "=" +
                         tokens_->cookieValue(recording->frontend_id, recording->record_id) +
                         "; Path=/; Max-Age=" + std::to_string(tokens_->cookieTtlSeconds()) + "; Domain=" + *domain +
                         "; HttpOnly; SameSite=Lax";
    if (api_uri.getScheme() == "https") cookie += "; Secure";
    response.add("Set-Cookie", cookie);
    response.set("Location", target);
    response.set("Referrer-Policy", "no-referrer");  // the link token must not leak onwards
    sendPage(response, HTTPResponse::HTTP_FOUND, redirectPage(target));
}

void PlaybackGate::authorize(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const {
    // A copy: get() returns a reference to its default when the header is missing.
    const std::string resource = request.get("X-Resource-Path", "");
    const auto record_id = recordIdInPath(resource);
    if (!record_id) return sendEmpty(response, HTTPResponse::HTTP_OK);
    const auto recording = store_.findRecordingById(*record_id);
    if (!recording || !recording->published) return sendEmpty(response, HTTPResponse::HTTP_FORBIDDEN);
    const auto* protect = recordings::findMetadata(recording->metadata, recordings::kProtectMeta);
    if (protect == nullptr || *protect != "true") return sendEmpty(response, HTTPResponse::HTTP_OK);
    Poco::Net::NameValueCollection cookies;
    request.getCookies(cookies);
    const auto name = recordings::PlaybackTokens::cookieName(recording->record_id);
    const bool allowed = tokens_ != nullptr && cookies.has(name) &&
                         tokens_->checkCookie(cookies.get(name), recording->frontend_id, recording->record_id);
    sendEmpty(response, allowed ? HTTPResponse::HTTP_OK : HTTPResponse::HTTP_FORBIDDEN);
}

}  // namespace b3s::core::gateway
