#include "api/field_rules.hpp"
#include "api/json_diff.hpp"
#include "api/json_merge.hpp"
#include "api/resource_input.hpp"
#include "api/resource_json.hpp"
#include "api/resources.hpp"

#include "util/ascii.hpp"

#include <b3s/support/hmac_jwt.hpp>

#include <Poco/JSON/Array.h>

#include <algorithm>

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

std::optional<store::Backend> backendWithHost(ApiContext& context, const std::string& host) {
    for (auto& b : context.store.listBackends())
        if (b.host == host) return std::move(b);
    return std::nullopt;
}

// A node registers a host an operator added by hand (b3scale's agent could not: quirk §14.13).
// It adopts that backend only by proving it runs there — it knows the backend's BBB secret —
// and only one no other agent holds. The backend keeps its admin state (the operator's
// decision) and takes the agent's load factor; the answer is the backend as for a new one.
ApiResult adopt(const ApiRequest& request, ApiContext& context, store::Backend existing, const store::Backend& asked) {
    if (existing.agent_ref)
        return ApiError::conflict("another node agent has registered this host; an operator must clear its agent_ref");
    if (!support::constantTimeEquals(existing.secret, asked.secret))
        return ApiError::conflict(
            "an operator registered this host with another secret; set the node's secret on it (or delete it) first");
    existing.agent_ref = request.access.subject;
    existing.load_factor = asked.load_factor;
    const auto saved = context.store.updateBackend(existing);
    if (!saved) return ApiError::notFound();
    context.cluster.put(*saved);
    return ok(shown(*saved, context));
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
    const bool node = isNode(request);
    if (node && request.access.subject.empty())
        return ApiError::forbidden("a node token needs a subject (sub) to register its backend");
    store::Backend b;
    if (auto errors = readBackend(*request.body, b, true); !errors.empty()) return ApiError::validation(errors);
    if (node) {
        // A node's backend waits in `init` for an operator: whoever holds a node token must not
        // put a server of its choice into the placement. b3scale's agent sends "init" itself.
        const auto asked = request.body->has("admin_state") ? request.body->get("admin_state") : Poco::Dynamic::Var();
        if (!asked.isEmpty() && asked.toString() != "" && asked.toString() != "init")
            return ApiError::forbiddenFields(
                {{"admin_state", {"a node agent's backend starts in init; only an operator may enable it"}}});
        b.admin_state = store::AdminState::Init;
        if (auto problem = nodeLoadFactorProblem(b.load_factor, context.node_load_factor))
            return ApiError::validation({{"load_factor", {*problem}}});
        if (context.store.findBackendByAgent(request.access.subject))
            return ApiError::conflict("this node agent has registered a backend already");
        if (auto existing = backendWithHost(context, b.host)) return adopt(request, context, *existing, b);
        b.agent_ref = request.access.subject;
    }
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
    const auto before = backendJson(*row);
    auto merged = copyJson(*before);
    mergeJson(*merged, *request.body);
    const auto fields = changedFields(*before, *merged);
    if (isNode(request)) {
        if (auto refused = nodeBackendRefusals(fields); !refused.empty()) return ApiError::forbiddenFields(refused);
    }
    if (auto errors = readBackend(*merged, *row, false); !errors.empty()) return ApiError::validation(errors);
    if (isNode(request) && std::find(fields.begin(), fields.end(), "load_factor") != fields.end()) {
        if (auto problem = nodeLoadFactorProblem(row->load_factor, context.node_load_factor))
            return ApiError::validation({{"load_factor", {*problem}}});
    }
    const auto saved = context.store.updateBackend(*row);
    if (!saved) return ApiError::notFound();
    context.cluster.put(*saved);
    return changed(shown(*saved, context), fields);
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
