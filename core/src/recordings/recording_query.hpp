#pragma once
// The parameters of the recording calls, checked and turned into what the index and the
// recordings plugin take. Pure: no store, no files. Each parser answers either its value or
// the BBB error to send (bbb::ApiError; the gateway renders it as XML or, for the text-track
// calls, as JSON).

#include "bbb/bbb_response.hpp"
#include "bbb/param_list.hpp"
#include "recordings/recording_metadata.hpp"
#include "store/records.hpp"

#include <b3s/plugin/recordings.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::recordings {

/// Most ids a recordID (or getRecordings' meetingID) list may carry.
inline constexpr std::size_t kMaxIds = 100;
/// getRecordings' largest `limit` (BBB 2.6+: 1 to 100).
inline constexpr int kMaxLimit = 100;

/// A parsed value, or the error to answer instead.
template <typename T>
struct Parsed {
    std::optional<T> value;
    bbb::ApiError error;  ///< set when !value

    bool ok() const noexcept { return value.has_value(); }
    static Parsed failure(bbb::ApiError e) { return {std::nullopt, std::move(e)}; }
};

/// Splits a comma list: items trimmed of spaces and tabs, empty items dropped, repeats
/// dropped (first kept). Pure.
std::vector<std::string> splitIdList(std::string_view list);

/// getRecordings of the frontend `frontend_id` (whose key is `frontend_key`):
///   recordID  comma list (splitIdList) → record_id_prefixes; when it names any id, meetingID
///             is ignored (BBB's rule);
///   meetingID comma list, items kept as sent (not trimmed; empty items dropped), each
///             encoded with bbb::encodeMeetingId(frontend_key, id) → meeting_ids;
///   state     comma list (trimmed, empty items dropped); an item `any` → no state filter;
///             absent or empty → published, unpublished (BBB's default);
///   meta_<n>  n matching [a-zA-Z][a-zA-Z0-9-]* (others ignored, as bbb-web does), lower-cased
///             → metadata name = value, exact match (an empty value matches an empty value);
///   offset    integer ≥ 0, else invalidOffset(); absent or empty → 0;
///   limit     integer 1..100, else invalidLimit(); absent or empty → 0 (no limit).
/// More than kMaxIds ids in recordID or meetingID → tooManyIds(). Pure.
Parsed<store::RecordingQuery> parseRecordingQuery(const bbb::ParamList& params, std::string_view frontend_id,
                                                  std::string_view frontend_key);

/// The recordID list of publishRecordings, updateRecordings and deleteRecordings
/// (splitIdList): none → missingParamRecordID; more than kMaxIds → tooManyIds(). Pure.
Parsed<std::vector<std::string>> parseRecordIds(const bbb::ParamList& params);

struct PublishRequest {
    std::vector<std::string> record_ids;
    bool publish = false;  ///< `publish` equals "true" ignoring case (bbb-web's parseBoolean)
};
/// publishRecordings: recordID as parseRecordIds(), then `publish` required
/// (missingParamPublish when absent or empty). Pure.
Parsed<PublishRequest> parsePublishRecordings(const bbb::ParamList& params);

/// updateRecordings' metadata change: every meta_<n> with a valid n (as in
/// parseRecordingQuery), n lower-cased; an empty value removes the name. Params in order, so a
/// later meta_X overrides an earlier meta_x. Pure.
MetadataPatch parseMetadataPatch(const bbb::ParamList& params);

struct UpdateRequest {
    std::vector<std::string> record_ids;
    MetadataPatch patch;
};
/// updateRecordings: recordID as parseRecordIds() plus parseMetadataPatch(). Pure.
Parsed<UpdateRequest> parseUpdateRecordings(const bbb::ParamList& params);

struct TextTrackUpload {
    std::string record_id;
    /// kind and lang as sent (trimmed), label trimmed or, when absent, the lang (bbb-web uses
    /// the language's display name, which b3scale does not know), source "upload".
    plugin::TextTrack track;
};
/// putRecordingTextTrack's query, checked in bbb-web's order: recordID, kind
/// (subtitles|captions, else invalidKind), lang (a language tag: subtags of 1-8 letters or
/// digits joined by '-', the first 2-8 letters, at most 35 characters; else invalidLang).
/// Missing ones → textTrackParamError(name). The file part is the caller's. Pure.
Parsed<TextTrackUpload> parseTextTrackUpload(const bbb::ParamList& params);

/// Whether `lang` is a language tag as parseTextTrackUpload() accepts it. Pure.
bool isValidLanguageTag(std::string_view lang) noexcept;

}  // namespace b3s::core::recordings
