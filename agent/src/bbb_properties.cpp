#include "bbb_properties.hpp"

#include "agent_exit.hpp"

#include "util/ascii.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

namespace b3s::agent {
namespace {

constexpr const char* kServerUrl = "bigbluebutton.web.serverURL";
constexpr const char* kSecret = "securitySalt";
constexpr const char* kRedisHost = "redisHost";
constexpr const char* kRedisPort = "redisPort";
constexpr const char* kRedisPassword = "redisPassword";

std::string_view trim(std::string_view s) {
    return core::trimAny(s, " \t\r\n");
}

}  // namespace

BbbProperties BbbProperties::parse(std::string_view text) {
    BbbProperties p;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        const auto line = trim(text.substr(pos, end - pos));
        pos = end + 1;
        if (line.empty() || line.front() == '#') continue;
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) continue;
        const auto key = trim(line.substr(0, eq));
        if (key.empty()) continue;
        p.values_[std::string(key)] = std::string(trim(line.substr(eq + 1)));
    }
    return p;
}

std::optional<std::string> BbbProperties::raw(const std::string& key) const {
    const auto it = values_.find(key);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::optional<std::string> BbbProperties::get(const std::string& key) const {
    if (!values_.contains(key)) return std::nullopt;
    std::vector<std::string> chain;
    return resolve(key, chain);
}

std::string BbbProperties::resolve(const std::string& key, std::vector<std::string>& chain) const {
    if (std::find(chain.begin(), chain.end(), key) != chain.end()) {
        std::string path;
        for (const auto& k : chain) path += k + " -> ";
        throw PropertiesError(fmt::format("the ${{…}} references form a cycle: {}{}", path, key));
    }
    chain.push_back(key);
    const std::string& value = values_.at(key);
    std::string out;
    std::size_t pos = 0;
    while (pos < value.size()) {
        const auto open = value.find("${", pos);
        if (open == std::string::npos) break;
        const auto close = value.find('}', open + 2);
        if (close == std::string::npos) break;
        out.append(value, pos, open - pos);
        const std::string ref = std::string(trim(std::string_view(value).substr(open + 2, close - open - 2)));
        if (values_.contains(ref))
            out += resolve(ref, chain);
        else
            out.append(value, open, close - open + 1);
        pos = close + 1;
    }
    out.append(value, std::min(pos, value.size()));
    chain.pop_back();
    return out;
}

std::string bbbApiUrl(std::string_view server_url) {
    std::string url(trim(server_url));
    while (url.ends_with('/')) url.pop_back();
    return url + "/bigbluebutton/api/";
}

BbbNodeConfig bbbNodeConfig(const BbbProperties& properties, const std::string& source) {
    const auto invalid = [&](const char* key, const std::string& message) {
        return AgentExit(kExitConfig, "bbb_config_invalid", source + ": " + message, {{"file", source}, {"key", key}});
    };
    const auto value = [&](const char* key) -> std::optional<std::string> {
        try {
            return properties.get(key);
        } catch (const PropertiesError& e) {
            throw invalid(key, fmt::format("{}: {}", key, e.what()));
        }
    };
    BbbNodeConfig c;
    const auto server_url = value(kServerUrl);
    if (!server_url || server_url->empty())
        throw invalid(kServerUrl, fmt::format("{} is missing: the agent cannot tell b3scaled where this BBB server is",
                                              kServerUrl));
    if (!server_url->starts_with("http://") && !server_url->starts_with("https://"))
        throw invalid(kServerUrl, fmt::format("{}={:?} must start with http:// or https://", kServerUrl, *server_url));
    c.server_url = *server_url;
    c.api_url = bbbApiUrl(*server_url);
    const auto secret = value(kSecret);
    if (!secret || secret->empty())
        throw invalid(kSecret, fmt::format("{} is missing: b3scaled could not sign calls to this server", kSecret));
    c.secret = *secret;
    if (const auto host = value(kRedisHost); host && !host->empty()) c.redis_host = *host;
    if (const auto port = value(kRedisPort); port && !port->empty()) {
        int parsed = 0;
        const auto [end, ec] = std::from_chars(port->data(), port->data() + port->size(), parsed);
        if (ec != std::errc() || end != port->data() + port->size() || parsed < 1 || parsed > 65535)
            throw invalid(kRedisPort, fmt::format("{}={:?} is not a port number", kRedisPort, *port));
        c.redis_port = parsed;
    }
    if (const auto password = value(kRedisPassword)) c.redis_password = *password;
    return c;
}

BbbNodeConfig readBbbNodeConfig(const std::filesystem::path& path) {
    errno = 0;
    std::ifstream in(path);
    if (!in) {
        const int error = errno;
        throw AgentExit(kExitConfig, "bbb_config_unreadable",
                        fmt::format("cannot read BBB's properties {}: {} (BBB_CONFIG names the file)", path.string(),
                                    error != 0 ? std::strerror(error) : "unreadable"),
                        {{"file", path.string()}});
    }
    std::stringstream text;
    text << in.rdbuf();
    return bbbNodeConfig(BbbProperties::parse(text.str()), path.string());
}

}  // namespace b3s::agent
