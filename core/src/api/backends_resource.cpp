#include "api/json_merge.hpp"
#include "api/resource_input.hpp"
#include "api/resource_json.hpp"
#include "api/resources.hpp"

#include "util/ascii.hpp"

#include <Poco/JSON/Array.h>

namespace b3s::core::api {
namespace {

using Poco::JSON::Array;
using Reach = b3s::plugin::AccessDecision::Reach;

bool isNode(const ApiRequest& r) {
    return r.access.reach == Reach::OwnBackend;
}

// The backend `id` as the caller may see it: a node agent only the one it registered.
std::optional<store::Backend> visibleBackend(const ApiRequest& r, ApiContext& context) {
    if (!isNode(r)) return context.store.findBackend(r.id);
    if (r.access.subject.empty()) return std::nullopt;
    auto own = context.store.findBackendByAgent(r.access.subject);
    if (!own || own->id != r.id) return std::nullopt;
    return own;
}

std::string lowered(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool matches(const store::Backend& b, const ApiRequest& r) {
    if (const auto host = r.param("host"); host && b.host != *host) return false;
    if (const auto like = r.param("host__like"); like && b.host.find(*like) == std::string::npos) return false;
    if (const auto ilike = r.param("host__ilike"); ilike && lowered(b.host).find(lowered(*ilike)) == std::string::npos)
        return false;
    return true;
}

bool truthy(const std::optional<std::string>& v) {
    if (!v) return false;
    const auto s = lowered(*v);
    return s == "true" || s == "yes" || s == "1";
}

// A backend as the API shows it: with its load as the balancer weighs it now.
Poco::JSON::Object::Ptr shown(const store::Backend& b, ApiContext& context) {
    const auto loads = context.loads.now();
    return backendJson(b, &loads);
}

}  // namespace

ApiResult listBackends(const ApiRequest& request, ApiContext& context) {
    Array::Ptr out = new Array;
    const auto loads = context.loads.now();
    for (const auto& b : context.store.listBackends())
        if (matches(b, request)) out->add(backendJson(b, &loads));
    return ok(out);
}

ApiResult createBackend(const ApiRequest& request, ApiContext& context) {
    if (!request.body) return ApiError::badRequest("send the backend as a JSON object");
    if (isNode(request) && request.access.subject.empty())
        return ApiError::forbidden("a node token needs a subject (sub) to register its backend");
    store::Backend b;
    if (auto errors = readBackend(*request.body, b, true); !errors.empty()) return ApiError::validation(errors);
    if (isNode(request)) b.agent_ref = request.access.subject;
    const auto row = context.store.insertBackend(b);
    context.cluster.put(row);
    return ok(shown(row, context));
}

ApiResult showBackend(const ApiRequest& request, ApiContext& context) {
    const auto row = visibleBackend(request, context);
    if (!row) return ApiError::notFound();
    return ok(shown(*row, context));
}

ApiResult updateBackend(const ApiRequest& request, ApiContext& context) {
    if (!request.body) return ApiError::badRequest("send the changes as a JSON object");
    auto row = visibleBackend(request, context);
    if (!row) return ApiError::notFound();
    auto merged = copyJson(*backendJson(*row));
    mergeJson(*merged, *request.body);
    if (auto errors = readBackend(*merged, *row, false); !errors.empty()) return ApiError::validation(errors);
    const auto saved = context.store.updateBackend(*row);
    if (!saved) return ApiError::notFound();
    context.cluster.put(*saved);
    return ok(shown(*saved, context));
}

ApiResult deleteBackend(const ApiRequest& request, ApiContext& context) {
    auto row = context.store.findBackend(request.id);
    if (!row) return ApiError::notFound();
    if (truthy(request.param("force"))) {
        // Its meetings keep their ids and owners, placed nowhere: each is re-created on a
        // healthy backend at its next create or join.
        if (!context.store.deleteBackend(row->id)) return ApiError::notFound();
        context.cluster.removeBackend(row->id);
        auto body = backendJson(*row);
        body->set("admin_state", "destroyed");
        return ok(body);
    }
    row->admin_state = store::AdminState::Decommissioned;
    const auto saved = context.store.updateBackend(*row);
    if (!saved) return ApiError::notFound();
    context.cluster.put(*saved);
    return ok(shown(*saved, context));
}

}  // namespace b3s::core::api
