// The recordings index of the store (schema version 6), on both connectors: every method,
// tenancy in every query, getRecordings' filters (record id prefixes taken literally, meeting
// ids, states, metadata pairs) and its pages, optimistic updates, the frontend that cannot be
// deleted while it has recordings, and the values Poco could corrupt on the way (empty text
// and NULL, long text, booleans, 64-bit integers, unicode and quotes). Last, the order of
// magnitude of a first page over 10,000 recordings, printed, not asserted.

#include "store/store.hpp"
#include "store_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <limits>
#include <set>

namespace b3s::core::store {
// Failures print the row, not its bytes.
void PrintTo(const Recording& r, std::ostream* os) {
    *os << "{record_id " << r.record_id << ", frontend_id " << r.frontend_id << ", meeting_id " << r.meeting_id
        << ", internal_meeting_id " << r.internal_meeting_id << ", name " << r.name.substr(0, 80) << ", state "
        << r.state << ", published " << r.published << ", is_breakout " << r.is_breakout << ", start_time "
        << r.start_time << ", end_time " << r.end_time << ", participants " << r.participants << ", metadata {";
    for (const auto& [name, value] : r.metadata) *os << name << "=" << value.substr(0, 80) << "; ";
    *os << "}, formats " << r.formats_json.substr(0, 200) << ", created_at " << r.created_at << ", updated_at "
        << r.updated_at << ", version " << r.version << "}";
}
}  // namespace b3s::core::store

namespace b3s::test {
namespace {

using store::Recording;
using store::RecordingPage;
using store::RecordingQuery;
using store::StoreError;
using Kind = StoreError::Kind;
using Metadata = std::vector<std::pair<std::string, std::string>>;

class RecordingStore : public ::testing::TestWithParam<Engine> {
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
    }

    bool postgres() const { return GetParam() == Engine::Postgres; }
    std::string sqlBool(bool v) const { return postgres() ? (v ? "true" : "false") : (v ? "1" : "0"); }
    std::int64_t count(const std::string& table_and_condition) {
        return std::stoll(db_->scalar("SELECT count(*) FROM " + table_and_condition).value_or("-1"));
    }

    static Recording recording(const std::string& record_id, const std::string& frontend_id,
                               std::int64_t start_time = 1'700'000'000'000) {
        Recording r;
        r.record_id = record_id;
        r.frontend_id = frontend_id;
        r.meeting_id = "meeting-of-" + record_id;
        r.internal_meeting_id = "internal-" + record_id;
        r.name = "Recording " + record_id;
        r.start_time = start_time;
        r.end_time = start_time + 3'600'000;
        r.participants = 3;
        return r;
    }

