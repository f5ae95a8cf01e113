#pragma once
// The answers of the recording calls, in bbb-web's shapes. Bodies are returned as strings for
// the gateway to send as they are: the XML ones with bbb::kXmlContentType (BbbAnswer::xml),
// the JSON ones with bbb::kJsonContentType, as the placeholders in gateway/recording_calls
// did. Failures are bbb::renderFailure / bbb::renderFailureJson of the errors in
// recording_errors.hpp and bbb::ApiError.
//
// One <recording> of getRecordings:
//   <recording><recordID/><meetingID/><internalMeetingID/><name/><isBreakout/><published/>
//   <state/><startTime/><endTime/><participants/><metadata>…</metadata>
//   <playback><format><type/><url/><processingTime/><length/>[<size/>]
//     [<preview><images><image alt= height= width=>url</image>…</images></preview>]
//   </format>…</playback></recording>
// meetingID and the metadata's meetingId are decoded back to the tenant's own id.

#include "recordings/recording_document.hpp"
#include "store/records.hpp"

#include <b3s/plugin/recordings.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::bbb {
class XmlWriter;
}

namespace b3s::core::recordings {

/// Where links point. The gateway plugs in the playback host and protected links; an empty
/// function leaves the stored value as it is.
struct PlaybackLinks {
    /// The URL shown for `format` of `recording` (its stored url is format.url).
    std::function<std::string(const store::Recording& recording, const PlaybackFormat& format)> format_url;
    /// The URL shown for a preview image whose stored url (or path) is `path`.
    std::function<std::string(std::string_view path)> image_url;
};

/// Writes one <recording> element (shape above) at the writer's position. Metadata names that
/// are not XML names are skipped (logged); isbreakout, meetingid and meetingname are written
/// as BBB's recording scripts spell them (isBreakout, meetingId, meetingName); a malformed
/// formats document writes an empty <playback/> (logged). The writer stays ok().
void writeRecording(bbb::XmlWriter& writer, const store::Recording& recording, const PlaybackLinks& links);

/// One <recording> on its own (for tests and logs).
std::string renderRecording(const store::Recording& recording, const PlaybackLinks& links = {});

/// getRecordings: SUCCESS with <recordings><recording>…</recordings>; none →
/// SUCCESS, <recordings/>, noRecordings (as bbb-web).
std::string renderGetRecordings(const std::vector<store::Recording>& recordings, const PlaybackLinks& links = {});

/// publishRecordings: SUCCESS with <published>true|false</published> (the value requested).
std::string renderPublishRecordings(bool published);
/// updateRecordings: SUCCESS with <updated>true</updated>.
std::string renderUpdateRecordings();
/// deleteRecordings: SUCCESS with <deleted>true</deleted>.
std::string renderDeleteRecordings();

/// getRecordingTextTracks (JSON):
/// {"response":{"returncode":"SUCCESS","tracks":[{"href","kind","label","lang","source"}…]}};
/// href is `href(track.path)`, or the path when `href` is empty.
std::string renderTextTracks(const std::vector<plugin::TextTrack>& tracks,
                             const std::function<std::string(std::string_view path)>& href = {});
/// putRecordingTextTrack accepted (JSON): SUCCESS, upload_text_track_success, recordId.
std::string renderTextTrackUploaded(std::string_view record_id);
/// putRecordingTextTrack could not store the track (JSON): FAILED, upload_text_track_failed,
/// recordId — bbb-web's shape (its returncode is FAILED; see recording_xml.cpp).
std::string renderTextTrackUploadFailed(std::string_view record_id);

}  // namespace b3s::core::recordings
