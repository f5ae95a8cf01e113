#include "cluster/backend_api.hpp"

#include "bbb/backend_url.hpp"

#include <fmt/format.h>

namespace b3s::core::cluster {

std::string BackendApiResult::returncode() const {
    if (!xml) return {};
    return xml->childText("returncode").value_or("");
}

std::string BackendApiResult::messageKey() const {
    if (!xml) return {};
    return xml->childText("messageKey").value_or("");
}

BackendApi::BackendApi(BackendClient& client, PollRequests* trouble, bbb::ChecksumAlgorithm algorithm)
    : client_(client), trouble_(trouble), algorithm_(algorithm) {}

std::string BackendApi::signedUrl(const store::Backend& backend, std::string_view call,
                                  const bbb::ParamList& params) const {
    return bbb::buildBackendUrl(backend.host, call, params, backend.secret, algorithm_);
}

BackendApiResult BackendApi::call(const store::Backend& backend, const BackendApiCall& call) const {
    BackendRequest request;
    request.url = signedUrl(backend, call.call, call.params);
    if (!call.body.empty()) {
        request.method = "POST";
        request.body = call.body;
        // Some frontends omit the type; BBB ignores a presentation without it.
        request.content_type = "application/xml";
    }
    BackendApiResult result;
    const auto outcome = client_.call(request);
    if (!outcome.ok()) {
        using Kind = BackendCallError::Kind;
        switch (outcome.error.kind) {
            case Kind::InvalidUrl:
            case Kind::Refused:  // an address policy (backends have none today)
            case Kind::ConnectFailed: result.outcome = BackendApiResult::Outcome::Unreachable; break;
            case Kind::Timeout:
            case Kind::Busy:  // as many calls in flight as it may have: it stopped answering
            case Kind::ConnectionLost: result.outcome = BackendApiResult::Outcome::TimedOut; break;
            case Kind::TooLarge: result.outcome = BackendApiResult::Outcome::Unreadable; break;
        }
        result.error = outcome.error.message;
        if (trouble_ && result.outcome != BackendApiResult::Outcome::Unreadable) trouble_->callFailed(backend.id);
        return result;
    }
    const auto& response = *outcome.response;
    result.latency = response.latency;
    // Something answered, but not BBB (a proxy's error page while bbb-web is down): as bad.
    if (response.status != 200) {
        result.outcome = BackendApiResult::Outcome::Unreadable;
        result.error = fmt::format("{} answered HTTP {}", call.call, response.status);
        if (trouble_) trouble_->callFailed(backend.id);
        return result;
    }
    auto xml = bbb::parseXml(response.body);
    if (!xml || xml->name != "response" || !xml->child("returncode")) {
        result.outcome = BackendApiResult::Outcome::Unreadable;
        result.error =
            fmt::format("{} answered {} bytes that are not a BBB XML answer", call.call, response.body.size());
        if (trouble_) trouble_->callFailed(backend.id);
        return result;
    }
    result.outcome = BackendApiResult::Outcome::Answered;
    result.xml = std::move(*xml);
    return result;
}

}  // namespace b3s::core::cluster
