#include "filesystem_store.hpp"

#include "durable_io.hpp"
#include "format_scan.hpp"
#include "fs_failure.hpp"
#include "playback_url.hpp"
#include "safe_paths.hpp"
#include "text_tracks.hpp"
#include "thumbnails.hpp"

#include <b3s/plugin/errors.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <exception>
#include <functional>
#include <system_error>
#include <tuple>
#include <utility>

namespace b3s::recordings::filesystem {
namespace {

void requireDirectory(const char* key, const std::filesystem::path& path) {
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (status.type() == std::filesystem::file_type::not_found)
        throw plugin::ConfigError(key, "names '" + path.string() + "', which does not exist");
    if (ec) throw plugin::ConfigError(key, "names '" + path.string() + "', which cannot be inspected: " + ec.message());
    if (!std::filesystem::is_directory(status))
        throw plugin::ConfigError(key, "names '" + path.string() + "', which is not a directory");
}

std::string errnoText(int error) {
    return std::generic_category().message(error);
}

// "a/b/" and "a/./b" name the same directory as "a/b".
std::filesystem::path normalized(const std::filesystem::path& path) {
    auto n = path.lexically_normal();
    if (!n.has_filename() && n.has_parent_path() && n != n.root_path()) n = n.parent_path();
    return n;
}

struct Probe {
    std::filesystem::path path;
    std::string keys;  // every key that names this directory, for the operator
};

// Format directories are created as BBB creates them, readable by the web server.
constexpr mode_t kFormatDirMode = 0755;
// The quarantine keeps broken recordings for the operator, not for the web server.
constexpr mode_t kQuarantineDirMode = 0750;
// A reason is one line for the operator; a longer one is cut.
constexpr std::size_t kReasonMaxBytes = 4096;

const char* treeName(plugin::RecordingTree tree) noexcept {
    switch (tree) {
        case plugin::RecordingTree::Inbox: return "inbox";
        case plugin::RecordingTree::Published: return "published";
        case plugin::RecordingTree::Unpublished: return "unpublished";
    }
    return "inbox";
}

// Names are checked before any path is built; the message does not repeat the hostile text.
std::optional<plugin::StorageResult> invalidNames(std::string_view record_id, std::string_view format) {
    if (!isValidRecordId(record_id))
        return plugin::StorageResult{plugin::StorageFailure::InvalidName,
                                     "The record id is not allowed in a path: it must match [A-Za-z0-9_-]{1,200}."};
    if (!isValidFormat(format))
        return plugin::StorageResult{plugin::StorageFailure::InvalidName,
                                     "The format is not allowed in a path: it must match [A-Za-z0-9_-]{1,200}."};
    return std::nullopt;
}

plugin::StorageResult unexpected(const char* what, const std::exception& e) {
    return {plugin::StorageFailure::Io, std::string(what) + " failed: " + e.what() + "."};
}

// Control characters (a newline among them) would let a reason forge lines in the file.
std::string oneLine(std::string_view text, std::size_t max_bytes) {
    std::string line(text.substr(0, max_bytes));
    if (text.size() > max_bytes) {
        // Never end on half a UTF-8 character (captions.json must stay valid UTF-8).
        while (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xC0) == 0x80) line.pop_back();
        if (!line.empty() && static_cast<unsigned char>(line.back()) >= 0xC0) line.pop_back();
    }
    for (char& c : line)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    return line;
}

}  // namespace

void requireDirectories(const Settings& settings) {
    requireDirectory(kPublishedPathKey, settings.published_path);
    requireDirectory(kUnpublishedPathKey, settings.unpublished_path);
    if (settings.inbox_configured) requireDirectory(kInboxPathKey, settings.inbox_path);
}

std::optional<std::string> probeDirectory(const std::filesystem::path& dir) {
    std::error_code ec;
    auto status = std::filesystem::status(dir, ec);
    if (status.type() == std::filesystem::file_type::not_found) return "does not exist";
    if (ec) return "cannot be inspected: " + ec.message();
    if (!std::filesystem::is_directory(status)) return "is not a directory";

    if (DIR* listing = ::opendir(dir.c_str())) {
        ::closedir(listing);
    } else {
        return "cannot be listed: " + errnoText(errno);
    }

    const auto probe = dir / kProbeFileName;
    // O_NOFOLLOW: a planted symlink must not make us create or truncate a file elsewhere.
    int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return std::string("cannot create ") + kProbeFileName + ": " + errnoText(errno);
    static constexpr char kContent[] = "b3scale";
    bool written = ::write(fd, kContent, sizeof kContent - 1) == static_cast<ssize_t>(sizeof kContent - 1);
    int writeError = errno;
    ::close(fd);
    // Another b3scaled sharing the directory may have removed it already; that is fine.
    if (::unlink(probe.c_str()) != 0 && errno != ENOENT)
        return std::string("cannot remove ") + kProbeFileName + ": " + errnoText(errno);
    if (!written) return std::string("cannot write to ") + kProbeFileName + ": " + errnoText(writeError);
    return std::nullopt;
}

