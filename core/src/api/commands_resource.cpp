#include "api/resource_json.hpp"
#include "api/resources.hpp"

#include <Poco/JSON/Array.h>

#include <sstream>

namespace b3s::core::api {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr store::Micros kCommandDeadlineUs = 120'000'000;  // b3scale's: start within two minutes

// Go matches JSON keys case-insensitively, so b3scale clients may send "backendid" too.
std::optional<std::string> backendIdParam(const Object& params) {
    for (const auto& [name, value] : params) {
        std::string lower = name;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "backendid" && value.isString()) return value.extract<std::string>();
    }
    return std::nullopt;
}

}  // namespace

ApiResult listCommands(const ApiRequest&, ApiContext& context) {
    Array::Ptr out = new Array;
    for (const auto& c : context.store.listCommands()) out->add(commandJson(c));
    return ok(out);
}

ApiResult createCommand(const ApiRequest& request, ApiContext& context) {
    if (!request.body) return ApiError::badRequest("send the command as a JSON object");
    const auto& body = *request.body;
    if (!body.has("action") || !body.get("action").isString() ||
        body.get("action").extract<std::string>() != "end_all_meetings")
        return ApiError::validation({{"action", {"this action is not allowed"}}});
    const auto params =
        body.has("params") && body.get("params").type() == typeid(Object::Ptr) ? body.getObject("params") : nullptr;
    const auto backend_id = params ? backendIdParam(*params) : std::nullopt;
    if (!backend_id) return ApiError::validation({{"params.BackendID", {"this field is required"}}});
    if (!context.store.findBackend(*backend_id))
        return ApiError::validation({{"params.BackendID", {"no such backend"}}});
    Object canonical(Poco::JSON_PRESERVE_KEY_ORDER);
    canonical.set("BackendID", *backend_id);
    std::ostringstream text;
    canonical.stringify(text);
    const auto command =
        context.store.insertCommand("end_all_meetings", text.str(), context.clock.nowMicros() + kCommandDeadlineUs);
    return ok(commandJson(command), 202);
}

ApiResult showCommand(const ApiRequest& request, ApiContext& context) {
    const auto command = context.store.findCommand(request.id);
    if (!command) return ApiError::notFound();
    return ok(commandJson(*command));
}

}  // namespace b3s::core::api
