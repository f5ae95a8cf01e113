// What PollRequests remembers of failed backend calls: a join checks a backend that failed a
// call until the backend answers a question asked after that failure — an answer to an older
// question (a poll sent before the backend died) does not clear it.

#include "cluster/poll_requests.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace b3s::test {
namespace {

using core::cluster::PollRequests;

TEST(PollRequestsTest, AFailedCallIsRememberedUntilALaterQuestionIsAnswered) {
    PollRequests requests;
    EXPECT_FALSE(requests.failedSinceLastAnswer("a"));
    const auto before = requests.ticket();  // a poll asked before the failure
    requests.callFailed("a");
    EXPECT_TRUE(requests.failedSinceLastAnswer("a"));
    EXPECT_FALSE(requests.failedSinceLastAnswer("b"));
    EXPECT_EQ(requests.take(), std::vector<std::string>{"a"}) << "and it is polled early";
    EXPECT_TRUE(requests.failedSinceLastAnswer("a")) << "taking the poll requests forgets nothing";

    requests.answered("a", before);
    EXPECT_TRUE(requests.failedSinceLastAnswer("a")) << "that answer was to a question older than the failure";
    const auto after = requests.ticket();
    requests.answered("b", after);
    EXPECT_TRUE(requests.failedSinceLastAnswer("a")) << "another backend's answer";
    requests.answered("a", after);
    EXPECT_FALSE(requests.failedSinceLastAnswer("a"));
}

TEST(PollRequestsTest, AFailureWhileAQuestionIsOnItsWayOutlivesItsAnswer) {
    PollRequests requests;
    requests.callFailed("a");
    const auto asked = requests.ticket();
    requests.callFailed("a");  // failed again after the check was sent
    requests.answered("a", asked);
    EXPECT_TRUE(requests.failedSinceLastAnswer("a"));
    requests.answered("a", requests.ticket());
    EXPECT_FALSE(requests.failedSinceLastAnswer("a"));
}

TEST(PollRequestsTest, EarlyPollRequestsAloneMarkNoFailure) {
    PollRequests requests;
    requests.request("silent-agent");
    EXPECT_FALSE(requests.failedSinceLastAnswer("silent-agent"));
    EXPECT_EQ(requests.take(), std::vector<std::string>{"silent-agent"});
    EXPECT_TRUE(requests.take().empty());
}

}  // namespace
}  // namespace b3s::test
