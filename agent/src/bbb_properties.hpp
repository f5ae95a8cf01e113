#pragma once
// bbb-web's properties file (BBB_CONFIG): what the agent needs to know about its BBB server.
//
// The format as b3scale's agent reads it: one `key=value` per line, split at the first `=`,
// key and value trimmed; lines starting with `#` and lines without `=` are skipped; a later
// line for the same key wins. `${other.key}` in a value is replaced by that key's value
// (itself substituted, so references chain); a reference to a key the file does not have is
// left as written; a reference cycle is an error.

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::agent {

/// A value that cannot be resolved (a `${…}` cycle). The message names the keys.
class PropertiesError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class BbbProperties {
public:
    /// Parses a file's text. Never throws.
    static BbbProperties parse(std::string_view text);

    /// The value of `key` with every `${…}` substituted; nullopt when the file has no such key.
    /// Throws PropertiesError on a cycle.
    std::optional<std::string> get(const std::string& key) const;
    /// The value as written, without substitution.
    std::optional<std::string> raw(const std::string& key) const;
    std::size_t size() const noexcept { return values_.size(); }

private:
    std::string resolve(const std::string& key, std::vector<std::string>& chain) const;

    std::map<std::string, std::string> values_;
};

/// What the agent takes from the properties.
struct BbbNodeConfig {
    std::string server_url;  ///< bigbluebutton.web.serverURL as configured
    std::string api_url;     ///< server_url + "/bigbluebutton/api/" (the backend's host in b3scaled)
    std::string secret;      ///< securitySalt: never logged
    std::string redis_host = "localhost";
    int redis_port = 6379;
    std::string redis_password;  ///< never logged
};

/// `serverURL` without trailing slashes, then "/bigbluebutton/api/".
std::string bbbApiUrl(std::string_view server_url);

/// The node's configuration from parsed properties (`source`: the file, for messages). Throws
/// AgentExit (78, bbb_config_invalid) naming the key that is missing (serverURL,
/// securitySalt), invalid (serverURL, redisPort) or part of a reference cycle.
BbbNodeConfig bbbNodeConfig(const BbbProperties& properties, const std::string& source = "bbb-web.properties");

/// Reads and parses `path`. Throws AgentExit (78): bbb_config_unreadable, bbb_config_invalid.
BbbNodeConfig readBbbNodeConfig(const std::filesystem::path& path);

}  // namespace b3s::agent
