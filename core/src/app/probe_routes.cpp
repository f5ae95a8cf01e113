#include "app/probe_routes.hpp"

#include "http/json_response.hpp"
#include "log/logger.hpp"
#include "util/ascii.hpp"

#include <b3s/generated/build_info.hpp>

#include <b3s/support/hmac_jwt.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/SHA2Engine.h>

namespace b3s::core::app {
namespace {

using Poco::Net::HTTPResponse;

log::Logger& logger() {
    static log::Logger l("b3s.core.http");
    return l;
}

// Ready = this process can serve BBB calls: the front is up (it answers this), the plugins
// are loaded and the routing view is in memory. The store is reported, not required: while it
// is away joins and queries are still served from memory, and every instance shares the same
// database, so a load balancer that took instances out for it would take out all of them at
// once. Only a schema this b3scaled does not speak makes it not ready.
void sendReadiness(Poco::Net::HTTPServerResponse& response, store::Store& store, const cluster::ClusterState& cluster,
                   const plugin::PluginSet& plugins) {
    Poco::JSON::Object checks;
    bool ready = true;
    bool store_ok = false;

    Poco::JSON::Object store_check;
    store_check.set("connector", std::string(store.connectorName()));
    Poco::JSON::Object schema_check;
    try {
        store.ping();
        store_ok = true;
        store_check.set("ok", true);
        auto schema = store.schemaStatus();
        schema_check.set("ok", schema.upToDate());
        schema_check.set("current", schema.current);
        schema_check.set("required", schema.latest);
        if (!schema.upToDate()) {
            ready = false;
            schema_check.set("error", schema.current < schema.latest
                                          ? "schema is older than this b3scaled: run b3scaled --migrate"
                                          : "schema is newer than this b3scaled: upgrade b3scaled");
        }
    } catch (const store::StoreError& e) {
        store_check.set("ok", false);
        store_check.set("error", std::string(e.what()));
        store_check.set("effect",
                        "joins and queries of known meetings are served from memory; creates of new meetings and "
                        "REST API changes fail until it is back");
        schema_check.set("ok", false);
        schema_check.set("error", "unknown while the store is unreachable");
        logger().warn("readiness_store_failed", {{"kind", store::toString(e.kind())}, {"error", e.what()}});
    }
    checks.set("store", store_check);
    checks.set("schema", schema_check);

    // The view the request paths route with; stale means it may have missed a change (it
    // reloads on the next one; a meeting it lacks is looked up in the store).
    Poco::JSON::Object cluster_check;
    auto snapshot = cluster.snapshot();
    const bool stale = cluster.stale();
    cluster_check.set("ok", !stale);
    cluster_check.set("frontends", snapshot->frontendCount());
    cluster_check.set("backends", snapshot->backendCount());
    cluster_check.set("meetings", snapshot->meetingCount());
    if (stale) cluster_check.set("error", "the in-memory view may have missed a change; it reloads on the next one");
    checks.set("cluster", cluster_check);

    Poco::JSON::Object plugin_check;
    Poco::JSON::Array loaded;
    for (const auto& p : plugins.describe()) loaded.add(p);
    plugin_check.set("ok", true);
    plugin_check.set("loaded", loaded);
    checks.set("plugins", plugin_check);

    Poco::JSON::Object body;
    body.set("status", ready ? "ready" : "not_ready");
    body.set("store", store_ok ? "ok" : "unavailable");
    body.set("checks", checks);
    http::sendJson(response, ready ? HTTPResponse::HTTP_OK : HTTPResponse::HTTP_SERVICE_UNAVAILABLE, body);
}

std::string sha256(std::string_view text) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(text.data(), text.size());
    const auto& digest = engine.digest();
    return std::string(digest.begin(), digest.end());
}

// `Authorization: Bearer <token>` (the scheme in any case, RFC 7235) whose digest is `wanted`.
bool presentsToken(const Poco::Net::HTTPServerRequest& request, const std::string& wanted) {
    constexpr std::string_view kScheme = "bearer ";
    // A copy: get() with a default returns a reference to that temporary when the header is absent.
    const std::string header = request.get("Authorization", "");
    std::string_view presented;
    if (header.size() > kScheme.size() &&
        equalsIgnoreAsciiCase(std::string_view(header).substr(0, kScheme.size()), kScheme))
        presented = std::string_view(header).substr(kScheme.size());
    // Digests of equal length: the comparison takes as long whatever was sent.
    const bool matches = support::constantTimeEquals(sha256(presented), wanted);
    return matches && !presented.empty();
}

}  // namespace

void addProbeRoutes(http::Router& router, store::Store& store, const cluster::ClusterState& cluster,
                    const plugin::PluginSet& plugins) {
    router.add(
        {"GET"}, "/",
        [](auto&, auto& response) {
            Poco::JSON::Object body;
            body.set("name", "b3scale");
            body.set("version", build::kVersion);
            body.set("build", build::kBuildId);
            http::sendJson(response, HTTPResponse::HTTP_OK, body);
        },
        "probe:root");
    router.add(
        {"GET"}, "/healthz",
        [](auto&, auto& response) {
            Poco::JSON::Object body;
            body.set("status", "ok");
            http::sendJson(response, HTTPResponse::HTTP_OK, body);
        },
        "probe:healthz");
    router.add(
        {"GET"}, "/readyz",
        [&store, &cluster, &plugins](auto&, auto& response) { sendReadiness(response, store, cluster, plugins); },
        "probe:readyz");
}

void addMetricsRoute(http::Router& router, const plugin::PluginSet& plugins, const std::string& token) {
    router.add(
        {"GET"}, "/metrics",
        [&plugins, wanted = token.empty() ? std::string() : sha256(token)](auto& request, auto& response) {
            if (!wanted.empty() && !presentsToken(request, wanted)) {
                response.set("WWW-Authenticate", R"(Bearer realm="b3scale metrics")");
                http::sendJsonError(response, HTTPResponse::HTTP_UNAUTHORIZED, "unauthorized",
                                    "GET /metrics needs Authorization: Bearer <B3SCALE_METRICS_TOKEN>");
                return;
            }
            auto page = plugins.metrics().render();
            if (!page.available) {
                http::sendJsonError(response, HTTPResponse::HTTP_NOT_FOUND, "metrics_disabled",
                                    "no metrics plugin is loaded (B3SCALE_METRICS_PLUGIN=none)");
                return;
            }
            response.setStatusAndReason(HTTPResponse::HTTP_OK);
            response.setContentType(page.content_type);
            response.setContentLength(static_cast<std::streamsize>(page.body.size()));
            response.send().write(page.body.data(), static_cast<std::streamsize>(page.body.size()));
        },
        "metrics");
}

}  // namespace b3s::core::app
