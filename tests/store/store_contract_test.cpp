// The Store contract, run against both connectors: SQLite on a temporary file and
// PostgreSQL (a fresh database per test in the fixture cluster). A missing PostgreSQL
// fails the PostgreSQL instances; it never skips them.

#include "store/sql_store.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <poll.h>

#include <barrier>
#include <chrono>
#include <cmath>
#include <future>
#include <limits>
#include <regex>
#include <set>
#include <thread>

namespace b3s::test {
namespace {

using store::AdminState;
using store::Backend;
using store::Frontend;
using store::Meeting;
using store::StoreError;
using Kind = StoreError::Kind;
using namespace std::chrono_literals;

// The schema versions this binary speaks: 1 initial tables, 2 change notifications, 3 meeting
// create params, 4 cluster controller, 5 command queue, 6 recordings index, 7 callback outbox,
// 8 frontend deactivated by, 9 meeting ends, 10 agent report.
const std::vector<int> kVersions = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
constexpr int kLatest = 10;
const int kMigrations = static_cast<int>(kVersions.size());

class StoreContract : public ::testing::TestWithParam<Engine> {
protected:
    void SetUp() override {
        try {
            db_ = TestDatabase::create(GetParam());
        } catch (const std::exception& e) {
            FAIL() << "cannot create the " << engineName(GetParam()) << " test database: " << e.what();
        }
    }

    Engine engine() const { return GetParam(); }
    bool postgres() const { return GetParam() == Engine::Postgres; }

    std::unique_ptr<store::Store> open(store::StoreOptions options) { return store::openStore(options, clock_); }
    std::unique_ptr<store::Store> open() { return open(optionsFor(db_->url())); }
    std::unique_ptr<store::Store> migrated() {
        auto s = open();
        s->migrate();
        return s;
    }
    std::int64_t count(const std::string& table_and_condition) {
        return std::stoll(db_->scalar("SELECT count(*) FROM " + table_and_condition).value_or("-1"));
    }

    static Backend backend(const std::string& host) {
        Backend b;
        b.host = host;
        b.secret = "secret-of-" + host;
        return b;
    }
    static Frontend frontend(const std::string& key) {
        Frontend f;
        f.key = key;
        f.secret = "secret-of-" + key;
        return f;
    }
    static Meeting meeting(const std::string& id, const std::string& frontend_id) {
        Meeting m;
        m.id = id;
        m.frontend_id = frontend_id;
        return m;
    }

    // Runs `f` and returns the StoreError it must throw.
    template <class F>
    StoreError errorOf(F&& f) {
        try {
            f();
        } catch (const StoreError& e) {
            return e;
        }
        ADD_FAILURE() << "no StoreError thrown";
        return StoreError(Kind::Internal, "none");
    }

