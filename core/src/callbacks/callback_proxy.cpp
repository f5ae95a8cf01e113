#include "callbacks/callback_proxy.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include "bbb/backend_url.hpp"
#include "bbb/meeting_id_codec.hpp"
#include "bbb/query_string.hpp"
#include "callbacks/callback_liveness.hpp"
#include "callbacks/end_callback_url.hpp"
#include "http/json_response.hpp"
#include "http/request_trace.hpp"
#include "log/logger.hpp"
#include "util/read_limited.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/MediaType.h>

#include <istream>

namespace b3s::core::callbacks {
namespace {

using Poco::Net::HTTPResponse;
using support::JwtAlgorithm;

log::Logger& proxyLog() {
    static log::Logger l("b3s.core.callbacks");
    return l;
}

void sendEmpty(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status) {
    response.setStatus(status);
    response.setContentLength(0);
    response.send();
}

void refuseToken(Poco::Net::HTTPServerResponse& response) {
    http::sendJsonError(response, HTTPResponse::HTTP_UNAUTHORIZED, "unauthorized",
                        "The callback token is invalid or has expired.");
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

std::string stringClaim(const Poco::JSON::Object& claims, const std::string& name) {
    return claims.has(name) && claims.get(name).isString() ? claims.getValue<std::string>(name) : std::string();
}

}  // namespace

CallbackProxy::CallbackProxy(const cluster::ClusterState& cluster, store::Store& store, CallbackOutbox& outbox,
                             const Clock& clock, CallbackProxyOptions options)
    : cluster_(cluster),
      store_(store),
      outbox_(outbox),
      clock_(clock),
      options_(std::move(options)),
      spool_(options_.spool_capacity, options_.spool_retry_interval,
             [this](const SpooledCallback& c) { return admit(c) != Admission::Unavailable; }) {}

CallbackProxy::Admission CallbackProxy::admit(const SpooledCallback& callback) const {
    const auto& target = callback.target;
    const std::string kind(toString(target.kind));
    try {
        const auto current = store_.findMeeting(target.frontend_id, target.meeting_id);
        std::optional<store::Micros> ended_at;
        if (!current || current->created_at != target.meeting_since_us)
            ended_at = store_.findMeetingEnd(target.frontend_id, target.meeting_id, target.meeting_since_us);
        const auto grace_us = static_cast<store::Micros>(options_.grace.count()) * 1000;
        const auto liveness = callbackLiveness(target, current, ended_at, callback.received_at, grace_us);
        if (!accepted(liveness)) {
            proxyLog().info("callback_token_refused",
                            {{"reason", toString(liveness)}, {"remote", http::requestTrace().client}});
            return Admission::Refused;
        }
        if (target.kind == CallbackKind::MeetingEnded && liveness == Liveness::Running && current->backend_id &&
            *current->backend_id != target.backend_id) {
            // A copy on a backend the meeting has left (re-created elsewhere, the copy ended
            // by the controller as a stray): the meeting itself runs on. Nothing to tell.
            proxyLog().info("callback_stray_copy_ignored", {{"kind", kind}, {"frontend_id", target.frontend_id}});
            return Admission::StrayCopy;
        }
    } catch (const store::StoreError& e) {
        proxyLog().debug("callback_store_unavailable", {{"error", e.what()}});
        return Admission::Unavailable;
    }
    switch (outbox_.enqueue(callback.job)) {
        case EnqueueResult::Queued:
            proxyLog().info("callback_queued", {{"kind", kind}, {"frontend_id", target.frontend_id}});
            return Admission::Queued;
        case EnqueueResult::Duplicate:
            // A replay (or BBB repeating itself): the first one is delivered or on its way.
            proxyLog().info("callback_replay_ignored", {{"kind", kind}});
            return Admission::Duplicate;
        case EnqueueResult::Unavailable: break;
    }
    return Admission::Unavailable;
}

void CallbackProxy::handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const {
    try {
        const std::string& uri = request.getURI();
        const auto query_at = uri.find('?');
        const std::string path = uri.substr(0, query_at);
        const std::string raw_query = query_at == std::string::npos ? std::string() : uri.substr(query_at + 1);
        const std::string token = path.substr(std::min(path.size(), kCallbackProxyPath.size()));
        const auto now_us = clock_.nowMicros();
        const auto now_s = now_us / 1'000'000;

        const auto check = verifyCallbackToken(token, options_.keys, now_s);
        if (!check.target) {
            proxyLog().info("callback_token_refused",
                            {{"reason", check.reason}, {"remote", http::requestTrace().client}});
            refuseToken(response);
            return;
        }
        const auto& target = *check.target;
        const bool get = request.getMethod() == "GET";
        const auto expected = get ? CallbackKind::MeetingEnded : CallbackKind::RecordingReady;
        if (target.kind != expected) {
            proxyLog().warn("callback_kind_refused",
                            {{"kind", std::string(toString(target.kind))}, {"method", request.getMethod()}});
            http::sendJsonError(response, HTTPResponse::HTTP_FORBIDDEN, "forbidden",
                                "This callback token is not for this kind of callback.");
            return;
        }

        auto job = get ? endJob(target, raw_query, response) : recordingJob(target, request, response, now_s);
        if (!job) return;  // answered
        SpooledCallback callback{target, std::move(*job), now_us};
        switch (admit(callback)) {
            case Admission::Queued:
            case Admission::Duplicate:
            case Admission::StrayCopy: sendEmpty(response, HTTPResponse::HTTP_OK); return;
            case Admission::Refused: refuseToken(response); return;
            case Admission::Unavailable: break;
        }
        // The store is away: BBB sends this once, so it is kept and judged when it is back.
        if (spool_.push(std::move(callback))) {
            proxyLog().warn("callback_spooled", {{"kind", std::string(toString(target.kind))},
                                                 {"frontend_id", target.frontend_id},
                                                 {"waiting", std::to_string(spool_.size())}});
            sendEmpty(response, HTTPResponse::HTTP_OK);
            return;
        }
        proxyLog().error("callback_spool_full", {{"capacity", std::to_string(options_.spool_capacity)}});
        http::sendJsonError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "unavailable",
                            "The callback cannot be checked now; try again later.");
    } catch (const std::exception& e) {
        proxyLog().error("callback_proxy_failed", {{"error", e.what()}});
        if (!response.sent())
            http::sendJsonError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "internal_error",
                                "The callback could not be handled.");
    }
}

