// What the cluster controller asks of the store, on both connectors: poll leases (each due
// backend handed to one claimer, expiry, fencing of late results, sooner retries), poll
// results and admin edits that never overwrite each other, and the lifecycle of meetings
// lost with their backend.

#include "store/sql_store.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <barrier>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace b3s::test {
namespace {

using store::AdminState;
using store::Backend;
using store::Meeting;
using store::PollLease;
using store::PollRecord;

constexpr store::Micros kSecond = 1'000'000;
constexpr store::Micros kInterval = 5 * kSecond;
constexpr store::Micros kLease = 10 * kSecond;

class ControllerStore : public ::testing::TestWithParam<Engine> {
protected:
    void SetUp() override {
        try {
            db_ = TestDatabase::create(GetParam());
        } catch (const std::exception& e) {
            FAIL() << "cannot create the " << engineName(GetParam()) << " test database: " << e.what();
        }
        store_ = store::openStore(optionsFor(db_->url()), clock_);
        store_->migrate();
        frontend_ = addTestFrontend(*store_, "tenant");
    }

    Backend addBackend(const std::string& host) { return addTestBackend(*store_, host); }
    Meeting addMeeting(const std::string& id, const std::string& backend_id, bool created = true) {
        Meeting m;
        m.id = id;
        m.frontend_id = frontend_.id;
        m.backend_id = backend_id;
        store_->insertMeeting(m);
        if (!created) return *store_->findMeeting(frontend_.id, id);
        return *store_->markMeetingCreated(frontend_.id, id, backend_id, "internal-" + id, "{}");
    }
    std::vector<PollLease> claim(int limit = 100) {
        return store_->claimDuePolls(clock_.nowMicros(), kInterval, kLease, limit);
    }
    static std::set<std::string> ids(const std::vector<PollLease>& leases) {
        std::set<std::string> out;
        for (const auto& l : leases) out.insert(l.backend_id);
        return out;
    }
    PollRecord success(int meetings = 0, int attendees = 0) {
        PollRecord r;
        r.succeeded = true;
        r.node_state = "ready";
        r.successes = 1;
        r.meetings_count = meetings;
        r.attendees_count = attendees;
        r.latency = 1234;
        r.at = clock_.nowMicros();
        return r;
    }
    PollRecord failure(const std::string& error, std::optional<store::Micros> retry_at = std::nullopt) {
        PollRecord r;
        r.node_state = "unstable";
        r.failures = 1;
        r.last_error = error;
        r.at = clock_.nowMicros();
        r.next_due = retry_at;
        return r;
    }

    ManualCoreClock clock_;
    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<store::Store> store_;
    store::Frontend frontend_;
};

std::string paramName(const ::testing::TestParamInfo<Engine>& info) {
    return engineName(info.param);
}
INSTANTIATE_TEST_SUITE_P(Connectors, ControllerStore, ::testing::Values(Engine::Sqlite, Engine::Postgres), paramName);

TEST_P(ControllerStore, NewBackendsAreDueAtOnceAndThenOncePerInterval) {
    const auto a = addBackend("a.example");
    const auto b = addBackend("b.example");
    const auto first = claim();
    EXPECT_EQ(ids(first), (std::set<std::string>{a.id, b.id}));
    for (const auto& l : first) {
        EXPECT_EQ(l.node_state, "init");
        EXPECT_EQ(l.failures, 0);
        ASSERT_TRUE(store_->recordPoll(l, success()));
    }
    EXPECT_TRUE(claim().empty()) << "polled a moment ago";
    clock_.advanceMicros(kInterval - 1);
    EXPECT_TRUE(claim().empty()) << "not due yet";
    clock_.advanceMicros(1);
    const auto second = claim();
    EXPECT_EQ(ids(second), (std::set<std::string>{a.id, b.id}));
    EXPECT_EQ(second.front().node_state, "ready") << "the lease carries the health it was claimed with";
    EXPECT_EQ(second.front().successes, 1);
}

TEST_P(ControllerStore, ClaimHandsOutAtMostTheLimit) {
    for (int i = 0; i < 5; ++i) addBackend("b" + std::to_string(i) + ".example");
    EXPECT_EQ(claim(2).size(), 2u);
    EXPECT_EQ(claim(2).size(), 2u);
    EXPECT_EQ(claim(2).size(), 1u);
    EXPECT_TRUE(claim(2).empty());
}

TEST_P(ControllerStore, ConcurrentClaimersNeverShareABackend) {
    constexpr int kBackends = 24;
    for (int i = 0; i < kBackends; ++i) addBackend("c" + std::to_string(i) + ".example");
    // PostgreSQL: two stores, as two b3scaled processes have; SQLite: one process only.
    std::unique_ptr<store::Store> other;
    if (GetParam() == Engine::Postgres) other = store::openStore(optionsFor(db_->url()), clock_);
    constexpr int kThreads = 6;
    std::barrier start(kThreads);
    std::mutex mutex;
    std::multiset<std::string> claimed;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            auto& s = (other && t % 2 == 1) ? *other : *store_;
            start.arrive_and_wait();
            for (int round = 0; round < 10; ++round) {
                const auto got = s.claimDuePolls(clock_.nowMicros(), kInterval, kLease, 2);
                std::lock_guard lock(mutex);
                for (const auto& l : got) claimed.insert(l.backend_id);
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kBackends)) << "each due backend is claimed exactly once";
    EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), static_cast<std::size_t>(kBackends));
}

