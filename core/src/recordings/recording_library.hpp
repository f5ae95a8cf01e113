#pragma once
// The operations on recordings that keep the index (core's store) and the files (the
// recordings plugin) in step. Shared by the BBB recording calls, the REST API and the inbox
// watcher, so every path follows the same order:
//  - import: the row first, then the files move out of the inbox (a failed move leaves them
//    there and the next import or inbox scan finishes the job);
//  - publish/unpublish: the files first, then the row; a failed row write moves the files
//    back, a failed move of one format moves the formats already moved back;
//  - delete: the row first, then the files (nothing deleted before its row is).
// Errors are values (LibraryError); a StoreError of kind Unavailable/Internal is thrown.
// Thread-safety: every method may be called concurrently.

#include "recordings/recording_metadata.hpp"
#include "recordings/visibility.hpp"
#include "store/store.hpp"

#include <b3s/plugin/recordings.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace b3s::core::recordings {

/// A frontend as imports need it.
struct FrontendRef {
    std::string id;
    std::string key;
    std::optional<Visibility> visibility_override;  ///< settings.recordings.visibility_override
};

/// Finds frontends by key from the in-memory cluster view (no database round trip).
using FrontendResolver = std::function<std::optional<FrontendRef>(std::string_view key)>;

struct LibraryError {
    enum class Kind {
        NotFound,  ///< no such recording (for this frontend), or an unknown frontend key
        Invalid,   ///< a metadata.xml, record id or visibility that cannot be used
        Conflict,  ///< the record id belongs to another frontend
        Storage,   ///< the plugin could not move or delete files (message says why)
    };
    Kind kind = Kind::Invalid;
    std::string message;  ///< one sentence for the caller; never a secret
};

template <typename T>
struct LibraryResult {
    std::optional<T> value;
    std::optional<LibraryError> error;
    bool ok() const noexcept { return !error.has_value(); }
    static LibraryResult failure(LibraryError::Kind kind, std::string message) {
        return {std::nullopt, LibraryError{kind, std::move(message)}};
    }
};

struct ImportOptions {
    std::string override_meeting_id;    ///< replaces the meeting id of the metadata
    std::string override_frontend_key;  ///< attributes a legacy recording to this frontend
    /// Where the files are now: moved out of the inbox (normal) or already in a tree
    /// (reindex: published = which tree they were found in).
    enum class Files { FromInbox, InPublishedTree, InUnpublishedTree } files = Files::FromInbox;
};

struct ImportOutcome {
    store::Recording recording;
    bool changed = false;  ///< false: the same import was done before (idempotent)
};

struct ReindexReport {
    std::size_t formats_seen = 0;
    std::size_t indexed = 0;    ///< rows inserted or changed
    std::size_t unchanged = 0;  ///< already in the index as found
    /// "<format>/<recordID>: reason" for every format that could not be indexed.
    std::vector<std::string> skipped;
};

class RecordingLibrary {
public:
    /// Every reference must outlive the library.
    RecordingLibrary(store::Store& store, b3s::plugin::RecordingsStore& files, FrontendResolver frontends);

    bool enabled() const;
    b3s::plugin::RecordingsStore& files() const { return files_; }

    /// POST /api/v1/recordings-import, the inbox watcher and reindex: indexes the recording
    /// a BBB metadata.xml describes (for the frontend its meeting id names) and moves its
    /// files. `only_frontend_id` non-empty: refuse (NotFound) a recording of another frontend.
    LibraryResult<ImportOutcome> importMetadata(std::string_view metadata_xml, const ImportOptions& options,
                                                std::string_view only_frontend_id = {});

    /// publishRecordings: every id must be a recording of `frontend_id` (else NotFound and
    /// nothing changes); each then moves to the published or unpublished tree.
    LibraryResult<std::vector<store::Recording>> setPublished(std::string_view frontend_id,
                                                              const std::vector<std::string>& record_ids,
                                                              bool published);
    /// POST /api/v1/recordings-visibility (operators): the §8.3 mapping, files moved.
    LibraryResult<store::Recording> setVisibility(std::string_view record_id, Visibility visibility);
    /// updateRecordings: every id must be `frontend_id`'s (else NotFound, nothing changed).
    LibraryResult<std::vector<store::Recording>> updateMetadata(std::string_view frontend_id,
                                                                const std::vector<std::string>& record_ids,
                                                                const MetadataPatch& patch);
    /// deleteRecordings: every id must be `frontend_id`'s; rows first, then files.
    LibraryResult<std::size_t> remove(std::string_view frontend_id, const std::vector<std::string>& record_ids);

    /// Rebuilds the index from the storage trees (an operator moving over keeps every
    /// recording): every format found is imported in place, its tree deciding published.
    ReindexReport reindex();

private:
    /// Every id as `frontend_id`'s recording, or nullopt when one is not (missing or
    /// another frontend's): a call then fails before anything changes.
    std::optional<std::vector<store::Recording>> ownRecordings(std::string_view frontend_id,
                                                               const std::vector<std::string>& record_ids);
    LibraryResult<store::Recording> moveFormats(store::Recording recording, bool published);

    store::Store& store_;
    b3s::plugin::RecordingsStore& files_;
    FrontendResolver frontends_;
};

}  // namespace b3s::core::recordings
