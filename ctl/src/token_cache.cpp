#include "token_cache.hpp"

#include "ctl_error.hpp"

#include <b3s/support/hmac_jwt.hpp>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace b3s::ctl {

namespace fs = std::filesystem;

std::string tokenFileName(const std::string& api_url) {
    std::string out;
    for (const char c : api_url + ".access_token") {
        const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.';
        if (keep) {
            out += c;
        } else if (out.empty() || out.back() != '_') {
            out += '_';
        }
    }
    return out;
}

fs::path tokenCacheDir(const EnvLookup& env) {
    if (const auto xdg = env("XDG_CONFIG_HOME")) return fs::path(*xdg) / "b3scale";
    if (const auto home = env("HOME")) return fs::path(*home) / ".config" / "b3scale";
    throw CtlError(
        "cannot find the configuration directory for the token cache: neither XDG_CONFIG_HOME nor HOME is set");
}

TokenCache::TokenCache(fs::path dir, const std::string& api_url)
    : dir_(std::move(dir)), path_(dir_ / tokenFileName(api_url)) {}

std::optional<std::string> TokenCache::load() const {
    // Never through a symlink: whatever it points at is no token of ours and is not sent to
    // the API; store() replaces the link itself.
    const int fd = ::open(path_.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)) return std::nullopt;
    if (fd < 0) throw CtlError("cannot read the cached access token " + path_.string() + ": " + std::strerror(errno));
    std::string token;
    char buffer[4096];
    for (;;) {
        const auto n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int error = errno;
            ::close(fd);
            throw CtlError("cannot read the cached access token " + path_.string() + ": " + std::strerror(error));
        }
        if (n == 0) break;
        token.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    const auto first = token.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return std::nullopt;
    token = token.substr(first, token.find_last_not_of(" \t\r\n") - first + 1);
    return token;
}

void TokenCache::store(const std::string& token) const {
    auto fail = [&](const std::string& what, const fs::path& p) {
        throw CtlError("cannot " + what + " " + p.string() + ": " + std::strerror(errno));
    };
    // Every directory created here is private; an existing one is left as the user made it,
    // the token file itself is 0600 in any case.
    std::error_code ec;
    if (!fs::exists(dir_, ec)) {
        fs::path partial;
        for (const auto& part : dir_) {
            partial /= part;
            if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) fail("create the directory", partial);
        }
    }
    // The temporary file is created new (O_EXCL) and never through a symlink (O_NOFOLLOW), so
    // nothing planted at its name is followed or written; such a name is passed over for a
    // random one. The rename replaces a symlink at the cache path itself, not its target.
    fs::path tmp = path_.string() + ".tmp" + std::to_string(::getpid());
    int fd = -1;
    for (int attempt = 0; attempt < 8; ++attempt) {
        if (attempt > 0) tmp = path_.string() + ".tmp" + support::randomToken(16);
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0 || errno != EEXIST) break;
    }
    if (fd < 0) fail("write", tmp);
    const std::string text = token + "\n";
    bool ok = ::fchmod(fd, 0600) == 0;
    for (std::size_t written = 0; ok && written < text.size();) {
        const auto n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) written += static_cast<std::size_t>(n);
    }
    ok = ::fsync(fd) == 0 && ok;
    const int saved = errno;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), path_.c_str()) != 0) {
        errno = ok ? errno : saved;
        const int err = errno;
        ::unlink(tmp.c_str());
        errno = err;
        fail("write", path_);
    }
}

void TokenCache::remove() const {
    std::error_code ec;
    fs::remove(path_, ec);
}

}  // namespace b3s::ctl
