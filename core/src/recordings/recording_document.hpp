#pragma once
// The playback formats of a recording, and their JSON form kept in the index
// (store::Recording::formats_json):
//
//   [{"type":"presentation","url":"https://bbb1.example.com/playback/presentation/2.3/<id>",
//     "processing_time":5429,"length":2,"size":1104836,
//     "preview":[{"url":"https://…/thumb-1.png","alt":"Welcome","width":176,"height":136}]}]
//
// `size` is left out when unknown; every other key is always written. Readers accept a
// missing processing_time, length, size (or null) and preview, so older rows stay readable.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::recordings {

/// One preview image of a format (BBB's <preview><images><image>).
struct PreviewImage {
    std::string url;  ///< as BBB wrote it, or a path relative to the recordings tree
    std::string alt;
    int width = 0;   ///< 0: unknown (not rendered)
    int height = 0;  ///< 0: unknown (not rendered)

    friend bool operator==(const PreviewImage&, const PreviewImage&) = default;
};

/// One playback format of a recording (BBB's <playback><format>).
struct PlaybackFormat {
    std::string type;                  ///< presentation, video, podcast, screenshare, …
    std::string url;                   ///< the backend's playback link
    std::int64_t processing_time = 0;  ///< ms
    std::int64_t length = 0;           ///< minutes (BBB's duration / 60000, rounded down)
    std::optional<std::int64_t> size;  ///< bytes, when BBB reported it
    std::vector<PreviewImage> preview;

    friend bool operator==(const PlaybackFormat&, const PlaybackFormat&) = default;
};

/// The JSON array of `formats` (shape above). Pure; never fails.
std::string formatsToJson(const std::vector<PlaybackFormat>& formats);

/// Parses a formats document; nullopt when it is not a JSON array of format objects with a
/// string `type` and `url` and integer numbers. Pure; never throws (beyond std::bad_alloc).
std::optional<std::vector<PlaybackFormat>> parseFormatsJson(std::string_view json);

/// As parseFormatsJson(), for request paths: a malformed document reads as no formats and a
/// warning `recordings.formats_malformed` naming `record_id` is logged. Never throws.
std::vector<PlaybackFormat> formatsFromJson(std::string_view json, std::string_view record_id);

}  // namespace b3s::core::recordings