TEST_P(ControllerStore, ExpiredLeaseIsClaimedAgainAndItsLateResultIsDiscarded) {
    const auto b = addBackend("crashed.example");
    const auto held = claim();
    ASSERT_EQ(held.size(), 1u);
    // The holder dies: nobody records; the backend stays leased until the lease runs out.
    clock_.advanceMicros(kInterval);
    EXPECT_TRUE(claim().empty()) << "due, but the lease still holds";
    clock_.advanceMicros(kLease - kInterval + 1);
    const auto taken = claim();
    ASSERT_EQ(taken.size(), 1u);
    EXPECT_NE(taken.front().lease_id, held.front().lease_id);
    // The first holder wakes up: its result is refused, the new holder's is kept.
    EXPECT_FALSE(store_->recordPoll(held.front(), failure("late")));
    const auto recorded = store_->recordPoll(taken.front(), success(3, 30));
    ASSERT_TRUE(recorded);
    EXPECT_EQ(recorded->backend.meetings_count, 3);
    EXPECT_EQ(store_->findBackend(b.id)->last_error, std::nullopt);
}

TEST_P(ControllerStore, ResultAfterTheLeaseExpiredIsDiscardedEvenIfNobodyClaimedIt) {
    const auto b = addBackend("slow.example");
    const auto held = claim();
    ASSERT_EQ(held.size(), 1u);
    clock_.advanceMicros(kLease + 1);
    EXPECT_FALSE(store_->recordPoll(held.front(), success(1, 1)));
    EXPECT_EQ(store_->findBackend(b.id)->node_state, "init");
}

TEST_P(ControllerStore, FailedPollIsRetriedSoonerThanTheInterval) {
    const auto b = addBackend("flaky.example");
    auto lease = claim();
    ASSERT_EQ(lease.size(), 1u);
    ASSERT_TRUE(store_->recordPoll(lease.front(), failure("refused", clock_.nowMicros() + kSecond)));
    clock_.advanceMicros(kSecond);
    lease = claim();
    ASSERT_EQ(lease.size(), 1u) << "retried after a second, not after the interval";
    EXPECT_EQ(lease.front().node_state, "unstable");
    EXPECT_EQ(lease.front().failures, 1);
    const auto row = store_->findBackend(b.id);
    EXPECT_EQ(row->last_error, "refused");
}

TEST_P(ControllerStore, RequestedPollMovesTheNextPollForwardNeverBack) {
    const auto b = addBackend("hinted.example");
    ASSERT_TRUE(store_->recordPoll(claim().front(), success()));
    clock_.advanceMicros(kSecond);
    EXPECT_TRUE(claim().empty());
    EXPECT_TRUE(store_->requestPoll(b.id, clock_.nowMicros()));
    EXPECT_EQ(ids(claim()), std::set<std::string>{b.id}) << "due at once, not in four seconds";
    EXPECT_FALSE(store_->requestPoll(b.id, clock_.nowMicros() + kInterval * 2)) << "never later than planned";
    EXPECT_FALSE(store_->requestPoll("not-a-uuid", clock_.nowMicros()));
}

