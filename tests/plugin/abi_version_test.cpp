// Any change of the SDK headers changes kAbiHash; this test makes sure each such change is
// a deliberate one, recorded with its kAbiVersion in core/include/b3s/plugin/abi_versions.txt.

#include <b3s/plugin/abi.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace b3s::test {
namespace {

TEST(AbiVersion, AbiVersionIsRecorded) {
    std::ifstream file(B3S_ABI_VERSIONS_FILE);
    ASSERT_TRUE(file) << B3S_ABI_VERSIONS_FILE << " is missing";
    const std::string wanted = std::to_string(plugin::kAbiVersion) + " " + plugin::kAbiHash;
    std::string line;
    bool versionSeen = false;
    while (std::getline(file, line)) {
        if (line.empty() || line.front() == '#') continue;
        if (line == wanted) return;
        std::istringstream fields(line);
        std::uint32_t version = 0;
        if (fields >> version && version == plugin::kAbiVersion) versionSeen = true;
    }
    if (versionSeen)
        FAIL() << "the SDK headers changed but kAbiVersion " << plugin::kAbiVersion
               << " is still recorded with another hash: bump kAbiVersion in core/include/b3s/plugin/abi.hpp and "
                  "add the line '"
               << plugin::kAbiVersion + 1 << " <new hash>' to " << B3S_ABI_VERSIONS_FILE;
    FAIL() << "add the line '" << wanted << "' to " << B3S_ABI_VERSIONS_FILE;
}

}  // namespace
}  // namespace b3s::test
