#pragma once
// Maps method + path to a handler function. Core owns every route; plugins never see
// HTTP objects.

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
    void add(std::vector<std::string> methods, std::string path, Handler handler);
    /// Every path that starts with `prefix`.
    void addPrefix(std::vector<std::string> methods, std::string prefix, Handler handler);

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
    };
    std::vector<Route> routes_;
    mutable std::atomic<int> in_flight_{0};
};

}  // namespace b3s::core::http
