#include "api/resource_json.hpp"
#include "api/resources.hpp"

#include <Poco/JSON/Array.h>

#include <sstream>
#include <unordered_map>

namespace b3s::core::api {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using Reach = b3s::plugin::AccessDecision::Reach;

constexpr std::string_view kInternalPrefix = "internal:";

std::string keyOf(ApiContext& context, const std::string& frontend_id) {
    if (const auto f = context.cluster.frontend(frontend_id)) return f->key;
    if (const auto f = context.store.findFrontend(frontend_id)) return f->key;
    return {};
}

struct Located {
    std::optional<store::Meeting> meeting;
    std::optional<ApiError> error;
};

// `id` is the stored (encoded) id or internal:<internal meeting id>. A node agent reaches
// only the meetings of the backend it registered; without one it reaches nothing (403).
Located locate(const ApiRequest& r, ApiContext& context) {
    Located found;
    std::optional<std::string> own_backend;
    if (r.access.reach == Reach::OwnBackend) {
        const auto own = r.access.subject.empty() ? std::nullopt : context.store.findBackendByAgent(r.access.subject);
        if (!own) {
            found.error = ApiError::forbidden("this node token has no backend registered");
            return found;
        }
        own_backend = own->id;
    }
    if (std::string_view(r.id).starts_with(kInternalPrefix))
        found.meeting = context.store.findMeetingByInternalId(r.id.substr(kInternalPrefix.size()));
    else
        found.meeting = context.store.findMeetingById(r.id);
    if (found.meeting && own_backend && found.meeting->backend_id != own_backend) found.meeting.reset();
    if (!found.meeting) found.error = ApiError::notFound();
    return found;
}

}  // namespace

ApiResult listMeetings(const ApiRequest& request, ApiContext& context) {
    std::optional<std::string> backend_id = request.param("backend_id");
    if (const auto host = request.param("backend_host")) {
        std::optional<std::string> found;
        for (const auto& b : context.store.listBackends())
            if (b.host == *host) found = b.id;
        if (!found || (backend_id && *backend_id != *found)) return ApiError::notFound();
        backend_id = found;
    }
    if (backend_id && !context.store.findBackend(*backend_id)) return ApiError::notFound();
    std::optional<std::string> frontend_id = request.param("frontend_id");
    if (const auto key = request.param("frontend_key")) {
        const auto f = context.store.findFrontendByKey(*key);
        if (!f || (frontend_id && *frontend_id != f->id)) return ApiError::notFound();
        frontend_id = f->id;
    }
    if (frontend_id && !context.store.findFrontend(*frontend_id)) return ApiError::notFound();

    std::unordered_map<std::string, std::string> keys;
    for (const auto& f : context.store.listFrontends()) keys.emplace(f.id, f.key);
    Array::Ptr out = new Array;
    for (const auto& m : context.store.listAllMeetings()) {
        if (backend_id && m.backend_id != backend_id) continue;
        if (frontend_id && m.frontend_id != *frontend_id) continue;
        out->add(meetingJson(m, keys[m.frontend_id]));
    }
    return ok(out);
}

ApiResult showMeeting(const ApiRequest& request, ApiContext& context) {
    auto found = locate(request, context);
    if (found.error) return *found.error;
    return ok(meetingJson(*found.meeting, keyOf(context, found.meeting->frontend_id)));
}

ApiResult updateMeeting(const ApiRequest& request, ApiContext& context) {
    if (!request.body) return ApiError::badRequest("send {\"meeting\": {…}} as a JSON object");
    if (!request.body->has("meeting") || request.body->get("meeting").type() != typeid(Object::Ptr))
        return ApiError::validation({{"meeting", {"this field is required and must be an object"}}});
    auto found = locate(request, context);
    if (found.error) return *found.error;
    std::ostringstream state;
    request.body->getObject("meeting")->stringify(state);
    const auto saved = context.store.updateMeetingState(found.meeting->id, state.str());
    if (!saved) return ApiError::notFound();
    context.cluster.put(*saved);
    return ok(meetingJson(*saved, keyOf(context, saved->frontend_id)));
}

ApiResult deleteMeeting(const ApiRequest& request, ApiContext& context) {
    auto found = locate(request, context);
    if (found.error) return *found.error;
    if (!context.store.deleteMeeting(found.meeting->frontend_id, found.meeting->id)) return ApiError::notFound();
    context.cluster.removeMeeting(found.meeting->id);
    return ok(meetingJson(*found.meeting, keyOf(context, found.meeting->frontend_id)));
}

}  // namespace b3s::core::api
