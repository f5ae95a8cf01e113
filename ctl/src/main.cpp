// b3scalectl: the administration CLI of b3scale (see ctl_app.hpp).
#include "ctl_app.hpp"

#include "config/env_files.hpp"

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include <unistd.h>

int main(int argc, char** argv) {
    // b3scale's rule: the env files are read only when B3SCALE_DB_URL is not set.
    const char* db_url = std::getenv("B3SCALE_DB_URL");
    if (db_url == nullptr || *db_url == '\0') {
        const auto used = b3s::core::config::loadEnvFiles(b3s::core::config::defaultEnvFiles());
        // A note for a person at the terminal, as the other notes (ctl_context.hpp).
        const bool completing = argc > 1 && std::string(argv[1]) == "__complete";
        if (!completing && ::isatty(STDIN_FILENO) == 1)
            for (const auto& file : used) std::cerr << "using environment from: " << file << "\n";
    }
    b3s::ctl::CtlApp app({std::cin, STDIN_FILENO, std::cout, std::cerr}, [](const std::string& name) {
        const char* value = std::getenv(name.c_str());
        return value != nullptr && *value != '\0' ? std::optional<std::string>(value) : std::nullopt;
    });
    return app.run(std::vector<std::string>(argv + 1, argv + argc));
}