TEST_P(ControllerStore, PollResultsAndAdminEditsNeverOverwriteEachOther) {
    const auto read_by_admin = addBackend("shared.example");
    const auto lease = claim();
    ASSERT_EQ(lease.size(), 1u);
    const auto polled = store_->recordPoll(lease.front(), success(4, 40));
    ASSERT_TRUE(polled);
    EXPECT_EQ(polled->backend.version, read_by_admin.version) << "a poll is not an edit";
    EXPECT_GT(polled->backend.poll_seq, read_by_admin.poll_seq);

    // The operator saves what was read before the poll: accepted, the poll's numbers stay.
    auto edit = read_by_admin;
    edit.admin_state = AdminState::Stopped;
    edit.load_factor = 3;
    const auto edited = store_->updateBackend(edit);
    ASSERT_TRUE(edited);
    EXPECT_EQ(edited->admin_state, AdminState::Stopped);
    EXPECT_EQ(edited->node_state, "ready");
    EXPECT_EQ(edited->meetings_count, 4);
    EXPECT_EQ(edited->attendees_count, 40);
    EXPECT_EQ(edited->latency, 1234);

    // And the next poll leaves the edit alone.
    clock_.advanceMicros(kInterval);
    const auto next = claim();
    ASSERT_EQ(next.size(), 1u);
    const auto again = store_->recordPoll(next.front(), failure("timed out"));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->backend.admin_state, AdminState::Stopped);
    EXPECT_EQ(again->backend.load_factor, 3);
    EXPECT_EQ(again->backend.node_state, "unstable");
    EXPECT_EQ(again->backend.meetings_count, 4) << "a failed poll keeps the last measured load";
}

TEST_P(ControllerStore, DeletedBackendTakesItsScheduleWithIt) {
    const auto a = addBackend("gone.example");
    const auto b = addBackend("stays.example");
    const auto leases = claim();
    ASSERT_EQ(leases.size(), 2u);
    ASSERT_TRUE(store_->deleteBackend(a.id));
    for (const auto& l : leases) {
        const auto r = store_->recordPoll(l, success());
        EXPECT_EQ(r.has_value(), l.backend_id == b.id) << l.backend_id;
    }
    clock_.advanceMicros(kInterval);
    EXPECT_EQ(ids(claim()), std::set<std::string>{b.id});
    EXPECT_EQ(db_->scalar("SELECT count(*) FROM backend_polls"), "1");
}

TEST_P(ControllerStore, MeetingsLostWithTheirBackendAreMarkedOnceAndFoundAgain) {
    const auto b = addBackend("dies.example");
    const auto other = addBackend("other.example");
    addMeeting("m1", b.id);
    addMeeting("m2", b.id);
    addMeeting("elsewhere", other.id);
    const auto lost = store_->markMeetingsLost(b.id, clock_.nowMicros());
    ASSERT_EQ(lost.size(), 2u);
    for (const auto& m : lost) {
        EXPECT_EQ(m.lost_at, clock_.nowMicros()) << m.id;
        EXPECT_EQ(m.backend_id, b.id) << "the placement stays until it is re-created";
        EXPECT_EQ(m.internal_id, "internal-" + m.id) << "what its first create generated is kept";
    }
    EXPECT_TRUE(store_->markMeetingsLost(b.id, clock_.nowMicros()).empty()) << "already lost";
    EXPECT_FALSE(store_->findMeeting(frontend_.id, "elsewhere")->lost_at);

    // The backend answers again and still runs m1.
    const auto back = store_->clearMeetingLost("m1", b.id);
    ASSERT_TRUE(back);
    EXPECT_FALSE(back->lost_at);
    EXPECT_FALSE(store_->clearMeetingLost("m1", b.id)) << "not lost any more";
    EXPECT_FALSE(store_->clearMeetingLost("m2", other.id)) << "not on that backend";

    // m2 is re-created elsewhere: moving it clears the mark.
    const auto moved = store_->moveMeeting(frontend_.id, "m2", b.id, other.id);
    ASSERT_TRUE(moved);
    EXPECT_FALSE(moved->lost_at);
    EXPECT_FALSE(moved->internal_id);
}

