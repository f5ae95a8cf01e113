#pragma once
// The BBB errors only the recording calls answer, spelled once (the shared ones —
// missingParamRecordID, missingParamPublish, notFound, noRecordings, missingParameter — are
// bbb::ApiError's own factories). Message texts follow bbb-web where it has one; clients
// match on the key.

#include "bbb/bbb_response.hpp"

#include <cstddef>
#include <string_view>

namespace b3s::core::recordings {

// --- getRecordings and the id lists (XML) ------------------------------------------------
/// `offset` that is not an integer ≥ 0. bbb-web documents the range but no key of its own:
/// validationError is its key for constraint failures, which clients already handle.
bbb::ApiError invalidOffset();
/// `limit` that is not an integer from 1 to 100 (validationError, as invalidOffset).
bbb::ApiError invalidLimit();
/// More than `max` ids in the comma list of `param` (validationError).
bbb::ApiError tooManyIds(std::string_view param, std::size_t max);

// --- putRecordingTextTrack (JSON, bbb-web's keys and texts) -------------------------------
/// A required parameter (`recordID`, `kind`, `lang`) is missing: "Missing param <name>.".
bbb::ApiError textTrackParamError(std::string_view name);
/// `kind` other than subtitles or captions.
bbb::ApiError invalidKind();
/// `lang` that is not a well-formed language tag.
bbb::ApiError invalidLang();
/// The upload has no file, or an empty one.
bbb::ApiError emptyUploadedTextTrack();

}  // namespace b3s::core::recordings
