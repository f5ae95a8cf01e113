// The callback outbox of the store (schema version 7), on both connectors: queueing with
// replay protection, claims that are fair across frontends and never hand one callback out
// twice (also to two instances at once), leases taken over from a dead instance with its late
// result discarded, the outcomes, dead letters queued again, pruning and counts.

#include "store/store.hpp"
#include "store_test_support.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace b3s::test {
namespace {

using store::CallbackClaim;
using store::CallbackOutcome;
using store::OutboxCallback;

constexpr store::Micros kSecond = 1'000'000;
constexpr store::Micros kLease = 30 * kSecond;

class CallbackStore : public ::testing::TestWithParam<Engine> {
protected:
    void SetUp() override {
        try {
            db_ = TestDatabase::create(GetParam());
        } catch (const std::exception& e) {
            FAIL() << "cannot create the " << engineName(GetParam()) << " test database: " << e.what();
        }
        store_ = store::openStore(optionsFor(db_->url()), clock_);
        store_->migrate();
        a_ = addTestFrontend(*store_, "tenant-a").id;
        b_ = addTestFrontend(*store_, "tenant-b").id;
        c_ = addTestFrontend(*store_, "tenant-c").id;
    }

    std::optional<OutboxCallback> queue(const std::string& frontend, const std::string& url,
                                        const std::string& dedupe = "", store::Micros due_in = 0) {
        OutboxCallback c;
        c.frontend_id = frontend;
        c.url = url;
        if (!dedupe.empty()) c.dedupe_key = dedupe;
        c.next_attempt_at = clock_.nowMicros() + due_in;
        return store_->insertCallback(c);
    }
    std::vector<OutboxCallback> claim(int limit = 8, int per_frontend = 2, int max_attempts = 5,
                                      store::Store* s = nullptr) {
        CallbackClaim c;
        c.now = clock_.nowMicros();
        c.lease = kLease;
        c.limit = limit;
        c.per_frontend = per_frontend;
        c.max_attempts = max_attempts;
        return (s ? *s : *store_).claimCallbacks(c);
    }
    // An empty `error` is none (a std::nullopt default argument trips g++ 12's maybe-uninitialized).
    CallbackOutcome outcome(CallbackOutcome::Kind kind, const std::string& error = {}, store::Micros next = 0) {
        CallbackOutcome o{kind, std::nullopt, next, clock_.nowMicros()};
        if (!error.empty()) o.error = error;
        return o;
    }
    bool deliver(const OutboxCallback& c) {
        return store_->finishCallback(c.id, *c.claimed_by, outcome(CallbackOutcome::Kind::Delivered));
    }
    static std::map<std::string, int> perFrontend(const std::vector<OutboxCallback>& claimed) {
        std::map<std::string, int> out;
        for (const auto& c : claimed) ++out[c.frontend_id];
        return out;
    }