// A join found one meeting's backend dead: that meeting alone is lost, once, and a failed
// re-creation puts it back as it was (passwords and all) for the next attempt.
TEST_P(ControllerStore, OneMeetingIsMarkedLostAndAFailedRecreationPutsItBack) {
    const auto b = addBackend("dies.example");
    const auto other = addBackend("other.example");
    addMeeting("m1", b.id);
    addMeeting("m2", b.id);
    addMeeting("pending", b.id, false);
    ASSERT_TRUE(store_->updateMeetingState("m1", R"({"AttendeePW":"ap","ModeratorPW":"mp"})"));

    EXPECT_FALSE(store_->markMeetingLost(frontend_.id, "m1", other.id, clock_.nowMicros())) << "not on that backend";
    EXPECT_FALSE(store_->markMeetingLost(frontend_.id, "pending", b.id, clock_.nowMicros())) << "never created";
    const auto other_frontend = addTestFrontend(*store_, "other-tenant");
    EXPECT_FALSE(store_->markMeetingLost(other_frontend.id, "m1", b.id, clock_.nowMicros())) << "another tenant's";
    const auto lost = store_->markMeetingLost(frontend_.id, "m1", b.id, clock_.nowMicros());
    ASSERT_TRUE(lost);
    EXPECT_EQ(lost->lost_at, clock_.nowMicros());
    EXPECT_EQ(lost->backend_id, b.id);
    EXPECT_EQ(lost->internal_id, "internal-m1");
    EXPECT_FALSE(store_->markMeetingLost(frontend_.id, "m1", b.id, clock_.nowMicros())) << "lost already";
    EXPECT_FALSE(store_->findMeeting(frontend_.id, "m2")->lost_at) << "its neighbours are left alone";

    // Moved for its re-creation, which fails: back on its old backend, still lost.
    clock_.advanceMicros(kSecond);
    ASSERT_TRUE(store_->moveMeeting(frontend_.id, "m1", b.id, other.id));
    EXPECT_FALSE(store_->restoreLostMeeting(*lost, b.id, clock_.nowMicros())) << "not the placement on b";
    const auto back = store_->restoreLostMeeting(*lost, other.id, clock_.nowMicros());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->backend_id, b.id);
    EXPECT_EQ(back->internal_id, "internal-m1");
    EXPECT_EQ(back->lost_at, lost->lost_at);
    EXPECT_EQ(back->state_json.find("\"ap\"") != std::string::npos, true) << back->state_json;
    EXPECT_GT(back->version, lost->version);

    // Once the new backend acknowledged the create, nothing is put back.
    ASSERT_TRUE(store_->moveMeeting(frontend_.id, "m1", b.id, other.id));
    ASSERT_TRUE(store_->markMeetingCreated(frontend_.id, "m1", other.id, "internal-m1-new", "{}"));
    EXPECT_FALSE(store_->restoreLostMeeting(*lost, other.id, clock_.nowMicros()));
    EXPECT_EQ(store_->findMeeting(frontend_.id, "m1")->internal_id, "internal-m1-new");

    // A meeting whose backend was deleted goes back to no backend.
    ASSERT_TRUE(store_->deleteBackend(b.id));
    auto orphan = *store_->findMeeting(frontend_.id, "m2");
    ASSERT_FALSE(orphan.backend_id);
    ASSERT_TRUE(store_->moveMeeting(frontend_.id, "m2", std::nullopt, other.id));
    const auto restored = store_->restoreLostMeeting(orphan, other.id, clock_.nowMicros());
    ASSERT_TRUE(restored);
    EXPECT_FALSE(restored->backend_id);
    EXPECT_EQ(restored->lost_at, clock_.nowMicros()) << "lost from now on";
}

// Whoever reads the backend as offline also reads its meetings as lost: one transaction.
TEST_P(ControllerStore, PollThatTakesABackendOfflineMarksItsMeetingsLostWithIt) {
    const auto b = addBackend("dies.example");
    const auto other = addBackend("other.example");
    addMeeting("m1", b.id);
    addMeeting("elsewhere", other.id);
    auto offline = failure("connection refused");
    offline.node_state = "offline";
    offline.meetings_lost = true;

    // A late result (lease expired) changes neither the backend nor its meetings.
    const auto stale = claim();
    ASSERT_EQ(stale.size(), 2u);
    clock_.advanceMicros(kLease + 1);
    offline.at = clock_.nowMicros();
    const auto of_b = [&](const std::vector<PollLease>& leases) {
        return *std::find_if(leases.begin(), leases.end(), [&](const PollLease& l) { return l.backend_id == b.id; });
    };
    EXPECT_FALSE(store_->recordPoll(of_b(stale), offline));
    EXPECT_FALSE(store_->findMeeting(frontend_.id, "m1")->lost_at);
    EXPECT_EQ(store_->findBackend(b.id)->node_state, "init");

    const auto recorded = store_->recordPoll(of_b(claim()), offline);
    ASSERT_TRUE(recorded);
    EXPECT_EQ(recorded->backend.node_state, "offline");
    ASSERT_EQ(recorded->lost.size(), 1u);
    EXPECT_EQ(recorded->lost.front().id, "m1");
    EXPECT_EQ(store_->findMeeting(frontend_.id, "m1")->lost_at, offline.at);
    EXPECT_FALSE(store_->findMeeting(frontend_.id, "elsewhere")->lost_at);

    // An ordinary failed poll marks nothing.
    addMeeting("m2", b.id);
    clock_.advanceMicros(kInterval);
    for (const auto& l : claim()) {
        const auto r = store_->recordPoll(l, failure("timed out"));
        ASSERT_TRUE(r);
        EXPECT_TRUE(r->lost.empty());
    }
    EXPECT_FALSE(store_->findMeeting(frontend_.id, "m2")->lost_at);
}

