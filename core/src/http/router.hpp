#pragma once
// Maps method + path to a handler function. Core owns every route; plugins never see
// HTTP objects.

#include "http/request_observer.hpp"
#include "util/cidr.hpp"

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace b3s::core::http {

using Handler = std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)>;

class Router final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    /// Exact path match. `methods` lists the accepted methods ("GET" also accepts HEAD).
    /// `label` names the route in metrics and the access log unless the handler says more
    /// precisely (request_trace.hpp).
    void add(std::vector<std::string> methods, std::string path, Handler handler, std::string label = {});
    /// Every path that starts with `prefix`.
    void addPrefix(std::vector<std::string> methods, std::string prefix, Handler handler, std::string label = {});
    /// Told about every request after its answer; must outlive the router. Before serving.
    void setObserver(RequestObserver* observer) noexcept { observer_ = observer; }
    /// Proxies whose X-Forwarded-For names the client (B3SCALE_TRUSTED_PROXIES). Before serving.
    void setTrustedProxies(std::vector<util::CidrRange> proxies) { trusted_proxies_ = std::move(proxies); }

    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

    /// Requests currently being handled (not idle keep-alive connections).
    int inFlight() const noexcept { return in_flight_.load(); }

    /// Dispatches one request (used by createRequestHandler's handler; public for tests).
    void dispatch(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const;

private:
    struct Route {
        std::vector<std::string> methods;
        std::string path;
        bool prefix = false;
        Handler handler;
        std::string label;
    };
    void handleMatching(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const;

    std::vector<Route> routes_;
    RequestObserver* observer_ = nullptr;
    std::vector<util::CidrRange> trusted_proxies_;
    mutable std::atomic<int> in_flight_{0};
};

}  // namespace b3s::core::http