    ManualCoreClock clock_;
    std::unique_ptr<TestDatabase> db_;
};

std::string paramName(const ::testing::TestParamInfo<Engine>& info) {
    return engineName(info.param);
}

INSTANTIATE_TEST_SUITE_P(Connectors, StoreContract, ::testing::Values(Engine::Sqlite, Engine::Postgres), paramName);

// ---------------------------------------------------------------------------------------
// Schema

TEST_P(StoreContract, EmptyDatabaseReportsVersionZero) {
    auto s = open();
    const auto status = s->schemaStatus();
    EXPECT_EQ(status.current, 0);
    EXPECT_EQ(status.latest, kLatest);
    EXPECT_FALSE(status.upToDate());
    s->ping();
}

TEST_P(StoreContract, MigrateFromEmptyReachesLatestAndRecordsIt) {
    auto s = open();
    EXPECT_EQ(s->migrate(), kVersions);
    const auto status = s->schemaStatus();
    EXPECT_EQ(status.current, kLatest);
    EXPECT_TRUE(status.upToDate());
    EXPECT_EQ(count("__meta__"), kMigrations);
    EXPECT_EQ(db_->scalar("SELECT description FROM __meta__ WHERE version = 1"), "initial tables");
    EXPECT_EQ(db_->scalar("SELECT description FROM __meta__ WHERE version = 2"), "change notifications");
    EXPECT_EQ(db_->scalar("SELECT description FROM __meta__ WHERE version = 3"), "meeting create params");
    EXPECT_EQ(db_->scalar("SELECT description FROM __meta__ WHERE version = 4"), "cluster controller");
    EXPECT_EQ(db_->scalar("SELECT description FROM __meta__ WHERE version = 5"), "command queue");
    EXPECT_EQ(db_->scalar("SELECT description FROM __meta__ WHERE version = 6"), "recordings index");
    EXPECT_EQ(db_->scalar("SELECT description FROM __meta__ WHERE version = 7"), "callback outbox");
    EXPECT_EQ(db_->scalar("SELECT description FROM __meta__ WHERE version = 8"), "frontend deactivated by");
    EXPECT_EQ(db_->scalar("SELECT description FROM __meta__ WHERE version = 9"), "meeting ends");
    EXPECT_EQ(db_->scalar("SELECT description FROM __meta__ WHERE version = 10"), "agent report");
    EXPECT_EQ(db_->scalar("SELECT applied_at_us FROM __meta__ WHERE version = 1"), std::to_string(clock_.nowMicros()));
    for (const auto* table : {"backends", "frontends", "meetings", "frontend_meetings", "recordings",
                              "recording_metadata", "commands", "meeting_ends"})
        EXPECT_EQ(count(table), 0) << table;
}

TEST_P(StoreContract, SecondMigrateIsANoOp) {
    auto s = open();
    s->migrate();
    EXPECT_TRUE(s->migrate().empty());
    auto other = open();
    EXPECT_TRUE(other->migrate().empty());
    EXPECT_EQ(count("__meta__"), kMigrations);
}

TEST_P(StoreContract, ConcurrentMigrationsRecordEachVersionOnce) {
    auto a = open();
    auto b = open();
    std::barrier start(2);
    auto migrateAfterBarrier = [&](store::Store& s) {
        start.arrive_and_wait();
        return s.migrate();
    };
    auto fa = std::async(std::launch::async, migrateAfterBarrier, std::ref(*a));
    auto fb = std::async(std::launch::async, migrateAfterBarrier, std::ref(*b));
    const auto ra = fa.get();  // rethrows a failure of either migrator
    const auto rb = fb.get();
    EXPECT_EQ(ra.size() + rb.size(), kVersions.size());
    EXPECT_TRUE(a->schemaStatus().upToDate());
    EXPECT_EQ(count("__meta__"), kMigrations);
    EXPECT_EQ(count("__meta__ WHERE version = 1"), 1);
    EXPECT_EQ(count("__meta__ WHERE version = 2"), 1);
}

TEST_P(StoreContract, DatabaseNewerThanBinaryIsRefused) {
    auto s = migrated();
    db_->execute("INSERT INTO __meta__ (version, description, applied_at_us) VALUES (99, 'from the future', 0)");
    EXPECT_EQ(s->schemaStatus().current, 99);
    EXPECT_FALSE(s->schemaStatus().upToDate());
    const auto e = errorOf([&] { s->migrate(); });
    EXPECT_EQ(e.kind(), Kind::SchemaMismatch);
    EXPECT_NE(std::string(e.what()).find("upgrade b3scaled"), std::string::npos) << e.what();
    EXPECT_EQ(count("__meta__"), kMigrations + 1);
}

TEST_P(StoreContract, OlderDatabaseGetsOnlyThePendingMigrations) {
    migrated();
    // A later binary: the same migrations plus one more.
    auto dialect =
        store::makeDialect(engine() == Engine::Sqlite ? store::ConnectorKind::Sqlite : store::ConnectorKind::Postgres);
    auto migrations = store::schemaMigrations(*dialect);
    migrations.push_back({kLatest + 1, "extra column", {"ALTER TABLE backends ADD COLUMN extra TEXT NULL"}});
    store::SqlStore newer(store::parseDatabaseUrl(db_->url(), 3), optionsFor(db_->url()), clock_, migrations);
    const auto before = newer.schemaStatus();
    EXPECT_EQ(before.current, kLatest);
    EXPECT_EQ(before.latest, kLatest + 1);
    EXPECT_EQ(newer.migrate(), std::vector<int>{kLatest + 1});
    EXPECT_EQ(newer.schemaStatus().current, kLatest + 1);
    EXPECT_EQ(count("backends WHERE extra IS NULL"), 0);
    EXPECT_EQ(db_->scalar("SELECT description FROM __meta__ WHERE version = " + std::to_string(kLatest + 1)),
              "extra column");
    // The older binary now meets a newer database.
    EXPECT_EQ(errorOf([&] { open()->migrate(); }).kind(), Kind::SchemaMismatch);
}

TEST_P(StoreContract, FailedMigrationLeavesNothingBehind) {
    open()->ping();  // openStore creates the SQLite file's directory
    auto dialect =
        store::makeDialect(engine() == Engine::Sqlite ? store::ConnectorKind::Sqlite : store::ConnectorKind::Postgres);
    auto migrations = store::schemaMigrations(*dialect);
    migrations.push_back({kLatest + 1, "broken", {"CREATE TABLE half_done (x INTEGER)", "THIS IS NOT SQL"}});
    store::SqlStore broken(store::parseDatabaseUrl(db_->url(), 3), optionsFor(db_->url()), clock_, migrations);
    EXPECT_THROW(broken.migrate(), StoreError);
    EXPECT_EQ(broken.schemaStatus().current, kLatest);  // every earlier version committed on its own
    const auto table_count =
        db_->scalar(postgres() ? "SELECT count(*) FROM information_schema.tables WHERE table_name = 'half_done'"
                               : "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'");
    EXPECT_EQ(table_count, "0");
}

// ---------------------------------------------------------------------------------------
// Backends

TEST_P(StoreContract, BackendRoundTripKeepsEveryValue) {
    auto s = migrated();
    Backend in;
    in.host = "bbb-ü.example.org";
    in.secret = "s3cr€t 'quoted' \"double\" \\back";
    in.admin_state = AdminState::Ready;
    in.node_state = "error";
    in.load_factor = 0.1;
    in.tags = {"bbb_26", "ünï", "with \"quote\"", "back\\slash", ""};
    in.agent_ref = "agent-✓";
    in.agent_heartbeat = 1'714'566'896'000'001;
    in.latency = 123'456'789;
    in.last_error = "timeout: ⏱";
    in.meetings_count = 7;
    in.attendees_count = 4242;
    in.synced_at = 5;  // ignored by insert
    in.version = 77;   // ignored by insert

    const auto out = s->insertBackend(in);
    EXPECT_EQ(out.host, in.host);
    EXPECT_EQ(out.secret, in.secret);
    EXPECT_EQ(out.admin_state, AdminState::Ready);
    EXPECT_EQ(out.node_state, "error");
    EXPECT_EQ(out.load_factor, 0.1);
    EXPECT_EQ(out.tags, in.tags);
    EXPECT_EQ(out.agent_ref, in.agent_ref);
    EXPECT_EQ(out.agent_heartbeat, in.agent_heartbeat);
    EXPECT_EQ(out.latency, in.latency);
    EXPECT_EQ(out.last_error, in.last_error);
    EXPECT_EQ(out.meetings_count, 7);
    EXPECT_EQ(out.attendees_count, 4242);
    EXPECT_EQ(out.created_at, clock_.nowMicros());
    EXPECT_EQ(out.updated_at, clock_.nowMicros());
    EXPECT_EQ(out.synced_at, clock_.nowMicros());
    EXPECT_EQ(out.version, 1);

    const auto found = s->findBackend(out.id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, out.id);
    EXPECT_EQ(found->host, in.host);
    EXPECT_EQ(found->secret, in.secret);
    EXPECT_EQ(found->tags, in.tags);
    EXPECT_EQ(found->load_factor, 0.1);
    EXPECT_EQ(found->agent_heartbeat, in.agent_heartbeat);
    EXPECT_EQ(found->version, 1);

    const auto all = s->listBackends();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].id, out.id);
}

TEST_P(StoreContract, DoublesRoundTripExactly) {
    auto s = migrated();
    int i = 0;
    for (double v : {0.0, 1.0, 1.0000000000000002, 0.30000000000000004, 1e-300, 123456.789,
                     std::numeric_limits<double>::max(), std::numeric_limits<double>::denorm_min()}) {
        auto b = backend("d" + std::to_string(i++) + ".example");
        b.load_factor = v;
        EXPECT_EQ(s->findBackend(s->insertBackend(b).id)->load_factor, v);
    }
}

