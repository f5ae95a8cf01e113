#include "config/env_files.hpp"

#include "util/ascii.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace b3s::core::config {
namespace {

std::string_view trim(std::string_view s) {
    return trimAny(s, " \t\r\n\"'");
}

}  // namespace

std::vector<std::string> defaultEnvFiles() {
    return {".env", "/etc/default/b3scale", "/etc/sysconfig/b3scale"};
}

std::map<std::string, std::string> parseEnvFile(std::string_view text) {
    std::map<std::string, std::string> vars;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        auto content = line.find_first_not_of(" \t");
        if (content == std::string_view::npos || line[content] == '#') continue;
        auto eq = line.find('=');
        if (eq == std::string_view::npos) continue;
        std::string_view key = trim(line.substr(0, eq));
        // "export KEY=VALUE" is common in shell-style env files; accept it.
        if (key.starts_with("export ")) key = trim(key.substr(7));
        if (key.empty()) continue;
        vars[std::string(key)] = std::string(trim(line.substr(eq + 1)));
    }
    return vars;
}

EnvFileVariables readEnvFiles(const std::vector<std::string>& paths) {
    EnvFileVariables read;
    for (const auto& path : paths) {
        std::ifstream in(path);
        if (!in) continue;
        std::stringstream buffer;
        buffer << in.rdbuf();
        for (auto& [k, v] : parseEnvFile(buffer.str())) read.variables[k] = v;
        read.files.push_back(path);
    }
    return read;
}

std::vector<std::string> loadEnvFiles(const std::vector<std::string>& paths) {
    auto read = readEnvFiles(paths);
    for (const auto& [k, v] : read.variables) {
        const char* current = std::getenv(k.c_str());
        if (current == nullptr || *current == '\0') ::setenv(k.c_str(), v.c_str(), 1);
    }
    return std::move(read.files);
}

}  // namespace b3s::core::config