std::optional<CallbackJob> CallbackProxy::endJob(const CallbackTarget& target, const std::string& raw_query,
                                                 Poco::Net::HTTPServerResponse& response) const {
    auto incoming = bbb::parseQuery(raw_query, 64 * 1024, {});
    if (!incoming.ok()) {
        http::sendJsonError(response, HTTPResponse::HTTP_BAD_REQUEST, "invalid_query",
                            "The callback's query string is not valid.");
        return std::nullopt;
    }
    const auto delivery = endCallbackUrl(target.url, incoming.query.params, target.meeting_id);
    switch (delivery.outcome) {
        case EndCallbackUrl::Outcome::WrongMeeting:
            proxyLog().warn("callback_meeting_refused", {{"kind", "end"}});
            http::sendJsonError(response, HTTPResponse::HTTP_FORBIDDEN, "forbidden",
                                "This callback token is for another meeting.");
            return std::nullopt;
        case EndCallbackUrl::Outcome::InvalidUrl:
            proxyLog().warn("callback_url_invalid", {{"frontend_id", target.frontend_id}});
            sendEmpty(response, HTTPResponse::HTTP_OK);  // retrying would not help
            return std::nullopt;
        case EndCallbackUrl::Outcome::Deliver: break;
    }
    return CallbackJob{target.frontend_id, "GET", delivery.url, "", "", callbackDedupeKey(target)};
}

std::optional<CallbackJob> CallbackProxy::recordingJob(const CallbackTarget& target,
                                                       Poco::Net::HTTPServerRequest& request,
                                                       Poco::Net::HTTPServerResponse& response,
                                                       std::int64_t now_s) const {
    const auto snapshot = cluster_.snapshot();
    const auto frontend = snapshot->frontend(target.frontend_id);
    if (!frontend) {
        http::sendJsonError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found",
                            "The frontend of this callback no longer exists.");
        return std::nullopt;
    }
    const auto read = readLimited(request.stream(), options_.max_body_bytes);
    if (!read) {
        response.setKeepAlive(false);
        http::sendJsonError(response, HTTPResponse::HTTP_REQUESTENTITYTOOLARGE, "too_large",
                            "The callback body is too large.");
        return std::nullopt;
    }
    const auto jwt = signedParameters(*read, request.getContentType());
    if (!jwt) {
        http::sendJsonError(response, HTTPResponse::HTTP_BAD_REQUEST, "missing_parameter",
                            "signed_parameters is missing.");
        return std::nullopt;
    }
    // Signed by the backend the meeting was created on, with its own secret.
    const auto backend = snapshot->backend(target.backend_id);
    const auto verified =
        backend ? support::verifyJwt(*jwt, backend->secret,
                                     {JwtAlgorithm::Hs256, JwtAlgorithm::Hs384, JwtAlgorithm::Hs512}, now_s)
                : support::JwtCheck{};
    if (!verified.valid()) {
        proxyLog().warn("recording_ready_signature_refused", {{"frontend", frontend->key}});
        http::sendJsonError(response, HTTPResponse::HTTP_UNAUTHORIZED, "unauthorized",
                            "signed_parameters is not signed by the meeting's server.");
        return std::nullopt;
    }
    auto claims = verified.claims;
    if (stringClaim(*claims, "meeting_id") != target.meeting_id) {
        proxyLog().warn("callback_meeting_refused", {{"kind", "rec"}, {"frontend", frontend->key}});
        http::sendJsonError(response, HTTPResponse::HTTP_FORBIDDEN, "forbidden",
                            "This callback token is for another meeting.");
        return std::nullopt;
    }
    const auto meeting = bbb::decodeMeetingId(target.meeting_id);
    claims->set("meeting_id", meeting ? *meeting : target.meeting_id);
    std::string form = "signed_parameters=";
    bbb::appendFormEscaped(form, support::signJwt(*claims, frontend->secret, JwtAlgorithm::Hs256));

    // Through the outbox (retries with backoff; a 410 stops them): the backend's post_publish
    // script gets its answer at once, a frontend that is down still gets its callback when it
    // is back, also after a restart. Once per recording (BBB's post_publish may run once per
    // format), whatever the number of replays.
    const auto record_id = stringClaim(*claims, "record_id");
    return CallbackJob{target.frontend_id,
                       "POST",
                       target.url,
                       std::move(form),
                       "application/x-www-form-urlencoded",
                       callbackDedupeKey(target, record_id)};
}

}  // namespace b3s::core::callbacks
