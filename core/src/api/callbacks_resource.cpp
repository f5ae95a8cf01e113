// The callback outbox for operators: what waits, what was given up (dead letters) and why,
// and a dead letter queued again.
#include "api/resource_json.hpp"
#include "api/resources.hpp"

#include <Poco/JSON/Array.h>

#include <charconv>
#include <set>

namespace b3s::core::api {
namespace {

constexpr int kDefaultLimit = 1000;
const std::set<std::string, std::less<>> kStates = {"pending", "delivering", "delivered", "dead"};

}  // namespace

ApiResult listCallbacks(const ApiRequest& request, ApiContext& context) {
    std::vector<std::string> states;
    if (const auto state = request.param("state")) {
        std::size_t pos = 0;
        while (pos <= state->size()) {
            const auto comma = state->find(',', pos);
            auto one = state->substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
            if (!kStates.contains(one))
                return ApiError::validation({{"state", {"use pending, delivering, delivered or dead"}}});
            states.push_back(std::move(one));
            if (comma == std::string::npos) break;
            pos = comma + 1;
        }
    }
    int limit = kDefaultLimit;
    if (const auto text = request.param("limit")) {
        const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
        if (ec != std::errc() || ptr != text->data() + text->size() || limit < 1 || limit > 10'000)
            return ApiError::validation({{"limit", {"use a whole number from 1 to 10000"}}});
    }
    const auto snapshot = context.cluster.snapshot();
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
    for (const auto& c : context.store.listCallbacks(states, limit)) {
        const auto frontend = snapshot->frontend(c.frontend_id);
        out->add(callbackJson(c, frontend ? frontend->key : "undefined"));
    }
    return ok(out);
}

ApiResult retryCallback(const ApiRequest& request, ApiContext& context) {
    const auto callback = context.store.findCallback(request.id);
    if (!callback) return ApiError::notFound();
    if (!context.store.retryCallback(callback->id, context.clock.nowMicros()))
        return ApiError::conflict("only a dead callback can be retried; this one is " + callback->state);
    const auto queued = context.store.findCallback(callback->id);
    if (!queued) return ApiError::notFound();
    const auto frontend = context.cluster.snapshot()->frontend(queued->frontend_id);
    return ok(callbackJson(*queued, frontend ? frontend->key : "undefined"));
}

}  // namespace b3s::core::api
