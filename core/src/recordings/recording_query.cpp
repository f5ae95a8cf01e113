#include "recordings/recording_query.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "recordings/recording_errors.hpp"
#include "recordings/recording_names.hpp"
#include "util/ascii.hpp"

#include <algorithm>
#include <charconv>

namespace b3s::core::recordings {
namespace {

constexpr std::string_view kBlank = " \t";
constexpr std::string_view kMetaPrefix = "meta_";

std::string_view param(const bbb::ParamList& params, std::string_view name) {
    return params.get(name).value_or(std::string_view{});
}

// Comma items in order; empty ones dropped, and with `trim` blank ones too.
std::vector<std::string> splitList(std::string_view list, bool trim) {
    std::vector<std::string> items;
    while (!list.empty()) {
        const auto comma = list.find(',');
        auto item = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (trim) item = trimAny(item, kBlank);
        if (item.empty()) continue;
        if (std::find(items.begin(), items.end(), item) == items.end()) items.emplace_back(item);
    }
    return items;
}

// A decimal integer without sign or blanks; nullopt otherwise (also on overflow).
std::optional<int> parseInteger(std::string_view text) {
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.front() == '-') return std::nullopt;
    return value;
}

// The lower-cased metadata name of a meta_<n> parameter, or nullopt when it is none.
std::optional<std::string> metaName(std::string_view param_name) {
    if (!param_name.starts_with(kMetaPrefix)) return std::nullopt;
    const auto name = param_name.substr(kMetaPrefix.size());
    if (!isValidMetaName(name)) return std::nullopt;
    return toLowerAscii(name);
}

bool isAsciiAlnum(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool isAsciiAlpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

std::vector<std::string> splitIdList(std::string_view list) {
    return splitList(list, true);
}

Parsed<store::RecordingQuery> parseRecordingQuery(const bbb::ParamList& params, std::string_view frontend_id,
                                                  std::string_view frontend_key) {
    store::RecordingQuery query;
    query.frontend_id = std::string(frontend_id);

    query.record_id_prefixes = splitIdList(param(params, "recordID"));
    if (query.record_id_prefixes.size() > kMaxIds)
        return Parsed<store::RecordingQuery>::failure(tooManyIds("recordID", kMaxIds));
    if (query.record_id_prefixes.empty()) {
        const auto meeting_ids = splitList(param(params, "meetingID"), false);
        if (meeting_ids.size() > kMaxIds)
            return Parsed<store::RecordingQuery>::failure(tooManyIds("meetingID", kMaxIds));
        for (const auto& id : meeting_ids) query.meeting_ids.push_back(bbb::encodeMeetingId(frontend_key, id));
    }

    const auto states = splitIdList(param(params, "state"));
    if (states.empty())
        query.states = {"published", "unpublished"};
    else if (std::find(states.begin(), states.end(), "any") == states.end())
        query.states = states;

    for (const auto& p : params)
        if (auto name = metaName(p.name)) query.metadata.emplace_back(std::move(*name), p.value);

    if (const auto offset = param(params, "offset"); !offset.empty()) {
        const auto value = parseInteger(offset);
        if (!value) return Parsed<store::RecordingQuery>::failure(invalidOffset());
        query.offset = *value;
    }
    if (const auto limit = param(params, "limit"); !limit.empty()) {
        const auto value = parseInteger(limit);
        if (!value || *value < 1 || *value > kMaxLimit) return Parsed<store::RecordingQuery>::failure(invalidLimit());
        query.limit = *value;
    }
    return {std::move(query), {}};
}

Parsed<std::vector<std::string>> parseRecordIds(const bbb::ParamList& params) {
    auto ids = splitIdList(param(params, "recordID"));
    if (ids.empty()) return Parsed<std::vector<std::string>>::failure(bbb::ApiError::missingParamRecordID());
    if (ids.size() > kMaxIds) return Parsed<std::vector<std::string>>::failure(tooManyIds("recordID", kMaxIds));
    return {std::move(ids), {}};
}

Parsed<PublishRequest> parsePublishRecordings(const bbb::ParamList& params) {
    auto ids = parseRecordIds(params);
    if (!ids.ok()) return Parsed<PublishRequest>::failure(std::move(ids.error));
    const auto publish = param(params, "publish");
    if (publish.empty()) return Parsed<PublishRequest>::failure(bbb::ApiError::missingParamPublish());
    return {PublishRequest{std::move(*ids.value), equalsIgnoreAsciiCase(publish, "true")}, {}};
}

MetadataPatch parseMetadataPatch(const bbb::ParamList& params) {
    MetadataPatch patch;
    for (const auto& p : params) {
        auto name = metaName(p.name);
        if (!name) continue;
        std::optional<std::string> value;
        if (!p.value.empty()) value = p.value;
        patch.changes.emplace_back(std::move(*name), std::move(value));
    }
    return patch;
}

Parsed<UpdateRequest> parseUpdateRecordings(const bbb::ParamList& params) {
    auto ids = parseRecordIds(params);
    if (!ids.ok()) return Parsed<UpdateRequest>::failure(std::move(ids.error));
    return {UpdateRequest{std::move(*ids.value), parseMetadataPatch(params)}, {}};
}

bool isValidLanguageTag(std::string_view lang) noexcept {
    if (lang.empty() || lang.size() > 35) return false;
    bool first = true;
    while (true) {
        const auto dash = lang.find('-');
        const auto subtag = lang.substr(0, dash);
        if (subtag.empty() || subtag.size() > 8) return false;
        if (first && (subtag.size() < 2 || !std::all_of(subtag.begin(), subtag.end(), isAsciiAlpha))) return false;
        if (!std::all_of(subtag.begin(), subtag.end(), isAsciiAlnum)) return false;
        if (dash == std::string_view::npos) return true;
        lang = lang.substr(dash + 1);
        first = false;
    }
}

Parsed<TextTrackUpload> parseTextTrackUpload(const bbb::ParamList& params) {
    TextTrackUpload upload;
    upload.record_id = std::string(trimAny(param(params, "recordID"), kBlank));
    if (upload.record_id.empty()) return Parsed<TextTrackUpload>::failure(textTrackParamError("recordID"));

    const auto kind = trimAny(param(params, "kind"), kBlank);
    if (kind.empty()) return Parsed<TextTrackUpload>::failure(textTrackParamError("kind"));
    if (kind != "subtitles" && kind != "captions") return Parsed<TextTrackUpload>::failure(invalidKind());

    const auto lang = trimAny(param(params, "lang"), kBlank);
    if (lang.empty()) return Parsed<TextTrackUpload>::failure(textTrackParamError("lang"));
    if (!isValidLanguageTag(lang)) return Parsed<TextTrackUpload>::failure(invalidLang());

    const auto label = trimAny(param(params, "label"), kBlank);
    upload.track.kind = std::string(kind);
    upload.track.lang = std::string(lang);
    upload.track.label = std::string(label.empty() ? lang : label);
    upload.track.source = "upload";
    return {std::move(upload), {}};
}

}  // namespace b3s::core::recordings
