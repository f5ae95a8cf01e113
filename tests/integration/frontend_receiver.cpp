#include "frontend_receiver.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <condition_variable>
#include <sstream>

namespace b3s::test {

struct FrontendReceiver::State {
    mutable std::mutex mutex;
    mutable std::condition_variable arrived;
    std::vector<ReceivedRequest> requests;
    int status = 200;
};

namespace {

class Handler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(std::shared_ptr<FrontendReceiver::State> state) : state_(std::move(state)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        ReceivedRequest r;
        r.method = request.getMethod();
        r.target = request.getURI();
        r.content_type = request.getContentType();
        std::ostringstream body;
        Poco::StreamCopier::copyStream(request.stream(), body);
        r.body = body.str();
        int status;
        {
            std::lock_guard lock(state_->mutex);
            state_->requests.push_back(std::move(r));
            status = state_->status;
        }
        state_->arrived.notify_all();
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
        response.setContentLength(0);
        response.send();
    }

private:
    std::shared_ptr<FrontendReceiver::State> state_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(std::shared_ptr<FrontendReceiver::State> state) : state_(std::move(state)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new Handler(state_);
    }

private:
    std::shared_ptr<FrontendReceiver::State> state_;
};

}  // namespace

FrontendReceiver::FrontendReceiver() : state_(std::make_shared<State>()) {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(4);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), socket, params);
    server_->start();
}

FrontendReceiver::~FrontendReceiver() { server_->stopAll(true); }

std::string FrontendReceiver::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void FrontendReceiver::answerWith(int status) {
    std::lock_guard lock(state_->mutex);
    state_->status = status;
}

std::vector<ReceivedRequest> FrontendReceiver::requests() const {
    std::lock_guard lock(state_->mutex);
    return state_->requests;
}

bool FrontendReceiver::waitFor(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(state_->mutex);
    return state_->arrived.wait_for(lock, timeout, [&] { return state_->requests.size() >= n; });
}

}  // namespace b3s::test