TEST_P(ControllerStore, LostMeetingsAreForgottenAfterTheRetention) {
    const auto b = addBackend("dies.example");
    const auto other = addBackend("other.example");
    addMeeting("old", b.id);
    store_->markMeetingsLost(b.id, clock_.nowMicros());
    clock_.advanceMicros(kSecond);
    addMeeting("recent", b.id);
    store_->markMeetingsLost(b.id, clock_.nowMicros());
    addMeeting("running", other.id);
    EXPECT_EQ(store_->deleteLostMeetings(clock_.nowMicros()), std::vector<std::string>{"old"});
    EXPECT_FALSE(store_->findMeeting(frontend_.id, "old"));
    EXPECT_TRUE(store_->findMeeting(frontend_.id, "recent"));
    EXPECT_TRUE(store_->findMeeting(frontend_.id, "running"));
}

TEST_P(ControllerStore, VanishedMeetingIsDeletedOnlyWhenUnchangedSinceThePollAsked) {
    const auto b = addBackend("b.example");
    const auto other = addBackend("other.example");
    addMeeting("lost", b.id);
    ASSERT_EQ(store_->markMeetingsLost(b.id, clock_.nowMicros()).size(), 1u);
    const auto asked_at = clock_.nowMicros() + 10;
    addMeeting("ended", b.id);
    addMeeting("on-another-backend", other.id);
    clock_.advanceMicros(20);
    addMeeting("created-after-the-question", b.id);

    EXPECT_TRUE(store_->deleteVanishedMeeting("ended", b.id, asked_at));
    EXPECT_FALSE(store_->deleteVanishedMeeting("created-after-the-question", b.id, asked_at));
    EXPECT_FALSE(store_->deleteVanishedMeeting("lost", b.id, clock_.nowMicros() + 1))
        << "a lost meeting waits for its re-creation, whatever its backend lists";
    EXPECT_FALSE(store_->deleteVanishedMeeting("on-another-backend", b.id, clock_.nowMicros() + 1));
    EXPECT_FALSE(store_->findMeeting(frontend_.id, "ended"));
    EXPECT_TRUE(store_->findMeeting(frontend_.id, "lost"));
}

