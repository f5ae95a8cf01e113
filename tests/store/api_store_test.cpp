// What the REST API asks of the store, on both connectors: tenancy in the query (a tenant's
// frontends only), the agent's backend and its heartbeat (never an edit), meetings by internal
// id and their state, and the command queue (order, one claimer, deadlines, a dead claimer's
// command taken over, results).

#include "store/store.hpp"
#include "store_test_support.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <mutex>
#include <set>
#include <thread>

namespace b3s::test {
namespace {

constexpr store::Micros kSecond = 1'000'000;

class ApiStore : public ::testing::TestWithParam<Engine> {
protected:
    void SetUp() override {
        try {
            db_ = TestDatabase::create(GetParam());
        } catch (const std::exception& e) {
            FAIL() << "cannot create the " << engineName(GetParam()) << " test database: " << e.what();
        }
        store_ = store::openStore(optionsFor(db_->url()), clock_);
        store_->migrate();
    }
    store::Frontend frontendOf(const std::string& key, std::optional<std::string> account) {
        store::Frontend f;
        f.key = key;
        f.secret = "s";
        f.account_ref = std::move(account);
        return store_->insertFrontend(f);
    }

    ManualCoreClock clock_;
    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<store::Store> store_;
};

std::string paramName(const ::testing::TestParamInfo<Engine>& info) {
    return engineName(info.param);
}
INSTANTIATE_TEST_SUITE_P(Connectors, ApiStore, ::testing::Values(Engine::Sqlite, Engine::Postgres), paramName);

TEST_P(ApiStore, TenantSeesOnlyFrontendsOfItsAccount) {
    const auto mine = frontendOf("mine", "acct-1");
    const auto also = frontendOf("also-mine", "acct-1");
    const auto theirs = frontendOf("theirs", "acct-2");
    const auto nobodys = frontendOf("nobodys", std::nullopt);
    const auto listed = store_->listFrontendsOfAccount("acct-1");
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].key, "also-mine");
    EXPECT_EQ(listed[1].key, "mine");
    EXPECT_TRUE(store_->findFrontendOfAccount(mine.id, "acct-1"));
    EXPECT_FALSE(store_->findFrontendOfAccount(theirs.id, "acct-1"));
    EXPECT_FALSE(store_->findFrontendOfAccount(nobodys.id, "")) << "no account is nobody's account";
    EXPECT_TRUE(store_->listFrontendsOfAccount("").empty());
    EXPECT_FALSE(store_->findFrontendOfAccount("not-a-uuid", "acct-1"));
}

TEST_P(ApiStore, AgentFindsItsBackendAndItsHeartbeatIsNoEdit) {
    auto b = addTestBackend(*store_, "node.example");
    b.agent_ref = "node-agent-7";
    b = *store_->updateBackend(b);
    EXPECT_EQ(store_->findBackendByAgent("node-agent-7")->id, b.id);
    EXPECT_FALSE(store_->findBackendByAgent("someone-else"));
    clock_.advanceMicros(kSecond);
    const auto beat = store_->recordHeartbeat(b.id, clock_.nowMicros(), std::nullopt);
    ASSERT_TRUE(beat);
    EXPECT_EQ(beat->agent_heartbeat, clock_.nowMicros());
    EXPECT_EQ(beat->version, b.version) << "an operator's edit read before still applies";
    auto edit = b;
    edit.load_factor = 2;
    EXPECT_TRUE(store_->updateBackend(edit));
    EXPECT_FALSE(store_->recordHeartbeat("00000000-0000-4000-8000-000000000000", 1, std::nullopt));
}

TEST_P(ApiStore, MeetingByInternalIdAndItsStateDocument) {
    const auto f = addTestFrontend(*store_, "tenant");
    const auto b = addTestBackend(*store_, "b.example");
    store::Meeting m;
    m.id = "m-1";
    m.frontend_id = f.id;
    m.backend_id = b.id;
    store_->insertMeeting(m);
    store_->markMeetingCreated(f.id, "m-1", b.id, "internal-1", R"({"Running":false})");
    EXPECT_EQ(store_->findMeetingByInternalId("internal-1")->id, "m-1");
    EXPECT_FALSE(store_->findMeetingByInternalId("internal-2"));
    const auto updated = store_->updateMeetingState("m-1", R"({"Running":true,"Attendees":[]})");
    ASSERT_TRUE(updated);
    EXPECT_NE(updated->state_json.find("\"Running\""), std::string::npos);
    EXPECT_NE(updated->state_json.find("true"), std::string::npos);
    EXPECT_FALSE(store_->updateMeetingState("gone", "{}"));
}

