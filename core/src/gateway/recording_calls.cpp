#include "gateway/recording_calls.hpp"

namespace b3s::core::gateway {
namespace {

bool present(const BbbCall& call, std::string_view name) {
    const auto v = call.params.get(name);
    return v && !v->empty();
}

BbbAnswer json(std::string body) {
    BbbAnswer a;
    a.content_type = std::string(bbb::kJsonContentType);
    a.body = std::move(body);
    return a;
}

}  // namespace

BbbAnswer getRecordingsAnswer(const BbbCall&) {
    bbb::SuccessResponse r;
    r.xml().startElement("recordings").endElement();
    r.messageKey(bbb::ApiError::noRecordings());
    return BbbAnswer::xml(r.finish());
}

BbbAnswer publishRecordingsAnswer(const BbbCall& call) {
    if (!present(call, "recordID")) return BbbAnswer::failure(bbb::ApiError::missingParamRecordID());
    if (!present(call, "publish")) return BbbAnswer::failure(bbb::ApiError::missingParamPublish());
    return BbbAnswer::failure(bbb::ApiError::recordingsNotFound());
}

BbbAnswer updateOrDeleteRecordingsAnswer(const BbbCall& call) {
    if (!present(call, "recordID")) return BbbAnswer::failure(bbb::ApiError::missingParamRecordID());
    return BbbAnswer::failure(bbb::ApiError::recordingsNotFound());
}

BbbAnswer getRecordingTextTracksAnswer(const BbbCall& call) {
    if (!present(call, "recordID")) return json(bbb::renderFailureJson(bbb::ApiError::missingParameter("recordID")));
    return json(bbb::renderFailureJson(bbb::ApiError::noRecordings()));
}

BbbAnswer putRecordingTextTrackAnswer(const BbbCall& call) {
    for (const char* name : {"recordID", "kind", "lang"})
        if (!present(call, name))
            return json(bbb::renderFailureJson({"paramError", std::string("Missing parameter ") + name + "."}));
    return json(bbb::renderFailureJson(bbb::ApiError::noRecordings()));
}

}  // namespace b3s::core::gateway
