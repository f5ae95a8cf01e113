#include "api/field_rules.hpp"
#include "api/json_diff.hpp"
#include "api/json_merge.hpp"
#include "api/resource_input.hpp"
#include "api/resource_json.hpp"
#include "api/resources.hpp"

#include <Poco/JSON/Array.h>

namespace b3s::core::api {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using Reach = b3s::plugin::AccessDecision::Reach;

bool isTenant(const ApiRequest& r) {
    return r.access.reach != Reach::All;
}

// The frontend `id` as the caller may see it: a tenant only its account's (an empty subject
// owns nothing). Another account's frontend is exactly as unknown as a missing one.
std::optional<store::Frontend> visibleFrontend(const ApiRequest& r, ApiContext& context) {
    if (!isTenant(r)) return context.store.findFrontend(r.id);
    if (r.access.subject.empty()) return std::nullopt;
    return context.store.findFrontendOfAccount(r.id, r.access.subject);
}

bool matches(const store::Frontend& f, const ApiRequest& r) {
    if (const auto account = r.param("account_ref"); account && f.account_ref != *account) return false;
    if (const auto key = r.param("key"); key && f.key != *key) return false;
    if (const auto like = r.param("key__like"); like && f.key.find(*like) == std::string::npos) return false;
    return true;
}

// Who switched the frontend off, after a write by this caller: an operator's word outranks the
// tenant's (an operator's explicit `"active": false` takes over a tenant's deactivation).
std::optional<std::string> deactivatedBy(const store::Frontend& before, const store::Frontend& after,
                                         const ApiRequest& r) {
    if (after.active) return std::nullopt;
    const bool says_inactive = r.body && r.body->has("active") && r.body->get("active").type() == typeid(bool) &&
                               !r.body->get("active").extract<bool>();
    if (!isTenant(r) && (before.active || says_inactive)) return std::string(store::frontend_deactivation::kOperator);
    if (isTenant(r) && before.active) return std::string(store::frontend_deactivation::kTenant);
    return before.deactivated_by.value_or(std::string(store::frontend_deactivation::kOperator));
}

}  // namespace

ApiResult listFrontends(const ApiRequest& request, ApiContext& context) {
    std::vector<store::Frontend> rows;
    if (!isTenant(request))
        rows = context.store.listFrontends();
    else if (!request.access.subject.empty())
        rows = context.store.listFrontendsOfAccount(request.access.subject);
    Array::Ptr out = new Array;
    // Secrets go to operators only; a tenant reads its own with GET /frontends/{id}.
    for (const auto& f : rows)
        if (matches(f, request)) out->add(frontendJson(f, !isTenant(request)));
    return ok(out);
}

ApiResult createFrontend(const ApiRequest& request, ApiContext& context) {
    if (!request.body) return ApiError::badRequest("send the frontend as a JSON object");
    store::Frontend f;
    if (auto errors = readFrontend(*request.body, f, true); !errors.empty()) return ApiError::validation(errors);
    if (!f.active) f.deactivated_by = std::string(store::frontend_deactivation::kOperator);
    const auto row = context.store.insertFrontend(f);
    context.cluster.put(row);
    return ok(frontendJson(row));
}

ApiResult showFrontend(const ApiRequest& request, ApiContext& context) {
    const auto row = visibleFrontend(request, context);
    if (!row) return ApiError::notFound();
    return ok(frontendJson(*row));
}

ApiResult updateFrontend(const ApiRequest& request, ApiContext& context) {
    if (!request.body) return ApiError::badRequest("send the changes as a JSON object");
    auto row = visibleFrontend(request, context);
    if (!row) return ApiError::notFound();
    const auto stored = *row;
    const auto before = frontendJson(stored);
    auto merged = copyJson(*before);
    mergeJson(*merged, *request.body);
    const auto fields = changedFields(*before, *merged);
    if (auto errors = readFrontend(*merged, *row, !isTenant(request)); !errors.empty())
        return ApiError::validation(errors);
    // A tenant changes what concerns its own frontend, never what the operator decides for it.
    if (isTenant(request)) {
        if (auto refused = tenantFrontendRefusals(fields, stored, *row); !refused.empty())
            return ApiError::forbiddenFields(refused);
    }
    row->deactivated_by = deactivatedBy(stored, *row, request);
    const auto saved = context.store.updateFrontend(*row);
    if (!saved) return ApiError::notFound();
    context.cluster.put(*saved);
    return changed(frontendJson(*saved), fields);
}

ApiResult deleteFrontend(const ApiRequest& request, ApiContext& context) {
    auto row = context.store.findFrontend(request.id);
    if (!row) return ApiError::notFound();
    // Its recordings' files would stay behind a vanished index row: the operator deletes them
    // first (the store refuses too, for a recording imported meanwhile).
    if (const auto recordings = context.store.countRecordings(row->id); recordings > 0)
        return ApiError::conflict("the frontend still has " + std::to_string(recordings) +
                                  " recording(s); delete them first (deleteRecordings)");
    if (!context.store.deleteFrontend(row->id)) return ApiError::notFound();
    context.cluster.removeFrontend(row->id);
    row->active = false;
    return ok(frontendJson(*row));
}

}  // namespace b3s::core::api
