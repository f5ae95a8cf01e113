#include "stub_api_server.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <sstream>

namespace b3s::ctl::test {

class StubApiServer::Impl : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Impl(Handler handler) : handler_(std::move(handler)) {}

    class RequestHandler : public Poco::Net::HTTPRequestHandler {
    public:
        explicit RequestHandler(Impl& impl) : impl_(impl) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
            StubRequest r;
            r.method = request.getMethod();
            const std::string& uri = request.getURI();
            const auto q = uri.find('?');
            r.path = uri.substr(0, q);
            if (q != std::string::npos) r.query = uri.substr(q + 1);
            std::ostringstream body;
            Poco::StreamCopier::copyStream(request.stream(), body);
            r.body = body.str();
            r.authorization = request.get("Authorization", "");
            {
                std::lock_guard lock(impl_.mutex_);
                impl_.requests_.push_back(r);
            }
            const StubReply reply = impl_.handler_(r);
            response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
            response.setContentType(reply.content_type);
            if (!reply.location.empty()) response.set("Location", reply.location);
            response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
            response.send() << reply.body;
        }

    private:
        Impl& impl_;
    };

    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new RequestHandler(*this);
    }

    Handler handler_;
    mutable std::mutex mutex_;
    std::vector<StubRequest> requests_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    std::uint16_t port_ = 0;
};

StubApiServer::StubApiServer(Handler handler) : impl_(std::make_unique<Impl>(std::move(handler))) {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    impl_->port_ = socket.address().port();
    auto params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(4);
    // The factory is owned by the server; hand it a forwarding shell so Impl stays ours.
    struct Forward : Poco::Net::HTTPRequestHandlerFactory {
        explicit Forward(Impl& impl) : impl(impl) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& r) override {
            return impl.createRequestHandler(r);
        }
        Impl& impl;
    };
    impl_->server_ = std::make_unique<Poco::Net::HTTPServer>(new Forward(*impl_), socket, params);
    impl_->server_->start();
}

StubApiServer::~StubApiServer() {
    impl_->server_->stopAll(true);
}

std::string StubApiServer::url() const {
    return "http://127.0.0.1:" + std::to_string(impl_->port_);
}

std::vector<StubRequest> StubApiServer::requests() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->requests_;
}

std::vector<StubRequest> StubApiServer::writes() const {
    std::vector<StubRequest> out;
    for (const auto& r : requests())
        if (r.method != "GET") out.push_back(r);
    return out;
}

}  // namespace b3s::ctl::test