FilesystemStore::FilesystemStore(Settings settings, plugin::Logger& logger, const plugin::Clock& clock,
                                 MoverOptions mover)
    : settings_(std::move(settings)), logger_(logger), clock_(clock), mover_(std::move(mover), logger) {}

std::mutex& FilesystemStore::lockFor(std::string_view record_id) const {
    return record_locks_[std::hash<std::string_view>{}(record_id) % record_locks_.size()];
}

const std::filesystem::path& FilesystemStore::pathOf(plugin::RecordingTree tree) const {
    switch (tree) {
        case plugin::RecordingTree::Inbox: return settings_.inbox_path;
        case plugin::RecordingTree::Published: return settings_.published_path;
        case plugin::RecordingTree::Unpublished: return settings_.unpublished_path;
    }
    return settings_.inbox_path;
}

std::vector<FilesystemStore::Tree> FilesystemStore::distinctTrees(
    std::initializer_list<plugin::RecordingTree> order) const {
    std::vector<Tree> trees;
    for (auto kind : order) {
        const auto& path = pathOf(kind);
        if (std::none_of(trees.begin(), trees.end(), [&](const Tree& t) { return sameDirectory(t.path, path); }))
            trees.push_back({kind, path});
    }
    return trees;
}

std::string FilesystemStore::timestamp() const {
    const std::time_t seconds = static_cast<std::time_t>(clock_.nowMicros() / 1'000'000);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::vector<plugin::StorageProblem> FilesystemStore::check() const {
    std::vector<plugin::StorageProblem> problems;
    try {
        // The inbox is usually one of the other two; probe each directory once.
        std::vector<Probe> probes;
        auto add = [&](const std::filesystem::path& path, const char* key) {
            for (auto& p : probes) {
                if (normalized(p.path) == normalized(path)) {
                    p.keys += std::string(", ") + key;
                    return;
                }
            }
            probes.push_back({path, key});
        };
        add(settings_.inbox_path, kInboxPathKey);
        add(settings_.published_path, kPublishedPathKey);
        add(settings_.unpublished_path, kUnpublishedPathKey);

        std::lock_guard lock(probe_mutex_);
        for (const auto& p : probes)
            if (auto why = probeDirectory(p.path))
                problems.push_back({p.path.string(), "the directory " + *why + " (" + p.keys + ")"});
        logger_.info("paths_checked",
                     {{"directories", std::to_string(probes.size())}, {"problems", std::to_string(problems.size())}});
    } catch (const std::exception& e) {
        // Only allocation can fail above; report it as a problem instead of throwing at core.
        problems.push_back({settings_.published_path.string(), std::string("the check failed: ") + e.what()});
    }
    return problems;
}

std::vector<plugin::StoredFormat> FilesystemStore::listInbox(std::size_t limit) const {
    std::vector<plugin::StoredFormat> result;
    // An inbox that is one of the trees (b3scale's default) holds what was imported long ago
    // as well as what just arrived: nothing there waits, and listing it would re-import every
    // recording at every scan. Recordings then arrive through the import call (and reindex).
    const auto inbox = settings_.inbox_path.lexically_normal();
    if (inbox == settings_.published_path.lexically_normal() || inbox == settings_.unpublished_path.lexically_normal())
        return result;
    try {
        std::vector<std::string> unreadable;
        struct Waiting {
            timespec mtime;
            FoundFormat found;
        };
        std::vector<Waiting> waiting;
        for (auto& found : findFormats(settings_.inbox_path, unreadable)) {
            // A quarantine configured inside the inbox under a format-like name is not a format.
            if (found.dir.parent_path().lexically_normal() == settings_.quarantine_path.lexically_normal()) continue;
            auto meta = statMetadata(found.dir);
            if (!meta.exists) continue;  // BBB has not finished writing it
            waiting.push_back({meta.mtime, std::move(found)});
        }
        std::sort(waiting.begin(), waiting.end(), [](const Waiting& a, const Waiting& b) {
            return std::tie(a.mtime.tv_sec, a.mtime.tv_nsec, a.found.format, a.found.record_id) <
                   std::tie(b.mtime.tv_sec, b.mtime.tv_nsec, b.found.format, b.found.record_id);
        });
        if (waiting.size() > limit) waiting.resize(limit);
        result.reserve(waiting.size());
        for (const auto& w : waiting) result.push_back(readStoredFormat(w.found, plugin::RecordingTree::Inbox));
        for (const auto& dir : unreadable) logger_.warn("inbox_unreadable", {{"path", dir}});
    } catch (const std::exception& e) {
        logger_.error("inbox_listing_failed", {{"path", settings_.inbox_path.string()}, {"reason", e.what()}});
    }
    return result;
}

std::size_t FilesystemStore::scanStored(const std::function<void(const plugin::StoredFormat&)>& visit) const {
    std::size_t visited = 0;
    try {
        for (const auto& tree : distinctTrees({plugin::RecordingTree::Published, plugin::RecordingTree::Unpublished})) {
            std::vector<std::string> unreadable;
            for (const auto& found : findFormats(tree.path, unreadable)) {
                if (found.dir.parent_path().lexically_normal() == settings_.quarantine_path.lexically_normal())
                    continue;
                visit(readStoredFormat(found, tree.kind));
                ++visited;
            }
            for (const auto& dir : unreadable) logger_.warn("tree_unreadable", {{"path", dir}});
        }
    } catch (const std::exception& e) {
        // Also what the visitor throws: the SDK promises core no exception from here.
        logger_.error("stored_scan_failed", {{"visited", std::to_string(visited)}, {"reason", e.what()}});
    }
    logger_.info("stored_scanned", {{"formats", std::to_string(visited)}});
    return visited;
}

plugin::StorageResult FilesystemStore::importFormat(std::string_view record_id, std::string_view format,
                                                    bool published) {
    if (auto invalid = invalidNames(record_id, format)) return *invalid;
    try {
        std::lock_guard lock(lockFor(record_id));
        const auto target = published ? plugin::RecordingTree::Published : plugin::RecordingTree::Unpublished;
        const auto other = published ? plugin::RecordingTree::Unpublished : plugin::RecordingTree::Published;
        const auto& destination = pathOf(target);
        const bool in_target = recordingDirExists(destination, format, record_id);
        // When the inbox is the other tree, its copy is the one being imported, not an old one.
        const bool in_other = !sameDirectory(pathOf(other), destination) &&
                              !sameDirectory(pathOf(other), settings_.inbox_path) &&
                              recordingDirExists(pathOf(other), format, record_id);
        const bool in_inbox = !sameDirectory(settings_.inbox_path, destination) &&
                              recordingDirExists(settings_.inbox_path, format, record_id);
        if (!in_inbox) {
            // Imported before (or the inbox is the destination): nothing to move.
            if (in_target || in_other) return {};
            return {plugin::StorageFailure::NotFound, "The format " + std::string(format) + " of recording " +
                                                          std::string(record_id) +
                                                          " is neither in the inbox nor in either tree."};
        }
        const std::string id(record_id), fmt(format);
        auto moved = mover_.move(settings_.inbox_path / fmt / id, destination / fmt / id, true, kFormatDirMode);
        if (!moved.ok()) return moved;
        if (in_other) {
            // The new copy from BBB (a rebuild) wins; a format lives in one tree only.
            try {
                removeTree(pathOf(other) / fmt / id);
            } catch (const FsFailure& failure) {
                logger_.warn("recording_cleanup_failed",
                             {{"record_id", id}, {"format", fmt}, {"reason", failure.what()}});
            }
        }
        logger_.info("recording_imported", {{"record_id", id},
                                            {"format", fmt},
                                            {"tree", treeName(target)},
                                            {"replaced", in_target || in_other ? "true" : "false"}});
        return {};
    } catch (const FsFailure& failure) {
        return failure.result();
    } catch (const std::exception& e) {
        return unexpected("Importing the recording", e);
    }
}

plugin::StorageResult FilesystemStore::quarantine(std::string_view record_id, std::string_view format,
                                                  std::string_view reason) {
    if (auto invalid = invalidNames(record_id, format)) return *invalid;
    try {
        std::lock_guard lock(lockFor(record_id));
        const std::string id(record_id), fmt(format);
        if (!recordingDirExists(settings_.inbox_path, fmt, id))
            return {plugin::StorageFailure::NotFound,
                    "The format " + fmt + " of recording " + id + " is not in the inbox."};
        ensureDirectory(settings_.quarantine_path, kQuarantineDirMode);
        recordingDirExists(settings_.quarantine_path, fmt, id);  // refuses planted symlinks
        const auto target = settings_.quarantine_path / fmt / id;
        auto moved = mover_.move(settings_.inbox_path / fmt / id, target, true, kQuarantineDirMode);
        if (!moved.ok()) return moved;
        const std::string why = oneLine(reason, kReasonMaxBytes);
        const std::string at = timestamp();
        try {
            writeFileAtomically(
                settings_.quarantine_path / fmt / (id + ".reason.txt"),
                "record_id: " + id + "\nformat: " + fmt + "\nquarantined_at: " + at + "\nreason: " + why + "\n");
        } catch (const FsFailure& failure) {
            // The recording is out of the inbox, which is what counts; the operator gets the log.
            logger_.error("quarantine_reason_not_written",
                          {{"record_id", id}, {"format", fmt}, {"reason", failure.what()}});
        }
        logger_.warn("recording_quarantined",
                     {{"record_id", id}, {"format", fmt}, {"path", target.string()}, {"reason", why}});
        return {};
    } catch (const FsFailure& failure) {
        return failure.result();
    } catch (const std::exception& e) {
        return unexpected("Quarantining the recording", e);
    }
}

plugin::StorageResult FilesystemStore::setPublished(std::string_view record_id, std::string_view format,
                                                    bool published) {
    if (auto invalid = invalidNames(record_id, format)) return *invalid;
    try {
        std::lock_guard lock(lockFor(record_id));
        const std::string id(record_id), fmt(format);
        const auto& target = published ? settings_.published_path : settings_.unpublished_path;
        const auto& other = published ? settings_.unpublished_path : settings_.published_path;
        if (recordingDirExists(target, fmt, id)) return {};
        if (sameDirectory(target, other) || !recordingDirExists(other, fmt, id))
            return {plugin::StorageFailure::NotFound, "The format " + fmt + " of recording " + id +
                                                          " is in neither the published nor the unpublished tree."};
        auto moved = mover_.move(other / fmt / id, target / fmt / id, false, kFormatDirMode);
        if (!moved.ok()) return moved;
        logger_.info("recording_moved",
                     {{"record_id", id}, {"format", fmt}, {"tree", published ? "published" : "unpublished"}});
        return {};
    } catch (const FsFailure& failure) {
        return failure.result();
    } catch (const std::exception& e) {
        return unexpected("Moving the recording", e);
    }
}

plugin::StorageResult FilesystemStore::remove(std::string_view record_id, std::string_view format) {
    if (auto invalid = invalidNames(record_id, format)) return *invalid;
    try {
        std::lock_guard lock(lockFor(record_id));
        const std::string id(record_id), fmt(format);
        // Look at every tree before deleting anything, so a refused entry stops the whole call.
        std::vector<std::filesystem::path> doomed;
        for (const auto& tree : distinctTrees(
                 {plugin::RecordingTree::Inbox, plugin::RecordingTree::Published, plugin::RecordingTree::Unpublished}))
            if (recordingDirExists(tree.path, fmt, id)) doomed.push_back(tree.path / fmt / id);
        for (const auto& dir : doomed) removeTree(dir);
        if (!doomed.empty())
            logger_.info("recording_removed",
                         {{"record_id", id}, {"format", fmt}, {"copies", std::to_string(doomed.size())}});
        return {};
    } catch (const FsFailure& failure) {
        return failure.result();
    } catch (const std::exception& e) {
        return unexpected("Removing the recording", e);
    }
}

std::vector<plugin::Thumbnail> FilesystemStore::thumbnails(std::string_view record_id) const {
    if (!isValidRecordId(record_id)) return {};
    try {
        std::lock_guard lock(lockFor(record_id));
        // b3scale's rule: the first tree with previews wins.
        for (const auto& tree : distinctTrees({plugin::RecordingTree::Inbox, plugin::RecordingTree::Published,
                                               plugin::RecordingTree::Unpublished})) {
            auto found = findThumbnails(tree.path, record_id);
            if (!found.empty()) return found;
        }
    } catch (const std::exception& e) {
        logger_.warn("thumbnails_failed", {{"record_id", std::string(record_id)}, {"reason", e.what()}});
    }
    return {};
}

std::optional<FilesystemStore::TrackHome> FilesystemStore::trackHome(std::string_view record_id) const {
    const auto trees = distinctTrees(
        {plugin::RecordingTree::Published, plugin::RecordingTree::Unpublished, plugin::RecordingTree::Inbox});
    const std::string id(record_id);
    // BBB's presentation player reads the tracks from the presentation format's directory.
    for (const auto& tree : trees)
        if (recordingDirExists(tree.path, "presentation", id))
            return TrackHome{tree.path / "presentation" / id, "presentation/" + id};
    for (const auto& tree : trees)
        for (const auto& format : findFormatNames(tree.path))
            if (recordingDirExists(tree.path, format, id)) return TrackHome{tree.path / format / id, format + "/" + id};
    return std::nullopt;
}

std::vector<plugin::TextTrack> FilesystemStore::listTextTracks(std::string_view record_id) const {
    if (!isValidRecordId(record_id)) return {};
    try {
        std::lock_guard lock(lockFor(record_id));
        auto home = trackHome(record_id);
        if (!home) return {};
        return readTracks(home->dir, home->relative);
    } catch (const std::exception& e) {
        logger_.warn("text_tracks_unreadable", {{"record_id", std::string(record_id)}, {"reason", e.what()}});
    }
    return {};
}

plugin::StorageResult FilesystemStore::putTextTrack(std::string_view record_id, const plugin::TextTrack& track,
                                                    std::string_view content) {
    if (!isValidRecordId(record_id))
        return {plugin::StorageFailure::InvalidName,
                "The record id is not allowed in a path: it must match [A-Za-z0-9_-]{1,200}."};
    if (!isValidKind(track.kind))
        return {plugin::StorageFailure::InvalidName, "The kind of a text track must be subtitles or captions."};
    if (!isValidLang(track.lang))
        return {plugin::StorageFailure::InvalidName,
                "The language of a text track must match [A-Za-z0-9-]{1,35}, e.g. en-US."};
    const std::string source = track.source.empty() ? "upload" : track.source;
    if (source != "upload" && source != "live" && source != "automatic")
        return {plugin::StorageFailure::InvalidName, "The source of a text track must be upload, live or automatic."};
    if (content.size() > settings_.text_track_max_bytes)
        return {plugin::StorageFailure::TooLarge,
                "The text track has " + std::to_string(content.size()) + " bytes; the limit is " +
                    std::to_string(settings_.text_track_max_bytes) + " (" + kTextTrackMaxBytesKey + ")."};
    try {
        std::string vtt;
        if (!content.empty())
            if (auto converted = toWebVtt(content, vtt); !converted.ok()) return converted;
        std::lock_guard lock(lockFor(record_id));
        auto home = trackHome(record_id);
        if (!home) return {plugin::StorageFailure::NotFound, "The recording has no files to store a text track with."};
        const std::string id(record_id);
        if (content.empty()) {
            deleteTrack(home->dir, track.kind, track.lang);
            logger_.info("text_track_deleted", {{"record_id", id}, {"kind", track.kind}, {"lang", track.lang}});
            return {};
        }
        CaptionEntry entry{track.kind, track.lang, oneLine(track.label, 200), source};
        if (entry.label.empty()) entry.label = track.lang;
        storeTrack(home->dir, entry, vtt);
        logger_.info(
            "text_track_stored",
            {{"record_id", id}, {"kind", track.kind}, {"lang", track.lang}, {"bytes", std::to_string(vtt.size())}});
        return {};
    } catch (const FsFailure& failure) {
        return failure.result();
    } catch (const std::exception& e) {
        return unexpected("Storing the text track", e);
    }
}

std::string FilesystemStore::playbackUrl(std::string_view link_or_path) const {
    try {
        return applyPlaybackHost(settings_.playback_host, link_or_path);
    } catch (const std::exception&) {
        return std::string(link_or_path);  // only allocation can fail
    }
}

std::unique_ptr<plugin::RecordingsStore> create(const plugin::Context& context) {
    Settings settings = parseSettings(context.config());
    requireDirectories(settings);
    context.logger().info("store_ready", {{"published", settings.published_path.string()},
                                          {"unpublished", settings.unpublished_path.string()},
                                          {"inbox", settings.inbox_path.string()},
                                          {"quarantine", settings.quarantine_path.string()},
                                          {"default_visibility", toString(settings.default_visibility)}});
    return std::make_unique<FilesystemStore>(std::move(settings), context.logger(), context.clock());
}

}  // namespace b3s::recordings::filesystem
