#include "recordings/recording_library.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "log/logger.hpp"
#include "recordings/import_merge.hpp"
#include "recordings/metadata_xml.hpp"
#include "recordings/recording_document.hpp"

#include <cstdio>

namespace b3s::core::recordings {

namespace sdk = b3s::plugin;
using Kind = LibraryError::Kind;

namespace {

const log::Logger& libraryLog() {
    static const log::Logger log("b3s.core.recordings");
    return log;
}

std::vector<std::string> formatTypes(const store::Recording& r) {
    std::vector<std::string> types;
    for (const auto& f : formatsFromJson(r.formats_json, r.record_id)) types.push_back(f.type);
    return types;
}

LibraryError storageError(const sdk::StorageResult& result, std::string_view what) {
    return {Kind::Storage, std::string(what) + ": " + result.message};
}

}  // namespace

RecordingLibrary::RecordingLibrary(store::Store& store, sdk::RecordingsStore& files, FrontendResolver frontends)
    : store_(store), files_(files), frontends_(std::move(frontends)) {}

bool RecordingLibrary::enabled() const {
    return files_.enabled();
}

LibraryResult<ImportOutcome> RecordingLibrary::importMetadata(std::string_view metadata_xml,
                                                              const ImportOptions& options,
                                                              std::string_view only_frontend_id) {
    using Result = LibraryResult<ImportOutcome>;
    auto parsed = parseMetadataXml(metadata_xml);
    if (!parsed.ok()) return Result::failure(Kind::Invalid, "metadata.xml: " + parsed.error);
    store::Recording incoming = std::move(parsed.imported->recording);
    auto& format = parsed.imported->format;
    if (format.preview.empty() && format.type == "presentation") {
        // Older BBB versions list no previews in metadata.xml: take the thumbnails the
        // storage holds (b3scale's rule), as paths the playback host turns into URLs.
        int n = 0;
        for (const auto& thumbnail : files_.thumbnails(incoming.record_id)) {
            char alt[32];
            std::snprintf(alt, sizeof alt, "Thumbnail %02d", ++n);
            format.preview.push_back({thumbnail.path, alt, thumbnail.width, thumbnail.height});
        }
        if (n > 0) incoming.formats_json = formatsToJson({format});
    }

    if (!options.override_meeting_id.empty()) incoming.meeting_id = options.override_meeting_id;
    std::optional<FrontendRef> frontend;
    if (!options.override_frontend_key.empty()) {
        frontend = frontends_(options.override_frontend_key);
        if (!frontend)
            return Result::failure(Kind::NotFound, "override_frontend_key: A frontend with key '" +
                                                       options.override_frontend_key + "' could not be found.");
        // A legacy (pre-b3scale) meeting id becomes this frontend's, as its meetings are.
        const auto decoded = bbb::decodeMeetingIdWithKey(incoming.meeting_id);
        if (!decoded || decoded->frontendKey != frontend->key)
            incoming.meeting_id =
                bbb::encodeMeetingId(frontend->key, decoded ? decoded->meetingId : incoming.meeting_id);
    } else {
        const auto decoded = bbb::decodeMeetingIdWithKey(incoming.meeting_id);
        if (decoded) frontend = frontends_(decoded->frontendKey);
        if (!frontend)
            return Result::failure(Kind::NotFound, "no frontend owns meeting '" + incoming.meeting_id +
                                                       "' (import with override_frontend_key to attribute it)");
    }
    if (!only_frontend_id.empty() && frontend->id != only_frontend_id)
        return Result::failure(Kind::NotFound, "the recording's meeting is not one of this frontend's");
    incoming.frontend_id = frontend->id;

    switch (options.files) {
        case ImportOptions::Files::FromInbox: break;
        case ImportOptions::Files::InPublishedTree:
            incoming.published = true;
            if (incoming.state == "unpublished") incoming.state = "published";
            break;
        case ImportOptions::Files::InUnpublishedTree:
            incoming.published = false;
            incoming.state = "unpublished";
            break;
    }
    if (frontend->visibility_override && options.files == ImportOptions::Files::FromInbox)
        apply(incoming, *frontend->visibility_override);

    ImportOutcome outcome;
    const auto existing = store_.findRecordingById(incoming.record_id);
    if (existing && existing->frontend_id != incoming.frontend_id)
        return Result::failure(Kind::Conflict, "recording '" + incoming.record_id + "' belongs to another frontend");
    if (existing) {
        auto merged = mergeImport(*existing, incoming);
        outcome.changed = merged.changed;
        outcome.recording = merged.changed ? store_.upsertRecording(merged.recording) : *existing;
    } else {
        outcome.changed = true;
        outcome.recording = store_.upsertRecording(incoming);
    }

    if (options.files == ImportOptions::Files::FromInbox) {
        // Only the format of this metadata.xml has arrived; earlier formats are in place.
        for (const auto& type : formatTypes(incoming)) {
            const auto moved = files_.importFormat(outcome.recording.record_id, type, outcome.recording.published);
            if (moved.ok() || moved.failure == sdk::StorageFailure::NotFound) continue;  // files elsewhere
            libraryLog().warn("recording_files_not_moved",
                              {{"record_id", outcome.recording.record_id}, {"format", type}, {"error", moved.message}});
            return {std::nullopt, storageError(moved, "indexed, but its files stay in the inbox")};
        }
    }
    if (outcome.changed)
        libraryLog().info("recording_indexed", {{"record_id", outcome.recording.record_id},
                                                {"frontend", frontend->key},
                                                {"state", outcome.recording.state}});
    return {std::move(outcome), std::nullopt};
}

std::optional<std::vector<store::Recording>> RecordingLibrary::ownRecordings(
    std::string_view frontend_id, const std::vector<std::string>& record_ids) {
    std::vector<store::Recording> rows;
    for (const auto& id : record_ids) {
        auto row = store_.findRecording(frontend_id, id);
        if (!row) return std::nullopt;
        rows.push_back(std::move(*row));
    }
    return rows;
}

LibraryResult<store::Recording> RecordingLibrary::moveFormats(store::Recording recording, bool published) {
    using Result = LibraryResult<store::Recording>;
    const auto types = formatTypes(recording);
    std::vector<std::string> moved;
    auto undo = [&] {
        for (const auto& type : moved) {
            const auto back = files_.setPublished(recording.record_id, type, !published);
            if (!back.ok())
                libraryLog().error("recording_move_not_undone",
                                   {{"record_id", recording.record_id}, {"format", type}, {"error", back.message}});
        }
    };
    for (const auto& type : types) {
        const auto result = files_.setPublished(recording.record_id, type, published);
        if (result.failure == sdk::StorageFailure::NotFound) continue;  // never arrived; nothing to move
        if (!result.ok()) {
            undo();
            return Result::failure(Kind::Storage, "recording '" + recording.record_id + "': " + result.message);
        }
        moved.push_back(type);
    }
    try {
        auto updated = store_.updateRecording(recording);
        if (!updated) {
            undo();
            return Result::failure(Kind::NotFound, "recording '" + recording.record_id + "' is gone");
        }
        return {std::move(*updated), std::nullopt};
    } catch (...) {
        undo();
        throw;
    }
}

LibraryResult<std::vector<store::Recording>> RecordingLibrary::setPublished(std::string_view frontend_id,
                                                                            const std::vector<std::string>& record_ids,
                                                                            bool published) {
    using Result = LibraryResult<std::vector<store::Recording>>;
    auto rows = ownRecordings(frontend_id, record_ids);
    if (!rows) return Result::failure(Kind::NotFound, "We could not find recordings");
    std::vector<store::Recording> done;
    for (auto& row : *rows) {
        if (row.published == published && row.state == (published ? "published" : "unpublished")) {
            done.push_back(row);
            continue;
        }
        row.published = published;
        row.state = published ? "published" : "unpublished";
        auto result = moveFormats(row, published);
        if (!result.ok()) return {std::nullopt, result.error};
        done.push_back(std::move(*result.value));
    }
    return {std::move(done), std::nullopt};
}

LibraryResult<store::Recording> RecordingLibrary::setVisibility(std::string_view record_id, Visibility visibility) {
    using Result = LibraryResult<store::Recording>;
    auto row = store_.findRecordingById(record_id);
    if (!row) return Result::failure(Kind::NotFound, "recording '" + std::string(record_id) + "' does not exist");
    apply(*row, visibility);
    const bool published = row->published;
    return moveFormats(std::move(*row), published);
}

LibraryResult<std::vector<store::Recording>> RecordingLibrary::updateMetadata(
    std::string_view frontend_id, const std::vector<std::string>& record_ids, const MetadataPatch& patch) {
    using Result = LibraryResult<std::vector<store::Recording>>;
    auto rows = ownRecordings(frontend_id, record_ids);
    if (!rows) return Result::failure(Kind::NotFound, "We could not find recordings");
    std::vector<store::Recording> done;
    for (auto& row : *rows) {
        if (!applyMetadataPatch(row.metadata, patch)) {
            done.push_back(std::move(row));
            continue;
        }
        auto updated = store_.updateRecording(row);
        if (!updated) return Result::failure(Kind::NotFound, "We could not find recordings");
        done.push_back(std::move(*updated));
    }
    return {std::move(done), std::nullopt};
}

LibraryResult<std::size_t> RecordingLibrary::remove(std::string_view frontend_id,
                                                    const std::vector<std::string>& record_ids) {
    using Result = LibraryResult<std::size_t>;
    auto rows = ownRecordings(frontend_id, record_ids);
    if (!rows) return Result::failure(Kind::NotFound, "We could not find recordings");
    std::size_t deleted = 0;
    for (const auto& row : *rows) {
        if (!store_.deleteRecording(frontend_id, row.record_id)) continue;
        ++deleted;
        for (const auto& type : formatTypes(row)) {
            const auto removed = files_.remove(row.record_id, type);
            if (!removed.ok())
                libraryLog().error("recording_files_left",
                                   {{"record_id", row.record_id}, {"format", type}, {"error", removed.message}});
        }
        libraryLog().info("recording_deleted", {{"record_id", row.record_id}});
    }
    return {deleted, std::nullopt};
}

ReindexReport RecordingLibrary::reindex() {
    ReindexReport report;
    files_.scanStored([&](const sdk::StoredFormat& found) {
        ++report.formats_seen;
        const auto where = found.format + "/" + found.record_id;
        if (found.metadata_xml.empty()) {
            report.skipped.push_back(where + ": " + (found.problem.empty() ? "no metadata.xml" : found.problem));
            return;
        }
        ImportOptions options;
        options.files = found.tree == sdk::RecordingTree::Unpublished ? ImportOptions::Files::InUnpublishedTree
                                                                      : ImportOptions::Files::InPublishedTree;
        try {
            auto result = importMetadata(found.metadata_xml, options);
            if (!result.ok()) {
                report.skipped.push_back(where + ": " + result.error->message);
            } else if (result.value->changed) {
                ++report.indexed;
            } else {
                ++report.unchanged;
            }
        } catch (const store::StoreError& e) {
            report.skipped.push_back(where + ": " + e.what());
        }
    });
    libraryLog().info("recordings_reindexed", {{"formats", std::to_string(report.formats_seen)},
                                               {"indexed", std::to_string(report.indexed)},
                                               {"unchanged", std::to_string(report.unchanged)},
                                               {"skipped", std::to_string(report.skipped.size())}});
    return report;
}

}  // namespace b3s::core::recordings