    static std::vector<std::string> ids(const RecordingPage& page) {
        std::vector<std::string> out;
        for (const auto& r : page.recordings) out.push_back(r.record_id);
        return out;
    }
    RecordingQuery queryOf(const std::string& frontend_id) const {
        RecordingQuery q;
        q.frontend_id = frontend_id;
        return q;
    }

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
    std::unique_ptr<store::Store> store_;
    std::string a_;  // frontend ids
    std::string b_;
};

std::string paramName(const ::testing::TestParamInfo<Engine>& info) {
    return engineName(info.param);
}
INSTANTIATE_TEST_SUITE_P(Connectors, RecordingStore, ::testing::Values(Engine::Sqlite, Engine::Postgres), paramName);

// Text that does not compress: a btree entry is limited after compression (PostgreSQL).
std::string incompressible(std::size_t n, std::uint32_t seed) {
    static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::string out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        seed = seed * 1'664'525u + 1'013'904'223u;
        out += kAlphabet[(seed >> 16) % kAlphabet.size()];
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// Writing and reading one recording

TEST_P(RecordingStore, UpsertInsertsTheRowAndReturnsItAsStored) {
    clock_.setMicros(1'714'566'896'789'123);
    Recording in = recording("0123456789abcdef0123456789abcdef01234567-1714566896789", a_);
    in.state = "processing";
    in.published = false;
    in.is_breakout = true;
    in.participants = 12;
    in.metadata = {{"meetingname", "Weekly"}, {"bbb-origin", "greenlight"}, {"isbreakout", "false"}};
    // In jsonb's normal form (shorter keys first), which PostgreSQL returns whatever it was given.
    in.formats_json = R"([{"url": "https://x.example/playback/presentation/2.3/r", "type": "presentation"}])";
    in.created_at = 1;  // ignored
    in.version = 42;    // ignored

    const auto out = store_->upsertRecording(in);
    Recording expected = in;
    expected.metadata = {{"bbb-origin", "greenlight"}, {"isbreakout", "false"}, {"meetingname", "Weekly"}};
    expected.created_at = expected.updated_at = 1'714'566'896'789'123;
    expected.version = 1;
    EXPECT_EQ(out, expected);
    EXPECT_EQ(store_->findRecording(a_, in.record_id), expected);
    EXPECT_EQ(store_->findRecordingById(in.record_id), expected);
    EXPECT_EQ(store_->countRecordings(a_), 1);
    EXPECT_EQ(count("recording_metadata"), 3);
    EXPECT_FALSE(store_->findRecording(a_, "missing"));
    EXPECT_FALSE(store_->findRecordingById("missing"));
    EXPECT_FALSE(store_->findRecordingById(""));
}

TEST_P(RecordingStore, UpsertOfTheSameFrontendUpdatesAllButOwnerAndCreationAndReplacesMetadata) {
    Recording first = recording("r1", a_);
    first.metadata = {{"keep", "1"}, {"drop", "2"}};
    const auto inserted = store_->upsertRecording(first);
    clock_.advanceMicros(5'000'000);

    Recording second = recording("r1", a_, 1'800'000'000'000);
    second.meeting_id = "other-meeting";
    second.internal_meeting_id = "other-internal";
    second.name = "renamed";
    second.state = "unpublished";
    second.published = false;
    second.is_breakout = true;
    second.participants = 99;
    second.formats_json = R"([{"type": "video"}])";
    second.metadata = {{"keep", "changed"}, {"new", "3"}};
    second.version = 7;  // an upsert is no optimistic update: it needs no version
    const auto updated = store_->upsertRecording(second);

    Recording expected = second;
    expected.frontend_id = a_;
    expected.created_at = inserted.created_at;
    expected.updated_at = inserted.created_at + 5'000'000;
    expected.version = 2;
    expected.metadata = {{"keep", "changed"}, {"new", "3"}};
    EXPECT_EQ(updated, expected);
    EXPECT_EQ(store_->findRecording(a_, "r1"), expected);
    EXPECT_EQ(count("recording_metadata"), 2);
    EXPECT_EQ(count("recordings"), 1);

    // An upsert without metadata clears it.
    second.metadata.clear();
    EXPECT_TRUE(store_->upsertRecording(second).metadata.empty());
    EXPECT_EQ(store_->findRecording(a_, "r1")->version, 3);
    EXPECT_EQ(count("recording_metadata"), 0);
}

TEST_P(RecordingStore, UpsertOfAnotherFrontendsRecordIdIsConflictAndChangesNothing) {
    Recording mine = recording("shared-id", a_);
    mine.metadata = {{"owner", "a"}};
    const auto stored = store_->upsertRecording(mine);

    Recording theirs = recording("shared-id", b_);
    theirs.name = "hijacked";
    theirs.metadata = {{"owner", "b"}};
    const auto e = errorOf([&] { store_->upsertRecording(theirs); });
    EXPECT_EQ(e.kind(), Kind::Conflict) << e.what();
    EXPECT_NE(std::string(e.what()).find("another frontend"), std::string::npos) << e.what();
    EXPECT_EQ(store_->findRecordingById("shared-id"), stored);
    EXPECT_FALSE(store_->findRecording(b_, "shared-id"));
    EXPECT_EQ(count("recording_metadata WHERE value = 'a'"), 1);
    EXPECT_EQ(count("recording_metadata"), 1);
}

TEST_P(RecordingStore, UpsertRefusesWhatTheIndexCannotHold) {
    auto expectInvalid = [&](Recording r, const char* why) {
        const auto e = errorOf([&] { store_->upsertRecording(r); });
        EXPECT_EQ(e.kind(), Kind::Invalid) << why << ": " << e.what();
    };
    expectInvalid(recording("", a_), "empty record id");
    expectInvalid(recording("r", "not-a-uuid"), "frontend id no uuid");
    expectInvalid(recording("r", "00000000-0000-4000-8000-000000000000"), "no such frontend");
    expectInvalid(recording(std::string(513, 'r'), a_), "record id too long for an index");
    auto r = recording("r", a_);
    r.metadata = {{"x", "1"}, {"x", "2"}};
    expectInvalid(r, "a name twice");
    r.metadata = {{"", "1"}};
    expectInvalid(r, "empty name");
    r.metadata = {{std::string(513, 'n'), "1"}};
    expectInvalid(r, "name too long for an index");
    r.metadata.clear();
    r.formats_json = R"({"type": "presentation"})";
    expectInvalid(r, "formats not an array");
    r.formats_json = "[not json";
    expectInvalid(r, "formats not JSON");
    EXPECT_EQ(count("recordings"), 0);
    EXPECT_EQ(count("recording_metadata"), 0);
    // The longest record id and name that fit are fine.
    r.record_id = incompressible(512, 1);
    r.formats_json = "[]";
    r.metadata = {{incompressible(512, 2), incompressible(3000, 3)}};
    EXPECT_EQ(store_->upsertRecording(r).metadata, r.metadata);
}

// ---------------------------------------------------------------------------------------
// Tenancy

TEST_P(RecordingStore, AnotherFrontendNeverSeesChangesOrDeletesARecording) {
    const auto theirs = store_->upsertRecording(recording("a-rec", a_));
    store_->upsertRecording(recording("b-rec", b_, 1'600'000'000'000));

    EXPECT_FALSE(store_->findRecording(b_, "a-rec"));
    auto edit = theirs;
    edit.frontend_id = b_;
    edit.name = "taken over";
    EXPECT_EQ(store_->updateRecording(edit), std::nullopt);
    EXPECT_FALSE(store_->deleteRecording(b_, "a-rec"));
    EXPECT_EQ(store_->findRecording(a_, "a-rec"), theirs);
    EXPECT_EQ(ids(store_->listRecordings(queryOf(b_))), std::vector<std::string>{"b-rec"});
    EXPECT_EQ(store_->listRecordings(queryOf(b_)).total, 1);
    EXPECT_EQ(ids(store_->listRecordings(queryOf(a_))), std::vector<std::string>{"a-rec"});
    EXPECT_EQ(store_->countRecordings(a_), 1);
    EXPECT_EQ(store_->countRecordings(b_), 1);

    // Filters never widen the scope.
    auto q = queryOf(b_);
    q.record_id_prefixes = {"a-", "b-"};
    q.meeting_ids = {"meeting-of-a-rec", "meeting-of-b-rec"};
    EXPECT_EQ(ids(store_->listRecordings(q)), std::vector<std::string>{"b-rec"});

    // The admin API's unscoped list sees every frontend's, newest first.
    const auto all = store_->listRecordings(RecordingQuery{});
    EXPECT_EQ(ids(all), (std::vector<std::string>{"a-rec", "b-rec"}));
    EXPECT_EQ(all.total, 2);
    EXPECT_EQ(all.recordings[0].frontend_id, a_);
    EXPECT_EQ(all.recordings[1].frontend_id, b_);

    // A frontend id that is no uuid, or no frontend's, finds nothing.
    for (const auto* bad : {"not-a-uuid", "00000000-0000-4000-8000-000000000000"}) {
        EXPECT_FALSE(store_->findRecording(bad, "a-rec")) << bad;
        EXPECT_FALSE(store_->deleteRecording(bad, "a-rec")) << bad;
        EXPECT_EQ(store_->countRecordings(bad), 0) << bad;
        const auto page = store_->listRecordings(queryOf(bad));
        EXPECT_TRUE(page.recordings.empty()) << bad;
        EXPECT_EQ(page.total, 0) << bad;
    }
    EXPECT_EQ(count("recordings"), 2);
}

TEST_P(RecordingStore, UppercaseFrontendIdsAreTheSameFrontend) {
    std::string upper = a_;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const auto stored = store_->upsertRecording(recording("r", upper));
    EXPECT_EQ(stored.frontend_id, a_);
    EXPECT_TRUE(store_->findRecording(upper, "r"));
    EXPECT_EQ(store_->listRecordings(queryOf(upper)).total, 1);
    EXPECT_EQ(store_->countRecordings(upper), 1);
}

// ---------------------------------------------------------------------------------------
// getRecordings' filters

TEST_P(RecordingStore, RecordIdPrefixesAreLiteralAndCaseSensitive) {
    const std::vector<std::string> all = {"abc%def",   "abc_def", "abcXdef",   "abc\\def", "ABCdef",
                                          "a*b?c[d]e", "ab",      "abc'quote", "äbc"};
    std::int64_t start = 1'700'000'000'000;
    for (const auto& id : all) store_->upsertRecording(recording(id, a_, start--));  // listed in this order
    auto matching = [&](std::vector<std::string> prefixes) {
        auto q = queryOf(a_);
        q.record_id_prefixes = std::move(prefixes);
        const auto page = store_->listRecordings(q);
        EXPECT_EQ(page.total, static_cast<std::int64_t>(page.recordings.size()));
        return ids(page);
    };
    using Ids = std::vector<std::string>;
    EXPECT_EQ(matching({"abc%"}), Ids{"abc%def"});
    EXPECT_EQ(matching({"abc_"}), Ids{"abc_def"});
    EXPECT_EQ(matching({"abc\\"}), Ids{"abc\\def"});
    EXPECT_EQ(matching({"%"}), Ids{});
    EXPECT_EQ(matching({"_bc"}), Ids{});
    EXPECT_EQ(matching({"abc"}), (Ids{"abc%def", "abc_def", "abcXdef", "abc\\def", "abc'quote"}));
    EXPECT_EQ(matching({"ABC"}), Ids{"ABCdef"});
    EXPECT_EQ(matching({"a*"}), Ids{"a*b?c[d]e"});
    EXPECT_EQ(matching({"a*b?c["}), Ids{"a*b?c[d]e"});
    EXPECT_EQ(matching({"a?"}), Ids{});
    EXPECT_EQ(matching({"[a]"}), Ids{});
    EXPECT_EQ(matching({"abc'"}), Ids{"abc'quote"});
    EXPECT_EQ(matching({"ä"}), Ids{"äbc"});
    EXPECT_EQ(matching({"abcXdef"}), Ids{"abcXdef"});
    EXPECT_EQ(matching({"abcXdefg"}), Ids{});
    EXPECT_EQ(matching({"ab"}).size(), 6u);
    // Several prefixes are OR-ed; a repeated one counts once; the empty prefix matches all.
    EXPECT_EQ(matching({"abc%", "ABC", "abc%", "zzz"}), (Ids{"abc%def", "ABCdef"}));
    EXPECT_EQ(matching({""}), all);
}

TEST_P(RecordingStore, MeetingIdsStatesAndMetadataPairsFilterTogether) {
    auto add = [&](const std::string& id, const std::string& meeting, const std::string& state, Metadata metadata,
                   std::int64_t start) {
        auto r = recording(id, a_, start);
        r.meeting_id = meeting;
        r.state = state;
        r.metadata = std::move(metadata);
        store_->upsertRecording(r);
    };
    add("r1", "m1", "published", {{"origin", "greenlight"}, {"room", "x"}}, 5);
    add("r2", "m1", "unpublished", {{"origin", "greenlight"}, {"room", "y"}}, 4);
    add("r3", "m2", "published", {{"origin", "moodle"}, {"room", "x"}}, 3);
    add("r4", "m3", "processing", {{"room", "x"}}, 2);
    add("r5", "m3", "published", {{"origin", "x"}, {"greenlight", "origin"}}, 1);
    // Another frontend's matching recording never shows.
    auto other = recording("b1", b_, 6);
    other.meeting_id = "m1";
    other.metadata = {{"origin", "greenlight"}, {"room", "x"}};
    store_->upsertRecording(other);

    auto matching = [&](std::vector<std::string> meetings, std::vector<std::string> states, Metadata metadata) {
        auto q = queryOf(a_);
        q.meeting_ids = std::move(meetings);
        q.states = std::move(states);
        q.metadata = std::move(metadata);
        const auto page = store_->listRecordings(q);
        EXPECT_EQ(page.total, static_cast<std::int64_t>(page.recordings.size()));
        return ids(page);
    };
    using Ids = std::vector<std::string>;
    EXPECT_EQ(matching({}, {}, {}), (Ids{"r1", "r2", "r3", "r4", "r5"}));
    EXPECT_EQ(matching({"m1", "m3"}, {}, {}), (Ids{"r1", "r2", "r4", "r5"}));
    EXPECT_EQ(matching({"m1", "m1", "nope"}, {}, {}), (Ids{"r1", "r2"}));
    EXPECT_EQ(matching({"M1"}, {}, {}), Ids{});
    EXPECT_EQ(matching({}, {"published", "processing"}, {}), (Ids{"r1", "r3", "r4", "r5"}));
    EXPECT_EQ(matching({"m1"}, {"published"}, {}), Ids{"r1"});
    EXPECT_EQ(matching({}, {}, {{"origin", "greenlight"}}), (Ids{"r1", "r2"}));
    EXPECT_EQ(matching({}, {}, {{"room", "x"}}), (Ids{"r1", "r3", "r4"}));
    EXPECT_EQ(matching({}, {}, {{"origin", "greenlight"}, {"room", "x"}}), Ids{"r1"});
    EXPECT_EQ(matching({}, {}, {{"room", "x"}, {"origin", "moodle"}}), Ids{"r3"});
    EXPECT_EQ(matching({}, {}, {{"room", "x"}, {"room", "y"}}), Ids{});  // one value per name
    EXPECT_EQ(matching({}, {}, {{"origin", "GREENLIGHT"}}), Ids{});
    EXPECT_EQ(matching({}, {}, {{"origin", "green"}}), Ids{});           // values are exact
    EXPECT_EQ(matching({}, {}, {{"greenlight", "origin"}}), Ids{"r5"});  // name and value are not swapped
    EXPECT_EQ(matching({}, {}, {{"missing", ""}}), Ids{});               // an absent name is no empty value
    EXPECT_EQ(matching({"m1", "m2", "m3"}, {"published"}, {{"room", "x"}}), (Ids{"r1", "r3"}));
}

TEST_P(RecordingStore, LongListsAreBoundValueByValue) {
    for (int i = 0; i < 5; ++i) {
        auto r = recording("r" + std::to_string(i), a_, 100 - i);
        r.meeting_id = "m" + std::to_string(i);
        store_->upsertRecording(r);
    }
    auto q = queryOf(a_);
    for (int i = 0; i < 5'000; ++i) q.meeting_ids.push_back("m" + std::to_string(i * 2));  // m0, m2, m4 among them
    for (int i = 0; i < 2'000; ++i) q.record_id_prefixes.push_back("r" + std::to_string(i));
    q.states = {"published", "x') OR ('1' = '1"};
    EXPECT_EQ(ids(store_->listRecordings(q)), (std::vector<std::string>{"r0", "r2", "r4"}));
    q.meeting_ids.resize(40'000, "m0");  // distinct values are bound, repeats are not
    EXPECT_EQ(store_->listRecordings(q).total, 3);
    for (int i = 0; i < 40'000; ++i) q.meeting_ids.push_back("n" + std::to_string(i));
    EXPECT_EQ(errorOf([&] { store_->listRecordings(q); }).kind(), Kind::Invalid);
}

// Many metadata pairs: more than SQLite's expression depth of 1000, and more than
// PostgreSQL's planner could join in time (one EXISTS each took it 1.4 s at 80 pairs).
TEST_P(RecordingStore, ManyMetadataPairsAreAnswered) {
    auto r = recording("all", a_, 2);
    for (int i = 0; i < 1'200; ++i) r.metadata.emplace_back("k" + std::to_string(i), "v" + std::to_string(i));
    store_->upsertRecording(r);
    auto fewer = recording("fewer", a_, 1);
    fewer.metadata.assign(r.metadata.begin(), r.metadata.begin() + 600);
    store_->upsertRecording(fewer);
    auto most = r.metadata;
    most.pop_back();
    most.emplace_back("extra", "x");
    store_->upsertRecording([&] {
        auto other = recording("other", a_, 3);
        other.metadata = most;
        return other;
    }());

    auto matching = [&](Metadata metadata) {
        auto q = queryOf(a_);
        q.metadata = std::move(metadata);
        const auto started = std::chrono::steady_clock::now();
        const auto page = store_->listRecordings(q);
        EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
        EXPECT_EQ(page.total, static_cast<std::int64_t>(page.recordings.size()));
        return ids(page);
    };
    using Ids = std::vector<std::string>;
    EXPECT_EQ(matching(r.metadata), Ids{"all"});
    Metadata first_600(r.metadata.begin(), r.metadata.begin() + 600);
    EXPECT_EQ(matching(first_600), (Ids{"other", "all", "fewer"}));
    Metadata six(r.metadata.begin(), r.metadata.begin() + 6);  // joined and counted
    EXPECT_EQ(matching(six), (Ids{"other", "all", "fewer"}));
    six.push_back(six.back());  // a repeated pair counts once
    EXPECT_EQ(matching(six), (Ids{"other", "all", "fewer"}));
    six.back().second = "other value";  // one name, two values
    EXPECT_EQ(matching(six), Ids{});
    auto wrong_last = r.metadata;
    wrong_last.back().second = "other";
    EXPECT_EQ(matching(wrong_last), Ids{});
    Metadata with_extra(r.metadata.begin() + 1'000, r.metadata.end() - 1);
    with_extra.emplace_back("extra", "x");
    EXPECT_EQ(matching(with_extra), Ids{"other"});
}

// ---------------------------------------------------------------------------------------
// Pages

TEST_P(RecordingStore, PagesAreNewestFirstThenByRecordIdWithTheTotal) {
    // 250 recordings; start times repeat in runs of 3, so record_id decides within a run.
    std::vector<std::pair<std::int64_t, std::string>> expected;
    for (int i = 0; i < 250; ++i) {
        const std::int64_t start = 1'700'000'000'000 + (i / 3) * 60'000;
        const auto id = "rec-" + std::to_string((i * 7919) % 1000);  // not in start order
        auto r = recording(id, a_, start);
        r.metadata = {{"n", std::to_string(i)}};
        store_->upsertRecording(r);
        expected.emplace_back(-start, id);
    }
    store_->upsertRecording(recording("other-frontend", b_, 1'900'000'000'000));
    std::sort(expected.begin(), expected.end());
    std::vector<std::string> expected_ids;
    for (const auto& e : expected) expected_ids.push_back(e.second);

    std::vector<std::string> paged;
    for (int offset = 0; offset < 250; offset += 40) {
        auto q = queryOf(a_);
        q.offset = offset;
        q.limit = 40;
        const auto page = store_->listRecordings(q);
        EXPECT_EQ(page.total, 250) << "offset " << offset;
        EXPECT_EQ(page.recordings.size(), offset + 40 <= 250 ? 40u : 250u - offset) << "offset " << offset;
        for (const auto& r : page.recordings) {
            ASSERT_EQ(r.metadata.size(), 1u) << r.record_id;  // each row gets its own metadata
            const auto i = std::stoi(r.metadata[0].second);
            EXPECT_EQ(r.start_time, 1'700'000'000'000 + (i / 3) * 60'000) << r.record_id;
            paged.push_back(r.record_id);
        }
    }
    EXPECT_EQ(paged, expected_ids);

    auto q = queryOf(a_);
    EXPECT_EQ(ids(store_->listRecordings(q)), expected_ids) << "limit 0: everything";
    q.offset = 249;
    q.limit = 1;
    auto last = store_->listRecordings(q);
    EXPECT_EQ(ids(last), std::vector<std::string>{expected_ids.back()});
    EXPECT_EQ(last.total, 250);
    q.offset = 250;
    auto beyond = store_->listRecordings(q);
    EXPECT_TRUE(beyond.recordings.empty());
    EXPECT_EQ(beyond.total, 250);
    q.offset = 1'000;
    q.limit = 0;
    EXPECT_EQ(store_->listRecordings(q).total, 250);
    q.offset = 10;
    q.limit = 0;
    auto rest = store_->listRecordings(q);
    EXPECT_EQ(rest.recordings.size(), 240u);
    EXPECT_EQ(rest.total, 250);
    // Not asked for: the same page, no count (getRecordings prints none).
    q.offset = 40;
    q.limit = 40;
    q.count_total = false;
    const auto uncounted = store_->listRecordings(q);
    EXPECT_EQ(ids(uncounted), std::vector<std::string>(expected_ids.begin() + 40, expected_ids.begin() + 80));
    EXPECT_EQ(uncounted.total, 0);

    // A filter's total counts the filtered rows.
    q = queryOf(a_);
    q.record_id_prefixes = {"rec-1"};
    q.limit = 5;
    const auto filtered = store_->listRecordings(q);
    const auto with_prefix = std::count_if(expected_ids.begin(), expected_ids.end(),
                                           [](const auto& id) { return id.rfind("rec-1", 0) == 0; });
    EXPECT_EQ(filtered.total, with_prefix);
    EXPECT_EQ(filtered.recordings.size(), 5u);

    q = queryOf(a_);
    q.offset = -1;
    EXPECT_EQ(errorOf([&] { store_->listRecordings(q); }).kind(), Kind::Invalid);
    q.offset = 0;
    q.limit = -1;
    EXPECT_EQ(errorOf([&] { store_->listRecordings(q); }).kind(), Kind::Invalid);
}

// ---------------------------------------------------------------------------------------
// Updates and deletes

TEST_P(RecordingStore, UpdateWritesStatePublishedNameAndMetadataOnly) {
    auto in = recording("r", a_);
    in.metadata = {{"a", "1"}, {"b", "2"}};
    const auto stored = store_->upsertRecording(in);
    clock_.advanceMicros(1'000);

    auto edit = stored;
    edit.state = "unpublished";
    edit.published = false;
    edit.name = "new name";
    edit.metadata = {{"c", "3"}, {"a", "changed"}};
    // Not the update's to write:
    edit.meeting_id = "x";
    edit.internal_meeting_id = "x";
    edit.is_breakout = true;
    edit.start_time = 1;
    edit.end_time = 2;
    edit.participants = 1000;
    edit.formats_json = R"([{"type": "video"}])";
    edit.created_at = 5;
    const auto updated = store_->updateRecording(edit);
    ASSERT_TRUE(updated);
    Recording expected = stored;
    expected.state = "unpublished";
    expected.published = false;
    expected.name = "new name";
    expected.metadata = {{"a", "changed"}, {"c", "3"}};
    expected.updated_at = stored.updated_at + 1'000;
    expected.version = 2;
    EXPECT_EQ(updated, expected);
    EXPECT_EQ(store_->findRecording(a_, "r"), expected);
    EXPECT_EQ(count("recording_metadata"), 2);

    // Read at version 1, written after version 2: stale, and nothing changes.
    auto late = stored;
    late.name = "late";
    const auto e = errorOf([&] { store_->updateRecording(late); });
    EXPECT_EQ(e.kind(), Kind::Stale) << e.what();
    EXPECT_EQ(store_->findRecording(a_, "r"), expected);

    // Gone: nullopt, never Stale.
    ASSERT_TRUE(store_->deleteRecording(a_, "r"));
    EXPECT_EQ(store_->updateRecording(*updated), std::nullopt);
    EXPECT_EQ(store_->updateRecording(late), std::nullopt);
    auto bad = *updated;
    bad.frontend_id = "not-a-uuid";
    EXPECT_EQ(store_->updateRecording(bad), std::nullopt);
}

TEST_P(RecordingStore, DeleteIsScopedAndTakesTheMetadataAlong) {
    auto r = recording("r", a_);
    r.metadata = {{"a", "1"}, {"b", "2"}};
    store_->upsertRecording(r);
    auto s = recording("s", a_);
    s.metadata = {{"a", "1"}};
    store_->upsertRecording(s);
    EXPECT_FALSE(store_->deleteRecording(b_, "r"));
    EXPECT_FALSE(store_->deleteRecording(a_, "missing"));
    EXPECT_TRUE(store_->deleteRecording(a_, "r"));
    EXPECT_FALSE(store_->deleteRecording(a_, "r"));
    EXPECT_FALSE(store_->findRecordingById("r"));
    EXPECT_EQ(count("recording_metadata"), 1);
    EXPECT_EQ(count("recording_metadata WHERE record_id = 's'"), 1);
    EXPECT_EQ(store_->countRecordings(a_), 1);
    // The id is free again, for any frontend.
    EXPECT_EQ(store_->upsertRecording(recording("r", b_)).version, 1);
}

TEST_P(RecordingStore, FrontendWithRecordingsCannotBeDeleted) {
    store_->upsertRecording(recording("r1", a_));
    store_->upsertRecording(recording("r2", a_));
    const auto e = errorOf([&] { store_->deleteFrontend(a_); });
    EXPECT_EQ(e.kind(), Kind::Conflict) << e.what();
    EXPECT_NE(std::string(e.what()).find("2 recording(s)"), std::string::npos) << e.what();
    EXPECT_TRUE(store_->findFrontend(a_));
    EXPECT_EQ(store_->countRecordings(a_), 2);

    // Beneath the store, the foreign key refuses too.
    EXPECT_THROW(db_->execute(std::string(postgres() ? "" : "PRAGMA foreign_keys = ON; ") +
                              "DELETE FROM frontends WHERE id = '" + a_ + "'"),
                 std::exception);
    EXPECT_EQ(count("frontends WHERE id = '" + a_ + "'"), 1);

    // A frontend without recordings goes as before, and once its recordings are gone so does this one.
    EXPECT_TRUE(store_->deleteFrontend(b_));
    EXPECT_TRUE(store_->deleteRecording(a_, "r1"));
    EXPECT_EQ(errorOf([&] { store_->deleteFrontend(a_); }).kind(), Kind::Conflict);
    EXPECT_TRUE(store_->deleteRecording(a_, "r2"));
    EXPECT_TRUE(store_->deleteFrontend(a_));
    EXPECT_FALSE(store_->deleteFrontend(a_));
}

// ---------------------------------------------------------------------------------------
// Values on the way through Poco

TEST_P(RecordingStore, EmptyTextStaysEmptyTextNeverNull) {
    Recording r = recording("empty", a_);
    r.meeting_id = "";
    r.internal_meeting_id = "";
    r.name = "";
    r.state = "";
    r.metadata = {{"empty", ""}};
    const auto stored = store_->upsertRecording(r);
    EXPECT_EQ(stored.name, "");
    EXPECT_EQ(stored.meeting_id, "");
    EXPECT_EQ(stored.metadata, (Metadata{{"empty", ""}}));
    EXPECT_EQ(count("recordings WHERE name = '' AND meeting_id = '' AND internal_meeting_id = '' AND state = ''"), 1);
    EXPECT_EQ(count("recording_metadata WHERE value = ''"), 1);
    auto q = queryOf(a_);
    q.meeting_ids = {""};
    q.states = {""};
    q.metadata = {{"empty", ""}};
    EXPECT_EQ(ids(store_->listRecordings(q)), std::vector<std::string>{"empty"});
}

TEST_P(RecordingStore, LongTextRoundTripsAndFilters) {
    Recording r = recording("long", a_);
    r.name = std::string(100'000, 'n') + "-ünïcødé";
    r.meeting_id = incompressible(1'000, 7);
    const auto long_value = incompressible(100'000, 11);
    r.metadata = {{"description", long_value}};
    std::string formats = "[";
    for (int i = 0; i < 2'000; ++i)
        formats += std::string(i ? ", " : "") + "{\"type\": \"t" + std::to_string(i) + "\"}";
    r.formats_json = formats + "]";
    const auto stored = store_->upsertRecording(r);
    EXPECT_EQ(stored.name, r.name);
    EXPECT_EQ(stored.meeting_id, r.meeting_id);
    EXPECT_EQ(stored.metadata, r.metadata);
    EXPECT_EQ(stored.formats_json, r.formats_json);
    EXPECT_EQ(db_->scalar("SELECT length(name) FROM recordings"), "100008");

    // A filter on a long value compares all of it, not just what the index holds.
    auto q = queryOf(a_);
    q.metadata = {{"description", long_value}};
    EXPECT_EQ(store_->listRecordings(q).total, 1);
    auto near = long_value;
    near.back() = near.back() == 'a' ? 'b' : 'a';
    q.metadata = {{"description", near}};
    EXPECT_EQ(store_->listRecordings(q).total, 0);
    q.metadata = {{"description", long_value.substr(0, 200)}};
    EXPECT_EQ(store_->listRecordings(q).total, 0);
    q.metadata.clear();
    q.meeting_ids = {r.meeting_id};
    EXPECT_EQ(store_->listRecordings(q).total, 1);
}

TEST_P(RecordingStore, BooleansAndIntegersKeepTheirValues) {
    struct Case {
        bool published;
        bool is_breakout;
        std::int64_t start;
        std::int64_t end;
        int participants;
    };
    const std::vector<Case> cases = {
        {false, true, std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min(),
         std::numeric_limits<int>::max()},
        {true, false, 1'714'566'896'789, 4'102'444'800'000, std::numeric_limits<int>::min()},
        {false, false, -1, 0, 0},
        {true, true, 2'147'483'648, 4'294'967'296, -1},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        auto r = recording("case-" + std::to_string(i), a_);
        r.published = cases[i].published;
        r.is_breakout = cases[i].is_breakout;
        r.start_time = cases[i].start;
        r.end_time = cases[i].end;
        r.participants = cases[i].participants;
        const auto stored = store_->upsertRecording(r);
        const auto found = store_->findRecording(a_, r.record_id);
        ASSERT_TRUE(found);
        EXPECT_EQ(stored, *found) << i;
        EXPECT_EQ(found->published, cases[i].published) << i;
        EXPECT_EQ(found->is_breakout, cases[i].is_breakout) << i;
        EXPECT_EQ(found->start_time, cases[i].start) << i;
        EXPECT_EQ(found->end_time, cases[i].end) << i;
        EXPECT_EQ(found->participants, cases[i].participants) << i;
    }
    // What is really stored, seen without the store.
    EXPECT_EQ(count("recordings WHERE published = " + sqlBool(false) + " AND is_breakout = " + sqlBool(true)), 1);
    EXPECT_EQ(db_->scalar("SELECT start_time FROM recordings WHERE record_id = 'case-0'"), "9223372036854775807");
    EXPECT_EQ(db_->scalar("SELECT end_time FROM recordings WHERE record_id = 'case-0'"), "-9223372036854775808");
    EXPECT_EQ(db_->scalar("SELECT start_time FROM recordings WHERE record_id = 'case-1'"), "1714566896789");
    // Ordered as 64-bit numbers, not as text or 32-bit.
    auto q = queryOf(a_);
    EXPECT_EQ(ids(store_->listRecordings(q)), (std::vector<std::string>{"case-0", "case-1", "case-3", "case-2"}));
}

TEST_P(RecordingStore, UnicodeAndQuotesInMetadataRoundTripAndFilter) {
    const Metadata metadata = {
        {"bbb-context", "Ünïcødé 🎓 中文 עברית"},  {"quote'name", "it's \"quoted\" \\back\\slash"},
        {"sql", "'); DROP TABLE recordings; --"}, {"percent", "100% _done_ ?x $1 :name"},
        {"newline", "line1\nline2\ttab"},
    };
    auto r = recording("unicode", a_);
    r.name = "Vorlesung «Ä» 'eins'";
    r.metadata = metadata;
    const auto stored = store_->upsertRecording(r);
    Metadata sorted = metadata;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(stored.metadata, sorted);
    EXPECT_EQ(stored.name, r.name);
    EXPECT_EQ(store_->findRecordingById("unicode")->metadata, sorted);
    for (const auto& pair : metadata) {
        auto q = queryOf(a_);
        q.metadata = {pair};
        EXPECT_EQ(ids(store_->listRecordings(q)), std::vector<std::string>{"unicode"}) << pair.first;
    }
    auto q = queryOf(a_);
    q.metadata = metadata;
    EXPECT_EQ(store_->listRecordings(q).total, 1);
    EXPECT_EQ(count("recordings"), 1);
}

// ---------------------------------------------------------------------------------------
// Order of magnitude (bench/ holds the real benchmark)

TEST_P(RecordingStore, FirstPageOfTenThousandRecordings) {
    // 10,000 recordings of one frontend (and 1,000 of another), each with three metadata
    // entries, written in one statement per table beneath the store, then analysed as a
    // settled database would be.
    const std::string recursive = postgres() ? "SELECT i FROM generate_series(1, {n}) AS s(i)"
                                             : "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s "
                                               "WHERE i < {n}) SELECT i FROM s";
    auto series = [&](int n) {
        auto out = recursive;
        out.replace(out.find("{n}"), 3, std::to_string(n));
        return out;
    };
    auto insertRecordings = [&](const std::string& frontend, const std::string& prefix, int n) {
        db_->execute(
            "INSERT INTO recordings (record_id, frontend_id, meeting_id, internal_meeting_id, name, state, "
            "published, is_breakout, start_time, end_time, participants, formats, created_at_us, updated_at_us, "
            "version) SELECT '" +
            prefix + "' || (1000000 + i), '" + frontend +
            "', 'meeting-' || (i % 500), 'internal-' || i, 'Recording ' || i, 'published', " + sqlBool(true) + ", " +
            sqlBool(false) +
            ", 1700000000000 + i * 60000, 1700000000000 + i * 60000 + 3600000, 5, "
            "'[{\"type\": \"presentation\"}]', 1, 1, 1 FROM (" +
            series(n) + ") AS n");
    };
    insertRecordings(a_, "rec-", 10'000);
    insertRecordings(b_, "other-", 1'000);
    db_->execute(
        "INSERT INTO recording_metadata (record_id, name, value) SELECT record_id, 'bbb-origin', "
        "'greenlight' FROM recordings");
    db_->execute(
        "INSERT INTO recording_metadata (record_id, name, value) SELECT record_id, 'bbb-context-id', "
        "meeting_id FROM recordings");
    db_->execute(
        "INSERT INTO recording_metadata (record_id, name, value) SELECT record_id, 'meetingname', "
        "name FROM recordings");
    db_->execute("ANALYZE");
    ASSERT_EQ(store_->countRecordings(a_), 10'000);

    auto timed = [&](const RecordingQuery& q, RecordingPage& page) {
        // The first call opens the pooled connection; the median of the next ones is reported.
        page = store_->listRecordings(q);
        std::vector<double> took;
        for (int i = 0; i < 25; ++i) {
            const auto started = std::chrono::steady_clock::now();
            page = store_->listRecordings(q);
            took.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
        }
        std::sort(took.begin(), took.end());
        return std::pair(took[took.size() / 2], took.back());
    };
    auto report = [&](const char* what, const RecordingQuery& q, std::int64_t total) {
        RecordingPage page;
        const auto [median, worst] = timed(q, page);
        std::cout << "[ timing   ] " << engineName(GetParam()) << " listRecordings " << what << ": median " << median
                  << " ms, worst " << worst << " ms (" << page.recordings.size() << " rows of " << page.total << ")"
                  << std::endl;
        EXPECT_EQ(page.total, total) << what;
        return page;
    };

    auto q = queryOf(a_);
    q.limit = 100;
    const auto first = report("10,000 recordings, limit 100", q, 10'000);
    ASSERT_EQ(first.recordings.size(), 100u);
    EXPECT_EQ(first.recordings.front().record_id, "rec-1010000");
    EXPECT_EQ(first.recordings.back().record_id, "rec-1009901");
    EXPECT_EQ(first.recordings.front().metadata.size(), 3u);

    q.offset = 9'950;
    EXPECT_EQ(report("offset 9,950, limit 100", q, 10'000).recordings.size(), 50u);
    q.offset = 0;
    q.meeting_ids = {"meeting-7", "meeting-8"};
    EXPECT_EQ(report("two meeting ids", q, 40).recordings.size(), 40u);
    q.meeting_ids.clear();
    q.metadata = {{"bbb-context-id", "meeting-7"}};
    EXPECT_EQ(report("one metadata pair (20 match)", q, 20).recordings.size(), 20u);
    q.metadata = {{"bbb-origin", "greenlight"}};
    EXPECT_EQ(report("one metadata pair (all match)", q, 10'000).recordings.size(), 100u);
    q.metadata.clear();
    q.record_id_prefixes = {"rec-10099"};
    EXPECT_EQ(report("record id prefix (100 match)", q, 100).recordings.size(), 100u);
}

}  // namespace
}  // namespace b3s::test
