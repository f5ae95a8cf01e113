#include "recordings/recording_xml.hpp"

#include "bbb/bbb_response.hpp"
#include "bbb/meeting_id_codec.hpp"
#include "bbb/xml_writer.hpp"
#include "log/logger.hpp"

#include <array>
#include <utility>

namespace b3s::core::recordings {
namespace {

log::Logger& logger() {
    static log::Logger l("b3s.core.recordings");
    return l;
}

// The metadata BBB's recording scripts write in camel case; the index keeps every name
// lower-cased (so meta_ filters match), and getRecordings gives these back as BBB does.
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kScriptMetaNames = {{
    {"isbreakout", "isBreakout"},
    {"meetingid", "meetingId"},
    {"meetingname", "meetingName"},
}};

std::string_view shownMetaName(std::string_view name) {
    for (const auto& [stored, shown] : kScriptMetaNames)
        if (stored == name) return shown;
    return name;
}

std::string decoded(const std::string& meeting_id) {
    auto id = bbb::decodeMeetingId(meeting_id);
    return id ? std::move(*id) : meeting_id;
}

const char* boolText(bool value) {
    return value ? "true" : "false";
}

void writeImage(bbb::XmlWriter& xml, const PreviewImage& image, const PlaybackLinks& links) {
    xml.startElement("image");
    if (!image.alt.empty()) xml.attribute("alt", image.alt);
    if (image.height > 0) xml.attribute("height", std::to_string(image.height));
    if (image.width > 0) xml.attribute("width", std::to_string(image.width));
    xml.text(links.image_url ? links.image_url(image.url) : image.url);
    xml.endElement();
}

void writeFormat(bbb::XmlWriter& xml, const store::Recording& recording, const PlaybackFormat& format,
                 const PlaybackLinks& links) {
    xml.startElement("format");
    xml.element("type", format.type);
    xml.element("url", links.format_url ? links.format_url(recording, format) : format.url);
    xml.element("processingTime", std::to_string(format.processing_time));
    xml.element("length", std::to_string(format.length));
    if (format.size) xml.element("size", std::to_string(*format.size));
    if (!format.preview.empty()) {
        xml.startElement("preview").startElement("images");
        for (const auto& image : format.preview) writeImage(xml, image, links);
        xml.endElement().endElement();
    }
    xml.endElement();
}

// `{"response":{"returncode":…,"messageKey":…,"message":…,"recordId":…}}`, escaped as
// bbb::renderFailureJson escapes.
std::string textTrackAnswer(std::string_view returncode, std::string_view key, std::string_view message,
                            std::string_view record_id) {
    std::string out = R"({"response":{"returncode":)";
    bbb::appendGoJsonString(out, returncode);
    out.append(R"(,"messageKey":)");
    bbb::appendGoJsonString(out, key);
    out.append(R"(,"message":)");
    bbb::appendGoJsonString(out, message);
    out.append(R"(,"recordId":)");
    bbb::appendGoJsonString(out, record_id);
    out.append("}}");
    return out;
}

}  // namespace

void writeRecording(bbb::XmlWriter& xml, const store::Recording& recording, const PlaybackLinks& links) {
    xml.startElement("recording");
    xml.element("recordID", recording.record_id);
    xml.element("meetingID", decoded(recording.meeting_id));
    xml.element("internalMeetingID", recording.internal_meeting_id);
    xml.element("name", recording.name);
    xml.element("isBreakout", boolText(recording.is_breakout));
    xml.element("published", boolText(recording.published));
    xml.element("state", recording.state);
    xml.element("startTime", std::to_string(recording.start_time));
    xml.element("endTime", std::to_string(recording.end_time));
    xml.element("participants", std::to_string(recording.participants));

    xml.startElement("metadata");
    for (const auto& [name, value] : recording.metadata) {
        const auto shown = shownMetaName(name);
        if (!bbb::XmlWriter::isValidName(shown)) {
            logger().warn("recordings.metadata_name_skipped", {{"record_id", recording.record_id}, {"name", name}});
            continue;
        }
        xml.element(shown, name == "meetingid" ? decoded(value) : value);
    }
    xml.endElement();

    xml.startElement("playback");
    for (const auto& format : formatsFromJson(recording.formats_json, recording.record_id))
        writeFormat(xml, recording, format, links);
    xml.endElement();
    xml.endElement();
}

std::string renderRecording(const store::Recording& recording, const PlaybackLinks& links) {
    bbb::XmlWriter xml(1024);
    writeRecording(xml, recording, links);
    return xml.finish();
}

std::string renderGetRecordings(const std::vector<store::Recording>& recordings, const PlaybackLinks& links) {
    bbb::SuccessResponse response;
    if (recordings.empty()) {
        response.xml().startElement("recordings").endElement();
        response.messageKey(bbb::ApiError::noRecordings());
        return response.finish();
    }
    response.xml().startElement("recordings");
    for (const auto& recording : recordings) writeRecording(response.xml(), recording, links);
    response.xml().endElement();
    return response.finish();
}

std::string renderPublishRecordings(bool published) {
    bbb::SuccessResponse response;
    response.element("published", boolText(published));
    return response.finish();
}

std::string renderUpdateRecordings() {
    bbb::SuccessResponse response;
    response.element("updated", "true");
    return response.finish();
}

std::string renderDeleteRecordings() {
    bbb::SuccessResponse response;
    response.element("deleted", "true");
    return response.finish();
}

std::string renderTextTracks(const std::vector<plugin::TextTrack>& tracks,
                             const std::function<std::string(std::string_view path)>& href) {
    std::string out = R"({"response":{"returncode":"SUCCESS","tracks":[)";
    bool first = true;
    for (const auto& track : tracks) {
        if (!first) out += ',';
        first = false;
        out.append(R"({"href":)");
        bbb::appendGoJsonString(out, href ? href(track.path) : track.path);
        out.append(R"(,"kind":)");
        bbb::appendGoJsonString(out, track.kind);
        out.append(R"(,"label":)");
        bbb::appendGoJsonString(out, track.label);
        out.append(R"(,"lang":)");
        bbb::appendGoJsonString(out, track.lang);
        out.append(R"(,"source":)");
        bbb::appendGoJsonString(out, track.source);
        out += '}';
    }
    out.append("]}}");
    return out;
}

std::string renderTextTrackUploaded(std::string_view record_id) {
    return textTrackAnswer("SUCCESS", "upload_text_track_success", "Text track uploaded successfully", record_id);
}

// bbb-api.md says upload_text_track_failed comes with SUCCESS; bbb-web's RecordingService
// builds it with FAILED (PutRecTextTrackResult(FAILED, …)) and its docs show FAILED, so
// FAILED it is.
std::string renderTextTrackUploadFailed(std::string_view record_id) {
    return textTrackAnswer("FAILED", "upload_text_track_failed", "Text track upload failed.", record_id);
}

}  // namespace b3s::core::recordings