// The ends of meetings, which decide how long a callback token of each incarnation counts.
TEST_P(ControllerStore, EveryDeletionOfARunningMeetingRecordsItsEndAndOnlyThat) {
    const auto b = addBackend("b.example");
    const auto by_end = addMeeting("ended-by-end", b.id);
    const auto vanished = addMeeting("vanished", b.id);
    const auto lost = addMeeting("lost", b.id);
    const auto running = addMeeting("running", b.id);
    addMeeting("pending", b.id, /*created=*/false);
    store_->markMeetingsLost(b.id, clock_.nowMicros());
    ASSERT_TRUE(store_->clearMeetingLost("vanished", b.id));
    ASSERT_TRUE(store_->clearMeetingLost("ended-by-end", b.id));
    ASSERT_TRUE(store_->clearMeetingLost("running", b.id));
    ASSERT_TRUE(store_->clearMeetingLost("pending", b.id));
    clock_.advanceMicros(kSecond);
    const auto ended_at = clock_.nowMicros();

    ASSERT_TRUE(store_->deleteMeeting(frontend_.id, "ended-by-end"));
    ASSERT_FALSE(store_->deleteVanishedMeeting("vanished", b.id, vanished.updated_at))
        << "changed since the poll asked: kept";
    EXPECT_FALSE(store_->findMeetingEnd(frontend_.id, "vanished", vanished.created_at)) << "not deleted, not ended";
    ASSERT_TRUE(store_->deleteVanishedMeeting("vanished", b.id, clock_.nowMicros() + 1));
    ASSERT_EQ(store_->deleteLostMeetings(clock_.nowMicros()), std::vector<std::string>{"lost"});
    ASSERT_TRUE(store_->deletePendingMeeting(frontend_.id, "pending", b.id));

    EXPECT_EQ(store_->findMeetingEnd(frontend_.id, "ended-by-end", by_end.created_at), ended_at);
    EXPECT_EQ(store_->findMeetingEnd(frontend_.id, "vanished", vanished.created_at), ended_at);
    EXPECT_EQ(store_->findMeetingEnd(frontend_.id, "lost", lost.created_at), ended_at);
    EXPECT_FALSE(store_->findMeetingEnd(frontend_.id, "running", running.created_at));
    EXPECT_EQ(db_->scalar("SELECT count(*) FROM meeting_ends"), "3") << "a pending placement undone never ran: no end";
    // Another incarnation, another frontend: no end of theirs.
    EXPECT_FALSE(store_->findMeetingEnd(frontend_.id, "ended-by-end", by_end.created_at + 1));
    const auto other = addTestFrontend(*store_, "other-tenant");
    EXPECT_FALSE(store_->findMeetingEnd(other.id, "ended-by-end", by_end.created_at));
}

TEST_P(ControllerStore, MeetingEndsOfEachIncarnationArePrunedAfterTheirTime) {
    const auto b = addBackend("b.example");
    const auto first = addMeeting("room", b.id);
    ASSERT_TRUE(store_->deleteMeeting(frontend_.id, "room"));
    const auto first_end = clock_.nowMicros();
    clock_.advanceMicros(10 * kSecond);
    const auto second = addMeeting("room", b.id);
    ASSERT_NE(second.created_at, first.created_at);
    ASSERT_TRUE(store_->deleteMeeting(frontend_.id, "room"));
    EXPECT_EQ(store_->findMeetingEnd(frontend_.id, "room", first.created_at), first_end);
    EXPECT_EQ(store_->findMeetingEnd(frontend_.id, "room", second.created_at), clock_.nowMicros());
    // The latest end of any incarnation: what a copy still running somewhere is judged by.
    EXPECT_EQ(store_->lastMeetingEnd("room"), clock_.nowMicros());
    EXPECT_FALSE(store_->lastMeetingEnd("never-ended"));

    EXPECT_EQ(store_->deleteMeetingEnds(first_end + 1), 1u);
    EXPECT_FALSE(store_->findMeetingEnd(frontend_.id, "room", first.created_at));
    EXPECT_TRUE(store_->findMeetingEnd(frontend_.id, "room", second.created_at));
    EXPECT_EQ(store_->deleteMeetingEnds(first_end + 1), 0u);
    // A frontend's go with it.
    ASSERT_TRUE(store_->deleteFrontend(frontend_.id));
    EXPECT_EQ(db_->scalar("SELECT count(*) FROM meeting_ends"), "0");
    EXPECT_FALSE(store_->lastMeetingEnd("room"));
}

TEST_P(ControllerStore, DecommissionedBackendIsDeletedOnlyOnceItCarriesNoMeeting) {
    auto b = addBackend("retiring.example");
    addMeeting("still-running", b.id);
    EXPECT_FALSE(store_->deleteDrainedBackend(b.id)) << "not decommissioned";
    b.admin_state = AdminState::Decommissioned;
    b = *store_->updateBackend(b);
    EXPECT_FALSE(store_->deleteDrainedBackend(b.id)) << "a meeting still runs there";
    ASSERT_TRUE(store_->deleteVanishedMeeting("still-running", b.id, clock_.nowMicros() + 1));
    addMeeting("lost-there", b.id);
    store_->markMeetingsLost(b.id, clock_.nowMicros());
    EXPECT_TRUE(store_->deleteDrainedBackend(b.id)) << "lost meetings do not hold it back";
    EXPECT_FALSE(store_->findBackend(b.id));
    const auto orphan = store_->findMeeting(frontend_.id, "lost-there");
    ASSERT_TRUE(orphan) << "re-created on its next create or join";
    EXPECT_FALSE(orphan->backend_id);
}

}  // namespace
}  // namespace b3s::test
