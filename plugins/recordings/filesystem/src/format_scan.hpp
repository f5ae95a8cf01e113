#pragma once
// Finding recording formats in a tree (<tree>/<format>/<recordID>) and reading their BBB
// metadata.xml, for listInbox() and scanStored().

#include <b3s/plugin/recordings.hpp>

#include <cstddef>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

namespace b3s::recordings::filesystem {

/// metadata.xml is a few KiB; a bigger one is not BBB's and is not loaded into memory.
inline constexpr std::size_t kMetadataMaxBytes = 1024 * 1024;

struct FoundFormat {
    std::string format;
    std::string record_id;
    std::filesystem::path dir;  ///< <tree>/<format>/<recordID>
};

/// Every real directory <tree>/<format>/<recordID> whose two names are valid, sorted by format,
/// then record id. Dot-entries (staging copies, the quarantine), invalid names and symbolic
/// links are skipped. A format directory that cannot be listed is skipped and named in
/// `unreadable`. Never throws.
std::vector<FoundFormat> findFormats(const std::filesystem::path& tree, std::vector<std::string>& unreadable);

/// The valid, real format directories of a tree, sorted. Never throws except std::bad_alloc.
std::vector<std::string> findFormatNames(const std::filesystem::path& tree);

/// Where metadata.xml stands: missing (BBB is still writing), present with its mtime, or
/// present but not a regular file.
struct MetadataStat {
    bool exists = false;
    bool regular = false;
    timespec mtime{};
};
MetadataStat statMetadata(const std::filesystem::path& record_dir) noexcept;

/// A StoredFormat for `found` with metadata.xml read (at most kMetadataMaxBytes) or the
/// problem that prevented it. Never throws.
plugin::StoredFormat readStoredFormat(const FoundFormat& found, plugin::RecordingTree tree);

}  // namespace b3s::recordings::filesystem
