// Once-only delivery until the persistent outbox takes over: a key is claimed once, a claim
// that could not be queued can be given back, and the set forgets its oldest keys first.

#include "callbacks/delivered_callbacks.hpp"

#include <gtest/gtest.h>

#include <string>

namespace b3s::core::callbacks {
namespace {

TEST(DeliveredCallbacksTest, EachKeyIsClaimedOnce) {
    DeliveredCallbacks delivered;
    EXPECT_TRUE(delivered.claim("end:a"));
    for (int replay = 0; replay < 5; ++replay) EXPECT_FALSE(delivered.claim("end:a"));
    EXPECT_TRUE(delivered.claim("end:b"));
    EXPECT_TRUE(delivered.claim("rec:a:r1"));
    EXPECT_FALSE(delivered.claim("rec:a:r1"));
}

TEST(DeliveredCallbacksTest, AReleasedClaimCanBeClaimedAgain) {
    DeliveredCallbacks delivered;
    ASSERT_TRUE(delivered.claim("end:a"));
    delivered.release("end:a");
    EXPECT_TRUE(delivered.claim("end:a"));
    EXPECT_FALSE(delivered.claim("end:a"));
    delivered.release("never-claimed");  // harmless
}

TEST(DeliveredCallbacksTest, StaysBoundedForgettingTheOldestFirst) {
    DeliveredCallbacks delivered(3);
    for (const auto* key : {"1", "2", "3", "4"}) ASSERT_TRUE(delivered.claim(key));
    EXPECT_FALSE(delivered.claim("4"));
    EXPECT_FALSE(delivered.claim("2"));
    EXPECT_TRUE(delivered.claim("1")) << "the oldest was forgotten";
}

}  // namespace
}  // namespace b3s::core::callbacks
