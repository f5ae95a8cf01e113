// /api/v1/recordings, /recordings/{id}, /recordings-visibility, /recordings-import and
// /recordings-reindex (spec b3scale-admin §3.7, §8.2): the index through the recording
// library, which keeps the plugin's files in step. Operators only, except import, which a
// node's token may do too (its post_publish hook) — for any frontend, as b3scale: the
// metadata's meeting id says whose recording it is.

#include "api/resource_json.hpp"
#include "api/resources.hpp"
#include "recordings/recording_document.hpp"
#include "recordings/visibility.hpp"

#include <Poco/JSON/Array.h>

namespace b3s::core::api {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using Kind = recordings::LibraryError::Kind;

constexpr int kDefaultListLimit = 1000;

ApiError libraryError(const recordings::LibraryError& e) {
    switch (e.kind) {
        case Kind::NotFound: return {404, "not_found", e.message, {}};
        case Kind::Invalid: return ApiError::badRequest(e.message);
        case Kind::Conflict: return ApiError::conflict(e.message);
        case Kind::Storage: return {507, "storage_failed", e.message, {}};
    }
    return ApiError::internal();
}

std::optional<int> intParam(const ApiRequest& r, const std::string& name, int fallback, int min, int max,
                            std::optional<ApiError>& error) {
    const auto value = r.param(name);
    if (!value) return fallback;
    try {
        std::size_t used = 0;
        const int n = std::stoi(*value, &used);
        if (used == value->size() && n >= min && n <= max) return n;
    } catch (const std::exception&) {
    }
    error = ApiError::badRequest(name + " must be a whole number from " + std::to_string(min) + " to " +
                                 std::to_string(max));
    return std::nullopt;
}

}  // namespace

ApiResult listRecordings(const ApiRequest& r, ApiContext& context) {
    std::optional<store::Frontend> frontend;
    if (const auto id = r.param("frontend_id"))
        frontend = context.store.findFrontend(*id);
    else if (const auto key = r.param("frontend_key"))
        frontend = context.store.findFrontendByKey(*key);
    else
        return ApiError::badRequest("give frontend_id or frontend_key");
    if (!frontend) return ApiError::notFound();
    std::optional<ApiError> error;
    const auto limit = intParam(r, "limit", kDefaultListLimit, 1, 10'000, error);
    const auto offset = intParam(r, "offset", 0, 0, 1'000'000'000, error);
    if (error) return *error;
    store::RecordingQuery query;
    query.frontend_id = frontend->id;
    query.limit = *limit;
    query.offset = *offset;
    query.count_total = false;
    const auto page = context.store.listRecordings(query);
    auto out = Poco::makeShared<Array>();
    for (const auto& recording : page.recordings) out->add(recordingStateJson(recording));
    return ok(out);
}

ApiResult showRecording(const ApiRequest& r, ApiContext& context) {
    const auto recording = context.store.findRecordingById(r.id);
    if (!recording) return ApiError::notFound();
    return ok(recordingStateJson(*recording));
}

ApiResult setRecordingVisibility(const ApiRequest& r, ApiContext& context) {
    if (!r.body) return ApiError::badRequest("the body must be a JSON object {record_id, visibility}");
    const auto record_id = r.body->optValue<std::string>("record_id", "");
    const auto name = r.body->optValue<std::string>("visibility", "");
    std::map<std::string, std::vector<std::string>> problems;
    if (record_id.empty()) problems["record_id"].push_back("is required");
    const auto visibility = recordings::parseVisibility(name);
    if (!visibility)
        problems["visibility"].push_back("must be one of unpublished, published, protected, public, public_protected");
    if (!problems.empty()) return ApiError::validation(std::move(problems));
    auto result = context.recordings.setVisibility(record_id, *visibility);
    if (!result.ok()) return libraryError(*result.error);
    return ok(recordingStateJson(*result.value));
}

ApiResult importRecording(const ApiRequest& r, ApiContext& context) {
    if (r.raw_body.empty()) return ApiError::badRequest("the body must be a BBB metadata.xml");
    recordings::ImportOptions options;
    options.override_meeting_id = r.param("override_original_meeting_id").value_or("");
    options.override_frontend_key = r.param("override_frontend_key").value_or("");
    auto result = context.recordings.importMetadata(r.raw_body, options);
    if (!result.ok()) return libraryError(*result.error);
    return ok(recordingJson(result.value->recording));
}

ApiResult reindexRecordings(const ApiRequest&, ApiContext& context) {
    if (!context.recordings.enabled())
        return ApiError::unavailable("no recordings plugin is loaded here: reindex on an instance that has one");
    const auto report = context.recordings.reindex();
    auto out = Poco::makeShared<Object>();
    out->set("formats_seen", report.formats_seen);
    out->set("indexed", report.indexed);
    out->set("unchanged", report.unchanged);
    auto skipped = Poco::makeShared<Array>();
    for (const auto& line : report.skipped) skipped->add(line);
    out->set("skipped", skipped);
    return ok(out);
}

}  // namespace b3s::core::api
