#pragma once
// Test-side helpers: a plain HTTP client (Poco HTTPClientSession, bounded timeouts), an
// XML reader over BBB responses, and a tiny HTTP listener that records callbacks.

#include <Poco/AutoPtr.h>
#include <Poco/DOM/Document.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace b3s::test::bbb {

struct HttpResult {
    int status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string header(const std::string& name) const;  ///< "" when absent
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// One request on a fresh connection; throws Poco::Exception on network errors. Redirects
/// are not followed.
HttpResult httpRequest(const std::string& method, const std::string& url, const std::string& body = {},
                       const std::string& contentType = {}, const HeaderList& headers = {},
                       std::chrono::milliseconds timeout = std::chrono::seconds(5));
inline HttpResult httpGet(const std::string& url, const HeaderList& headers = {}) {
    return httpRequest("GET", url, {}, {}, headers);
}

/// A parsed BBB XML answer. Paths are relative to the root, Poco's simple XPath:
/// "returncode", "attendees/attendee[1]/fullName", "meetings/meeting[0]/meetingID".
class XmlDoc {
public:
    /// Throws Poco::Exception when `body` is not XML.
    explicit XmlDoc(const std::string& body);
    bool has(const std::string& path) const;
    /// Inner text, "" when the node is missing.
    std::string text(const std::string& path) const;
    /// Element names of the children of `path` ("" = the root), in document order.
    std::vector<std::string> childNames(const std::string& path = {}) const;
    std::string rootName() const;

private:
    Poco::AutoPtr<Poco::XML::Document> document_;
};

/// An HTTP listener on 127.0.0.1:0 that answers 200 and remembers every request target.
class CallbackListener {
public:
    CallbackListener();
    ~CallbackListener();
    std::string url(const std::string& path) const;
    bool waitFor(std::size_t count, std::chrono::milliseconds timeout) const;
    std::vector<std::string> targets() const;
    void add(std::string target);

private:
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<std::string> targets_;
    int listenFd_ = -1;
    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    std::uint16_t port_ = 0;
};

}  // namespace b3s::test::bbb
