#include "gateway/recording_calls.hpp"

#include "gateway/playback_gate.hpp"
#include "log/logger.hpp"
#include "recordings/recording_document.hpp"
#include "recordings/recording_errors.hpp"
#include "recordings/recording_query.hpp"
#include "recordings/recording_xml.hpp"
#include "recordings/visibility.hpp"

#include <Poco/Net/MediaType.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/URI.h>

#include <sstream>

namespace b3s::core::gateway {
namespace {

using recordings::LibraryError;

const log::Logger& callsLog() {
    static const log::Logger l("b3s.core.recordings");
    return l;
}

BbbAnswer json(std::string body) {
    BbbAnswer a;
    a.content_type = std::string(bbb::kJsonContentType);
    a.body = std::move(body);
    return a;
}

bbb::ApiError storageError() {
    return {"storageError", "The recording's files could not be changed; please try again later."};
}

BbbAnswer libraryFailure(const LibraryError& error) {
    if (error.kind == LibraryError::Kind::Storage) {
        callsLog().warn("recording_files_failed", {{"error", error.message}});
        return BbbAnswer::failure(storageError());
    }
    return BbbAnswer::failure(bbb::ApiError::recordingsNotFound());
}

bool isProtected(const store::Recording& r) {
    const auto* protect = recordings::findMetadata(r.metadata, recordings::kProtectMeta);
    return protect != nullptr && *protect == "true";
}

// A relative path (a thumbnail or text track the plugin stores, without a playback host) is
// served by the node that recorded it: the scheme and host of the recording's first format.
std::string absoluteOn(const std::string& url_or_path, const store::Recording& r) {
    if (url_or_path.find("://") != std::string::npos) return url_or_path;
    const auto formats = recordings::formatsFromJson(r.formats_json, r.record_id);
    if (formats.empty()) return url_or_path;
    try {
        const Poco::URI base(formats.front().url);
        if (base.getHost().empty()) return url_or_path;
        return base.getScheme() + "://" + base.getAuthority() + "/" +
               (url_or_path.starts_with('/') ? url_or_path.substr(1) : url_or_path);
    } catch (const Poco::Exception&) {
        return url_or_path;
    }
}

// The `file` part of a multipart/form-data body; nullopt when there is none.
std::optional<std::string> filePart(const BbbCall& call, std::size_t max_bytes, bool& too_large) {
    Poco::Net::MediaType type(call.content_type.empty() ? "application/octet-stream" : call.content_type);
    if (type.getType() != "multipart" || !type.hasParameter("boundary")) return std::nullopt;
    std::istringstream body(call.body);
    Poco::Net::MultipartReader reader(body, type.getParameter("boundary"));
    while (reader.hasNextPart()) {
        Poco::Net::MessageHeader header;
        reader.nextPart(header);
        std::string disposition;
        Poco::Net::NameValueCollection params;
        Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition, params);
        std::string content((std::istreambuf_iterator<char>(reader.stream())), std::istreambuf_iterator<char>());
        if (params.get("name", "") != "file") continue;
        if (content.size() > max_bytes) too_large = true;
        return content;
    }
    return std::nullopt;
}

}  // namespace

BbbAnswer RecordingCalls::getRecordings(const BbbCall& call) const {
    const auto& frontend = call.frontend->frontend;
    const auto query = recordings::parseRecordingQuery(call.params, frontend.id, frontend.key);
    if (!query.ok()) return BbbAnswer::failure(query.error);
    auto request = *query.value;
    request.count_total = false;  // BBB's answer has no total: no COUNT(*) over every match
    auto page = context_.store.listRecordings(request);
    const auto& files = context_.library.files();
    for (auto& r : page.recordings) {
        if (!isProtected(r)) continue;
        // Thumbnails show the slides: a protected recording lists none.
        auto formats = recordings::formatsFromJson(r.formats_json, r.record_id);
        for (auto& f : formats) f.preview.clear();
        r.formats_json = recordings::formatsToJson(formats);
    }
    recordings::PlaybackLinks links;
    links.format_url = [&](const store::Recording& r, const recordings::PlaybackFormat& format) -> std::string {
        if (!isProtected(r)) return files.playbackUrl(format.url);
        if (context_.tokens == nullptr) return {};  // no secret to sign a link: no URL, never an open one
        return context_.api_url + std::string(kProtectedRecordingsPath) +
               context_.tokens->linkToken(r.frontend_id, r.record_id, format.type);
    };
    links.image_url = [&](std::string_view path) { return files.playbackUrl(path); };
    return BbbAnswer::xml(recordings::renderGetRecordings(page.recordings, links));
}