TEST_P(StoreContract, NullAndEmptyStayDistinct) {
    auto s = migrated();
    auto nulls = backend("nulls.example");
    auto empties = backend("empties.example");
    empties.agent_ref = "";
    empties.agent_heartbeat = 0;
    empties.last_error = "";
    empties.secret = "";
    const auto n = s->insertBackend(nulls);
    const auto e = s->insertBackend(empties);

    const auto rn = s->findBackend(n.id);
    ASSERT_TRUE(rn);
    EXPECT_EQ(rn->agent_ref, std::nullopt);
    EXPECT_EQ(rn->agent_heartbeat, std::nullopt);
    EXPECT_EQ(rn->last_error, std::nullopt);
    const auto re = s->findBackend(e.id);
    ASSERT_TRUE(re);
    EXPECT_EQ(re->agent_ref, std::optional<std::string>(""));
    EXPECT_EQ(re->agent_heartbeat, std::optional<store::Micros>(0));
    EXPECT_EQ(re->last_error, std::optional<std::string>(""));
    EXPECT_EQ(re->secret, "");
    // What is really stored, seen without the store.
    EXPECT_EQ(count("backends WHERE agent_ref IS NULL AND agent_heartbeat_us IS NULL AND last_error IS NULL"), 1);
    EXPECT_EQ(count("backends WHERE agent_ref = '' AND agent_heartbeat_us = 0 AND last_error = ''"), 1);

    auto f_null = s->insertFrontend(frontend("no-account"));
    auto with_empty = frontend("empty-account");
    with_empty.account_ref = "";
    auto f_empty = s->insertFrontend(with_empty);
    EXPECT_EQ(s->findFrontend(f_null.id)->account_ref, std::nullopt);
    EXPECT_EQ(s->findFrontend(f_empty.id)->account_ref, std::optional<std::string>(""));

    // Clearing back to NULL through an update (administered columns) and a successful poll
    // (the observed last_error).
    auto cleared = *re;
    cleared.agent_ref.reset();
    cleared.agent_heartbeat.reset();
    const auto after = s->updateBackend(cleared);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->agent_ref, std::nullopt);
    EXPECT_EQ(after->agent_heartbeat, std::nullopt);
    EXPECT_EQ(after->last_error, std::optional<std::string>(""));
    store::PollRecord answered;
    answered.succeeded = true;
    answered.node_state = "ready";
    const auto polled = s->recordObservation(re->id, answered);
    ASSERT_TRUE(polled);
    EXPECT_EQ(polled->last_error, std::nullopt);
    store::PollRecord failed;
    failed.node_state = "unstable";
    failed.last_error = "";
    EXPECT_EQ(s->recordObservation(re->id, failed)->last_error, std::optional<std::string>(""));
}

