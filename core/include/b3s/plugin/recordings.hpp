#pragma once
// Recordings plugins own where recording files live: the inbox BBB nodes publish into, the
// published and unpublished trees, a quarantine for broken imports, and the text tracks
// stored with a recording. Core owns the index (which recording belongs to which frontend,
// its state and metadata) in its store and calls the plugin only for files. Optional: without
// a recordings plugin, core uses a built-in no-op store and recording calls answer as a BBB
// server without recordings.
//
// Names: a record id and a format are validated by the plugin against
// [A-Za-z0-9_-]{1,200} (a text track's lang against [A-Za-z0-9-]{1,35}) before any path is
// built from them; anything else is Failure::InvalidName and touches nothing.
// Errors: methods return a StorageResult (or an empty answer) and never throw; a failed
// operation leaves every file where it was (no half-moved recording).

#include <b3s/plugin/context.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::plugin {

/// One problem found when checking storage, e.g. a directory that cannot be written.
struct StorageProblem {
    std::string path;    ///< the path concerned
    std::string reason;  ///< one sentence for the operator
};

/// Why a storage operation failed.
enum class StorageFailure {
    None,              ///< it succeeded
    NotFound,          ///< the files are not there
    InvalidName,       ///< a record id, format, kind or lang that is not allowed in a path
    NoSpace,           ///< the file system is full (ENOSPC, EDQUOT)
    PermissionDenied,  ///< EACCES, EPERM, a read-only file system
    Conflict,          ///< the destination holds different files already
    TooLarge,          ///< an upload over the plugin's limit
    Unsupported,       ///< this plugin does not store this (e.g. text tracks)
    Io,                ///< any other I/O error
};

/// Outcome of one storage operation. `message` is one sentence for the operator (never a
/// secret), empty on success.
struct StorageResult {
    StorageFailure failure = StorageFailure::None;
    std::string message;
    bool ok() const noexcept { return failure == StorageFailure::None; }
};

/// Where a recording format's files are.
enum class RecordingTree { Inbox, Published, Unpublished };

/// One format of one recording found in a tree, with its BBB metadata.xml.
struct StoredFormat {
    std::string record_id;
    std::string format;  ///< e.g. presentation, video, podcast, screenshare
    RecordingTree tree = RecordingTree::Inbox;
    /// The content of <format>/<recordID>/metadata.xml, at most 1 MiB; empty when missing
    /// or unreadable (`problem` then says why).
    std::string metadata_xml;
    std::string problem;
};

/// A preview image of a recording, as BBB lists it under <preview><images>.
struct Thumbnail {
    /// Path relative to the tree, e.g. presentation/<recordID>/presentation/<hash>/thumbnails/thumb-1.png;
    /// playbackUrl() turns it into a URL.
    std::string path;
    int width = 176;
    int height = 136;
};

/// A text track (subtitles or captions) stored with a recording.
struct TextTrack {
    std::string kind;    ///< "subtitles" or "captions"
    std::string lang;    ///< BCP 47, e.g. "en-US"
    std::string label;   ///< shown in the player, e.g. "English"
    std::string source;  ///< "upload", "live" or "automatic"
    /// Path relative to the tree (as Thumbnail::path) where the WebVTT file is served.
    std::string path;
};

/// Storage for recording files.
/// Thread-safety: every method may be called concurrently, also for the same recording
/// (the plugin serialises what must be; or declares itself not thread-safe).
/// Lifetime: created once at start-up, destroyed after the HTTP server has drained.
class B3S_PLUGIN_API RecordingsStore {
public:
    virtual ~RecordingsStore() = default;
    /// Whether recordings are handled at all (false only for core's no-op store).
    virtual bool enabled() const = 0;
    /// Probes every configured path for reading and writing; empty when all are usable.
    virtual std::vector<StorageProblem> check() const = 0;

    /// Formats waiting in the inbox (those with a metadata.xml, or a problem reading it),
    /// oldest first, at most `limit`.
    virtual std::vector<StoredFormat> listInbox(std::size_t limit) const = 0;
    /// Visits every format in the published and unpublished trees, for rebuilding the
    /// index. Returns the number visited.
    virtual std::size_t scanStored(const std::function<void(const StoredFormat&)>& visit) const = 0;

    /// Moves inbox/<format>/<recordID> into the published or unpublished tree. Idempotent:
    /// ok when it is there already and the inbox holds no newer copy; NotFound when
    /// neither the inbox nor either tree has it.
    virtual StorageResult importFormat(std::string_view record_id, std::string_view format, bool published) = 0;
    /// Moves inbox/<format>/<recordID> aside into the quarantine with a file saying `reason`,
    /// so a broken import is kept for the operator and never retried.
    virtual StorageResult quarantine(std::string_view record_id, std::string_view format, std::string_view reason) = 0;
    /// Moves the format into the published (true) or unpublished tree. Ok when it is there
    /// already; NotFound when it is in neither tree.
    virtual StorageResult setPublished(std::string_view record_id, std::string_view format, bool published) = 0;
    /// Deletes the format's files from the inbox and both trees. Ok when there were none.
    /// Core calls this only after the recording's row is gone.
    virtual StorageResult remove(std::string_view record_id, std::string_view format) = 0;

    /// The preview images of a recording (from its presentation format), in order.
    virtual std::vector<Thumbnail> thumbnails(std::string_view record_id) const = 0;

    /// The text tracks stored with a recording, ordered by kind, then lang.
    virtual std::vector<TextTrack> listTextTracks(std::string_view record_id) const = 0;
    /// Stores (replaces) the track of `track.kind` and `track.lang` with `content` (WebVTT,
    /// SRT or SSA as uploaded); empty `content` deletes that track. `track.path` is ignored.
    virtual StorageResult putTextTrack(std::string_view record_id, const TextTrack& track,
                                       std::string_view content) = 0;

    /// Where a playback link or a stored path is served: a backend's format URL
    /// (https://bbb1.example.com/playback/presentation/2.3/<id>) or a Thumbnail/TextTrack
    /// path, with the plugin's playback host applied. Without a playback host, URLs come
    /// back unchanged and paths are returned as they are.
    virtual std::string playbackUrl(std::string_view link_or_path) const = 0;
};

template <>
struct KindTraits<RecordingsStore> {
    static constexpr const char* kKind = "recordings";
    static constexpr const char* kFactorySymbol = "b3s_create_recordings";
    /// May throw ConfigError. Never returns nullptr.
    using Factory = std::unique_ptr<RecordingsStore>(const Context&);
};

}  // namespace b3s::plugin
