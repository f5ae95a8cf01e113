#include "os/journal_stream.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include <sys/stat.h>

namespace b3s::core::os {
namespace {

// Restores JOURNAL_STREAM as the test found it.
class JournalStreamTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (const char* v = std::getenv("JOURNAL_STREAM")) saved_ = v;
    }
    void TearDown() override {
        if (saved_)
            ::setenv("JOURNAL_STREAM", saved_->c_str(), 1);
        else
            ::unsetenv("JOURNAL_STREAM");
    }
    static std::string stderrId(long inode_offset = 0) {
        struct stat st {};
        EXPECT_EQ(fstat(2, &st), 0);
        return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino + inode_offset);
    }
    std::optional<std::string> saved_;
};

TEST_F(JournalStreamTest, ParsesDeviceColonInode) {
    const auto id = parseJournalStream("2049:123456");
    ASSERT_TRUE(id);
    EXPECT_EQ(id->device, 2049u);
    EXPECT_EQ(id->inode, 123456u);
    for (const char* bad : {"", ":", "12", "12:", ":34", "a:1", "1:b", "1:2:3", "-1:2", " 1:2"})
        EXPECT_FALSE(parseJournalStream(bad)) << bad;
}

TEST_F(JournalStreamTest, StderrIsTheJournalOnlyWhenTheVariableNamesFdTwo) {
    ::unsetenv("JOURNAL_STREAM");
    EXPECT_FALSE(stderrIsJournal());
    ::setenv("JOURNAL_STREAM", stderrId().c_str(), 1);
    EXPECT_TRUE(stderrIsJournal());
    // Inherited by a process whose stderr went elsewhere: not the journal.
    ::setenv("JOURNAL_STREAM", stderrId(1).c_str(), 1);
    EXPECT_FALSE(stderrIsJournal());
    ::setenv("JOURNAL_STREAM", "garbage", 1);
    EXPECT_FALSE(stderrIsJournal());
}

}  // namespace
}  // namespace b3s::core::os
