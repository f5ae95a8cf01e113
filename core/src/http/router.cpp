#include "http/router.hpp"

#include "http/client_address.hpp"
#include "http/json_response.hpp"
#include "log/logger.hpp"
#include "plugin/plugin_guard.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>

namespace b3s::core::http {
namespace {

log::Logger& logger() {
    static log::Logger l("b3s.core.http");
    return l;
}

class DispatchHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit DispatchHandler(const Router& router) : router_(router) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        router_.dispatch(request, response);
    }

private:
    const Router& router_;
};

std::string pathOf(const std::string& uri) {
    auto end = uri.find_first_of("?#");
    return uri.substr(0, end);
}

bool allows(const std::vector<std::string>& methods, const std::string& method) {
    for (const auto& m : methods)
        if (m == method || (m == "GET" && method == "HEAD")) return true;
    return false;
}

}  // namespace

void Router::add(std::vector<std::string> methods, std::string path, Handler handler, std::string label) {
    routes_.push_back({std::move(methods), std::move(path), false, std::move(handler), std::move(label)});
}

void Router::addPrefix(std::vector<std::string> methods, std::string prefix, Handler handler, std::string label) {
    routes_.push_back({std::move(methods), std::move(prefix), true, std::move(handler), std::move(label)});
}

Poco::Net::HTTPRequestHandler* Router::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
    return new DispatchHandler(*this);
}

void Router::dispatch(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const {
    struct InFlight {
        std::atomic<int>& n;
        explicit InFlight(std::atomic<int>& c) : n(c) { ++n; }
        ~InFlight() { --n; }
    } in_flight(in_flight_);
    auto& trace = requestTrace();
    trace = RequestTrace{};
    std::string forwarded;
    for (auto it = request.find("X-Forwarded-For");
         it != request.end() && Poco::icompare(it->first, "X-Forwarded-For") == 0; ++it)
        forwarded += (forwarded.empty() ? "" : ",") + it->second;
    trace.client = clientAddressOf(request.clientAddress().host(), forwarded, trusted_proxies_);
    const auto started = std::chrono::steady_clock::now();
    handleMatching(request, response);
    if (!observer_) return;
    if (trace.route.empty()) trace.route = "other";
    RequestRecord record;
    // Methods a client invents would make series without end.
    static constexpr std::string_view kMethods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    record.method = "other";
    for (const auto m : kMethods)
        if (request.getMethod() == m) record.method = std::string(m);
    record.status = static_cast<int>(response.getStatus());
    record.latency = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    record.trace = &trace;
    observer_->observe(record);
}

void Router::handleMatching(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const {
    const std::string path = pathOf(request.getURI());
    const Route* path_match = nullptr;
    for (const auto& route : routes_) {
        bool matches = route.prefix ? path.starts_with(route.path) : path == route.path;
        if (!matches) continue;
        path_match = &route;
        if (!allows(route.methods, request.getMethod())) continue;
        requestTrace().route = route.label;
        try {
            route.handler(request, response);
        } catch (const plugin::PluginCallError& e) {
            // The plugin's guard logged the plugin's own error; the client learns which one failed.
            if (!response.sent())
                sendJsonError(response, Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "plugin_failed", e.what());
        } catch (const std::exception& e) {
            // A handler bug must not kill the connection thread or leak internals.
            logger().error("handler_failed", {{"path", path}, {"error", e.what()}});
            if (!response.sent())
                sendJsonError(response, Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "internal_error",
                              "the server failed to handle this request");
        }
        return;
    }
    if (path_match != nullptr) {
        std::string allow;
        for (const auto& m : path_match->methods) allow += (allow.empty() ? "" : ", ") + m;
        response.set("Allow", allow);
        sendJsonError(response, Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
                      request.getMethod() + " is not allowed on " + path);
        return;
    }
    sendJsonError(response, Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "not_found", "no such resource");
}

}  // namespace b3s::core::http
