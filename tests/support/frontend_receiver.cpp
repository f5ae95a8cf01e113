#include "frontend_receiver.hpp"

#include "http/http_server.hpp"
#include "http/router.hpp"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <condition_variable>
#include <sstream>
#include <thread>

namespace b3s::test {

struct FrontendReceiver::State {
    mutable std::mutex mutex;
    mutable std::condition_variable arrived;
    std::vector<ReceivedRequest> requests;
    int status = 200;
    std::chrono::milliseconds delay{0};
};

FrontendReceiver::FrontendReceiver() : FrontendReceiver(0) {}

FrontendReceiver::FrontendReceiver(int port) : state_(std::make_shared<State>()) {
    Poco::SharedPtr<core::http::Router> router(new core::http::Router);
    auto state = state_;
    router->addPrefix({"GET", "POST"}, "/",
                      [state](Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
                          ReceivedRequest r;
                          r.method = request.getMethod();
                          r.target = request.getURI();
                          r.content_type = request.getContentType();
                          r.host = request.getHost();
                          r.authorization = request.get("Authorization", "");
                          std::ostringstream body;
                          Poco::StreamCopier::copyStream(request.stream(), body);
                          r.body = body.str();
                          int status;
                          std::chrono::milliseconds delay{0};
                          {
                              std::lock_guard lock(state->mutex);
                              state->requests.push_back(std::move(r));
                              status = state->status;
                              delay = state->delay;
                          }
                          state->arrived.notify_all();
                          std::this_thread::sleep_for(delay);
                          response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
                          response.setContentLength(0);
                          response.send();
                      });
    core::config::CoreSettings settings;
    settings.listen = {"127.0.0.1", static_cast<std::uint16_t>(port)};
    settings.http_max_threads = 4;
    server_ = std::make_unique<core::http::HttpServer>(settings, router);
    server_->start();
    port_ = server_->boundAddress().port;
}

FrontendReceiver::~FrontendReceiver() {
    server_->shutdown(std::chrono::seconds(2));
}

std::string FrontendReceiver::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::string FrontendReceiver::allowEntry() const {
    return "127.0.0.1:" + std::to_string(port_);
}

void FrontendReceiver::answerWith(int status) {
    std::lock_guard lock(state_->mutex);
    state_->status = status;
}

void FrontendReceiver::answerAfter(std::chrono::milliseconds delay) {
    std::lock_guard lock(state_->mutex);
    state_->delay = delay;
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
