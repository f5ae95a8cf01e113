#include "util/heap_trim.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace b3s::test {
namespace {

// Freed small blocks below a block still in use stay mapped until they are trimmed: the
// situation after loading the cluster view, which releaseFreedHeap() is called for.
TEST(HeapTrim, FreedHeapBelowLiveBlocksGoesBackToTheSystem) {
#if !defined(__GLIBC__)
    GTEST_SKIP() << "malloc_trim is glibc's";
#endif
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "AddressSanitizer has its own allocator; glibc's heap holds nothing to trim";
#endif
    std::vector<std::unique_ptr<char[]>> blocks;
    for (int i = 0; i < 16 * 1024; ++i) {
        blocks.push_back(std::make_unique<char[]>(1024));
        blocks.back()[0] = 1;  // touched, so resident
    }
    auto keep = std::make_unique<char[]>(1024);  // above them, so freeing them cannot shrink the top
    blocks.clear();
    EXPECT_TRUE(core::releaseFreedHeap());
}

}  // namespace
}  // namespace b3s::test
