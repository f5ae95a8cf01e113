#include "recordings/recording_metadata.hpp"

#include <gtest/gtest.h>

namespace b3s::core::recordings {
namespace {

TEST(RecordingMetadataTest, NormaliseSortsAndKeepsTheFirstOfEachName) {
    Metadata m = {{"b", "1"}, {"a", "2"}, {"b", "3"}};
    normaliseMetadata(m);
    EXPECT_EQ(m, (Metadata{{"a", "2"}, {"b", "1"}}));
}

TEST(RecordingMetadataTest, SetFindErase) {
    Metadata m;
    EXPECT_TRUE(setMetadata(m, "protect", "true"));
    EXPECT_TRUE(setMetadata(m, "gl-listed", "false"));
    EXPECT_FALSE(setMetadata(m, "protect", "true"));
    EXPECT_EQ(m, (Metadata{{"gl-listed", "false"}, {"protect", "true"}}));
    ASSERT_NE(findMetadata(m, "protect"), nullptr);
    EXPECT_EQ(*findMetadata(m, "protect"), "true");
    EXPECT_EQ(findMetadata(m, "missing"), nullptr);
    EXPECT_TRUE(eraseMetadata(m, "protect"));
    EXPECT_FALSE(eraseMetadata(m, "protect"));
    EXPECT_EQ(m, (Metadata{{"gl-listed", "false"}}));
}

TEST(RecordingMetadataTest, PatchSetsAndRemovesInOrder) {
    Metadata m = {{"a", "1"}, {"b", "2"}};
    const MetadataPatch patch{{{"a", std::nullopt}, {"c", "3"}, {"b", "2"}}};
    EXPECT_TRUE(applyMetadataPatch(m, patch));
    EXPECT_EQ(m, (Metadata{{"b", "2"}, {"c", "3"}}));
    EXPECT_FALSE(applyMetadataPatch(m, MetadataPatch{{{"a", std::nullopt}, {"b", "2"}}}));
}

}  // namespace
}  // namespace b3s::core::recordings