TEST_P(ApiStore, CommandsAreClaimedInOrderOnceAndFinished) {
    const auto deadline = clock_.nowMicros() + 120 * kSecond;
    const auto first = store_->insertCommand("end_all_meetings", R"({"BackendID":"b-1"})", deadline);
    const auto second = store_->insertCommand("end_all_meetings", R"({"BackendID":"b-2"})", deadline);
    EXPECT_EQ(first.state, "requested");
    EXPECT_LT(first.seq, second.seq);
    EXPECT_NE(first.params_json.find("b-1"), std::string::npos);
    EXPECT_FALSE(first.result_json);
    EXPECT_FALSE(first.started_at);
    EXPECT_EQ(store_->listCommands().front().id, second.id) << "newest first";

    const auto claimed = store_->claimCommand(clock_.nowMicros(), 60 * kSecond);
    ASSERT_TRUE(claimed);
    EXPECT_EQ(claimed->id, first.id);
    EXPECT_EQ(claimed->state, "running");
    EXPECT_EQ(claimed->started_at, clock_.nowMicros());
    EXPECT_EQ(store_->claimCommand(clock_.nowMicros(), 60 * kSecond)->id, second.id);
    EXPECT_FALSE(store_->claimCommand(clock_.nowMicros(), 60 * kSecond)) << "both are running";

    clock_.advanceMicros(kSecond);
    EXPECT_TRUE(store_->finishCommand(first.id, true, "true", clock_.nowMicros()));
    EXPECT_FALSE(store_->finishCommand(first.id, false, "\"again\"", clock_.nowMicros())) << "not running any more";
    const auto done = store_->findCommand(first.id);
    EXPECT_EQ(done->state, "success");
    EXPECT_EQ(done->result_json, "true");
    EXPECT_EQ(done->stopped_at, clock_.nowMicros());
    EXPECT_FALSE(store_->findCommand("00000000-0000-4000-8000-000000000000"));
}

TEST_P(ApiStore, CommandOfADeadInstanceIsTakenOverAndOneTooLateTimesOut) {
    const auto taken = store_->insertCommand("end_all_meetings", "{}", clock_.nowMicros() + 600 * kSecond);
    ASSERT_TRUE(store_->claimCommand(clock_.nowMicros(), 60 * kSecond));
    clock_.advanceMicros(61 * kSecond);  // its claimer never finished
    const auto again = store_->claimCommand(clock_.nowMicros(), 60 * kSecond);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->id, taken.id);

    const auto late = store_->insertCommand("end_all_meetings", "{}", clock_.nowMicros() + kSecond);
    clock_.advanceMicros(2 * kSecond);
    EXPECT_FALSE(store_->claimCommand(clock_.nowMicros(), 60 * kSecond));
    const auto timed_out = store_->findCommand(late.id);
    EXPECT_EQ(timed_out->state, "error");
    EXPECT_EQ(timed_out->result_json, "\"timedout\"");

    clock_.advanceMicros(3600 * kSecond);
    EXPECT_EQ(store_->deleteFinishedCommands(clock_.nowMicros()), 1) << "the running one stays";
    EXPECT_TRUE(store_->findCommand(taken.id));
    EXPECT_FALSE(store_->findCommand(late.id));
}

TEST_P(ApiStore, ConcurrentClaimersNeverRunACommandTwice) {
    constexpr int kCommands = 12;
    for (int i = 0; i < kCommands; ++i)
        store_->insertCommand("end_all_meetings", "{}", clock_.nowMicros() + 600 * kSecond);
    std::unique_ptr<store::Store> other;
    if (GetParam() == Engine::Postgres) other = store::openStore(optionsFor(db_->url()), clock_);
    std::barrier start(4);
    std::mutex mutex;
    std::multiset<std::string> claimed;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            auto& s = (other && t % 2 == 1) ? *other : *store_;
            start.arrive_and_wait();
            while (auto c = s.claimCommand(clock_.nowMicros(), 60 * kSecond)) {
                std::lock_guard lock(mutex);
                claimed.insert(c->id);
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kCommands));
    EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), static_cast<std::size_t>(kCommands));
}

}  // namespace
}  // namespace b3s::test