BbbAnswer RecordingCalls::publishRecordings(const BbbCall& call) const {
    const auto request = recordings::parsePublishRecordings(call.params);
    if (!request.ok()) return BbbAnswer::failure(request.error);
    const auto result =
        context_.library.setPublished(call.frontend->frontend.id, request.value->record_ids, request.value->publish);
    if (!result.ok()) return libraryFailure(*result.error);
    return BbbAnswer::xml(recordings::renderPublishRecordings(request.value->publish));
}

BbbAnswer RecordingCalls::updateRecordings(const BbbCall& call) const {
    const auto request = recordings::parseUpdateRecordings(call.params);
    if (!request.ok()) return BbbAnswer::failure(request.error);
    const auto result =
        context_.library.updateMetadata(call.frontend->frontend.id, request.value->record_ids, request.value->patch);
    if (!result.ok()) return libraryFailure(*result.error);
    return BbbAnswer::xml(recordings::renderUpdateRecordings());
}

BbbAnswer RecordingCalls::deleteRecordings(const BbbCall& call) const {
    const auto ids = recordings::parseRecordIds(call.params);
    if (!ids.ok()) return BbbAnswer::failure(ids.error);
    const auto result = context_.library.remove(call.frontend->frontend.id, *ids.value);
    if (!result.ok()) return libraryFailure(*result.error);
    return BbbAnswer::xml(recordings::renderDeleteRecordings());
}

BbbAnswer RecordingCalls::getRecordingTextTracks(const BbbCall& call) const {
    const auto id = call.params.get("recordID");
    if (!id || id->empty()) return json(bbb::renderFailureJson(bbb::ApiError::missingParameter("recordID")));
    const auto recording = context_.store.findRecording(call.frontend->frontend.id, *id);
    if (!recording) return json(bbb::renderFailureJson(bbb::ApiError::noRecordings()));
    const auto& files = context_.library.files();
    const auto tracks = files.listTextTracks(recording->record_id);
    return json(recordings::renderTextTracks(
        tracks, [&](std::string_view path) { return absoluteOn(files.playbackUrl(path), *recording); }));
}

BbbAnswer RecordingCalls::putRecordingTextTrack(const BbbCall& call) const {
    const auto upload = recordings::parseTextTrackUpload(call.params);
    if (!upload.ok()) return json(bbb::renderFailureJson(upload.error));
    const auto& record_id = upload.value->record_id;
    const auto recording = context_.store.findRecording(call.frontend->frontend.id, record_id);
    if (!recording) return json(bbb::renderFailureJson(bbb::ApiError::noRecordings()));
    bool too_large = false;
    std::optional<std::string> content;
    try {
        content = filePart(call, context_.max_text_track_bytes, too_large);
    } catch (const Poco::Exception& e) {
        callsLog().info("text_track_body_unreadable", {{"record_id", record_id}, {"error", e.displayText()}});
        return json(bbb::renderFailureJson(recordings::emptyUploadedTextTrack()));
    }
    if (content && content->empty()) return json(bbb::renderFailureJson(recordings::emptyUploadedTextTrack()));
    if (too_large) {
        callsLog().info("text_track_too_large", {{"record_id", record_id}});
        return json(recordings::renderTextTrackUploadFailed(record_id));
    }
    // No file part: bbb-web deletes the track of that kind and language.
    const auto stored = context_.library.files().putTextTrack(record_id, upload.value->track, content.value_or(""));
    if (!stored.ok()) {
        callsLog().warn("text_track_not_stored", {{"record_id", record_id}, {"error", stored.message}});
        return json(recordings::renderTextTrackUploadFailed(record_id));
    }
    return json(recordings::renderTextTrackUploaded(record_id));
}

}  // namespace b3s::core::gateway
