#include "format_scan.hpp"

#include "durable_io.hpp"
#include "fs_failure.hpp"
#include "safe_paths.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <memory>

namespace b3s::recordings::filesystem {
namespace {

struct DirCloser {
    void operator()(DIR* dir) const noexcept { ::closedir(dir); }
};

// Sorted names of the real subdirectories of `dir` that pass `valid`; false when unreadable.
template <class Valid>
bool subdirectories(const std::filesystem::path& dir, Valid valid, std::vector<std::string>& names) {
    std::unique_ptr<DIR, DirCloser> listing(::opendir(dir.c_str()));
    if (!listing) return errno == ENOENT;
    errno = 0;
    while (dirent* entry = ::readdir(listing.get())) {
        std::string name = entry->d_name;
        // isValid* already refuses "." "..", dot-entries and anything with a slash.
        if (valid(name)) {
            struct stat st {};
            if (::lstat((dir / name).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) names.push_back(std::move(name));
        }
        errno = 0;
    }
    if (errno != 0) return false;
    std::sort(names.begin(), names.end());
    return true;
}

}  // namespace

std::vector<FoundFormat> findFormats(const std::filesystem::path& tree, std::vector<std::string>& unreadable) {
    std::vector<FoundFormat> found;
    try {
        std::vector<std::string> formats;
        if (!subdirectories(tree, isValidFormat, formats)) unreadable.push_back(tree.string());
        for (const auto& format : formats) {
            std::vector<std::string> ids;
            const auto format_dir = tree / format;
            if (!subdirectories(format_dir, isValidRecordId, ids)) unreadable.push_back(format_dir.string());
            for (auto& id : ids) found.push_back({format, id, format_dir / id});
        }
    } catch (const std::exception&) {
        unreadable.push_back(tree.string());  // only allocation can throw above
    }
    return found;
}

std::vector<std::string> findFormatNames(const std::filesystem::path& tree) {
    std::vector<std::string> formats;
    subdirectories(tree, isValidFormat, formats);
    return formats;
}

MetadataStat statMetadata(const std::filesystem::path& record_dir) noexcept {
    MetadataStat result;
    struct stat st {};
    if (::lstat((record_dir / "metadata.xml").c_str(), &st) != 0) {
        // Unreadable for another reason than absence: report it rather than hide it.
        result.exists = errno != ENOENT;
        return result;
    }
    result.exists = true;
    result.regular = S_ISREG(st.st_mode);
    result.mtime = st.st_mtim;
    return result;
}

plugin::StoredFormat readStoredFormat(const FoundFormat& found, plugin::RecordingTree tree) {
    plugin::StoredFormat stored;
    try {
        stored.record_id = found.record_id;
        stored.format = found.format;
        stored.tree = tree;
        const auto file = found.dir / "metadata.xml";
        switch (entryType(file)) {
            case EntryType::Missing: stored.problem = "metadata.xml is missing"; return stored;
            case EntryType::Regular: break;
            case EntryType::Symlink:
                stored.problem = "metadata.xml is a symbolic link, which the recordings plugin never follows";
                return stored;
            default: stored.problem = "metadata.xml is not a regular file"; return stored;
        }
        auto content = readFileCapped(file, kMetadataMaxBytes);
        if (!content)
            stored.problem = "metadata.xml is larger than 1 MiB";
        else
            stored.metadata_xml = std::move(*content);
    } catch (const FsFailure& failure) {
        stored.problem = failure.result().message;
    } catch (const std::exception& e) {
        stored.problem = std::string("metadata.xml cannot be read: ") + e.what();
    }
    return stored;
}

}  // namespace b3s::recordings::filesystem
