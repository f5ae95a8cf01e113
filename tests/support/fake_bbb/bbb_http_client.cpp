#include "bbb_http_client.hpp"

#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/Node.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <sys/socket.h>

#include <sstream>

namespace b3s::test::bbb {

std::string HttpResult::header(const std::string& name) const {
    for (const auto& [key, value] : headers)
        if (Poco::icompare(key, name) == 0) return value;
    return {};
}

HttpResult httpRequest(const std::string& method, const std::string& url, const std::string& body,
                       const std::string& contentType, const HeaderList& headers, std::chrono::milliseconds timeout) {
    const Poco::URI uri(url);
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    session.setTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(timeout).count()));
    // getPathAndQuery() would re-encode; send the target exactly as written in `url`.
    const auto pathStart = url.find('/', url.find("//") + 2);
    Poco::Net::HTTPRequest request(method, url.substr(pathStart), Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers) request.set(name, value);
    if (!contentType.empty()) request.setContentType(contentType);
    if (!body.empty() || method == "POST") request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpResult result;
    result.status = static_cast<int>(response.getStatus());
    for (const auto& [name, value] : response) result.headers.emplace_back(name, value);
    Poco::StreamCopier::copyToString(in, result.body);
    return result;
}

XmlDoc::XmlDoc(const std::string& body) {
    Poco::XML::DOMParser parser;
    document_ = parser.parseString(body);
}

bool XmlDoc::has(const std::string& path) const {
    return document_->documentElement()->getNodeByPath(path) != nullptr;
}

std::string XmlDoc::text(const std::string& path) const {
    const Poco::XML::Node* node = document_->documentElement()->getNodeByPath(path);
    return node ? node->innerText() : std::string();
}

std::vector<std::string> XmlDoc::childNames(const std::string& path) const {
    const Poco::XML::Node* node =
        path.empty() ? document_->documentElement() : document_->documentElement()->getNodeByPath(path);
    std::vector<std::string> names;
    if (!node) return names;
    for (const Poco::XML::Node* child = node->firstChild(); child; child = child->nextSibling())
        if (child->nodeType() == Poco::XML::Node::ELEMENT_NODE) names.push_back(child->nodeName());
    return names;
}

std::string XmlDoc::rootName() const {
    return document_->documentElement()->nodeName();
}

namespace {

class RecordingHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit RecordingHandler(CallbackListener& listener) : listener_(listener) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        listener_.add(request.getMethod() + " " + request.getURI());
        response.setContentType("text/plain");
        response.sendBuffer("ok", 2);
    }

private:
    CallbackListener& listener_;
};

class RecordingFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit RecordingFactory(CallbackListener& listener) : listener_(listener) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new RecordingHandler(listener_);
    }

private:
    CallbackListener& listener_;
};

}  // namespace

CallbackListener::CallbackListener() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port_ = socket.address().port();
    listenFd_ = socket.impl()->sockfd();
    pool_ = std::make_unique<Poco::ThreadPool>(1, 4);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setThreadIdleTime(Poco::Timespan(0, 100'000));  // bounds shutdown, as in the fake
    server_ = std::make_unique<Poco::Net::HTTPServer>(new RecordingFactory(*this), *pool_, socket, params);
    server_->start();
}

CallbackListener::~CallbackListener() {
    // Wakes Poco's accept loop at once instead of after its 250 ms poll.
    ::shutdown(listenFd_, SHUT_RDWR);
    server_->stopAll(true);
    server_.reset();
    pool_->joinAll();
}

std::string CallbackListener::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void CallbackListener::add(std::string target) {
    {
        std::lock_guard lock(mutex_);
        targets_.push_back(std::move(target));
    }
    changed_.notify_all();
}

bool CallbackListener::waitFor(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return targets_.size() >= count; });
}

std::vector<std::string> CallbackListener::targets() const {
    std::lock_guard lock(mutex_);
    return targets_;
}

}  // namespace b3s::test::bbb
