#include "callbacks/callback_proxy.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include "bbb/backend_url.hpp"
#include "bbb/meeting_id_codec.hpp"
#include "bbb/query_string.hpp"
#include "callbacks/callback_token.hpp"
#include "http/json_response.hpp"
#include "log/logger.hpp"
#include "util/read_limited.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/MediaType.h>
#include <Poco/URI.h>

#include <istream>

namespace b3s::core::callbacks {
namespace {

using Poco::Net::HTTPResponse;
using support::JwtAlgorithm;

log::Logger& proxyLog() {
    static log::Logger l("b3s.core.callbacks");
    return l;
}

constexpr std::string_view kMeetingIdParams[] = {"meeting_id", "meetingID", "meetingId", "meetingid"};

void sendEmpty(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status) {
    response.setStatus(status);
    response.setContentLength(0);
    response.send();
}

// The frontend's callback URL with the backend's parameters merged in (the backend's win),
// meeting ids decoded, parameters sorted (b3scale's rule).
std::optional<std::string> mergedUrl(const std::string& target, const bbb::ParamList& incoming) {
    Poco::URI uri;
    try {
        uri = Poco::URI(target);
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
    if (uri.getScheme() != "http" && uri.getScheme() != "https") return std::nullopt;
    bbb::ParamList params;
    for (const auto& [name, value] : uri.getQueryParameters()) params.setIfAbsent(name, value);
    for (const auto& p : incoming) params.set(p.name, p.value);
    for (const auto name : kMeetingIdParams)
        if (const auto* value = params.find(name))
            if (auto decoded = bbb::decodeMeetingId(*value)) params.set(name, *decoded);
    uri.setRawQuery(bbb::buildBackendQuery(params));
    return uri.toString();
}

// Queued or a replay (dropped): 200 either way; the store cannot take it: 503, so the
// backend's sender tries again later.
void answerEnqueued(Poco::Net::HTTPServerResponse& response, EnqueueResult result) {
    if (result == EnqueueResult::Unavailable) {
        http::sendJsonError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "unavailable",
                            "The callback cannot be queued now; try again later.");
        return;
    }
    sendEmpty(response, HTTPResponse::HTTP_OK);
}

std::optional<std::string> signedParameters(const std::string& body, const std::string& content_type) {
    bool json = false;
    try {
        json = !content_type.empty() && Poco::Net::MediaType(content_type).matches("application", "json");
    } catch (const Poco::Exception& e) {
        // Not a media type at all: read the body as a form, which will not find the parameter.
        proxyLog().debug("callback_content_type_invalid", {{"error", e.displayText()}});
    }
    if (json) {
        try {
            Poco::JSON::Parser parser;
            const auto object = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
            if (object && object->has("signed_parameters") && object->get("signed_parameters").isString())
                return object->getValue<std::string>("signed_parameters");
        } catch (const Poco::Exception& e) {
            proxyLog().warn("callback_body_unreadable", {{"error", e.displayText()}});
        }
        return std::nullopt;
    }
    auto form = bbb::parseFormBody(body, body.size() + 1, {"signed_parameters"});
    if (!form.ok()) return std::nullopt;
    const auto value = form.query.params.get("signed_parameters");
    if (!value || value->empty()) return std::nullopt;
    return std::string(*value);
}

}  // namespace

CallbackProxy::CallbackProxy(const cluster::ClusterState& cluster, CallbackOutbox& outbox, const Clock& clock,
                             CallbackProxyOptions options)
    : cluster_(cluster), outbox_(outbox), clock_(clock), options_(std::move(options)) {}

void CallbackProxy::handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const {
    try {
        const std::string& uri = request.getURI();
        const auto query_at = uri.find('?');
        const std::string path = uri.substr(0, query_at);
        const std::string raw_query = query_at == std::string::npos ? std::string() : uri.substr(query_at + 1);
        const std::string token = path.substr(std::min(path.size(), kCallbackProxyPath.size()));
        const auto now_s = clock_.nowMicros() / 1'000'000;

        const auto check = verifyCallbackToken(token, options_.jwt_secret, now_s, options_.token_ttl_s);
        if (!check.target) {
            proxyLog().info("callback_token_refused", {{"reason", check.reason}});
            http::sendJsonError(response, HTTPResponse::HTTP_UNAUTHORIZED, "unauthorized",
                                "The callback token is invalid or has expired.");
            return;
        }
        const auto& target = *check.target;
        const auto snapshot = cluster_.snapshot();
        const auto frontend = snapshot->frontend(target.frontend_id);
        if (!frontend) {
            http::sendJsonError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found",
                                "The frontend of this callback no longer exists.");
            return;
        }

        if (request.getMethod() == "GET") {
            auto incoming = bbb::parseQuery(raw_query, 64 * 1024, {});
            if (!incoming.ok()) {
                http::sendJsonError(response, HTTPResponse::HTTP_BAD_REQUEST, "invalid_query",
                                    "The callback's query string is not valid.");
                return;
            }
            const auto url = mergedUrl(target.url, incoming.query.params);
            if (!url) {
                proxyLog().warn("callback_url_invalid", {{"frontend", frontend->key}});
                sendEmpty(response, HTTPResponse::HTTP_OK);  // retrying would not help
                return;
            }
            answerEnqueued(response, outbox_.enqueue({frontend->id, "GET", *url, "", "", ""}));
            return;
        }

        // POST: recording ready.
        const auto read = readLimited(request.stream(), options_.max_body_bytes);
        if (!read) {
            response.setKeepAlive(false);
            http::sendJsonError(response, HTTPResponse::HTTP_REQUESTENTITYTOOLARGE, "too_large",
                                "The callback body is too large.");
            return;
        }
        const auto jwt = signedParameters(*read, request.getContentType());
        if (!jwt) {
            http::sendJsonError(response, HTTPResponse::HTTP_BAD_REQUEST, "missing_parameter",
                                "signed_parameters is missing.");
            return;
        }
        // The backend signs with its own secret: the one the meeting was created on, or, in a
        // token of the Go b3scale that does not say, any backend's.
        Poco::JSON::Object::Ptr claims;
        for (const auto& backend : snapshot->backends()) {
            if (!target.backend_id.empty() && backend->id != target.backend_id) continue;
            auto verified = support::verifyJwt(*jwt, backend->secret,
                                               {JwtAlgorithm::Hs256, JwtAlgorithm::Hs384, JwtAlgorithm::Hs512}, now_s);
            if (verified.valid()) {
                claims = verified.claims;
                break;
            }
        }
        if (!claims) {
            proxyLog().warn("recording_ready_signature_refused", {{"frontend", frontend->key}});
            http::sendJsonError(response, HTTPResponse::HTTP_UNAUTHORIZED, "unauthorized",
                                "signed_parameters is not signed by the meeting's server.");
            return;
        }
        const auto meeting = claims->has("meeting_id") && claims->get("meeting_id").isString()
                                 ? bbb::decodeMeetingIdWithKey(claims->getValue<std::string>("meeting_id"))
                                 : std::nullopt;
        if (!meeting || meeting->frontendKey != frontend->key) {
            http::sendJsonError(response, HTTPResponse::HTTP_BAD_REQUEST, "invalid_meeting",
                                "meeting_id is not a meeting of this frontend.");
            return;
        }
        claims->set("meeting_id", meeting->meetingId);
        std::string form = "signed_parameters=";
        bbb::appendFormEscaped(form, support::signJwt(*claims, frontend->secret, JwtAlgorithm::Hs256));

        // Through the outbox (retries with backoff; a 410 stops them): the backend's
        // post_publish script gets its answer at once, a frontend that is down still gets
        // its callback when it is back, also after a restart.
        const auto queued = outbox_.enqueue(
            {frontend->id, "POST", target.url, std::move(form), "application/x-www-form-urlencoded", ""});
        if (queued == EnqueueResult::Queued)
            proxyLog().info("recording_ready_queued", {{"frontend", frontend->key}, {"meeting", meeting->meetingId}});
        answerEnqueued(response, queued);
    } catch (const std::exception& e) {
        proxyLog().error("callback_proxy_failed", {{"error", e.what()}});
        if (!response.sent())
            http::sendJsonError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "internal_error",
                                "The callback could not be handled.");
    }
}

}  // namespace b3s::core::callbacks
