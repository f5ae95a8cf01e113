#include "load_test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace b3s::test {

bool isMapped(const std::filesystem::path& file) {
    std::error_code ec;
    auto canonical = std::filesystem::canonical(file, ec);
    const std::string wanted = (ec ? file : canonical).string();
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        // The path is the last column; compare the whole tail so lib.so does not match lib.so.1.
        if (line.size() >= wanted.size() && line.compare(line.size() - wanted.size(), wanted.size(), wanted) == 0 &&
            (line.size() == wanted.size() || line[line.size() - wanted.size() - 1] == ' '))
            return true;
    }
    return false;
}

std::string loadErrorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const core::plugin::PluginLoadError& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected PluginLoadError, got another exception: " << e.what();
        return {};
    }
    ADD_FAILURE() << "expected PluginLoadError, nothing was thrown";
    return {};
}

}  // namespace b3s::test
