#pragma once
// The access-token cache of b3scalectl, compatible with b3scale's: one file per API URL in
// `$XDG_CONFIG_HOME/b3scale` (or `~/.config/b3scale`), directory 0700, file 0600, named
// `<api url>.access_token` with every character outside [A-Za-z0-9.] replaced by `_` and runs
// of `_` collapsed (`https://api.example.org` → `https_api.example.org.access_token`).

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace b3s::ctl {

/// Reads an environment variable; nullopt when unset or empty.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

/// The cache file name for `api_url` (sanitised as above).
std::string tokenFileName(const std::string& api_url);

/// `$XDG_CONFIG_HOME/b3scale`, else `$HOME/.config/b3scale`. Throws CtlError when neither
/// variable is set.
std::filesystem::path tokenCacheDir(const EnvLookup& env);

class TokenCache {
public:
    TokenCache(std::filesystem::path dir, const std::string& api_url);

    const std::filesystem::path& path() const noexcept { return path_; }
    /// The cached token (surrounding whitespace removed), nullopt when there is no file, it
    /// is empty or it is a symlink (never followed). Throws CtlError when the file exists but
    /// cannot be read.
    std::optional<std::string> load() const;
    /// Writes the token atomically (a new 0600 temporary file, opened O_EXCL|O_NOFOLLOW, renamed
    /// over the old one), creating the directory with mode 0700 if needed. A symlink at the
    /// cache path is replaced, its target never written. Throws CtlError naming the path on
    /// failure.
    void store(const std::string& token) const;
    /// Removes the file if it exists.
    void remove() const;

private:
    std::filesystem::path dir_;
    std::filesystem::path path_;
};

}  // namespace b3s::ctl
