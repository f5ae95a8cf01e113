#include "gateway/bbb_ingress.hpp"

#include "http/request_trace.hpp"

#include "bbb/checksum.hpp"
#include "bbb/query_string.hpp"
#include "log/logger.hpp"
#include "util/read_limited.hpp"

#include <Poco/Net/MediaType.h>

#include <algorithm>
#include <istream>
#include <random>

namespace b3s::core::gateway {
namespace {

log::Logger& logger() {
    static log::Logger l("b3s.core.gateway");
    return l;
}

constexpr std::string_view kPrefix = "/bbb/";
constexpr std::string_view kApiPath = "bigbluebutton/api";

bool isFormBody(const std::string& content_type) {
    if (content_type.empty()) return false;
    try {
        return Poco::Net::MediaType(content_type).matches("application", "x-www-form-urlencoded");
    } catch (const Poco::Exception&) {
        return false;
    }
}

}  // namespace

BbbIngress::BbbIngress(const FrontendDirectory& directory, IngressLimits limits)
    : directory_(directory), limits_(std::move(limits)) {
    // Never compared with anything a client could know: no need for the injected RNG here.
    std::random_device random;
    std::uniform_int_distribution<int> hex_digit(0, 15);
    dummy_secret_.resize(64);
    for (auto& c : dummy_secret_) c = "0123456789abcdef"[hex_digit(random)];
}

void BbbIngress::on(std::string call, std::vector<std::string> methods, CallHandler handler) {
    calls_[std::move(call)] = {std::move(methods), std::move(handler)};
}

BbbIngress::Route BbbIngress::parsePath(std::string_view path) {
    Route route;
    if (!path.starts_with(kPrefix)) return route;
    std::string_view rest = path.substr(kPrefix.size());
    auto slash = rest.find('/');
    route.key = std::string(rest.substr(0, slash));
    if (route.key.empty()) return route;
    route.ok = true;
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    // /bbb/<key>/bigbluebutton/api[/<call>] or b3scale's short form /bbb/<key>/<call>.
    if (rest == kApiPath) return route;
    if (rest.starts_with(kApiPath) && rest.size() > kApiPath.size() && rest[kApiPath.size()] == '/')
        rest = rest.substr(kApiPath.size() + 1);
    route.call = std::string(rest);
    return route;
}

BbbAnswer BbbIngress::process(Poco::Net::HTTPServerRequest& request) const {
    const std::string& uri = request.getURI();
    const auto query_at = uri.find('?');
    const std::string path = uri.substr(0, query_at);
    const std::string_view raw_query =
        query_at == std::string::npos ? std::string_view{} : std::string_view(uri).substr(query_at + 1);

    Route route = parsePath(path);
    if (!route.ok) return BbbAnswer::failure(bbb::ApiError::unsupportedRequest());
    // The index needs no checksum (as BBB) and says nothing about the key, known or not.
    if (route.call.empty()) {
        http::requestTrace().route = "bbb:index";
        return BbbAnswer::xml(bbb::renderIndex());
    }

    if (raw_query.size() > limits_.max_query_bytes)
        return BbbAnswer::failure(bbb::ApiError::invalidQuery(bbb::QueryError::TooLong));
    auto parsed = bbb::parseQuery(raw_query, limits_.max_query_bytes, {"meetingID", "checksum"});
    if (!parsed.ok()) return BbbAnswer::failure(bbb::ApiError::invalidQuery(parsed.error, parsed.errorName));

    // Unknown and disabled frontends get the same answer as a wrong checksum, so the
    // answer never tells whether a key exists — nor its timing: their checksum is computed
    // too, against a secret nobody has, and the result thrown away.
    auto frontend = directory_.findByKey(route.key);
    const bool known = frontend && frontend->frontend.active;
    auto checksum = limits_.verify_checksum(route.call, parsed.query.raw,
                                            known ? std::string_view(frontend->frontend.secret) : dummy_secret_,
                                            limits_.checksum_algorithms);
    if (!known) {
        logger().info("bbb_unknown_frontend", {{"call", route.call}, {"remote", http::requestTrace().client}});
        // Keys nobody has are one series, so a scanner cannot make series without end.
        if (limits_.checksum_failures) limits_.checksum_failures->inc({frontend ? frontend->frontend.key : "unknown"});
        return BbbAnswer::failure(bbb::ApiError::checksumError());
    }
    http::requestTrace().frontend = frontend->frontend.key;
    if (!checksum.ok) {
        logger().info("bbb_checksum_failed", {{"frontend", frontend->frontend.key},
                                              {"call", route.call},
                                              {"reason", bbb::toString(checksum.failure)},
                                              {"remote", http::requestTrace().client}});
        if (limits_.checksum_failures) limits_.checksum_failures->inc({frontend->frontend.key});
        return BbbAnswer::failure(bbb::ApiError::checksumError());
    }

    if (const auto& limit = frontend->settings.rate_limit;
        limit && !rate_limiter_.allow(frontend->frontend.id, *limit)) {
        logger().info(
            "bbb_rate_limited",
            {{"frontend", frontend->frontend.key}, {"call", route.call}, {"remote", http::requestTrace().client}});
        return BbbAnswer::failure(bbb::ApiError::rateLimitExceeded());
    }

    auto registration = calls_.find(route.call);
    if (registration == calls_.end()) return BbbAnswer::failure(bbb::ApiError::unsupportedRequest());
    http::requestTrace().route = "bbb:" + route.call;  // a registered call: a bounded label
    const auto& methods = registration->second.methods;
    if (std::find(methods.begin(), methods.end(), request.getMethod()) == methods.end())
        return BbbAnswer::failure(bbb::ApiError::unsupportedRequest());

    BbbCall call;
    call.frontend = frontend;
    call.name = route.call;
    call.method = request.getMethod();
    call.params = std::move(parsed.query.params);
    call.remote_address = http::requestTrace().client;
    call.target = uri;
    if (request.getMethod() == "POST") {
        auto too_large = [] {
            auto a = BbbAnswer::failure(bbb::ApiError::validationError("The request body is too large."));
            a.close_connection = true;
            return a;
        };
        if (request.hasContentLength() &&
            request.getContentLength64() > static_cast<Poco::Int64>(limits_.max_body_bytes))
            return too_large();
        auto read = readLimited(request.stream(), limits_.max_body_bytes);
        if (!read) return too_large();
        std::string body = std::move(*read);
        call.content_type = request.getContentType();
        if (isFormBody(call.content_type)) {
            auto form = bbb::parseFormBody(body, limits_.max_body_bytes, {"meetingID", "checksum"});
            if (!form.ok()) return BbbAnswer::failure(bbb::ApiError::invalidQuery(form.error, form.errorName));
            // bbb-web's rule signs the URL query only: whoever holds a signed URL could add these.
            if (!limits_.accept_form_bodies && !form.query.params.empty()) {
                logger().info("bbb_form_body_refused", {{"frontend", frontend->frontend.key}, {"call", route.call}});
                return BbbAnswer::failure(bbb::ApiError::formBodyRefused());
            }
            for (const auto& p : form.query.params) {
                if (call.params.contains(p.name))
                    return BbbAnswer::failure(bbb::ApiError::validationError(
                        "The parameter " + p.name + " is given both in the URL and in the body."));
                call.params.set(p.name, p.value);
            }
        } else {
            call.body = std::move(body);
        }
    }
    return registration->second.handler(call);
}

void BbbIngress::handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const {
    BbbAnswer answer;
    try {
        answer = process(request);
    } catch (const std::exception& e) {
        logger().error("bbb_call_failed", {{"error", e.what()}});
        answer = BbbAnswer::failure(bbb::ApiError::internalError());
    }
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    response.setContentType(answer.content_type);
    response.set("Cache-Control", "no-cache");
    if (!answer.location.empty()) response.set("Location", answer.location);
    if (answer.close_connection) response.setKeepAlive(false);
    // Head and body through one buffer: one send(2) for the usual few-hundred-byte answer,
    // where send() flushes the head on its own first. (sendBuffer leaves the body out when
    // no request is attached to the response; a routed request always is.)
    response.sendBuffer(answer.body.data(), answer.body.size());
}

}  // namespace b3s::core::gateway