TEST_P(StoreContract, IdsAreCanonicalUuidText) {
    auto s = migrated();
    const auto b = s->insertBackend(backend("uuid.example"));
    const auto f = s->insertFrontend(frontend("uuid-frontend"));
    const std::regex canonical("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    EXPECT_TRUE(std::regex_match(b.id, canonical)) << b.id;
    EXPECT_TRUE(std::regex_match(f.id, canonical)) << f.id;
    EXPECT_NE(b.id, f.id);
    EXPECT_EQ(db_->scalar("SELECT CAST(id AS TEXT) FROM backends"), b.id);
    std::string upper = b.id;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    ASSERT_TRUE(s->findBackend(upper));
    EXPECT_EQ(s->findBackend(upper)->id, b.id);
    EXPECT_FALSE(s->findBackend("not-a-uuid"));
    EXPECT_FALSE(s->findBackend(""));
    EXPECT_FALSE(s->findBackend("00000000-0000-4000-8000-000000000000"));
    EXPECT_FALSE(s->deleteBackend("not-a-uuid"));
    EXPECT_FALSE(s->findFrontend("x"));
}

TEST_P(StoreContract, TimestampsAreExactMicrosecondsWhateverTheServerTimeZone) {
    if (postgres()) {
        // New sessions of this database default to a zone with a half-hour offset; only the
        // store's own TimeZone=UTC (and its integer columns) keep the values exact.
        const auto name = db_->scalar("SELECT current_database()").value();
        db_->execute("ALTER DATABASE " + name + " SET timezone TO 'America/St_Johns'");
        PgConnection fresh(db_->url());
        ASSERT_EQ(fresh.scalar("SHOW TimeZone"), "America/St_Johns");
    }
    auto s = migrated();
    clock_.setMicros(1'714'566'896'789'123);  // 2024-05-01T12:34:56.789123Z
    auto b = backend("time.example");
    b.agent_heartbeat = 946'684'800'000'001;  // 2000-01-01T00:00:00.000001Z
    const auto in = s->insertBackend(b);
    EXPECT_EQ(in.created_at, 1'714'566'896'789'123);
    clock_.setMicros(1'714'566'896'789'124);
    auto changed = in;
    changed.load_factor = 2;
    ASSERT_TRUE(s->updateBackend(changed));
    store::PollRecord poll;
    poll.succeeded = true;
    poll.node_state = "ready";
    poll.at = 1'700'000'000'000'007;
    const auto up = s->recordObservation(in.id, poll);
    ASSERT_TRUE(up);
    EXPECT_EQ(up->created_at, 1'714'566'896'789'123);
    EXPECT_EQ(up->updated_at, 1'714'566'896'789'124);
    EXPECT_EQ(up->synced_at, 1'700'000'000'000'007);
    EXPECT_EQ(up->agent_heartbeat, 946'684'800'000'001);
    EXPECT_EQ(db_->scalar("SELECT created_at_us FROM backends"), "1714566896789123");
    if (postgres()) {
        // The raw connection runs in St. John's time and still reads the same instant.
        EXPECT_EQ(db_->scalar("SELECT to_char(to_timestamp(created_at_us / 1000000.0) AT TIME ZONE 'UTC', "
                              "'YYYY-MM-DD HH24:MI:SS.US') FROM backends"),
                  "2024-05-01 12:34:56.789123");
    }
}

TEST_P(StoreContract, DuplicateHostIsConflict) {
    auto s = migrated();
    s->insertBackend(backend("dup.example"));
    const auto e = errorOf([&] { s->insertBackend(backend("dup.example")); });
    EXPECT_EQ(e.kind(), Kind::Conflict) << e.what();
    if (postgres()) {
        EXPECT_EQ(e.sqlstate(), "23505");
    }
    EXPECT_EQ(std::string(e.what()).find("secret-of"), std::string::npos) << e.what();
    EXPECT_EQ(count("backends"), 1);
}

TEST_P(StoreContract, DuplicateAgentRefAndFrontendKeyAreConflicts) {
    auto s = migrated();
    auto a = backend("a.example");
    a.agent_ref = "agent-1";
    s->insertBackend(a);
    auto b = backend("b.example");
    b.agent_ref = "agent-1";
    EXPECT_EQ(errorOf([&] { s->insertBackend(b); }).kind(), Kind::Conflict);
    // NULL agent refs never collide.
    s->insertBackend(backend("c.example"));
    s->insertBackend(backend("d.example"));

    s->insertFrontend(frontend("tenant"));
    const auto e = errorOf([&] { s->insertFrontend(frontend("tenant")); });
    EXPECT_EQ(e.kind(), Kind::Conflict);
    if (postgres()) {
        EXPECT_EQ(e.sqlstate(), "23505");
    }

    // Renaming onto an existing host through an update is a conflict too.
    auto c = s->insertBackend(backend("e.example"));
    c.host = "a.example";
    EXPECT_EQ(errorOf([&] { s->updateBackend(c); }).kind(), Kind::Conflict);
}

TEST_P(StoreContract, ConcurrentUpdateIsStale) {
    auto s = migrated();
    const auto id = s->insertBackend(backend("stale.example")).id;
    auto first = *s->findBackend(id);
    auto second = *s->findBackend(id);
    first.admin_state = AdminState::Stopped;
    second.load_factor = 9.0;
    const auto updated = s->updateBackend(first);
    ASSERT_TRUE(updated);
    EXPECT_EQ(updated->version, 2);
    const auto e = errorOf([&] { s->updateBackend(second); });
    EXPECT_EQ(e.kind(), Kind::Stale) << e.what();
    const auto now = s->findBackend(id);
    EXPECT_EQ(now->admin_state, AdminState::Stopped);
    EXPECT_EQ(now->load_factor, 1.0);
    EXPECT_EQ(now->version, 2);

    const auto fid = s->insertFrontend(frontend("stale-frontend")).id;
    auto f1 = *s->findFrontend(fid);
    auto f2 = *s->findFrontend(fid);
    f1.active = false;
    ASSERT_TRUE(s->updateFrontend(f1));
    EXPECT_EQ(errorOf([&] { s->updateFrontend(f2); }).kind(), Kind::Stale);
    EXPECT_FALSE(s->findFrontend(fid)->active);
}

TEST_P(StoreContract, UpdateWritesTheAdministeredColumnsAndKeepsTheObservedOnes) {
    auto s = migrated();
    auto seed = backend("before.example");
    seed.node_state = "unstable";
    seed.latency = 5;
    seed.last_error = "refused";
    seed.meetings_count = 2;
    seed.attendees_count = 20;
    const auto in = s->insertBackend(seed);
    clock_.advanceMicros(1'000'000);
    auto b = in;
    b.host = "after.example";
    b.secret = "new";
    b.admin_state = AdminState::Decommissioned;
    b.load_factor = 2.5;
    b.tags = {"x"};
    b.agent_ref = "agent";
    b.agent_heartbeat = 42;
    // The observed columns belong to the controller: an edit that carries other values
    // (read before a poll) leaves them as the poll wrote them.
    b.node_state = "ready";
    b.latency = 7;
    b.last_error = "boom";
    b.meetings_count = 3;
    b.attendees_count = 30;
    b.synced_at = 99;
    b.created_at = 1;  // not writable
    const auto out = s->updateBackend(b);
    ASSERT_TRUE(out);
    EXPECT_EQ(out->host, "after.example");
    EXPECT_EQ(out->secret, "new");
    EXPECT_EQ(out->admin_state, AdminState::Decommissioned);
    EXPECT_EQ(out->load_factor, 2.5);
    EXPECT_EQ(out->tags, std::vector<std::string>{"x"});
    EXPECT_EQ(out->agent_ref, "agent");
    EXPECT_EQ(out->agent_heartbeat, 42);
    EXPECT_EQ(out->node_state, "unstable");
    EXPECT_EQ(out->latency, 5);
    EXPECT_EQ(out->last_error, "refused");
    EXPECT_EQ(out->meetings_count, 2);
    EXPECT_EQ(out->attendees_count, 20);
    EXPECT_EQ(out->synced_at, in.synced_at);
    EXPECT_EQ(out->created_at, in.created_at);
    EXPECT_EQ(out->updated_at, in.created_at + 1'000'000);
    EXPECT_EQ(out->version, 2);

    auto f = s->insertFrontend(frontend("f"));
    f.key = "f2";
    f.secret = "s2";
    f.account_ref = "acct";
    f.settings_json = R"({"attendees_limit": {"limit": 50}})";
    f.active = false;
    const auto fo = s->updateFrontend(f);
    ASSERT_TRUE(fo);
    EXPECT_EQ(fo->key, "f2");
    EXPECT_EQ(fo->secret, "s2");
    EXPECT_EQ(fo->account_ref, "acct");
    EXPECT_EQ(fo->settings_json, R"({"attendees_limit": {"limit": 50}})");
    EXPECT_FALSE(fo->active);
    EXPECT_EQ(fo->version, 2);
    EXPECT_EQ(s->findFrontendByKey("f2")->id, f.id);
    EXPECT_FALSE(s->findFrontendByKey("f"));
}

TEST_P(StoreContract, UpdateOrDeleteOfAMissingRow) {
    auto s = migrated();
    const auto b = s->insertBackend(backend("gone.example"));
    EXPECT_TRUE(s->deleteBackend(b.id));
    EXPECT_FALSE(s->deleteBackend(b.id));
    EXPECT_FALSE(s->updateBackend(b));
    EXPECT_FALSE(s->findBackend(b.id));
    const auto f = s->insertFrontend(frontend("gone"));
    EXPECT_TRUE(s->deleteFrontend(f.id));
    EXPECT_FALSE(s->updateFrontend(f));
    EXPECT_FALSE(s->deleteFrontend(f.id));
}

TEST_P(StoreContract, CheckViolationsAreInvalid) {
    auto s = migrated();
    for (double bad : {-1.0, -0.0001, std::nan(""), std::numeric_limits<double>::infinity(),
                       -std::numeric_limits<double>::infinity()}) {
        auto b = backend("bad.example");
        b.load_factor = bad;
        const auto e = errorOf([&] { s->insertBackend(b); });
        EXPECT_EQ(e.kind(), Kind::Invalid) << bad << ": " << e.what();
        if (postgres()) {
            EXPECT_EQ(e.sqlstate(), "23514") << bad;
        }
        EXPECT_EQ(std::string(e.what()).find("secret-of"), std::string::npos) << e.what();
    }
    auto b = backend("bad-state.example");
    b.admin_state = static_cast<AdminState>(42);
    EXPECT_EQ(errorOf([&] { s->insertBackend(b); }).kind(), Kind::Invalid);

    auto ok = s->insertBackend(backend("ok.example"));
    ok.load_factor = -5;
    EXPECT_EQ(errorOf([&] { s->updateBackend(ok); }).kind(), Kind::Invalid);
    EXPECT_EQ(s->findBackend(ok.id)->load_factor, 1.0);
    EXPECT_EQ(count("backends"), 1);
}

TEST_P(StoreContract, JsonColumnsAreCheckedAndKept) {
    auto s = migrated();
    auto f = frontend("json");
    // Written in PostgreSQL's jsonb output form, so both connectors return it unchanged.
    f.settings_json = R"({"recordings": {"visibility_override": "protected"}, "required_tags": ["bbb_26", "ü"]})";
    const auto out = s->insertFrontend(f);
    EXPECT_EQ(out.settings_json, f.settings_json);
    EXPECT_EQ(s->findFrontend(out.id)->settings_json, f.settings_json);

    auto broken = frontend("broken-json");
    broken.settings_json = "{not json";
    EXPECT_EQ(errorOf([&] { s->insertFrontend(broken); }).kind(), Kind::Invalid);
    auto array = frontend("array-json");
    array.settings_json = "[]";
    EXPECT_EQ(errorOf([&] { s->insertFrontend(array); }).kind(), Kind::Invalid);
    EXPECT_EQ(count("frontends"), 1);
}

TEST_P(StoreContract, ListsAreOrdered) {
    auto s = migrated();
    for (const auto* host : {"c.example", "a.example", "b.example"}) s->insertBackend(backend(host));
    for (const auto* key : {"zeta", "alpha", "mid"}) s->insertFrontend(frontend(key));
    std::vector<std::string> hosts, keys;
    for (const auto& b : s->listBackends()) hosts.push_back(b.host);
    for (const auto& f : s->listFrontends()) keys.push_back(f.key);
    EXPECT_EQ(hosts, (std::vector<std::string>{"a.example", "b.example", "c.example"}));
    EXPECT_EQ(keys, (std::vector<std::string>{"alpha", "mid", "zeta"}));
}

// ---------------------------------------------------------------------------------------
// Meetings

TEST_P(StoreContract, MeetingRoundTrip) {
    auto s = migrated();
    const auto f = s->insertFrontend(frontend("tenant"));
    const auto b = s->insertBackend(backend("bbb.example"));
    Meeting m = meeting(std::string(300, 'x') + "-ünïcødé", f.id);  // longer than b3scale's varchar(255)
    m.internal_id = "internal-1";
    m.backend_id = b.id;
    m.state_json = R"({"Running": true, "MeetingName": "Ünïcødé"})";
    const auto out = s->insertMeeting(m);
    EXPECT_EQ(out.id, m.id);
    EXPECT_EQ(out.internal_id, "internal-1");
    EXPECT_EQ(out.frontend_id, f.id);
    EXPECT_EQ(out.backend_id, b.id);
    EXPECT_EQ(out.state_json, m.state_json);
    EXPECT_EQ(out.created_at, clock_.nowMicros());
    const auto found = s->findMeeting(f.id, m.id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->state_json, m.state_json);
    EXPECT_EQ(s->listMeetings(f.id).size(), 1u);
    EXPECT_EQ(count("frontend_meetings WHERE frontend_id = '" + f.id + "'"), 1);

    // An unbound meeting, and an internal id already taken.
    Meeting unbound = meeting("unbound", f.id);
    EXPECT_EQ(s->insertMeeting(unbound).backend_id, std::nullopt);
    Meeting clash = meeting("clash", f.id);
    clash.internal_id = "internal-1";
    EXPECT_EQ(errorOf([&] { s->insertMeeting(clash); }).kind(), Kind::Conflict);

    EXPECT_TRUE(s->deleteMeeting(f.id, m.id));
    EXPECT_FALSE(s->findMeeting(f.id, m.id));
    EXPECT_FALSE(s->deleteMeeting(f.id, m.id));
    EXPECT_EQ(count("frontend_meetings"), 2);  // remembered after the meeting is gone
}

TEST_P(StoreContract, MeetingsAreScopedToTheirFrontend) {
    auto s = migrated();
    const auto a = s->insertFrontend(frontend("tenant-a"));
    const auto b = s->insertFrontend(frontend("tenant-b"));
    auto m = meeting("shared-id", a.id);
    m.state_json = R"({"owner": "a"})";
    const auto original = s->insertMeeting(m);

    EXPECT_FALSE(s->findMeeting(b.id, "shared-id"));
    EXPECT_TRUE(s->listMeetings(b.id).empty());
    EXPECT_FALSE(s->deleteMeeting(b.id, "shared-id"));
    EXPECT_TRUE(s->findMeeting(a.id, "shared-id"));

    auto stolen = meeting("shared-id", b.id);
    stolen.state_json = R"({"owner": "b"})";
    const auto e = errorOf([&] { s->insertMeeting(stolen); });
    EXPECT_EQ(e.kind(), Kind::Conflict);
    EXPECT_EQ(std::string(e.what()).find(a.id), std::string::npos) << "leaks the owner: " << e.what();

    clock_.advanceMicros(5);
    auto again = meeting("shared-id", a.id);
    again.state_json = R"({"owner": "a", "second": true})";
    const auto repeat = s->insertMeeting(again);
    EXPECT_EQ(repeat.state_json, original.state_json);
    EXPECT_EQ(repeat.created_at, original.created_at);
    EXPECT_EQ(repeat.updated_at, original.updated_at);
    EXPECT_EQ(count("meetings"), 1);

    EXPECT_FALSE(s->findMeeting("not-a-uuid", "shared-id"));
    EXPECT_TRUE(s->listMeetings("not-a-uuid").empty());
}

TEST_P(StoreContract, MeetingNeedsAnExistingFrontend) {
    auto s = migrated();
    EXPECT_EQ(errorOf([&] { s->insertMeeting(meeting("m", "00000000-0000-4000-8000-000000000000")); }).kind(),
              Kind::Invalid);
    EXPECT_EQ(errorOf([&] { s->insertMeeting(meeting("m", "not-a-uuid")); }).kind(), Kind::Invalid);
    const auto f = s->insertFrontend(frontend("t"));
    EXPECT_EQ(errorOf([&] { s->insertMeeting(meeting("", f.id)); }).kind(), Kind::Invalid);
    auto m = meeting("m", f.id);
    m.backend_id = "00000000-0000-4000-8000-000000000000";
    EXPECT_EQ(errorOf([&] { s->insertMeeting(m); }).kind(), Kind::Invalid);
    EXPECT_EQ(count("meetings"), 0);
}

TEST_P(StoreContract, DeletingAFrontendRemovesItsMeetings) {
    auto s = migrated();
    const auto a = s->insertFrontend(frontend("a"));
    const auto b = s->insertFrontend(frontend("b"));
    s->insertMeeting(meeting("a1", a.id));
    s->insertMeeting(meeting("a2", a.id));
    s->insertMeeting(meeting("b1", b.id));
    EXPECT_TRUE(s->deleteFrontend(a.id));
    EXPECT_EQ(count("meetings"), 1);
    EXPECT_EQ(count("frontend_meetings"), 1);
    EXPECT_TRUE(s->findMeeting(b.id, "b1"));
}

TEST_P(StoreContract, DeletingABackendUnbindsItsMeetings) {
    auto s = migrated();
    const auto f = s->insertFrontend(frontend("t"));
    const auto b = s->insertBackend(backend("bbb.example"));
    auto m = meeting("m", f.id);
    m.backend_id = b.id;
    s->insertMeeting(m);
    EXPECT_TRUE(s->deleteBackend(b.id));
    const auto after = s->findMeeting(f.id, "m");
    ASSERT_TRUE(after);
    EXPECT_EQ(after->backend_id, std::nullopt);
}

TEST_P(StoreContract, ConcurrentInsertOfOneMeetingYieldsOneRow) {
    auto s = migrated();
    const auto f = s->insertFrontend(frontend("t"));
    constexpr int kThreads = 8;
    std::barrier start(kThreads);
    std::vector<std::future<Meeting>> results;
    for (int i = 0; i < kThreads; ++i) {
        results.push_back(std::async(std::launch::async, [&, i] {
            auto m = meeting("contended", f.id);
            m.state_json = R"({"caller": )" + std::to_string(i) + "}";
            start.arrive_and_wait();
            return s->insertMeeting(m);
        }));
    }
    std::set<std::string> states;
    for (auto& r : results) {
        const auto m = r.get();
        EXPECT_EQ(m.id, "contended");
        states.insert(m.state_json);
    }
    EXPECT_EQ(states.size(), 1u) << "callers saw different rows";
    EXPECT_EQ(count("meetings"), 1);
    EXPECT_EQ(s->findMeeting(f.id, "contended")->state_json, *states.begin());
}

TEST_P(StoreContract, CreateParamsAndSizeHintRoundTrip) {
    auto s = migrated();
    const auto f = s->insertFrontend(frontend("t"));
    auto m = meeting("m", f.id);
    m.create_params_json = R"({"name": "Ünïcødé class", "attendeePW": "ap", "meta_x": ""})";
    m.size_hint = 42;
    s->insertMeeting(m);
    const auto found = s->findMeeting(f.id, "m");
    ASSERT_TRUE(found);
    // PostgreSQL's jsonb normalises the text; compare parsed.
    Poco::JSON::Parser parser;
    auto params = parser.parse(found->create_params_json).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(params->getValue<std::string>("name"), "Ünïcødé class");
    EXPECT_EQ(params->getValue<std::string>("meta_x"), "");
    EXPECT_EQ(found->size_hint, 42);
    // A meeting inserted without them gets the defaults.
    s->insertMeeting(meeting("plain", f.id));
    EXPECT_EQ(s->findMeeting(f.id, "plain")->create_params_json, "{}");
    EXPECT_EQ(s->findMeeting(f.id, "plain")->size_hint, 0);
}

// The create's acknowledgement lands only on the placement it was made for.
TEST_P(StoreContract, MarkMeetingCreatedNeedsTheSamePlacement) {
    auto s = migrated();
    const auto f = s->insertFrontend(frontend("t"));
    const auto other = s->insertFrontend(frontend("other"));
    const auto b1 = s->insertBackend(backend("one.example"));
    const auto b2 = s->insertBackend(backend("two.example"));
    auto m = meeting("m", f.id);
    m.backend_id = b1.id;
    const auto placed = s->insertMeeting(m);
    EXPECT_EQ(placed.internal_id, std::nullopt);

    EXPECT_FALSE(s->markMeetingCreated(f.id, "m", b2.id, "int-1", R"({"x": 1})")) << "wrong backend";
    EXPECT_FALSE(s->markMeetingCreated(other.id, "m", b1.id, "int-1", R"({"x": 1})")) << "wrong frontend";
    EXPECT_FALSE(s->markMeetingCreated(f.id, "missing", b1.id, "int-1", R"({"x": 1})"));
    EXPECT_FALSE(s->findMeeting(f.id, "m")->internal_id);

    clock_.advanceMicros(10);
    const auto created = s->markMeetingCreated(f.id, "m", b1.id, "int-1", R"({"MeetingID": "m"})");
    ASSERT_TRUE(created);
    EXPECT_EQ(created->internal_id, "int-1");
    EXPECT_EQ(created->backend_id, b1.id);
    EXPECT_EQ(created->updated_at, placed.updated_at + 10);
    EXPECT_EQ(created->synced_at, placed.updated_at + 10);
    EXPECT_EQ(placed.version, 1);
    EXPECT_EQ(created->version, 2) << "every update bumps the version";
    EXPECT_NE(created->state_json.find("MeetingID"), std::string::npos);

    // Another meeting cannot claim the same internal id.
    auto n = meeting("n", f.id);
    n.backend_id = b1.id;
    s->insertMeeting(n);
    EXPECT_EQ(errorOf([&] { s->markMeetingCreated(f.id, "n", b1.id, "int-1", "{}"); }).kind(), Kind::Conflict);
}

TEST_P(StoreContract, MoveMeetingIsConditionalOnItsCurrentBackend) {
    auto s = migrated();
    const auto f = s->insertFrontend(frontend("t"));
    const auto b1 = s->insertBackend(backend("one.example"));
    const auto b2 = s->insertBackend(backend("two.example"));
    auto m = meeting("m", f.id);
    m.backend_id = b1.id;
    m.create_params_json = R"({"name": "kept"})";
    s->insertMeeting(m);
    s->markMeetingCreated(f.id, "m", b1.id, "int-1", R"({"a": 1})");

    EXPECT_FALSE(s->moveMeeting(f.id, "m", b2.id, b1.id)) << "not on b2";
    EXPECT_FALSE(s->moveMeeting(f.id, "m", std::nullopt, b2.id)) << "it has a backend";
    const auto moved = s->moveMeeting(f.id, "m", b1.id, b2.id);
    ASSERT_TRUE(moved);
    EXPECT_EQ(moved->backend_id, b2.id);
    EXPECT_EQ(moved->version, 3);
    EXPECT_EQ(moved->internal_id, std::nullopt);
    EXPECT_EQ(moved->state_json, "{}");
    EXPECT_NE(moved->create_params_json.find("kept"), std::string::npos);
    EXPECT_FALSE(s->moveMeeting(f.id, "m", b1.id, b2.id)) << "a second mover loses";

    // A meeting whose backend was deleted moves from "no backend".
    ASSERT_TRUE(s->deleteBackend(b2.id));
    EXPECT_FALSE(s->moveMeeting(f.id, "m", b2.id, b1.id));
    const auto rescued = s->moveMeeting(f.id, "m", std::nullopt, b1.id);
    ASSERT_TRUE(rescued);
    EXPECT_EQ(rescued->backend_id, b1.id);
}

TEST_P(StoreContract, DeletePendingMeetingNeverDeletesAnAcknowledgedCreate) {
    auto s = migrated();
    const auto f = s->insertFrontend(frontend("t"));
    const auto other = s->insertFrontend(frontend("other"));
    const auto b1 = s->insertBackend(backend("one.example"));
    const auto b2 = s->insertBackend(backend("two.example"));
    for (const auto* id : {"pending", "done"}) {
        auto m = meeting(id, f.id);
        m.backend_id = b1.id;
        s->insertMeeting(m);
    }
    s->markMeetingCreated(f.id, "done", b1.id, "int-done", "{}");
    EXPECT_FALSE(s->deletePendingMeeting(f.id, "done", b1.id));
    EXPECT_FALSE(s->deletePendingMeeting(f.id, "pending", b2.id));
    EXPECT_FALSE(s->deletePendingMeeting(other.id, "pending", b1.id));
    EXPECT_TRUE(s->deletePendingMeeting(f.id, "pending", b1.id));
    EXPECT_FALSE(s->findMeeting(f.id, "pending"));
    EXPECT_TRUE(s->findMeeting(f.id, "done"));
}

// ---------------------------------------------------------------------------------------
// Connection pool

TEST_P(StoreContract, ExhaustedPoolWaitsThenReportsUnavailable) {
    auto options = optionsFor(db_->url());
    options.pool_size = 1;
    options.acquire_timeout_ms = 300;
    auto s = open(options);
    auto& sql = dynamic_cast<store::SqlStore&>(*s);
    s->migrate();

    std::promise<void> held, release;
    auto holder = std::async(std::launch::async, [&] {
        sql.withConnection([&] {
            held.set_value();
            release.get_future().wait();
        });
    });
    held.get_future().wait();
    const auto started = std::chrono::steady_clock::now();
    const auto e = errorOf([&] { s->ping(); });
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(e.kind(), Kind::Unavailable);
    EXPECT_NE(std::string(e.what()).find("no free database connection within 300 ms"), std::string::npos) << e.what();
    EXPECT_GE(waited, 290ms);
    EXPECT_LT(waited, 3s);

    // A caller that arrives while the connection is held gets it once it is released.
    auto waiter = std::async(std::launch::async, [&] {
        s->ping();
        return std::chrono::steady_clock::now();
    });
    std::this_thread::sleep_for(100ms);
    const auto released_at = std::chrono::steady_clock::now();
    release.set_value();
    holder.get();
    EXPECT_GE(waiter.get(), released_at);
    EXPECT_EQ(sql.poolStats().open, 1);
}

TEST_P(StoreContract, FailedWriteLeavesTheSessionUsable) {
    auto options = optionsFor(db_->url());
    options.pool_size = 1;  // every call reuses the session the failure happened on
    auto s = open(options);
    s->migrate();
    s->insertBackend(backend("one.example"));
    for (int i = 0; i < 3; ++i) EXPECT_THROW(s->insertBackend(backend("one.example")), StoreError);
    s->insertBackend(backend("two.example"));
    EXPECT_EQ(s->listBackends().size(), 2u);
    EXPECT_EQ(count("backends"), 2);
}

// ---------------------------------------------------------------------------------------
// Unscoped meeting access (cache loading, reconciler)

TEST_P(StoreContract, UnscopedMeetingLookupsSeeEveryFrontend) {
    auto s = migrated();
    const auto a = s->insertFrontend(frontend("tenant-a"));
    const auto b = s->insertFrontend(frontend("tenant-b"));
    s->insertMeeting(meeting("a-2", a.id));
    s->insertMeeting(meeting("a-1", a.id));  // same created_at: ordered by id
    clock_.advanceMicros(1);
    s->insertMeeting(meeting("b-1", b.id));
    clock_.advanceMicros(1);
    s->insertMeeting(meeting("a-0", a.id));

    std::vector<std::string> ids;
    for (const auto& m : s->listAllMeetings()) ids.push_back(m.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"a-1", "a-2", "b-1", "a-0"}));

    const auto found = s->findMeetingById("b-1");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->frontend_id, b.id);
    EXPECT_EQ(found->created_at, clock_.nowMicros() - 1);
    EXPECT_FALSE(s->findMeetingById("missing"));
    EXPECT_FALSE(s->findMeetingById(""));
    EXPECT_FALSE(s->findMeetingById("B-1"));  // ids are exact, unlike uuids
}

// ---------------------------------------------------------------------------------------
// Change notifications (schema version 2) and the change feed

// LISTENs on a raw libpq connection of the test's own, bypassing the store's feed.
class RawListener {
public:
    explicit RawListener(const std::string& url) : conn_(PQconnectdb(url.c_str()), PQfinish) {
        if (PQstatus(conn_.get()) != CONNECTION_OK)
            throw std::runtime_error(std::string("libpq connect: ") + PQerrorMessage(conn_.get()));
        std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn_.get(), "LISTEN b3s_changes"), PQclear);
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) throw std::runtime_error("LISTEN failed");
    }

    // Payloads received before `sentinel`, which the caller has NOTIFYed after its change.
    // Notifications arrive in commit order, so nothing a change caused can come later.
    std::vector<std::string> until(const std::string& sentinel) {
        std::vector<std::string> payloads;
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (std::chrono::steady_clock::now() < deadline) {
            pollfd p{PQsocket(conn_.get()), POLLIN, 0};
            ::poll(&p, 1, 100);
            PQconsumeInput(conn_.get());
            while (PGnotify* n = PQnotifies(conn_.get())) {
                std::string payload = n->extra;
                PQfreemem(n);
                if (payload == sentinel) return payloads;
                payloads.push_back(std::move(payload));
            }
        }
        ADD_FAILURE() << "no sentinel " << sentinel << " within 5 s";
        return payloads;
    }

private:
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn_;
};

// Version 8: a frontend switched off before it was recorded who did it stays the operator's to
// switch on (tenants could not tell); an active one has nobody.
TEST_P(StoreContract, VersionEightLeavesFrontendsSwitchedOffBeforeItToTheOperator) {
    auto dialect =
        store::makeDialect(engine() == Engine::Sqlite ? store::ConnectorKind::Sqlite : store::ConnectorKind::Postgres);
    auto before = store::schemaMigrations(*dialect);
    before.resize(6);
    ASSERT_EQ(before.back().version, 6);
    open()->ping();  // creates the SQLite file's directory
    {
        store::SqlStore old(store::parseDatabaseUrl(db_->url(), 3), optionsFor(db_->url()), clock_, before);
        ASSERT_EQ(old.migrate(), (std::vector<int>{1, 2, 3, 4, 5, 6}));
        for (const auto& [id, active] : {std::pair{"00000000-0000-4000-8000-0000000000a1", "(1 = 1)"},
                                         std::pair{"00000000-0000-4000-8000-0000000000a2", "(1 = 0)"}})
            db_->execute(std::string("INSERT INTO frontends (id, key, secret, settings, active, created_at_us, "
                                     "updated_at_us) VALUES ('") +
                         id + "', 'key-" + id + "', 'secret', '{}', " + active + ", 1, 1)");
    }
    auto s = open();
    EXPECT_EQ(s->migrate(), std::vector<int>(kVersions.begin() + 6, kVersions.end()));
    EXPECT_EQ(s->findFrontend("00000000-0000-4000-8000-0000000000a1")->deactivated_by, std::nullopt);
    EXPECT_EQ(s->findFrontend("00000000-0000-4000-8000-0000000000a2")->deactivated_by, "operator");
    // The column takes nobody else.
    EXPECT_THROW(db_->execute("UPDATE frontends SET deactivated_by = 'someone'"), std::exception);
    auto f = *s->findFrontend("00000000-0000-4000-8000-0000000000a2");
    f.active = true;
    f.deactivated_by.reset();
    EXPECT_EQ(s->updateFrontend(f)->deactivated_by, std::nullopt);
    f = *s->findFrontend(f.id);
    f.active = false;
    f.deactivated_by = std::string(store::frontend_deactivation::kTenant);
    EXPECT_EQ(s->updateFrontend(f)->deactivated_by, "tenant");
    EXPECT_EQ(s->findFrontend(f.id)->deactivated_by, "tenant");
}

TEST_P(StoreContract, VersionTwoNotifiesRowChangesButNotMeetingState) {
    // A database at version 1 with a row in it, as the previous b3scaled left it.
    auto dialect =
        store::makeDialect(engine() == Engine::Sqlite ? store::ConnectorKind::Sqlite : store::ConnectorKind::Postgres);
    auto v1 = store::schemaMigrations(*dialect);
    v1.resize(1);
    open()->ping();  // creates the SQLite file's directory
    Frontend f;
    {
        store::SqlStore old(store::parseDatabaseUrl(db_->url(), 3), optionsFor(db_->url()), clock_, v1);
        ASSERT_EQ(old.migrate(), std::vector<int>{1});
    }
    // Written as version 1's b3scaled wrote it (today's insert names columns added later).
    const std::string old_id = "00000000-0000-4000-8000-0000000000b1";
    db_->execute("INSERT INTO frontends (id, key, secret, created_at_us, updated_at_us) VALUES ('" + old_id +
                 "', 'before-upgrade', 'secret-of-before-upgrade', 1, 1)");
    auto s = open();
    EXPECT_EQ(s->migrate(), std::vector<int>(kVersions.begin() + 1, kVersions.end()));
    EXPECT_EQ(db_->scalar("SELECT description FROM __meta__ WHERE version = 2"), "change notifications");
    const auto upgraded = s->findFrontend(old_id);
    ASSERT_TRUE(upgraded);
    f = *upgraded;
    if (!postgres()) {
        EXPECT_EQ(db_->scalar("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), "0");
        return;
    }
    EXPECT_EQ(db_->scalar("SELECT count(*) FROM pg_trigger WHERE tgname LIKE '%notify%'"), "7");

    RawListener listener(db_->url());
    int sentinels = 0;
    auto after = [&](auto&& change) {
        change();
        const auto sentinel = "sentinel " + std::to_string(++sentinels);
        db_->execute("NOTIFY b3s_changes, '" + sentinel + "'");
        auto payloads = listener.until(sentinel);
        std::sort(payloads.begin(), payloads.end());  // one statement may notify in any order
        return payloads;
    };
    using Payloads = std::vector<std::string>;

    f.account_ref = "account";
    EXPECT_EQ(after([&] { f = *s->updateFrontend(f); }), Payloads{"frontends update " + f.id});
    Backend b;
    const auto inserted = after([&] { b = s->insertBackend(backend("bbb.example")); });
    EXPECT_EQ(inserted, Payloads{"backends insert " + b.id});
    b.admin_state = AdminState::Ready;
    EXPECT_EQ(after([&] { b = *s->updateBackend(b); }), Payloads{"backends update " + b.id});
    EXPECT_EQ(after([&] { s->insertMeeting(meeting("m 1", f.id)); }), Payloads{"meetings insert m 1"});

    // Polling writes meeting state: not notified. Placement is.
    EXPECT_EQ(after([&] {
                  db_->execute(
                      "UPDATE meetings SET state = '{\"running\": true}', updated_at_us = updated_at_us + 1, "
                      "synced_at_us = 7");
              }),
              Payloads{});
    EXPECT_EQ(after([&] { db_->execute("UPDATE meetings SET backend_id = '" + b.id + "'"); }),
              Payloads{"meetings update m 1"});
    EXPECT_EQ(after([&] { db_->execute("UPDATE meetings SET internal_id = 'internal-1'"); }),
              Payloads{"meetings update m 1"});
    EXPECT_EQ(after([&] { db_->execute("UPDATE meetings SET id = 'm 2'"); }),
              (Payloads{"meetings delete m 1", "meetings insert m 2"}));

    // A rolled-back write notifies nothing; a backend's delete unbinds its meetings.
    EXPECT_EQ(after([&] { EXPECT_THROW(s->insertBackend(backend("bbb.example")), StoreError); }), Payloads{});
    EXPECT_EQ(after([&] { s->deleteBackend(b.id); }), (Payloads{"backends delete " + b.id, "meetings update m 2"}));

    // An id too long for a notification payload asks for a resync, and so does TRUNCATE.
    const std::string long_id(7001, 'x');
    EXPECT_EQ(after([&] { s->insertMeeting(meeting(long_id, f.id)); }), Payloads{"meetings resync"});
    EXPECT_EQ(after([&] { s->deleteFrontend(f.id); }),
              (Payloads{"frontends delete " + f.id, "meetings delete m 2", "meetings resync"}));
    EXPECT_EQ(after([&] { db_->execute("TRUNCATE backends CASCADE"); }),
              (Payloads{"backends resync", "meetings resync"}));
}

TEST_P(StoreContract, ChangeFeedDeliversCommittedChangesOnPostgresOnly) {
    auto s = migrated();
    auto feed = s->openChangeFeed();
    ChangeRecorder recorder;
    feed->start(recorder.handler());
    EXPECT_THROW(feed->start(recorder.handler()), std::logic_error);
    using store::Change;
    if (postgres()) {
        ASSERT_TRUE(recorder.waitFor([](const auto& all) { return !all.empty(); }, 5s));
        EXPECT_EQ(recorder.changes().front().op, Change::Op::ResyncAll) << "a feed starts with a resync";
    }

    const auto f = s->insertFrontend(frontend("t"));
    EXPECT_THROW(s->insertFrontend(frontend("t")), StoreError);  // rolled back
    const auto g = s->insertFrontend(frontend("u"));
    if (postgres()) {
        const auto first = recorder.waitForChange({Change::Table::Frontends, Change::Op::Upsert, f.id}, 0, 2s);
        const auto second = recorder.waitForChange({Change::Table::Frontends, Change::Op::Upsert, g.id}, 0, 2s);
        ASSERT_TRUE(first && second);
        EXPECT_EQ(*second, *first + 1) << "something else was delivered in between";
    } else {
        EXPECT_FALSE(recorder.waitFor([](const auto& all) { return !all.empty(); }, 300ms));
    }

    const auto stopping = std::chrono::steady_clock::now();
    feed->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - stopping, 1s);
    feed->stop();
    const auto delivered = recorder.changes().size();
    s->insertFrontend(frontend("after-stop"));
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(recorder.changes().size(), delivered) << "delivered after stop()";
}

}  // namespace
}  // namespace b3s::test
