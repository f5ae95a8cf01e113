#pragma once
// GET /b3s/retry-join/<blob>: the page a browser waits on while its meeting is being created.
// The blob is the signed, expiring join URL (retry_join_link.hpp); the page re-requests that
// join after a moment, and the join then redirects to the meeting — or here again.

#include "util/clock.hpp"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace b3s::core::gateway {

class RetryJoinPage {
public:
    /// `previous_jwt_secret`: B3SCALE_API_JWT_SECRET_PREVIOUS (its links still open), or empty.
    RetryJoinPage(std::string jwt_secret, std::string previous_jwt_secret, int refresh_s, const Clock& clock)
        : jwt_secret_(std::move(jwt_secret)),
          previous_jwt_secret_(std::move(previous_jwt_secret)),
          refresh_s_(refresh_s),
          clock_(clock) {}

    /// 200 with the waiting page, or 404 with an "invalid or expired link" page. Never throws.
    void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const;

private:
    std::string jwt_secret_;
    std::string previous_jwt_secret_;
    int refresh_s_;
    const Clock& clock_;
};

}  // namespace b3s::core::gateway
