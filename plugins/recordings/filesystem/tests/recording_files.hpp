#pragma once
// Test helpers: BBB-shaped recordings on disk, a snapshot of a directory tree to prove that
// nothing was touched, and a tmpfs mount for cross-file-system and disk-full tests.

#include "filesystem_store.hpp"

#include <fake_context.hpp>
#include <temp_dir.hpp>

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>

namespace b3s::recordings::filesystem::test_support {

namespace fs = std::filesystem;

inline std::string readAll(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

inline void writeFile(const fs::path& file, const std::string& content) {
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << content;
}

inline std::string metadataXml(const std::string& id) {
    return "<recording><id>" + id + "</id><state>published</state><published>true</published></recording>\n";
}

/// <tree>/<format>/<id>/ with metadata.xml and a few files BBB would write.
inline fs::path makeRecording(const fs::path& tree, const std::string& format, const std::string& id,
                              std::size_t video_bytes = 1000) {
    const auto dir = tree / format / id;
    writeFile(dir / "metadata.xml", metadataXml(id));
    writeFile(dir / "video" / "webcams.webm", std::string(video_bytes, 'v'));
    writeFile(dir / "slides_new.xml", "<popcorn/>\n");
    return dir;
}

/// Every entry below `root` (not following links): relative path → content, "dir" or
/// "link:<target>". Two equal snapshots mean nothing was added, removed or changed.
inline std::map<std::string, std::string> snapshot(const fs::path& root) {
    std::map<std::string, std::string> entries;
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(root, ec))) return entries;
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::none, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const auto relative = fs::relative(it->path(), root).string();
        const auto status = it->symlink_status();
        if (fs::is_symlink(status))
            entries[relative] = "link:" + fs::read_symlink(it->path()).string();
        else if (fs::is_directory(status))
            entries[relative] = "dir";
        else if (fs::is_regular_file(status))
            entries[relative] = readAll(it->path());
        else
            entries[relative] = "special";  // never open a FIFO: it would block
    }
    return entries;
}

/// Whether any hidden staging entry (.x.b3s-tmp / .b3s-old / .b3s-del) is left below `root`.
inline bool hasStagingLeftovers(const fs::path& root) {
    for (const auto& [path, kind] : snapshot(root))
        if (path.find(".b3s-") != std::string::npos) return true;
    return false;
}

/// A tmpfs mounted on a directory for the lifetime of the object (tests run as root here).
class TmpfsMount {
public:
    /// `options` such as "size=256k" or "size=1m,ro". Check mounted() before use.
    TmpfsMount(const fs::path& where, const std::string& options) : where_(where) {
        fs::create_directories(where);
        if (::mount("tmpfs", where.c_str(), "tmpfs", 0, options.c_str()) == 0)
            mounted_ = true;
        else
            error_ = std::strerror(errno);
    }
    ~TmpfsMount() {
        if (mounted_) ::umount2(where_.c_str(), MNT_DETACH);
    }
    TmpfsMount(const TmpfsMount&) = delete;
    TmpfsMount& operator=(const TmpfsMount&) = delete;

    bool mounted() const noexcept { return mounted_; }
    const std::string& error() const noexcept { return error_; }
    /// Remounts read-only or read-write; false when that failed.
    bool remount(bool read_only, const std::string& options) {
        const unsigned long flags = MS_REMOUNT | (read_only ? MS_RDONLY : 0);
        return ::mount("tmpfs", where_.c_str(), "tmpfs", flags, options.c_str()) == 0;
    }

private:
    fs::path where_;
    bool mounted_ = false;
    std::string error_;
};

/// The mover's test seams: force the copy path, optionally failing a step with an errno.
inline MoverOptions copyPath(bool force_copy = true, std::function<int(const fs::path&)> fault = {}) {
    MoverOptions options;
    options.force_copy = force_copy;
    options.fault = std::move(fault);
    return options;
}

/// Three trees in a temporary folder and a store on them; the inbox is its own directory
/// unless a test says otherwise.
class StoreFixture {
public:
    StoreFixture()
        : published(dir.mkdir("published")), unpublished(dir.mkdir("unpublished")), inbox(dir.mkdir("inbox")) {
        context.mapConfig()
            .set(kPublishedPathKey, published.string())
            .set(kUnpublishedPathKey, unpublished.string())
            .set(kInboxPathKey, inbox.string());
    }

    std::unique_ptr<FilesystemStore> make(MoverOptions mover = {}) {
        auto settings = parseSettings(context.config());
        return std::make_unique<FilesystemStore>(std::move(settings), context.logger(), context.clock(),
                                                 std::move(mover));
    }

    test::TempDir dir{"b3s-recfs"};
    fs::path published, unpublished, inbox;
    test::FakeContext context;
};

}  // namespace b3s::recordings::filesystem::test_support