    ManualCoreClock clock_;
    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<store::Store> store_;
    std::string a_, b_, c_;
};

std::string paramName(const ::testing::TestParamInfo<Engine>& info) {
    return engineName(info.param);
}
INSTANTIATE_TEST_SUITE_P(Connectors, CallbackStore, ::testing::Values(Engine::Sqlite, Engine::Postgres), paramName);

TEST_P(CallbackStore, QueuedCallbackIsPendingAndAReplayIsNotQueued) {
    OutboxCallback post;
    post.frontend_id = a_;
    post.method = "POST";
    post.url = "https://user:pw@lms.example/ready";
    post.body = "signed_parameters=abc";
    post.content_type = "application/x-www-form-urlencoded";
    post.dedupe_key = "recording:r1";
    post.state = "delivered";  // ignored: the store's
    post.attempts = 7;
    post.next_attempt_at = clock_.nowMicros();
    const auto queued = store_->insertCallback(post);
    ASSERT_TRUE(queued);
    const auto found = store_->findCallback(queued->id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->frontend_id, a_);
    EXPECT_EQ(found->method, "POST");
    EXPECT_EQ(found->url, post.url);
    EXPECT_EQ(found->body, post.body);
    EXPECT_EQ(found->content_type, post.content_type);
    EXPECT_EQ(found->dedupe_key, "recording:r1");
    EXPECT_EQ(found->state, "pending");
    EXPECT_EQ(found->attempts, 0);
    EXPECT_EQ(found->created_at, clock_.nowMicros());
    EXPECT_FALSE(found->claimed_by);
    EXPECT_FALSE(found->last_error);

    post.url = "https://lms.example/other";
    EXPECT_FALSE(store_->insertCallback(post)) << "same dedupe key: a replay";
    EXPECT_TRUE(queue(a_, "https://lms.example/x"));
    EXPECT_TRUE(queue(a_, "https://lms.example/x")) << "no dedupe key: no replay protection";
    EXPECT_EQ(store_->countCallbacks().pending, 3);
    EXPECT_FALSE(store_->findCallback("not-a-uuid"));
    EXPECT_THROW(queue("not-a-uuid", "https://x.example/"), store::StoreError);
}

TEST_P(CallbackStore, ABacklogOfOneFrontendDoesNotHoldUpAnother) {
    for (int i = 0; i < 50; ++i) ASSERT_TRUE(queue(a_, "https://a.example/" + std::to_string(i)));
    clock_.advanceMicros(kSecond);
    ASSERT_TRUE(queue(b_, "https://b.example/late"));
    auto first = claim(8, 2);
    EXPECT_EQ(perFrontend(first), (std::map<std::string, int>{{a_, 2}, {b_, 1}}));
    EXPECT_TRUE(claim(8, 2).empty()) << "a_ has 2 delivering, b_ nothing left";
    // One of a_'s finishes: one more of a_'s may go.
    for (const auto& c : first)
        if (c.frontend_id == a_) {
            ASSERT_TRUE(deliver(c));
            break;
        }
    const auto next = claim(8, 2);
    ASSERT_EQ(next.size(), 1u);
    EXPECT_EQ(next.front().frontend_id, a_);
    EXPECT_EQ(next.front().attempts, 1);
    EXPECT_EQ(next.front().state, "delivering");
    ASSERT_TRUE(next.front().claim_expires_at);
    EXPECT_EQ(*next.front().claim_expires_at, clock_.nowMicros() + kLease);
}

TEST_P(CallbackStore, TheLimitIsSharedRoundRobinOldestWaitingFirst) {
    for (const auto& f : {a_, b_, c_}) {
        for (int i = 0; i < 5; ++i) ASSERT_TRUE(queue(f, "https://x.example/" + std::to_string(i)));
        clock_.advanceMicros(1);
    }
    auto claimed = claim(4, 100);
    EXPECT_EQ(perFrontend(claimed), (std::map<std::string, int>{{a_, 2}, {b_, 1}, {c_, 1}}));
    claimed = claim(100, 100);
    EXPECT_EQ(perFrontend(claimed), (std::map<std::string, int>{{a_, 3}, {b_, 4}, {c_, 4}}));
}

TEST_P(CallbackStore, ACallbackIsNotClaimedBeforeItIsDue) {
    ASSERT_TRUE(queue(a_, "https://a.example/later", "", 4 * kSecond));
    EXPECT_TRUE(claim().empty());
    clock_.advanceMicros(4 * kSecond);
    EXPECT_EQ(claim().size(), 1u);
}

TEST_P(CallbackStore, OutcomesRetryEndAndQueueDeadLettersAgain) {
    ASSERT_TRUE(queue(a_, "https://a.example/1"));
    auto c = claim().at(0);
    ASSERT_TRUE(store_->finishCallback(
        c.id, *c.claimed_by, outcome(CallbackOutcome::Kind::Retry, "HTTP 500", clock_.nowMicros() + 2 * kSecond)));
    auto row = *store_->findCallback(c.id);
    EXPECT_EQ(row.state, "pending");
    EXPECT_EQ(row.last_error, "HTTP 500");
    EXPECT_EQ(row.next_attempt_at, clock_.nowMicros() + 2 * kSecond);
    EXPECT_FALSE(row.claimed_by);
    EXPECT_FALSE(store_->finishCallback(c.id, *c.claimed_by, outcome(CallbackOutcome::Kind::Delivered)))
        << "the claim is spent";
    EXPECT_TRUE(claim().empty());
    clock_.advanceMicros(2 * kSecond);
    c = claim().at(0);
    EXPECT_EQ(c.attempts, 2);
    ASSERT_TRUE(store_->finishCallback(c.id, *c.claimed_by, outcome(CallbackOutcome::Kind::Dead, "gone (HTTP 410)")));
    row = *store_->findCallback(c.id);
    EXPECT_EQ(row.state, "dead");
    EXPECT_EQ(row.last_error, "gone (HTTP 410)");
    EXPECT_TRUE(claim().empty());

    EXPECT_FALSE(store_->retryCallback(store_->listCallbacks({}, 10).front().id + "x", clock_.nowMicros()));
    clock_.advanceMicros(kSecond);
    ASSERT_TRUE(store_->retryCallback(c.id, clock_.nowMicros()));
    EXPECT_FALSE(store_->retryCallback(c.id, clock_.nowMicros())) << "only a dead one";
    row = *store_->findCallback(c.id);
    EXPECT_EQ(row.state, "pending");
    EXPECT_EQ(row.attempts, 0);
    c = claim().at(0);
    EXPECT_EQ(c.attempts, 1);
    ASSERT_TRUE(deliver(c));
    EXPECT_EQ(store_->findCallback(c.id)->state, "delivered");
}

TEST_P(CallbackStore, AnExpiredClaimIsTakenOverAndTheLateResultDiscarded) {
    ASSERT_TRUE(queue(a_, "https://a.example/slow"));
    const auto first = claim().at(0);
    clock_.advanceMicros(kLease - 1);
    EXPECT_TRUE(claim().empty()) << "the lease still holds";
    clock_.advanceMicros(2);
    const auto second = claim().at(0);
    EXPECT_EQ(second.id, first.id);
    EXPECT_NE(second.claimed_by, first.claimed_by);
    EXPECT_EQ(second.attempts, 2);
    EXPECT_FALSE(deliver(first)) << "the dead instance's result comes too late";
    EXPECT_EQ(store_->findCallback(first.id)->state, "delivering");
    EXPECT_TRUE(deliver(second));
    EXPECT_EQ(store_->findCallback(first.id)->state, "delivered");
}

TEST_P(CallbackStore, AClaimThatExpiresAfterTheLastAttemptEndsDead) {
    ASSERT_TRUE(queue(a_, "https://a.example/crash"));
    ASSERT_EQ(claim(8, 2, 1).size(), 1u);
    clock_.advanceMicros(kLease + 1);
    EXPECT_TRUE(claim(8, 2, 1).empty());
    const auto row = store_->listCallbacks({"dead"}, 10);
    ASSERT_EQ(row.size(), 1u);
    EXPECT_NE(row.front().last_error.value_or("").find("abandoned"), std::string::npos);
}

TEST_P(CallbackStore, ListsNewestFirstCountsAndPrunesWhatIsFinished) {
    std::vector<std::string> ids;
    for (int i = 0; i < 4; ++i) {
        ids.push_back(queue(a_, "https://a.example/" + std::to_string(i))->id);
        clock_.advanceMicros(1);
    }
    auto claimed = claim(2, 2);
    ASSERT_EQ(claimed.size(), 2u);
    ASSERT_TRUE(deliver(claimed[0]));
    ASSERT_TRUE(
        store_->finishCallback(claimed[1].id, *claimed[1].claimed_by, outcome(CallbackOutcome::Kind::Dead, "refused")));
    const auto counts = store_->countCallbacks();
    EXPECT_EQ(counts.pending, 2);
    EXPECT_EQ(counts.delivering, 0);
    EXPECT_EQ(counts.delivered, 1);
    EXPECT_EQ(counts.dead, 1);
    const auto all = store_->listCallbacks({}, 100);
    ASSERT_EQ(all.size(), 4u);
    EXPECT_EQ(all.front().id, ids.back());
    EXPECT_EQ(store_->listCallbacks({}, 2).size(), 2u);
    const auto pending = store_->listCallbacks({"pending"}, 100);
    ASSERT_EQ(pending.size(), 2u);
    EXPECT_EQ(store_->listCallbacks({"dead", "delivered"}, 100).size(), 2u);

    clock_.advanceMicros(10 * kSecond);
    EXPECT_EQ(store_->deleteFinishedCallbacks(clock_.nowMicros(), clock_.nowMicros() - 20 * kSecond), 1)
        << "the delivered one; the dead one is younger than its retention";
    EXPECT_EQ(store_->deleteFinishedCallbacks(clock_.nowMicros(), clock_.nowMicros()), 1);
    EXPECT_EQ(store_->countCallbacks().pending, 2) << "pending callbacks are never pruned";
}

TEST_P(CallbackStore, AFrontendsCallbacksGoWithIt) {
    const auto f = addTestFrontend(*store_, "short-lived");
    ASSERT_TRUE(queue(f.id, "https://gone.example/cb"));
    ASSERT_TRUE(store_->deleteFrontend(f.id));
    EXPECT_TRUE(store_->listCallbacks({}, 10).empty());
}

TEST_P(CallbackStore, ConcurrentClaimersDeliverEveryCallbackExactlyOnce) {
    constexpr int kCallbacks = 200;
    const std::vector<std::string> frontends = {a_, b_, c_};
    for (int i = 0; i < kCallbacks; ++i)
        ASSERT_TRUE(queue(frontends[static_cast<std::size_t>(i) % 3], "https://x.example/" + std::to_string(i)));
    // PostgreSQL: two stores, as two b3scaled processes have; SQLite: one process only.
    std::unique_ptr<store::Store> other;
    if (GetParam() == Engine::Postgres) other = store::openStore(optionsFor(db_->url()), clock_);
    constexpr int kThreads = 6;
    std::barrier start(kThreads);
    std::mutex mutex;
    std::multiset<std::string> delivered;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            auto& s = (other && t % 2 == 1) ? *other : *store_;
            start.arrive_and_wait();
            for (int idle = 0; idle < 3;) {
                CallbackClaim c{clock_.nowMicros(), kLease, 4, 3, 5};
                const auto got = s.claimCallbacks(c);
                idle = got.empty() ? idle + 1 : 0;
                for (const auto& cb : got) {
                    ASSERT_TRUE(s.finishCallback(cb.id, *cb.claimed_by,
                                                 CallbackOutcome{CallbackOutcome::Kind::Delivered, {}, 0, 0}));
                    std::lock_guard lock(mutex);
                    delivered.insert(cb.id);
                }
                if (got.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(delivered.size(), static_cast<std::size_t>(kCallbacks));
    EXPECT_EQ(std::set<std::string>(delivered.begin(), delivered.end()).size(), delivered.size())
        << "a callback was claimed twice";
    EXPECT_EQ(store_->countCallbacks().delivered, kCallbacks);
}

}  // namespace
}  // namespace b3s::test
