#pragma once
// b3scaled's REST API as the agent calls it: below /api/v1, with the node token as
// `Authorization: Bearer`, `User-Agent: b3scaleagent/<version>` and JSON bodies. One per
// thread (it owns an HttpClient).

#include "http_client.hpp"

#include <Poco/JSON/Object.h>

#include <chrono>
#include <string>

namespace b3s::agent {

class B3scaledApi {
public:
    /// `api_url`: B3SCALE_API_URL (base URL of b3scaled). Throws std::invalid_argument when it
    /// is not an http(s) URL.
    B3scaledApi(const std::string& api_url, const std::string& token, std::chrono::milliseconds timeout);

    /// `path` below /api/v1 ("" for /api/v1 itself). Throws HttpUnreachable.
    HttpReply send(const std::string& method, const std::string& path, const std::string& body = {}) {
        return client_.send(method, "/api/v1" + path, body);
    }
    void interrupt() { client_.interrupt(); }
    std::string url() const { return client_.origin().url(); }

private:
    HttpClient client_;
};

/// The JSON object of an answer, nullptr when it is none.
Poco::JSON::Object::Ptr jsonObject(const std::string& body);
/// The text of an error answer for a log line: b3scaled's "message" (and "fields"), else the
/// first 200 bytes.
std::string errorText(const HttpReply& reply);

}  // namespace b3s::agent
