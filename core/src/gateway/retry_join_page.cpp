#include "gateway/retry_join_page.hpp"

#include "gateway/browser_pages.hpp"
#include "gateway/retry_join_link.hpp"

namespace b3s::core::gateway {

void RetryJoinPage::handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const {
    const std::string& uri = request.getURI();
    std::string_view blob(uri);
    blob = blob.substr(0, blob.find('?'));
    blob.remove_prefix(std::min(blob.size(), kRetryJoinPathPrefix.size()));
    const auto join = openRetryJoinBlob(blob, jwt_secret_, clock_.nowMicros() / 1'000'000, previous_jwt_secret_);
    std::string body;
    if (join) {
        response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
        body = retryJoinPage(*join, refresh_s_);
    } else {
        response.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
        body = invalidLinkPage();
    }
    response.setContentType(std::string(kHtmlContentType));
    response.set("Cache-Control", "no-store");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send().write(body.data(), static_cast<std::streamsize>(body.size()));
}

}  // namespace b3s::core::gateway
